"""The searchable tick-box list that replaces the forms' multi-selects (no browser needed)."""

from __future__ import annotations

import ipywidgets as w
import pytest
import traitlets

from cpc306_portfolio.notebooks.choices import SEARCH_FROM, ChoiceList
from cpc306_portfolio.notebooks.forms import MULTI_HINT

OPTIONS = [(f"A{i} criterion number {i}", f"A{i}") for i in range(1, 9)] + [
    ("B1 Report non-compliance", "B1"),
    ("B2 Negotiate corrective action", "B2"),
]


@pytest.fixture(autouse=True)
def _close_widgets():
    yield
    w.Widget.close_all()


def _box(choices: ChoiceList, value: str) -> w.Checkbox:
    (index,) = [i for i, (_label, v) in enumerate(choices.options) if v == value]
    return choices.boxes[index]


def test_a_tick_adds_one_option_and_keeps_the_one_the_page_chose():
    choices = ChoiceList(OPTIONS, value=("A2",), description="Criteria")
    assert _box(choices, "A2").value is True
    _box(choices, "B1").value = True  # a tap (or Space) on one box changes that box alone
    assert choices.value == ("A2", "B1")
    _box(choices, "A2").value = False
    assert choices.value == ("B1",)
    assert "1 chosen" in choices.title.value and "Criteria" in choices.title.value


def test_value_keeps_the_multi_selects_api():
    seen = []
    choices = ChoiceList(OPTIONS, description="Criteria")
    choices.observe(lambda change: seen.append(change["new"]), names="value")
    choices.value = ["B2", "A3"]
    assert choices.value == ("B2", "A3")  # a tuple, in the order given, as SelectMultiple
    assert [_box(choices, v).value for v in ("A3", "B2", "A1")] == [True, True, False]
    assert seen == [("B2", "A3")]
    with pytest.raises(traitlets.TraitError):
        choices.value = ("Z9",)
    choices.value = ()
    assert not any(box.value for box in choices.boxes)


def test_search_narrows_the_list_and_keeps_ticked_options_in_sight():
    choices = ChoiceList(OPTIONS, value=("A1",), description="Criteria")
    assert choices.search.layout.display is None  # a long list gets a search field
    choices.search.value = "negotiate corrective"
    shown = [_box(choices, v) for v in ("A1", "B2")]
    assert list(choices.list.children) == shown
    choices.search.value = "nothing like this"
    assert list(choices.list.children) == [_box(choices, "A1")]
    choices.value = ()
    choices.search.value = "nothing like this "  # a changed search redraws
    assert list(choices.list.children) == []
    assert "Nothing matches" in choices.none_found.value
    choices.search.value = ""
    assert len(choices.list.children) == len(OPTIONS) and choices.none_found.value == ""


def test_a_short_list_has_no_search_and_new_options_keep_what_still_exists():
    short = ChoiceList(OPTIONS[: SEARCH_FROM - 1], value=("A1", "A2"), description="Kind")
    assert short.search.layout.display == "none"
    short.options = [("A2 again", "A2"), ("C1", "C1")]
    assert short.value == ("A2",) and len(short.boxes) == 2 and short.boxes[0].value


def test_the_hint_never_asks_for_ctrl_click():
    assert "Ctrl" not in MULTI_HINT and "⌘" not in MULTI_HINT
    assert "Tick" in MULTI_HINT


def test_the_hint_speaks_of_a_search_only_above_a_list_that_has_one(sample_copy):
    from cpc306_portfolio import open_portfolio
    from cpc306_portfolio.notebooks.evidence_form import EvidenceForm

    form = EvidenceForm(open_portfolio(sample_copy), "A2")

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    def hint_above(choices: ChoiceList) -> str:
        (box,) = [b for b in walk(form) if isinstance(b, w.VBox) and choices in b.children]
        return box.children[box.children.index(choices) - 1].value

    assert len(form.kind.options) < SEARCH_FROM <= len(form.criteria.options)
    assert "Tick each one" in hint_above(form.kind) and "search" not in hint_above(form.kind)
    assert "search to narrow the list" in hint_above(form.criteria)
