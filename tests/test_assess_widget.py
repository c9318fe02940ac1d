"""The assess notebook's panel records the rules of evidence like ``cpc306 assess``."""

from __future__ import annotations

from pathlib import Path

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.notebooks.widgets import assessor_panel

from .conftest import find_widget


def test_the_panel_records_vacsr_ticks_and_notes(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    panel = assessor_panel(folio)
    find_widget(panel, "cpc306-judge-criterion").value = "B2"
    find_widget(panel, "cpc306-judge-outcome").value = "not_yet_met"
    find_widget(panel, "cpc306-judge-rule-valid").value = True
    find_widget(panel, "cpc306-judge-rule-authentic").value = True
    find_widget(panel, "cpc306-judge-note-sufficient").value = "one example only"
    find_widget(panel, "cpc306-judge").click()
    rules = folio.read_assessment().judgements["B2"].rules
    assert {r: c.met for r, c in rules.items()} == {
        "valid": True,
        "authentic": True,
        "sufficient": False,
    }
    assert rules["sufficient"].note == "one example only"
