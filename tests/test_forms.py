"""What every form shares (notebooks/forms.py), seen through the profile and reflection
forms: advice in the learner's words beside each field, the typing kept after a failed
save, and a form's own refusal shown where no field is to blame."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.errors import Problem
from cpc306_portfolio.notebooks.forms import FIELD_ADVICE, FieldErrors
from cpc306_portfolio.notebooks.widgets import profile_form, reflection_form

from .conftest import before_assessment, profile_fields, snapshot

LONG = "I checked the provider's records against the contract and wrote down each gap I found."


@pytest.fixture
def folio(sample_copy: Path):
    return open_portfolio(before_assessment(sample_copy))


def _errors(problems: list[Problem], *fields: str) -> dict[str, str]:
    errors = FieldErrors()
    for field in fields:
        errors.slot(field)
    errors.show(problems)
    return errors.shown()


def test_an_internal_message_becomes_the_fields_advice():
    shown = _errors(
        [
            Problem("", "String should have at least 1 character", field="title"),
            Problem("", "Input should be a valid date", field="date"),
            Problem("", "Field required", field="method"),
        ],
        "title",
        "date",
        "method",
    )
    for field in ("title", "date", "method"):
        assert FIELD_ADVICE[field] in shown[field], field
    assert "String should" not in " ".join(shown.values())


def test_a_message_with_no_advice_is_made_friendly_and_keeps_its_hint():
    shown = _errors(
        [Problem("", "Field required", field="learner.name", hint="as your centre knows you")],
        "learner.name",
    )
    assert "please fill this in (as your centre knows you)" in shown["learner.name"]


def test_a_problem_for_a_part_of_a_field_shows_under_the_field():
    shown = _errors([Problem("", "must not be empty", field="witness.role")], "witness")
    assert list(shown) == ["witness"]
    assert "must not be empty" in shown["witness"]


def test_a_problem_for_no_field_on_the_form_shows_at_the_top_with_its_name():
    shown = _errors([Problem("", "unknown option", field="flavour")], "title")
    assert list(shown) == [""]
    assert "flavour: unknown option" in shown[""]


def test_problem_text_is_escaped():
    shown = _errors([Problem("", "<b>bold</b> claim", field="title")], "title")
    assert "<b>" not in shown["title"] and "&lt;b&gt;" in shown["title"]


def test_the_profile_form_shows_a_portfolios_details_and_saves_changes(folio):
    form = profile_form(folio.root)
    assert form.inputs["learner.name"].value == folio.profile.learner.name
    assert form.keep_out.value.splitlines() == folio.keep_out_names()
    form.inputs["learner.job_title"].value = "  Senior Contracts Officer  "
    assert form.save() is not None
    assert "Saved your details." in form.status.value
    assert "portfolio.yaml" not in form.status.value  # no path on a learner's page
    profile = open_portfolio(folio.root).profile
    assert profile.learner.job_title == "Senior Contracts Officer"
    assert profile.learner.name == folio.profile.learner.name  # untouched fields kept
    assert form.inputs["learner.job_title"].value == "  Senior Contracts Officer  "


def test_the_profile_form_refuses_an_empty_name_and_changes_nothing(folio):
    form = profile_form(folio.root)
    before = snapshot(folio.root)
    form.inputs["learner.name"].value = "   "
    assert form.save() is None
    assert snapshot(folio.root) == before
    assert "learner.name" in form.errors.shown()
    assert "Nothing was saved" in form.status.value


def test_a_new_portfolio_needs_the_learners_centre_and_assessors_names(tmp_path):
    form = profile_form(tmp_path / "new", "CPC 306")
    form.inputs["learner.name"].value = "Robin Testperson"
    assert form.save() is None
    assert not (tmp_path / "new").exists()
    shown = form.errors.shown()
    assert "centre.name" in shown and "assessor.name" in shown
    fields = profile_fields()
    form.inputs["centre.name"].value = fields["centre"]["name"]
    form.inputs["assessor.name"].value = fields["assessor"]["name"]
    assert form.save() is not None
    assert open_portfolio(tmp_path / "new").standard.code == "CPC 306"


def test_switching_reflection_models_keeps_what_was_typed_for_each_stage(folio):
    form = reflection_form(folio, "B7")
    form.model.value = "driscoll"
    form.boxes["what"].value = LONG
    form.model.value = "gibbs"
    assert set(form.boxes) >= {"description", "feelings", "action_plan"}
    assert "what" not in form.boxes
    form.model.value = "driscoll"
    assert form.boxes["what"].value == LONG


def test_a_reflection_saved_as_a_draft_resets_the_form(folio):
    form = reflection_form(folio, "B7")
    form.title.value = "After the notice"
    form.date.value = date(2026, 6, 10)
    form.model.value = "driscoll"
    form.boxes["what"].value = LONG
    form.draft.value = True
    saved = form.save()
    assert saved is not None and saved.draft
    assert (form.title.value, form.date.value, form.model.value) == ("", None, "gibbs")
    assert form.criteria.value == ("B7",) and form.draft.value is False
    assert all(box.value == "" for box in form.boxes.values())
