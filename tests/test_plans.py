"""The assessment plan, progress reviews and the witness register (issue 26), end to end."""

from __future__ import annotations

import json
from pathlib import Path

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
from cpc306_portfolio.portfolio.kinds import WITNESS
from cpc306_portfolio.portfolio.reviews import add_review, agree_review, next_review, review_states
from cpc306_portfolio.portfolio.witnesses import check_witness

from .conftest import evidence_fields, run_cli

ACTIVITY = {
    "activity": "Observe the contract review meeting",
    "method": "observation",
    "criteria": ["C3", "B4"],
    "planned_date": "2026-02-01",
    "with": "The assessor",
}
WITNESS_FIELDS = {
    "name": "Priya Example",
    "role": "Contracts manager",
    "organisation": "Fictional Borough Council",
    "relationship": "line manager",
    "email": "priya.example@example.org",
    "phone": "07700 900123",
    "status": "occupationally_competent",
}


def _files(root: Path) -> dict[str, bytes]:
    # The lock file is the lock, not a record: taking it is not writing.
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name != ".cpc306.lock"
    }


def test_a_changed_plan_needs_agreeing_again(portfolio):
    add_activity(portfolio, ACTIVITY)
    agreement = agree_plan(portfolio, "learner")
    plan = read_assessment_plan(portfolio)
    assert agreement.name == portfolio.profile.learner.name
    assert agreement_states(plan) == {"learner": "agreed", "assessor": "not agreed"}
    data = yaml.safe_load((portfolio.root / "assessment-plan.yaml").read_text())
    assert data["schema"] == "cpc306-portfolio/3"
    assert data["activities"][0]["with"] == "The assessor"

    add_activity(portfolio, {**ACTIVITY, "activity": "Discuss B4", "method": "product"})
    plan = read_assessment_plan(portfolio)
    assert [a.id for a in plan.activities] == ["P01", "P02"]
    assert agreement_states(plan)["learner"] == "changed since agreed"
    agree_plan(portfolio, "learner")
    assert agreement_states(read_assessment_plan(portfolio))["learner"] == "agreed"


def test_a_bad_activity_names_each_problem_and_writes_nothing(portfolio):
    before = _files(portfolio.root)
    with pytest.raises(RecordError) as caught:
        add_activity(portfolio, {**ACTIVITY, "criteria": ["Z9"], "planned_date": "2026-02-31"})
    assert {p.field for p in caught.value.problems} == {"criteria[0]", "planned_date"}
    assert _files(portfolio.root) == before


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
    before = _files(portfolio.root)
    with pytest.raises(NotFoundError, match="no assessment plan yet"):
        add_review(portfolio, on="2026-01-10", progress="Started")
    assert _files(portfolio.root) == before


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


def review_kind(portfolio):
    return portfolio.records.kind("review")


def test_a_witness_needs_an_email_or_a_phone(portfolio):
    with pytest.raises(RecordError) as caught:
        portfolio.add(WITNESS, {**WITNESS_FIELDS, "email": "", "phone": ""})
    (problem,) = caught.value.problems
    assert problem.field == "email"
    assert not (portfolio.root / "witnesses").exists()


def test_an_expert_names_the_units_expert_witness_criteria(portfolio):
    fields = {**WITNESS_FIELDS, "status": "expert"}
    with pytest.raises(RecordError, match="expert-witness criteria"):
        portfolio.add(WITNESS, fields)
    with pytest.raises(RecordError, match="use the ids"):
        portfolio.add(WITNESS, {**fields, "expert_criteria": ["made_up"]})
    saved = portfolio.add(WITNESS, {**fields, "expert_criteria": ["occupational_competence"]})
    assert saved.status == "expert"


def test_a_registered_witness_is_not_a_finding_but_anyone_else_is(portfolio):
    text = "Priya Example (07700 900123, priya.example@example.org) saw it; so did 07700 900456."
    before = [
        f.label for f in portfolio.preview_findings("evidence", evidence_fields(description=text))
    ]
    assert before.count("phone number") == 2 and "email address" in before
    portfolio.add(WITNESS, WITNESS_FIELDS)
    after = portfolio.preview_findings("evidence", evidence_fields(description=text))
    assert [f.label for f in after] == ["phone number"]
    assert "900456" not in text[: after[0].start] + text[after[0].end :]


