"""What the "Assessment plan and reviews" page shows: the plan, each review, the witnesses.

Plain functions of the portfolio that return escaped HTML (the view templates autoescape),
redrawn after every save on the page. The words for each agreement are the library's
(:func:`~..portfolio.assessment_plan.agreement_states`), said to the learner.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from html import escape
from typing import Any

from ..portfolio.assessment_plan import agreement_states, read_assessment_plan
from ..portfolio.kinds import REVIEW
from ..portfolio.plan_timing import DUE_WITHIN_DAYS, TIMING_LABELS, activity_timing
from ..portfolio.planning import PARTIES, Agreement, Party, Review
from ..portfolio.reviews import review_states
from ..portfolio.store import Portfolio
from ..portfolio.witnesses import read_witnesses
from .views import environment

WHO = {"learner": "You", "assessor": "Your assessor"}


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def agreement_words(
    party: Party, state: str, agreement: Agreement | None, what: str
) -> dict[str, str]:
    """One party's agreement, in words for the learner."""
    when = _day(agreement.agreed_at.date()) if agreement else ""
    if state == "agreed":
        words = f"agreed {what} on {when}"
    elif state == "changed since agreed":
        words = f"agreed on {when}, but {what} changed since: it needs agreeing again"
    else:
        words = "not agreed yet"
    key = {"agreed": "agreed", "changed since agreed": "again"}.get(state, "none")
    return {"who": WHO[party], "words": words, "state_key": key}


def plan_html(folio: Portfolio, today: date | None = None) -> str:
    """The assessment plan: what is due, every activity, and each party's agreement."""
    today = today or date.today()
    plan = read_assessment_plan(folio)
    activities: list[dict[str, Any]] = []
    agreements: list[dict[str, str]] = []
    if plan is not None:
        for a in plan.activities:
            timing = activity_timing(a, today)
            activities.append(
                {
                    "id": a.id,
                    "activity": a.activity,
                    "method": a.method.label,
                    "when": _day(a.planned_date),
                    "targets": ", ".join([*a.criteria, *a.scope, *a.knowledge]),
                    "with_": a.with_,
                    "status": a.status,
                    "record": a.record,
                    "moved_to": _day(a.moved_to),
                    "reason": a.reason,
                    "timing": timing,
                    "timing_label": TIMING_LABELS[timing],
                }
            )
        states = agreement_states(plan)
        agreements = [
            agreement_words(p, states[p], plan.agreements.get(p), "this plan") for p in PARTIES
        ]
        # Earlier agreements stay on record: each was to the plan as it stood then.
        agreements += [
            {
                "who": WHO[past.party],
                "words": f"agreed an earlier version of this plan on {_day(past.agreed_at.date())}",
                "state_key": "earlier",
            }
            for past in plan.history
        ]
    counts = Counter(a["timing"] for a in activities)
    return str(
        environment()
        .get_template("assessment_plan.html.j2")
        .render(
            activities=activities,
            due=[a for a in activities if a["timing"] in ("overdue", "due")],
            counts={
                "done": counts["done"],
                "due": counts["overdue"] + counts["due"],
                "later": counts["later"],
                "moved": counts["moved"],
            },
            within=DUE_WITHIN_DAYS,
            agreements=agreements,
        )
    )


def review_html(review: Review, today: date | None = None) -> str:
    """One progress review: progress, targets, next review, comments, agreements."""
    today = today or date.today()
    states = review_states(review)
    data = {
        "id": review.id,
        "date": _day(review.date),
        "progress": review.progress,
        "targets": [
            {"text": t.text, "by": _day(t.by), "met": t.met, "met_on": _day(t.met_on)}
            for t in review.targets
        ],
        "next_review": _day(review.next_review),
        "next_overdue": bool(review.next_review and review.next_review < today),
        "comments": review.learner_comments,
        "agreements": [
            agreement_words(p, states[p], review.agreements.get(p), "this review") for p in PARTIES
        ],
    }
    return str(environment().get_template("review.html.j2").render(r=data))


def read_review(folio: Portfolio, review_id: str) -> Review:
    """One progress review as it is on disk now."""
    review: Review = folio.records.get(REVIEW, review_id)
    return review


def reviews_intro_html(folio: Portfolio) -> str:
    """The heading of the reviews part, and what to do when there is none."""
    count = len(folio.layout.ids(REVIEW))
    text = (
        "<p>At each progress review you and your assessor look at your progress against the "
        "plan and set targets with dates. Read each review, add your comments, save them, "
        "then agree it.</p>"
    )
    if not count:
        text += "<p><strong>No progress reviews yet.</strong> Your assessor records them.</p>"
    return f'<section class="cpc306-view cpc306-reviews"><h3>Progress reviews</h3>{text}</section>'


STATUS_WORDS = {
    "occupationally_competent": "Occupationally competent",
    "expert": "Expert witness",
}


def witnesses_html(folio: Portfolio) -> str:
    """The witness register: who, their status, contact, and whether they were checked."""
    shown = []
    expert = folio.standard.assessment_strategy.expert_witness_criteria
    for x in read_witnesses(folio):
        status = STATUS_WORDS.get(x.status, x.status)
        if x.status == "expert" and x.expert_criteria:
            status += " (" + "; ".join(expert.get(c, c) for c in x.expert_criteria) + ")"
        last = x.checks[-1] if x.checks else None
        checked = (
            f"Checked by your assessor ({last.how.replace('_', ' ')}, {_day(last.on)})."
            if last
            else "Not checked by your assessor yet."
        )
        shown.append(
            {
                "id": x.id,
                "name": x.name,
                "role": x.role,
                "organisation": x.organisation,
                "relationship": x.relationship,
                "status": status,
                "contact": " / ".join(c for c in (x.email, x.phone) if c),
                "checked": checked,
            }
        )
    return str(environment().get_template("witnesses.html.j2").render(witnesses=shown))


def plan_summary_html(folio: Portfolio, today: date | None = None) -> str:
    """For the home page: what is due, and what needs the learner's agreement (or nothing)."""
    today = today or date.today()
    plan = read_assessment_plan(folio)
    reviews: list[Review] = folio.records.all(REVIEW)
    if plan is None and not reviews:
        return ""
    lines = []
    if plan is not None:
        due = [a for a in plan.activities if activity_timing(a, today) in ("overdue", "due")]
        done = [a for a in plan.activities if a.status == "done"]
        lines.append(
            f"{len(plan.activities)} planned activities: {len(done)} done, {len(due)} due now "
            f"(their date has passed or is within {DUE_WITHIN_DAYS} days)"
        )
        state = agreement_states(plan)["learner"]
        if state != "agreed":
            lines.append(
                "The plan changed after you agreed it: it needs agreeing again"
                if state == "changed since agreed"
                else "The plan is waiting for you to agree it"
            )
    waiting = [r.id for r in reviews if review_states(r)["learner"] != "agreed"]
    if waiting:
        lines.append(f"Progress reviews for you to agree: {', '.join(waiting)}")
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return (
        '<section class="cpc306-view cpc306-plan-summary"><h3>Your assessment plan</h3>'
        f'<ul>{items}</ul><p><a href="assessment_plan.ipynb">Open the assessment plan and '
        "reviews</a></p></section>"
    )
