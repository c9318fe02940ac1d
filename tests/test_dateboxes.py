"""Every date a learner or assessor types goes into our date box, never the browser's picker.

The browser's picker follows its locale (mm/dd/yyyy in many), so a UK reader's 10/03/2026
became 3 October. These check that no form builds one, and that the forms that used to
(the plan's "By when", a witness statement's date, the assessor's records, reviews, plans
and action points) read 10/03/2026 and 2026-03-10 alike and say in words what is wrong.
"""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest

import cpc306_portfolio.notebooks as notebooks
from cpc306_portfolio import open_portfolio
from cpc306_portfolio.notebooks.assessor_forms import (
    ActivityForm,
    JudgementForm,
    ReviewForm,
    WitnessCheckForm,
)
from cpc306_portfolio.notebooks.assessor_record_forms import ObservationForm
from cpc306_portfolio.notebooks.datebox import DateBox, read_date
from cpc306_portfolio.notebooks.panels import plan_form
from cpc306_portfolio.portfolio.assessment_plan import read_assessment_plan
from cpc306_portfolio.portfolio.plan import read_plan

from .conftest import before_assessment, snapshot

NEXT_YEAR = date.today().year + 1
PYTHON_WORDS = ("None", "True", "False", "datetime", "Input should")


def _said(form) -> str:
    text = " ".join([*form.errors.shown().values(), form.errors.general.value])
    assert not any(word in text for word in PYTHON_WORDS), text
    return text


def test_no_form_builds_the_browsers_date_picker():
    folder = Path(notebooks.__file__).parent
    pickers = []
    for module in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and "DatePicker" in node.attr:
                pickers.append(f"{module.name}:{node.lineno}")
            if isinstance(node, ast.Name) and "DatePicker" in node.id:
                pickers.append(f"{module.name}:{node.lineno}")
    assert pickers == []


def test_a_box_for_a_date_still_to_come_takes_one_and_still_checks_the_day():
    box = DateBox("By when", future=True)
    box.text.value = f"10/03/{NEXT_YEAR}"
    assert box.value == date(NEXT_YEAR, 3, 10) and box.problem("by") is None
    box.text.value = f"{NEXT_YEAR}-03-10"
    assert box.value == date(NEXT_YEAR, 3, 10)
    box.text.value = f"31/02/{NEXT_YEAR}"
    assert box.problem("by").message == "31 February is not a date"
    past_only = DateBox("Date", value=date(2026, 3, 10))
    assert past_only.text.value == "10/03/2026"
    assert read_date(f"10/03/{NEXT_YEAR}")[1].startswith("that date is in the future")


def test_the_plan_takes_a_uk_date_to_come_and_names_an_impossible_one(sample_copy):
    folio = open_portfolio(sample_copy)
    form = plan_form(folio)
    row = form.rows[-1]
    row["what"].value = "Negotiate a remedial action plan myself"
    row["when"].text.value = f"31/02/{NEXT_YEAR}"
    before = snapshot(sample_copy)
    assert form.save() is None
    assert "By when: 31 February is not a date" in _said(form)
    assert snapshot(sample_copy) == before
    row["when"].text.value = f"10/03/{NEXT_YEAR}"
    assert form.save() is not None, _said(form)
    (saved,) = [a for a in read_plan(folio).actions if a.what.startswith("Negotiate")]
    assert saved.by_when == date(NEXT_YEAR, 3, 10)
    again = plan_form(folio)
    (shown,) = [r for r in again.rows if r["what"].value.startswith("Negotiate")]
    assert shown["when"].text.value == f"10/03/{NEXT_YEAR}"


def test_an_assessors_review_says_in_words_what_is_wrong_with_its_dates(sample_copy):
    folio = open_portfolio(sample_copy)
    form = ReviewForm(folio)
    assert form.on.text.value == date.today().strftime("%d/%m/%Y")  # today, as a UK reader writes
    form.progress.value = "Half the plan is done."
    form.targets.value = f"Chair the B4 meeting = {NEXT_YEAR}-03-01"
    form.on.text.value = ""
    form.next_review.text.value = "soon"
    assert form.save() is None
    said = _said(form)
    assert "the date is missing" in said and "“soon” is not a date we can read" in said
    form.on.text.value = "10/03/2026"
    form.next_review.text.value = f"01/04/{NEXT_YEAR}"
    form.targets.value = f"Chair the B4 meeting = 31/02/{NEXT_YEAR}"
    assert form.save() is None
    assert "line 1: 31 February is not a date" in _said(form)
    form.targets.value = f"Chair the B4 meeting = 01/03/{NEXT_YEAR}"
    saved = form.save()
    assert saved is not None, _said(form)
    assert saved.date == date(2026, 3, 10) and saved.next_review == date(NEXT_YEAR, 4, 1)
    assert [(t.text, t.by) for t in saved.targets] == [
        ("Chair the B4 meeting", date(NEXT_YEAR, 3, 1))
    ]


def test_an_assessors_plan_and_witness_check_read_uk_dates(sample_copy):
    folio = open_portfolio(sample_copy)
    form = ActivityForm(folio)
    form.activity.value = "Observe the C3 meeting"
    form.method.value = "observation"
    form.criteria.value = "C3"
    form.when.text.value = f"10/03/{NEXT_YEAR}"
    saved = form.save()
    assert saved is not None, _said(form)
    plan = read_assessment_plan(folio)
    assert plan is not None
    assert [a.planned_date for a in plan.activities if a.id == saved.id] == [date(NEXT_YEAR, 3, 10)]
    check = WitnessCheckForm(folio)
    check.which.value = check.which.options[0][1]
    check.how.value = "phone"
    check.on.text.value = f"10/03/{NEXT_YEAR}"
    assert check.save() is None
    assert "that date is in the future" in _said(check)


@pytest.mark.parametrize(
    ("typed", "said"),
    [("", "give the date you observed"), ("31/02/2026", "31 February is not a date")],
)
def test_an_observation_with_no_or_an_impossible_date_is_refused_in_words(sample_copy, typed, said):
    form = ObservationForm(open_portfolio(sample_copy))
    form.on.text.value = typed
    form.narrative.value = "The learner chaired the review."
    assert form.save() is None
    assert said in _said(form)


def test_an_action_point_due_date_is_read_as_a_uk_reader_writes_it(sample_copy):
    folio = open_portfolio(before_assessment(sample_copy))
    form = JudgementForm(folio, "A2")
    form.outcome.value = "not_yet_met"
    text, by = form.actions.rows[0]
    text.value = "Add an owner to each risk in the log"
    by.text.value = f"31/02/{NEXT_YEAR}"
    assert form.actions.problems("not_yet_met")[0].message == (
        "action point 1 (“Add an owner to each risk in the log”): 31 February is not a date"
    )
    soon = date.today() + timedelta(days=14)
    by.text.value = soon.strftime("%d/%m/%Y")
    assert form.actions.problems("not_yet_met") == []
    assert form.actions.collect("not_yet_met") == [("Add an owner to each risk in the log", soon)]
