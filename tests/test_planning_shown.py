"""The plan, reviews and witnesses in manifests, on the dashboard and on the page."""

from __future__ import annotations

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.portfolio.assessment_plan import (
    add_activity,
    agree_plan,
)
from cpc306_portfolio.portfolio.kinds import WITNESS
from cpc306_portfolio.portfolio.reviews import add_review
from cpc306_portfolio.portfolio.witnesses import check_witness

from .conftest import evidence_fields
from .planning_data import ACTIVITY, WITNESS_FIELDS, add_testimony


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


def test_the_dashboard_shows_the_next_review_and_flags_an_overdue_one(old_sample_copy):
    from datetime import date

    from cpc306_portfolio.cohort.rows import learner_rows
    from cpc306_portfolio.cohort.summary import learner_summary
    from cpc306_portfolio.cohort.worker import RENDERED, LearnerResult

    folio = open_portfolio(old_sample_copy)
    assert learner_summary(folio)["next_review"] == ""
    add_activity(folio, ACTIVITY)
    add_review(folio, on="2026-01-10", progress="Started", next_review="2026-03-01")
    summary = learner_summary(open_portfolio(old_sample_copy))
    assert summary["next_review"] == "2026-03-01"
    result = LearnerResult("jordan", str(old_sample_copy), RENDERED, summary=summary)
    # The sample is complete: no review is overdue for a learner who has finished.
    (done,) = learner_rows([result], None, today=date(2026, 3, 2))
    assert (done.next_review, done.review_overdue) == ("2026-03-01", False)
    result.summary = {**summary, "complete": False}
    (before,) = learner_rows([result], None, today=date(2026, 3, 1))
    (after,) = learner_rows([result], None, today=date(2026, 3, 2))
    assert (before.review_overdue, after.review_overdue) == (False, True)


def test_the_page_shows_the_plan_reviews_witnesses_and_each_testimonys_witness(
    old_sample_copy, tmp_path
):
    from cpc306_portfolio.render import report_sections

    plain = dict(report_sections(old_sample_copy))
    assert "Assessment plan and reviews" not in plain["criteria"]
    assert "Witnesses</h2>" not in plain["evidence"]

    folio = open_portfolio(old_sample_copy)
    add_activity(folio, ACTIVITY)
    agree_plan(folio, "learner")
    add_review(
        folio, on="2026-01-10", progress="Started", targets=[("Bring the notice", "2026-02-20")]
    )
    folio.add(WITNESS, WITNESS_FIELDS)
    statement = tmp_path / "statement.txt"
    statement.write_text("I saw Jordan serve the notice.\n")
    add_testimony(old_sample_copy, statement)
    sections = dict(report_sections(old_sample_copy))
    criteria, evidence = sections["criteria"], sections["evidence"]
    assert '<h2 id="heading-planning">Assessment plan and reviews</h2>' in criteria
    assert "P01: Observe the contract review meeting" in criteria
    assert "Planned assessment</dt>" in criteria and 'href="#plan-P01"' in criteria
    assert "Progress review V001" in criteria and "Bring the notice" in criteria
    assert "agreed by Jordan Ashby" in criteria and "not agreed yet" in criteria
    assert '<h2 id="heading-witnesses">Witnesses</h2>' in evidence
    assert "Occupationally competent" in evidence and "Not checked yet" in evidence
    assert 'occupationally competent; <span class="changed-mark">not checked' in evidence

    check_witness(open_portfolio(old_sample_copy), "W001", how="email", on="2026-01-12")
    add_activity(open_portfolio(old_sample_copy), {**ACTIVITY, "activity": "Discuss B4"})
    sections = dict(report_sections(old_sample_copy))
    assert "checked by the assessor (email, 12 January 2026)" in sections["evidence"]
    assert "it needs agreeing again" in sections["criteria"]


def test_an_identifier_edited_into_the_plan_by_hand_is_withheld_from_the_page(old_sample_copy):
    from cpc306_portfolio.render import report_sections

    folio = open_portfolio(old_sample_copy)
    add_activity(folio, ACTIVITY)
    agree_plan(folio, "learner")
    agree_plan(folio, "assessor")
    add_review(folio, on="2026-01-10", progress="Started")
    for name, old, new in (
        ("assessment-plan.yaml", "Observe the", "Ring 07700 900456 to observe the"),
        ("reviews/V001.yaml", "progress: Started", "progress: Rang 07700 900457"),
    ):
        path = old_sample_copy / name
        path.write_text(path.read_text().replace(old, new))
    criteria = dict(report_sections(old_sample_copy))["criteria"]
    assert "900456" not in criteria and "900457" not in criteria
    assert "Ring 0**** ****** to observe the" in criteria
    # The agreement is judged on the file as it is, not on the masked text shown.
    assert "changed since Jordan Ashby agreed it" in criteria
    assert "agreed it on" in criteria and "; recorded, not signed" in criteria
