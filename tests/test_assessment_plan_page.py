"""The learner's "Assessment plan and reviews" page, the witness form and testimony evidence
(issue 26 point 4), through their widgets: each calls what the command line calls."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.notebooks.assessment_plan_page import assessment_plan_page
from cpc306_portfolio.notebooks.assessment_plan_views import plan_html, plan_summary_html
from cpc306_portfolio.notebooks.evidence_form import evidence_form
from cpc306_portfolio.notebooks.pages import criterion_page
from cpc306_portfolio.notebooks.witness_form import witness_form
from cpc306_portfolio.portfolio.assessment_plan import (
    add_activity,
    agreement_states,
    read_assessment_plan,
    set_activity_status,
)
from cpc306_portfolio.portfolio.kinds import EVIDENCE, REVIEW, WITNESS
from cpc306_portfolio.portfolio.planning import WITNESS_DECLARATION
from cpc306_portfolio.portfolio.reviews import add_review, review_states

from .conftest import before_assessment, find_widget, html_of, run_cli, snapshot
from .planning_data import ACTIVITY, WITNESS_FIELDS, as_options

NHS_NUMBER = "943 476 5919"  # passes the NHS check digit; fictional


@pytest.fixture
def folder(old_sample_copy: Path) -> Path:
    return before_assessment(old_sample_copy)


@pytest.fixture
def planned(folder: Path) -> Path:
    """The sample with a plan (one activity due soon, one later, one done) and a review."""
    folio = open_portfolio(folder)
    soon = date.today() + timedelta(days=5)
    later = date.today() + timedelta(days=60)
    add_activity(folio, {**ACTIVITY, "planned_date": soon.isoformat()})
    add_activity(
        folio,
        {
            **ACTIVITY,
            "activity": "Discuss the B4 report",
            "method": "professional_discussion",
            "criteria": ["B4"],
            "planned_date": later.isoformat(),
        },
    )
    add_activity(
        folio,
        {
            **ACTIVITY,
            "activity": "Read the monitoring file",
            "method": "product",
            "criteria": ["A2"],
            "planned_date": "2026-01-05",
        },
    )
    set_activity_status(folio, "P03", "done", record="E001")
    add_review(
        folio,
        on="2026-01-20",
        progress="Good progress on element A.\nB4 still to plan.",
        targets=[("Chair the B4 meeting", "2026-03-01")],
        next_review="2026-04-01",
    )
    return folder


def _page_text(page) -> str:
    return "\n".join(html_of(page))


def test_the_page_shows_the_plan_due_and_done(planned):
    page = assessment_plan_page(str(planned))
    text = _page_text(page)
    assert "Observe the contract review meeting" in text
    assert "Due now (1)" in text  # P01 within 14 days; P02 later; P03 done
    assert "Due within 14 days" in text and "Done: recorded as E001" in text
    assert "1 done · 1 due · 1 planned later" in text
    assert "Chair the B4 meeting: by 1 March 2026" in text
    assert "not agreed yet" in text
    assert 'href="plan.ipynb"' in text  # the development plan is a different page


def test_a_page_with_no_plan_says_so_and_offers_nothing_to_agree(folder):
    page = assessment_plan_page(str(folder))
    assert "No assessment plan yet" in _page_text(page)
    assert find_widget(page, "cpc306-agree-plan").layout.display == "none"
    assert plan_summary_html(open_portfolio(folder)) == ""


def test_agreeing_the_plan_is_the_clis_agreement_and_a_change_needs_it_again(planned):
    page = assessment_plan_page(str(planned))
    find_widget(page, "cpc306-agree-plan").click()
    plan = read_assessment_plan(open_portfolio(planned))
    assert agreement_states(plan)["learner"] == "agreed"
    assert plan.agreements["learner"].name == open_portfolio(planned).profile.learner.name
    assert "You agreed this plan as it stands" in _page_text(page)
    assert find_widget(page, "cpc306-agree-plan").disabled
    # The plan changes afterwards (the assessor's app, or the CLI): agree again.
    add_activity(open_portfolio(planned), {**ACTIVITY, "activity": "Another activity"})
    again = assessment_plan_page(str(planned))
    assert "it needs agreeing again" in _page_text(again)
    assert not find_widget(again, "cpc306-agree-plan").disabled
    assert "needs agreeing again" in plan_summary_html(open_portfolio(planned))
    # The command line says the same of the agreement the page recorded.
    shown = " ".join(run_cli("plan", "show", planned).split())
    assert "learner: changed since agreed" in shown and "it needs agreeing again" in shown


def test_commenting_on_a_review_saves_the_comment_and_agreeing_records_it(planned):
    page = assessment_plan_page(str(planned))
    form = find_widget(page, "cpc306-review-comment-form")
    form.comments.value = "I agree; I will plan B4 with my manager."
    agree = find_widget(page, "cpc306-agree-review-V001")
    agree.click()  # unsaved comments: refused, and the text stays
    assert "not saved yet" in find_widget(page, "cpc306-agree-review-V001-status").value
    assert form.comments.value == "I agree; I will plan B4 with my manager."
    folio = open_portfolio(planned)
    assert folio.records.get(REVIEW, "V001").learner_comments == ""
    assert form.save() is not None
    review = folio.records.get(REVIEW, "V001")
    assert review.learner_comments == "I agree; I will plan B4 with my manager."
    assert "I will plan B4" in _page_text(page)
    agree.click()
    review = open_portfolio(planned).records.get(REVIEW, "V001")
    assert review_states(review)["learner"] == "agreed"
    assert "You agreed review V001 as it stands" in _page_text(page)


def test_a_review_comment_with_an_nhs_number_is_refused_and_kept(planned):
    page = assessment_plan_page(str(planned))
    form = find_widget(page, "cpc306-review-comment-form")
    typed = f"The case with NHS number {NHS_NUMBER} went well."
    form.comments.value = typed
    before = snapshot(planned)
    assert form.save() is None
    assert snapshot(planned) == before
    assert form.comments.value == typed
    assert "might identify a person" in form.errors.shown()["learner_comments"]
    assert "Nothing was saved" in form.status.value


def test_registering_a_witness_through_the_form(portfolio):
    # A new portfolio: the unit as packaged lists its expert-witness criteria.
    folder = portfolio.root
    form = witness_form(portfolio)
    for field in ("name", "role", "organisation", "relationship", "email", "phone"):
        getattr(form, field).value = WITNESS_FIELDS[field]
    form.witness_status.value = "expert"
    form.meets["occupational_competence"].value = True
    form.agreed.value = True
    saved = form.save()
    assert saved is not None and saved.id == "W001"
    witness = open_portfolio(folder).records.get(WITNESS, "W001")
    assert witness.status == "expert"
    assert witness.expert_criteria == ["occupational_competence"]
    assert witness.phone == "07700 900123"
    assert form.name.value == ""  # a saved form starts afresh


def test_an_expert_witness_where_the_unit_lists_no_criteria_is_refused_in_words(folder):
    form = witness_form(open_portfolio(folder))
    for field in ("name", "role", "organisation", "relationship", "email"):
        getattr(form, field).value = WITNESS_FIELDS[field]
    form.witness_status.value = "expert"
    form.agreed.value = True
    assert form.save() is None
    assert "lists no expert-witness criteria" in form.errors.shown()["status"]


def test_a_witness_with_neither_email_nor_phone_is_refused_in_words(folder):
    form = witness_form(open_portfolio(folder))
    for field in ("name", "role", "organisation", "relationship"):
        getattr(form, field).value = WITNESS_FIELDS[field]
    form.witness_status.value = "occupationally_competent"
    form.agreed.value = True
    assert form.save() is None
    shown = form.errors.shown()
    assert "email address or their phone number" in shown["email"]
    assert "--" not in shown["email"]  # no command-line option in the app
    assert form.name.value == WITNESS_FIELDS["name"]  # the typing is kept
    assert not (folder / "witnesses").exists()
    form.phone.value = "12345"
    assert form.save() is None
    assert "not a UK phone number" in form.errors.shown()["phone"]
    form.phone.value = "0161 496 0000"
    assert form.save() is not None


def test_an_invalid_phone_is_refused_by_the_cli_too(folder):
    out = run_cli(
        "witness", "add", folder, *as_options({**WITNESS_FIELDS, "phone": "0161 12"}), code=4
    )
    assert "not a UK phone number" in out


def test_testimony_evidence_from_a_registered_witness(folder, tmp_path):
    folio = open_portfolio(folder)
    page = criterion_page(str(folder), "", "C3")
    register = find_widget(page, "cpc306-witness-later").show_form()  # built when asked for
    for field in ("name", "role", "organisation", "relationship", "email", "phone"):
        getattr(register, field).value = WITNESS_FIELDS[field]
    register.witness_status.value = "occupationally_competent"
    register.agreed.value = True
    assert register.save() is not None
    form = find_widget(page, "cpc306-evidence-form")
    form.title.value = "Line manager's testimony"
    form.date.value = date(2026, 1, 10)
    form.method.value = "witness_testimony"
    form.description.value = "Her statement of the C3 meeting"
    assert "W001" in [value for _label, value in form.testimony.choice.options]  # offered at once
    form.testimony.choice.value = "W001"
    assert form.witness_plain.layout.display == "none"
    # Her own phone number in her statement is not a finding: she is on the register.
    form.testimony.statement.value = "I saw the learner chair the review. Ring me: 07700 900123."
    assert form.save() is None  # no date, no declaration: said beside each box
    shown = form.errors.shown()
    assert "date of their statement" in shown["witness.statement_date"]
    assert "declaration" in shown["witness.declaration"]
    assert form.findings.children == ()
    form.testimony.statement_date.value = date(2026, 1, 11)
    form.testimony.declared.value = True
    saved = form.save()
    assert saved is not None
    record = open_portfolio(folder).records.get(EVIDENCE, saved.id)
    assert record.witness.register_id == "W001"
    assert record.witness.statement_date == date(2026, 1, 11)
    assert record.witness.declaration == WITNESS_DECLARATION
    assert record.witness.contact == "priya.example@example.org / 07700 900123"
    assert record.confidentiality == []
    # The same record as `cpc306 evidence add --witness W001 --testimony-file F` writes.
    statement = tmp_path / "statement.txt"
    statement.write_text(record.witness.statement)
    run_cli(
        "evidence",
        "add",
        folder,
        "--title",
        "t",
        "--date",
        "2026-01-11",
        "--method",
        "witness_testimony",
        "--description",
        "d",
        "--criteria",
        "C3",
        "--witness",
        "W001",
        "--testimony-file",
        statement,
    )
    cli = open_portfolio(folder).evidence()[-1]
    assert cli.witness.model_dump() == record.witness.model_dump()
    assert folio.records.get(WITNESS, "W001").name == WITNESS_FIELDS["name"]


def test_editing_testimony_evidence_shows_its_witness(folder):
    folio = open_portfolio(folder)
    folio.add(WITNESS, WITNESS_FIELDS)
    form = evidence_form(folio, "C3")
    form.title.value = "Testimony"
    form.date.value = date(2026, 1, 10)
    form.method.value = "witness_testimony"
    form.description.value = "Her statement"
    form.testimony.choice.value = "W001"
    form.testimony.statement.value = "I saw it."
    form.testimony.statement_date.value = date(2026, 1, 10)
    form.testimony.declared.value = True
    saved = form.save()
    assert saved is not None
    form.record.value = saved.id
    assert form.testimony.choice.value == "W001"
    assert form.testimony.statement.value == "I saw it."
    assert form.testimony.declared.value


def test_plan_html_escapes_what_it_shows(planned):
    folio = open_portfolio(planned)
    add_activity(folio, {**ACTIVITY, "activity": "<script>alert(1)</script> meeting"})
    assert "<script>alert" not in plan_html(folio)


def test_a_plan_or_review_changed_since_the_page_showed_it_is_not_agreed(planned):
    page = assessment_plan_page(str(planned))
    folio = open_portfolio(planned)
    add_activity(folio, {**ACTIVITY, "activity": "Added by the assessor meanwhile"})
    find_widget(page, "cpc306-agree-plan").click()
    status = find_widget(page, "cpc306-agree-plan-status").value
    assert "changed since this page showed it" in status and "reload the page" in status
    assert "learner" not in read_assessment_plan(open_portfolio(planned)).agreements
    review = folio.records.get(REVIEW, "V001")
    review.progress = "Rewritten by the assessor."
    folio.update(review)
    find_widget(page, "cpc306-agree-review-V001").click()
    assert "changed since" in find_widget(page, "cpc306-agree-review-V001-status").value
    assert "learner" not in open_portfolio(planned).records.get(REVIEW, "V001").agreements


def test_expert_witness_evidence_needs_a_witness_registered_as_an_expert(folder):
    folio = open_portfolio(folder)
    folio.add(WITNESS, WITNESS_FIELDS)  # occupationally competent
    form = evidence_form(folio, "C3")
    form.title.value = "Expert statement"
    form.date.value = date(2026, 1, 10)
    form.method.value = "expert_witness"
    form.description.value = "Her statement"
    form.testimony.choice.value = "W001"
    form.testimony.statement.value = "I saw it."
    form.testimony.statement_date.value = date(2026, 1, 10)
    form.testimony.declared.value = True
    assert form.save() is None
    assert "not as an expert witness" in form.errors.shown()["witness.register_id"]
    form.method.value = "witness_testimony"
    assert form.save() is not None


def test_a_registered_witness_named_in_a_review_comment_is_not_a_finding(planned):
    open_portfolio(planned).add(WITNESS, WITNESS_FIELDS)
    page = assessment_plan_page(str(planned))
    form = find_widget(page, "cpc306-review-comment-form")
    form.comments.value = "My witness can be reached on 07700 900123."
    assert form.save() is not None
    review = open_portfolio(planned).records.get(REVIEW, "V001")
    assert review.confidentiality == []


def test_comments_on_a_review_changed_meanwhile_are_refused_and_kept(planned):
    page = assessment_plan_page(str(planned))
    form = find_widget(page, "cpc306-review-comment-form")
    folio = open_portfolio(planned)
    review = folio.records.get(REVIEW, "V001")
    review.progress = "Rewritten by the assessor meanwhile."
    folio.update(review)
    form.comments.value = "My view of it."
    assert form.save() is None
    assert "Nothing was saved" in form.status.value
    assert "changed since this page showed it" in form.errors.general.value
    assert "reload the page" in form.errors.general.value
    assert form.comments.value == "My view of it."
    assert open_portfolio(planned).records.get(REVIEW, "V001").learner_comments == ""
