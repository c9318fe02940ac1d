"""The assessment plan and progress reviews (issue 26): agreements, changes, the CLI."""

from __future__ import annotations

import json

import pytest
import yaml

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.assessor.agreements import agreement_signature_ok, agreement_signer
from cpc306_portfolio.assessor.signing import new_key
from cpc306_portfolio.errors import NotFoundError, RecordError
from cpc306_portfolio.portfolio.assessment_plan import (
    add_activity,
    agree_plan,
    agreement_states,
    read_assessment_plan,
    set_activity_status,
)
from cpc306_portfolio.portfolio.reviews import add_review, agree_review, next_review, review_states

from .conftest import evidence_fields, run_cli, snapshot
from .planning_data import ACTIVITY, WITNESS_FIELDS, as_options, review_kind


def test_a_changed_plan_needs_agreeing_again(portfolio):
    add_activity(portfolio, ACTIVITY)
    agreement = agree_plan(portfolio, "learner")
    plan = read_assessment_plan(portfolio)
    assert agreement.name == portfolio.profile.learner.name
    assert agreement_states(plan) == {"learner": "agreed", "assessor": "not agreed"}
    data = yaml.safe_load((portfolio.root / "assessment-plan.yaml").read_text())
    assert data["schema"] == "cpc306-portfolio/4"
    assert data["activities"][0]["with"] == "The assessor"

    add_activity(portfolio, {**ACTIVITY, "activity": "Discuss B4", "method": "product"})
    plan = read_assessment_plan(portfolio)
    assert [a.id for a in plan.activities] == ["P01", "P02"]
    assert agreement_states(plan)["learner"] == "changed since agreed"
    agree_plan(portfolio, "learner")
    assert agreement_states(read_assessment_plan(portfolio))["learner"] == "agreed"


def test_a_bad_activity_names_each_problem_and_writes_nothing(portfolio):
    before = snapshot(portfolio.root)
    with pytest.raises(RecordError) as caught:
        add_activity(portfolio, {**ACTIVITY, "criteria": ["Z9"], "planned_date": "2026-02-31"})
    assert {p.field for p in caught.value.problems} == {"criteria[0]", "planned_date"}
    assert snapshot(portfolio.root) == before


def test_an_activity_done_names_a_record_that_exists(portfolio):
    add_activity(portfolio, ACTIVITY)
    with pytest.raises(NotFoundError):
        set_activity_status(portfolio, "P01", "done", record="E001")
    saved = portfolio.add_evidence(evidence_fields())
    assert set_activity_status(portfolio, "P01", "done", record=saved.id).record == "E001"
    moved = set_activity_status(portfolio, "P01", "moved", reason="meeting postponed")
    assert (moved.status, moved.reason) == ("moved", "meeting postponed")


def test_the_assessor_signs_an_agreement_with_their_key(portfolio, tmp_path):
    key = tmp_path / "assessor.key"
    new_key(key)
    add_activity(portfolio, ACTIVITY)
    agreement = agree_plan(portfolio, "assessor", sign=agreement_signer(key))
    assert agreement.name == portfolio.profile.assessor.name
    assert agreement_signature_ok("plan", "assessment-plan.yaml", "assessor", agreement)
    forged = agreement.model_copy(update={"sha256": "0" * 64})
    assert not agreement_signature_ok("plan", "assessment-plan.yaml", "assessor", forged)


def test_a_review_before_the_plan_is_refused_and_nothing_is_written(portfolio):
    before = snapshot(portfolio.root)
    with pytest.raises(NotFoundError, match="no assessment plan yet"):
        add_review(portfolio, on="2026-01-10", progress="Started")
    assert snapshot(portfolio.root) == before


def test_a_review_records_the_plan_targets_and_both_agreements(portfolio):
    add_activity(portfolio, ACTIVITY)
    review = add_review(
        portfolio,
        on="2026-01-10",
        progress="P01 is planned; C3 has no evidence yet",
        targets=[("Bring the C3 notice", "2026-02-20")],
        next_review="2026-03-01",
    )
    assert review.id == "V001"
    assert review.plan_sha256 is not None
    agree_review(portfolio, "V001", "learner", comments="I will ask for the notice.")
    agree_review(portfolio, "V001", "assessor")
    saved = portfolio.records.get(review_kind(portfolio), "V001")
    assert saved.learner_comments == "I will ask for the notice."
    # One party's agreement is not part of what the other agreed to.
    assert review_states(saved) == {"learner": "agreed", "assessor": "agreed"}
    saved.progress = "Rewritten after both agreed"
    assert review_states(saved) == {
        "learner": "changed since agreed",
        "assessor": "changed since agreed",
    }
    assert next_review([saved]).isoformat() == "2026-03-01"


def test_cli_errors_name_the_option_and_write_nothing(sample_copy):
    before = snapshot(sample_copy)
    out = run_cli("review", "add", sample_copy, "--date", "2026-01-10", "--progress", "x", code=3)
    assert "no assessment plan yet" in out
    out = run_cli(
        "review",
        "add",
        sample_copy,
        "--date",
        "2026-01-10",
        "--progress",
        "x",
        "--target",
        "Bring the notice",
        code=2,
    )
    assert "--target 'Bring the notice' has no date" in out
    out = run_cli(
        "witness",
        "add",
        sample_copy,
        *as_options({**WITNESS_FIELDS, "email": "", "phone": ""}),
        code=4,
    )
    assert "--email: a witness needs an email address or a phone number" in out
    out = run_cli(
        "plan",
        "add",
        sample_copy,
        "--activity",
        "x",
        "--method",
        "observation",
        "--criteria",
        "Z9",
        "--date",
        "2026-02-01",
        code=4,
    )
    assert "--criteria[0]: unknown criterion 'Z9'" in out
    assert snapshot(sample_copy) == before