def test_testimony_links_the_witness_and_the_check_is_recorded(sample_copy, tmp_path):
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
        "--with",
        "Priya Castellan",
    )
    run_cli("witness", "add", sample_copy, *_options(WITNESS_FIELDS))
    statement = tmp_path / "statement.txt"
    statement.write_text("I saw Jordan serve the notice. Ring me on 07700 900123.\n")
    run_cli(
        "evidence",
        "add",
        sample_copy,
        "--title",
        "Line manager's testimony",
        "--date",
        "2026-01-10",
        "--method",
        "witness_testimony",
        "--description",
        "Her statement",
        "--criteria",
        "C3",
        "--witness",
        "W001",
        "--testimony-file",
        statement,
    )
    run_cli("witness", "check", sample_copy, "W001", "--how", "phone", "--date", "2026-01-12")
    folio = open_portfolio(sample_copy)
    (record,) = [e for e in folio.evidence() if e.witness and e.witness.register_id]
    assert record.witness.statement.startswith("I saw Jordan")
    assert record.witness.statement_date.isoformat() == "2026-01-10"
    assert record.witness.declaration
    assert folio.records.get(WITNESS, "W001").checked
    assert "valid" in run_cli("validate", sample_copy)


def _options(fields):
    out = []
    for name, value in fields.items():
        out += [f"--{name}", value]
    return out


def test_cli_errors_name_the_option_and_write_nothing(sample_copy):
    before = _files(sample_copy)
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
        *_options({**WITNESS_FIELDS, "email": "", "phone": ""}),
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
    assert _files(sample_copy) == before


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


def test_the_declaration_covers_the_learners_agreements_and_the_signoff_the_assessors(portfolio):
    from cpc306_portfolio import verify_portfolio
    from cpc306_portfolio.portfolio.declaration import declare
    from cpc306_portfolio.portfolio.manifest import build_manifest

    portfolio.add_evidence(evidence_fields())
    add_activity(portfolio, ACTIVITY)
    agree_plan(portfolio, "learner")
    portfolio.add(WITNESS, WITNESS_FIELDS)
    declare(portfolio)
    learner = build_manifest(portfolio, include_assessment=False).files
    assert {"assessment-plan.yaml#plan", "assessment-plan.yaml#agreements/learner"} <= set(learner)
    assert "witnesses/W001.yaml#witness" in learner

    # The assessor agreeing and checking the witness afterwards is theirs: not a change to
    # what the learner declared, but covered by the sign-off's manifest.
    agree_plan(portfolio, "assessor")
    check_witness(portfolio, "W001", how="phone", on="2026-01-12")
    assert build_manifest(portfolio, include_assessment=False).files == learner
    full = build_manifest(portfolio, include_assessment=True).files
    assert {"assessment-plan.yaml#agreements/assessor", "witnesses/W001.yaml#checks"} <= set(full)
    result = verify_portfolio(portfolio.root)
    assert result.declaration.ok and result.stale_agreements == ()

    add_activity(portfolio, {**ACTIVITY, "activity": "Discuss B4"})
    result = verify_portfolio(portfolio.root)
    assert not result.declaration.ok
    assert "assessment-plan.yaml#plan" in result.declaration.changed
    assert "The assessment plan was changed after the learner agreed it" in result.summary
    assert "The assessment plan was changed after the assessor agreed it" in result.summary


def test_the_dashboard_shows_the_next_review_and_flags_an_overdue_one(sample_copy):
    from datetime import date

    from cpc306_portfolio.cohort.rows import learner_rows
    from cpc306_portfolio.cohort.summary import learner_summary
    from cpc306_portfolio.cohort.worker import RENDERED, LearnerResult

    folio = open_portfolio(sample_copy)
    assert learner_summary(folio)["next_review"] == ""
    add_activity(folio, ACTIVITY)
    add_review(folio, on="2026-01-10", progress="Started", next_review="2026-03-01")
    summary = learner_summary(open_portfolio(sample_copy))
    assert summary["next_review"] == "2026-03-01"
    result = LearnerResult("jordan", str(sample_copy), RENDERED, summary=summary)
    # The sample is complete: no review is overdue for a learner who has finished.
    (done,) = learner_rows([result], None, today=date(2026, 3, 2))
    assert (done.next_review, done.review_overdue) == ("2026-03-01", False)
    result.summary = {**summary, "complete": False}
    (before,) = learner_rows([result], None, today=date(2026, 3, 1))
    (after,) = learner_rows([result], None, today=date(2026, 3, 2))
    assert (before.review_overdue, after.review_overdue) == (False, True)


