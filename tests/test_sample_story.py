"""The sample's assessment story in order: plan, reviews, decisions, declaration, sign-off.

Beside tests/test_sample.py (dates in the records themselves): here the plan's agreements
and their history, each review's targets met with dates, no planned activity done before
its date, every decision acknowledged before the declaration, the B7 action point replied
to and closed, the sign-off made through the trust flow, and the improvement notice in step
with the story and with the unit's guidance.
"""

from __future__ import annotations

from datetime import date

import pypdf
import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.portfolio.assessment_plan import agreement_states, read_assessment_plan
from cpc306_portfolio.portfolio.kinds import REVIEW
from cpc306_portfolio.portfolio.planning import Review
from cpc306_portfolio.portfolio.responses import acknowledgement_state, read_responses
from cpc306_portfolio.portfolio.reviews import review_states
from cpc306_portfolio.portfolio.store import Portfolio

from .conftest import SAMPLE, run_cli
from .test_sample import DEMO_TRUST


@pytest.fixture(scope="module")
def sample() -> Portfolio:
    return open_portfolio(SAMPLE, readonly=True)


def _reviews(folio: Portfolio) -> list[Review]:
    return sorted(folio.records.all(REVIEW), key=lambda r: r.date)


def _declared(folio: Portfolio) -> date:
    declaration = folio.profile.declaration
    assert declaration is not None, "the sample is declared"
    return declaration.signed_at.date()


def test_the_plan_was_agreed_by_both_at_the_start_and_keeps_every_agreement(sample):
    plan = read_assessment_plan(sample)
    assert plan is not None
    assert agreement_states(plan) == {"learner": "agreed", "assessor": "agreed"}
    first = {p.party: p.agreed_at.date() for p in reversed(plan.history)}
    start = plan.created.date()
    assert first == {"learner": start, "assessor": start}, "both agreed when the plan was made"
    assert all(p.signature for p in plan.history if p.party == "assessor")
    days = [p.agreed_at for p in plan.history]
    assert days == sorted(days) and len(plan.history) >= 8, "re-agreed after every change"


def test_at_least_three_reviews_each_agreed_by_both_with_its_own_agreements(sample):
    reviews = _reviews(sample)
    assert len(reviews) >= 3
    for review in reviews:
        assert review_states(review) == {"learner": "agreed", "assessor": "agreed"}, review.id
        assert review.agreements["learner"].agreed_at.date() == review.date, review.id
    assert len({r.agreements["assessor"].sha256 for r in reviews}) == len(reviews)


def test_every_review_target_is_met_on_a_day_between_its_review_and_the_next(sample):
    reviews = _reviews(sample)
    for review in reviews:
        later = [r.date for r in reviews if r.date > review.date]
        for number, target in enumerate(review.targets, start=1):
            where = f"{review.id} target {number}"
            assert target.met and target.met_on is not None, f"{where} is not marked met"
            assert review.date <= target.met_on, where
            if later:
                assert target.met_on <= later[0], f"{where} met after the next review"


def test_no_planned_activity_is_done_before_its_planned_or_moved_date(sample):
    plan = read_assessment_plan(sample)
    assert plan is not None
    for activity in plan.activities:
        assert activity.status == "done", activity.id
        kind = sample.records.kind_of(activity.record)
        done = sample.records.get(kind, activity.record).date
        planned = activity.moved_to or activity.planned_date
        assert done <= planned, f"{activity.id} done with {activity.record} on {done}"
    p04 = next(a for a in plan.activities if a.id == "P04")
    assert p04.moved_to == date(2026, 5, 5) and "Board" in p04.reason


def test_every_decision_is_acknowledged_before_the_declaration(sample):
    assessment = sample.read_assessment()
    responses = read_responses(sample)
    declared = _declared(sample)
    assert set(assessment.judgements) == set(sample.standard.criteria)
    for criterion, judgement in assessment.judgements.items():
        part = responses.for_criterion(criterion)
        assert acknowledgement_state(judgement, part) == "acknowledged", criterion
        assert part.acknowledged is not None
        seen = part.acknowledged.acknowledged_at.date()
        assert judgement.judged_on <= seen <= declared, criterion
    assert len({j.judged_on for j in assessment.judgements.values()}) >= 3


def test_the_b7_action_point_was_replied_to_done_and_closed_before_b7_was_met(sample):
    judgement = sample.read_assessment().judgements["B7"]
    (action,) = judgement.actions
    assert action.closed_on is not None and action.closed_on <= judgement.judged_on
    reply = read_responses(sample).for_criterion("B7").actions[action.id]
    assert reply.done and "E021" in reply.text


def test_the_sign_off_was_made_beside_the_page_a_day_after_the_declaration(sample):
    signoff = sample.read_assessment().signoff
    assert signoff is not None and not signoff.interim
    assert signoff.signed_in == "browser" and len(signoff.page_sha256) == 64
    assert (signoff.signed_at.date() - _declared(sample)).days >= 1
    out = run_cli("verify", SAMPLE, "--trust", DEMO_TRUST)
    assert "carries no hash" not in out and "OK" in out


def test_the_notice_agrees_with_the_story_and_the_guidance():
    (pdf,) = (SAMPLE / "evidence" / "E012").glob("*.pdf")
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages).split())
    # The framework was let under the 2015 Regulations: no s71 notice can arise.
    assert "contract performance notice" not in text.lower()
    assert "Public Contracts Regulations 2015" in text
    # Referrals stopped at the regulator's rating, before the notice.
    assert "suspended under clause 23.4 since 23 March 2026" in text
    # The officer who signed it does not hear the challenge.
    assert "Signed: Head of Commissioning" in text
    assert "representations to the Director of Adult Social Care" in text
    assert "did not sign this notice" in text
    # The Board decided on January to March; April's figure is said to come later.
    assert "(27, 33 and 29)" in text and "checked on 1 May 2026" in text


def test_one_answer_short_of_the_bank_s_points_is_marked_not_yet_then_met_after_a_supplementary(
    sample,
):
    from cpc306_portfolio.portfolio.assessor_evidence import latest_marks, read_assessor_records

    asked = read_assessor_records(sample).questioning
    latest = latest_marks(asked)
    retried = [q for q in asked if q.outcome == "not_yet_met"]
    assert retried, "the sample shows the marking of an incomplete answer"
    for first in retried:
        final = latest[first.question_id]
        assert final.outcome == "met" and final.id > first.id and final.date >= first.date
        assert "supplementary" in first.note.lower() and "supplementary" in final.note.lower()
    assert all(q.outcome == "met" for q in latest.values())


def test_the_page_shows_the_earlier_answer_and_its_mark_under_the_one_that_replaced_it(
    sample, tmp_path
):
    from cpc306_portfolio import render_portfolio

    page = render_portfolio(SAMPLE, tmp_path / "page.html").read_text(encoding="utf-8")
    card = page.split('id="rec-Q010"', 1)[1].split("</article>", 1)[0]
    assert "Earlier answer (Q009, 17 November 2026)" in card
    assert "Not yet met" in card and "Supplementary question asked at once" in card