def test_plan_show_says_a_changed_plan_needs_agreeing_again(sample_copy):
    add = (
        "plan",
        "add",
        sample_copy,
        "--method",
        "observation",
        "--criteria",
        "C3",
        "--date",
        "2026-02-01",
        "--activity",
    )
    run_cli(*add, "Observe the C3 meeting")
    run_cli("plan", "agree", sample_copy, "--as", "learner")
    assert "learner: agreed by" in run_cli("plan", "show", sample_copy)
    run_cli(*add, "Observe the B4 meeting")
    assert "it needs agreeing again" in run_cli("plan", "show", sample_copy)


def test_an_activity_that_identifies_someone_is_refused_and_a_hand_edit_is_found(portfolio):
    from cpc306_portfolio import ConfidentialityError

    before = snapshot(portfolio.root)
    with pytest.raises(ConfidentialityError, match=r"activities\[0\]\.activity: phone number"):
        add_activity(portfolio, {**ACTIVITY, "activity": "Ring the tenant on 07700 900456"})
    assert snapshot(portfolio.root) == before

    add_activity(portfolio, ACTIVITY)
    path = portfolio.root / "assessment-plan.yaml"
    path.write_text(path.read_text().replace("Observe the", "Call 07700 900456 to observe the"))
    (finding,) = [f for f, ack in portfolio.scan() if ack is None]
    assert (finding.record, finding.field) == ("assessment-plan.yaml", "activities[0].activity")


def test_cli_the_assessor_signs_agreements_and_marks_activities(sample_copy, tmp_path):
    key = tmp_path / "assessor.key"
    new_key(key)
    run_cli(
        "plan",
        "add",
        sample_copy,
        "--activity",
        "Observe C3",
        "--method",
        "observation",
        "--criteria",
        "C3",
        "--date",
        "2026-02-01",
    )
    out = run_cli("plan", "agree", sample_copy, "--as", "learner", "--key", key, code=2)
    assert "--key signs the assessor's agreement" in out
    assert "and signed it" in run_cli(
        "plan", "agree", sample_copy, "--as", "assessor", "--key", key
    )
    run_cli("review", "add", sample_copy, "--date", "2026-01-10", "--progress", "Started")
    run_cli("review", "agree", sample_copy, "v001", "--as", "assessor", "--key", key)
    folio = open_portfolio(sample_copy)
    plan = read_assessment_plan(folio)
    assert agreement_signature_ok(
        "plan", "assessment-plan.yaml", "assessor", plan.agreements["assessor"]
    )
    review = folio.records.get(review_kind(folio), "V001")
    assert agreement_signature_ok("review", "V001", "assessor", review.agreements["assessor"])

    out = run_cli("plan", "done", sample_copy, "P01", "--record", "E099", code=3)
    assert "E099" in out
    assert "P01 done: E010" in run_cli("plan", "done", sample_copy, "P01", "--record", "e010")
    out = run_cli(
        "plan", "move", sample_copy, "P01", "--reason", "Meeting postponed", "--to", "2026-03-01"
    )
    assert "P01 moved: Meeting postponed" in out
    assert "it needs agreeing again" in run_cli("plan", "show", sample_copy)
    shown = json.loads(run_cli("plan", "show", sample_copy, "--json"))
    assert shown["activities"][0]["status"] == "moved"
    assert shown["activities"][0]["moved_to"] == "2026-03-01"
    assert shown["agreement_states"] == {
        "learner": "not agreed",
        "assessor": "changed since agreed",
    }


def test_a_reviews_dates_look_forward_and_nothing_is_written_otherwise(portfolio):
    add_activity(portfolio, ACTIVITY)
    before = snapshot(portfolio.root)
    with pytest.raises(RecordError) as caught:
        add_review(
            portfolio,
            on="2026-03-01",
            progress="Late",
            targets=[("Bring the notice", "2026-02-01")],
            next_review="2026-03-01",
        )
    assert {p.field for p in caught.value.problems} == {"next_review", "targets[0].by"}
    assert snapshot(portfolio.root) == before


def test_status_shows_the_plan_its_agreements_and_the_next_review(sample_copy):
    assert json.loads(run_cli("status", sample_copy, "--json"))["assessment_plan"] == {}
    folio = open_portfolio(sample_copy)
    add_activity(folio, ACTIVITY)
    agree_plan(folio, "learner")
    add_review(folio, on="2026-01-10", progress="Started", next_review="2026-03-01")
    data = json.loads(run_cli("status", sample_copy, "--json", "--today", "2026-02-15"))
    assert data["assessment_plan"] == {
        "activities": 1,
        "done": [],
        "moved": [],
        "overdue": ["P01"],
        "agreements": {"learner": "agreed", "assessor": "not agreed"},
        "next_review": "2026-03-01",
        "review_overdue": False,
    }
    out = run_cli("status", sample_copy, "--today", "2026-03-02")
    assert "assessor: not agreed (agree it: cpc306 plan agree --as assessor)" in out
    assert "Next progress review: 2026-03-01 overdue" in out
