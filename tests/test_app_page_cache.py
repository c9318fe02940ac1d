"""A start that changes nothing serves the pages generated last time; any change regenerates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.notebooks import app as app_module
from cpc306_portfolio.notebooks.app import write_app_pages
from cpc306_portfolio.notebooks.generate import template_names
from cpc306_portfolio.notebooks.page_cache import STAMP, generation_key, stamped_pages


class Generated(Exception):
    """Raised by the stand-in for the generator: the pages were generated again."""


@pytest.fixture
def started(sample_copy, tmp_path, monkeypatch):
    """The pages of one start; later starts raise :class:`Generated` if they generate."""
    folder = tmp_path / "pages"
    folio = open_portfolio(sample_copy)
    first = write_app_pages(folder, folio)

    def generate(*args, **kwargs):
        raise Generated

    monkeypatch.setattr(app_module, "write_notebooks", generate)
    return folder, folio, first


def test_a_start_that_changes_nothing_serves_the_same_pages_without_generating(started):
    folder, folio, first = started
    before = {p.name: p.read_bytes() for p in (folder / "notebooks").iterdir()}
    assert write_app_pages(folder, folio) == first
    assert {p.name: p.read_bytes() for p in (folder / "notebooks").iterdir()} == before


@pytest.mark.parametrize("change", ["edit", "add", "remove", "link", "stamp", "beside"])
def test_any_change_in_the_pages_folder_generates_them_afresh(started, change):
    folder, folio, first = started
    pages = folder / "notebooks"
    a2 = pages / "A2.ipynb"
    if change == "edit":
        a2.write_text(a2.read_text().replace("A2", "A3"))
    elif change == "add":
        (pages / "review.ipynb").write_text("{}")
    elif change == "remove":
        a2.unlink()
    elif change == "link":
        real = folder / "elsewhere.ipynb"
        real.write_bytes(a2.read_bytes())
        a2.unlink()
        a2.symlink_to(real)
    elif change == "stamp":
        stamp = json.loads((pages / STAMP).read_text())
        stamp["key"] = "0" * 64
        (pages / STAMP).write_text(json.dumps(stamp))
    else:  # a file beside the pages folder is removed, and the pages kept as they are
        (folder / "voila.py").write_text("boom")
        assert write_app_pages(folder, folio) == first
        assert sorted(p.name for p in folder.iterdir()) == ["notebooks"]
        return
    with pytest.raises(Generated):
        write_app_pages(folder, folio)


def test_the_key_follows_the_unit_the_portfolio_path_and_the_templates(sample_copy, tmp_path):
    folio = open_portfolio(sample_copy)
    key = generation_key(folio.standard, "/a", template_names())
    assert key == generation_key(folio.standard, "/a", template_names())
    assert key != generation_key(folio.standard, "/b", template_names())
    assert key != generation_key(folio.standard, "/a", template_names()[:-1])
    other = folio.standard.model_copy(update={"title": folio.standard.title + " (changed)"})
    object.__setattr__(other, "_source_text", None)
    assert key != generation_key(other, "/a", template_names())


def test_no_stamp_or_an_unreadable_one_means_no_pages_to_reuse(tmp_path: Path):
    assert stamped_pages(tmp_path, "k") is None
    (tmp_path / STAMP).write_text("not json")
    assert stamped_pages(tmp_path, "k") is None
    (tmp_path / STAMP).write_text(json.dumps({"key": "k", "pages": {}}))
    assert stamped_pages(tmp_path, "k") == []
