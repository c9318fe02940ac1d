"""``cpc306 keep-out PORTFOLIO add|list|remove``: what the learner sees and what is stored."""

from __future__ import annotations

import json

from cpc306_portfolio import create_portfolio, open_portfolio

from .conftest import profile_fields, run_cli


def test_add_then_list_shows_the_names_and_stores_only_hashes(tmp_path):
    folio = create_portfolio(tmp_path / "p", profile_fields(keep_out=[]))
    out = run_cli("keep-out", folio.root, "add", "Edith Marlowe", "Tomasz Wren")
    assert "2 name(s) on the keep-out list, stored in the portfolio only as keyed hashes" in out
    assert run_cli("keep-out", folio.root, "list").splitlines() == ["Edith Marlowe", "Tomasz Wren"]
    stored = folio.profile_path.read_text(encoding="utf-8")
    assert "Marlowe" not in stored and "Wren" not in stored


def test_list_json_is_the_names_for_scripts(tmp_path):
    folio = create_portfolio(tmp_path / "p", profile_fields(keep_out=["Mrs Ivy Example"]))
    assert json.loads(run_cli("keep-out", folio.root, "list", "--json")) == ["Mrs Ivy Example"]


def test_an_empty_list_says_how_to_add_a_name(tmp_path):
    folio = create_portfolio(tmp_path / "p", profile_fields(keep_out=[]))
    out = run_cli("keep-out", folio.root, "list")
    assert "The keep-out list is empty: add names with cpc306 keep-out PORTFOLIO add NAME" in out
    assert json.loads(run_cli("keep-out", folio.root, "list", "--json")) == []


def test_remove_matches_however_the_name_is_spaced_or_capitalised(tmp_path):
    folio = create_portfolio(
        tmp_path / "p", profile_fields(keep_out=["Edith Marlowe", "Tomasz Wren"])
    )
    out = run_cli("keep-out", folio.root, "remove", "  edith   MARLOWE ")
    assert "Removed 1; 1 name(s) left on the keep-out list" in out
    assert open_portfolio(folio.root).keep_out_names() == ["Tomasz Wren"]


def test_add_and_remove_need_a_name(tmp_path):
    folio = create_portfolio(tmp_path / "p", profile_fields())
    for action in ("add", "remove"):
        out = run_cli("keep-out", folio.root, action, code=2)
        assert "Missing argument 'NAME...'" in out


def test_a_folder_with_no_portfolio_is_refused(tmp_path):
    out = run_cli("keep-out", tmp_path / "nowhere", "list", code=3)
    assert "not a portfolio" in out and "cpc306 init" in out
