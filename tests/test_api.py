from __future__ import annotations

import inspect

import cpc306_portfolio


def test_all_is_honest():
    names = cpc306_portfolio.__all__
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(cpc306_portfolio, name), name


def test_every_public_name_imported_is_exported():
    public = {
        name
        for name, obj in vars(cpc306_portfolio).items()
        if not name.startswith("_") and not inspect.ismodule(obj)
    }
    assert public <= set(cpc306_portfolio.__all__)


def test_three_line_script(tmp_path):
    folio = cpc306_portfolio.create_portfolio(
        tmp_path / "p",
        {
            "unit": "CPC 306",
            "learner": {"name": "A"},
            "centre": {"name": "B"},
            "assessor": {"name": "C"},
        },
    )
    assert cpc306_portfolio.open_portfolio(folio.root).validate() == []
