"""The assess notebook's panel records the rules of evidence like ``cpc306 assess``."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.notebooks.widgets import assessor_panel


@pytest.fixture(autouse=True)
def _close_widgets():
    yield
    w.Widget.close_all()


def _find(widget: w.Widget, cls: str) -> w.Widget:
    if cls in getattr(widget, "_dom_classes", ()):
        return widget
    for child in getattr(widget, "children", ()):
        found = _find(child, cls)
        if found is not None:
            return found
    return None  # type: ignore[return-value]


def test_the_panel_records_vacsr_ticks_and_notes(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    panel = assessor_panel(folio)
    _find(panel, "cpc306-judge-criterion").value = "B2"
    _find(panel, "cpc306-judge-outcome").value = "not_yet_met"
    _find(panel, "cpc306-judge-rule-valid").value = True
    _find(panel, "cpc306-judge-rule-authentic").value = True
    _find(panel, "cpc306-judge-note-sufficient").value = "one example only"
    _find(panel, "cpc306-judge").click()
    rules = folio.read_assessment().judgements["B2"].rules
    assert {r: c.met for r, c in rules.items()} == {
        "valid": True,
        "authentic": True,
        "sufficient": False,
    }
    assert rules["sufficient"].note == "one example only"