def test_the_page_shows_the_plan_reviews_witnesses_and_each_testimonys_witness(
    sample_copy, tmp_path
):
    from cpc306_portfolio.render import report_sections

    plain = dict(report_sections(sample_copy))
    assert "Assessment plan and reviews" not in plain["criteria"]
    assert "Witnesses</h2>" not in plain["evidence"]

    folio = open_portfolio(sample_copy)
    add_activity(folio, ACTIVITY)
    agree_plan(folio, "learner")
    add_review(
        folio, on="2026-01-10", progress="Started", targets=[("Bring the notice", "2026-02-20")]
    )
    folio.add(WITNESS, WITNESS_FIELDS)
    statement = tmp_path / "statement.txt"
    statement.write_text("I saw Jordan serve the notice.\n")
    run_cli(
        "evidence",
        "add",
        sample_copy,
        "--title",
        "Testimony",
        "--date",
        "2026-01-10",
        "--method",
        "witness_testimony",
        "--description",
        "Her statement",
        "--criteria",
        "C3",
        "--witness",
        "W001",
        "--testimony-file",
        statement,
    )
    sections = dict(report_sections(sample_copy))
    criteria, evidence = sections["criteria"], sections["evidence"]
    assert '<h2 id="heading-planning">Assessment plan and reviews</h2>' in criteria
    assert "P01: Observe the contract review meeting" in criteria
    assert "Planned assessment</dt>" in criteria and 'href="#plan-P01"' in criteria
    assert "Progress review V001" in criteria and "Bring the notice" in criteria
    assert "agreed by Jordan Ashby" in criteria and "not agreed yet" in criteria
    assert '<h2 id="heading-witnesses">Witnesses</h2>' in evidence
    assert "Occupationally competent" in evidence and "Not checked yet" in evidence
    assert 'occupationally competent; <span class="changed-mark">not checked' in evidence

    check_witness(open_portfolio(sample_copy), "W001", how="email", on="2026-01-12")
    add_activity(open_portfolio(sample_copy), {**ACTIVITY, "activity": "Discuss B4"})
    sections = dict(report_sections(sample_copy))
    assert "checked by the assessor (email, 12 January 2026)" in sections["evidence"]
    assert "it needs agreeing again" in sections["criteria"]


def test_an_activity_that_identifies_someone_is_refused_and_a_hand_edit_is_found(portfolio):
    from cpc306_portfolio import ConfidentialityError

    before = _files(portfolio.root)
    with pytest.raises(ConfidentialityError, match=r"activities\[0\]\.activity: phone number"):
        add_activity(portfolio, {**ACTIVITY, "activity": "Ring the tenant on 07700 900456"})
    assert _files(portfolio.root) == before

    add_activity(portfolio, ACTIVITY)
    path = portfolio.root / "assessment-plan.yaml"
    path.write_text(path.read_text().replace("Observe the", "Call 07700 900456 to observe the"))
    (finding,) = [f for f, ack in portfolio.scan() if ack is None]
    assert (finding.record, finding.field) == ("assessment-plan.yaml", "activities[0].activity")


def test_validate_names_a_missing_witness_and_a_done_activitys_missing_record(
    sample_copy, tmp_path
):
    folio = open_portfolio(sample_copy)
    folio.add(WITNESS, WITNESS_FIELDS)
    statement = tmp_path / "statement.txt"
    statement.write_text("I saw it.\n")
    run_cli(
        "evidence",
        "add",
        sample_copy,
        "--title",
        "Testimony",
        "--date",
        "2026-01-10",
        "--method",
        "witness_testimony",
        "--description",
        "Her statement",
        "--criteria",
        "C3",
        "--witness",
        "W001",
        "--testimony-file",
        statement,
    )
    add_activity(folio, ACTIVITY)
    set_activity_status(folio, "P01", "done", record="E024")
    assert open_portfolio(sample_copy).validate() == []

    (sample_copy / "witnesses" / "W001.yaml").unlink()
    path = sample_copy / "assessment-plan.yaml"
    path.write_text(path.read_text().replace("record: E024", "record: E099"))
    problems = {(Path(p.path).name, p.field) for p in open_portfolio(sample_copy).validate()}
    assert problems == {
        ("E024.yaml", "witness.register_id"),
        ("assessment-plan.yaml", "activities[0].record"),
    }


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
