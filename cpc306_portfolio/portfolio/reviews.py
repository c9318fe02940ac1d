"""Progress reviews (``reviews/V001.yaml``): progress against the plan, targets, comments.

A review is a record kind (:data:`~.kinds.REVIEW`), so it is read, validated, scanned and
written like evidence. It needs an assessment plan to review against: it records the
plan's SHA-256 as it stood. Agreed by both like the plan (:func:`agree_review`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import NotFoundError, UsageError
from ..files.canonical import canonical_hash
from .assessment_plan import (
    Signer,
    agreement_states,
    make_agreement,
    plan_digest,
    read_assessment_plan,
)
from .checks import Unknown
from .kinds import REVIEW
from .planning import PARTIES, Agreement, Party, Review, Target, agreed_part, targets_as_set

if TYPE_CHECKING:
    from .folio import Portfolio


def review_digest(review: Review | Mapping[str, Any]) -> str:
    """The SHA-256 an agreement to a review records (without agreements and housekeeping).

    A target is agreed as set (its text and date), not as met: marking it met later
    (:func:`mark_target_met`) records a fact about it without undoing either agreement.
    """
    data = agreed_part(review.to_data() if isinstance(review, Review) else dict(review))
    return canonical_hash(targets_as_set(data))


def mark_target_met(portfolio: Portfolio, review_id: str, number: int, on: date | str) -> Target:
    """Mark target ``number`` (1, 2 ...) of a review met on the day ``on``.

    Refuses a day before the review that set it or in the future; the review's agreements
    still hold (:func:`review_digest`).
    """
    with portfolio.locked():
        review: Review = portfolio.records.get(REVIEW, review_id.upper())
        if not 1 <= number <= len(review.targets):
            raise UsageError(
                f"progress review {review.id} has no target {number}",
                hint=f"its targets are numbered 1 to {len(review.targets)}"
                if review.targets
                else "it sets no targets",
            )
        day = on if isinstance(on, date) else _day(on)
        if day < review.date or day > date.today():
            raise UsageError(
                f"{day.isoformat()} is not a day target {number} of {review.id} could be met",
                hint=f"give a day from {review.date.isoformat()} (the review) to today",
            )
        targets = list(review.targets)
        targets[number - 1] = targets[number - 1].model_copy(update={"met": True, "met_on": day})
        review.targets = targets
        portfolio.update(review)
    return targets[number - 1]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{text!r} is not a date", hint="write it as YYYY-MM-DD") from None


def add_review(
    portfolio: Portfolio,
    *,
    on: date | str,
    progress: str,
    targets: Sequence[tuple[str, date | str]] = (),
    next_review: date | str | None = None,
    learner_comments: str = "",
    acknowledge: Mapping[str, str] | None = None,
) -> Review:
    """Add a progress review against the assessment plan; raises if there is no plan yet."""
    plan = read_assessment_plan(portfolio)
    if plan is None:
        raise NotFoundError(
            f"{portfolio.layout.assessment_plan_path}: no assessment plan yet, so there is "
            "nothing to review progress against",
            hint=f"plan the assessment first: cpc306 plan add {portfolio.root} ...; "
            "nothing was written",
        )
    fields: dict[str, Any] = {
        "date": on,
        "progress": progress,
        "targets": [{"text": text, "by": by} for text, by in targets],
        "next_review": next_review,
        "learner_comments": learner_comments,
        "plan_sha256": plan_digest(plan),
    }
    review: Review = portfolio.add(REVIEW, fields, acknowledge=acknowledge)
    return review


def agree_review(
    portfolio: Portfolio,
    review_id: str,
    party: Party,
    *,
    name: str = "",
    sign: Signer | None = None,
    comments: str | None = None,
) -> Agreement:
    """Record ``party``'s agreement to a review as it is now (the learner may add comments)."""
    if party not in PARTIES:
        raise UsageError(f"{party!r} cannot agree a review", hint="use learner or assessor")
    if sign is not None and party != "assessor":
        raise UsageError("only the assessor signs an agreement with a key", hint="leave out --key")
    if comments is not None and party != "learner":
        raise UsageError("the comments on a review are the learner's", hint="use --as learner")
    with portfolio.locked():
        review: Review = portfolio.records.get(REVIEW, review_id.upper())
        if comments is not None:
            review.learner_comments = comments
        agreement = make_agreement(
            portfolio, "review", review.id, party, review_digest(review), name, sign
        )
        review.agreements = {**review.agreements, party: agreement}
        portfolio.update(review)
    return agreement


def review_states(review: Review) -> dict[Party, str]:
    """Each party's agreement to a review in words (as :func:`.agreement_states`)."""
    digest = review_digest(review)
    return {
        party: "not agreed"
        if party not in review.agreements
        else "agreed"
        if review.agreements[party].sha256 == digest
        else "changed since agreed"
        for party in PARTIES
    }


def next_review(reviews: Sequence[Review]) -> date | None:
    """When the next review is due: the date the latest review set, if any."""
    latest = max(reviews, key=lambda r: (r.date, r.id), default=None)
    return latest.next_review if latest is not None else None


def stale_agreements(portfolio: Portfolio) -> list[str]:
    """Every agreement that no longer matches what it agreed to, in words (for ``verify``).

    The plan (or a review) was changed after it was agreed: it needs agreeing again.
    """
    out: list[str] = []
    plan = read_assessment_plan(portfolio)
    if plan is not None:
        states = agreement_states(plan)
        for party, state in states.items():
            if state == "changed since agreed":
                when = plan.agreements[party].agreed_at.strftime("%d %B %Y")
                out.append(
                    f"The assessment plan was changed after the {party} agreed it on {when}: "
                    f"it needs agreeing again (cpc306 plan agree --as {party})."
                )
    for review in portfolio.records.all(REVIEW):
        for party, state in review_states(review).items():
            if state == "changed since agreed":
                out.append(
                    f"Progress review {review.id} was changed after the {party} agreed it: "
                    f"it needs agreeing again (cpc306 review agree {review.id} --as {party})."
                )
    return out


def planning_status(portfolio: Portfolio, today: date) -> dict[str, Any]:
    """The assessment plan at a glance, as plain data (``cpc306 status``).

    Activities done, moved and past their date; each party's agreement; the next review
    and whether it is overdue on ``today``. Empty when there is no plan and no review.
    """
    plan = read_assessment_plan(portfolio)
    reviews: list[Review] = portfolio.records.all(REVIEW)
    if plan is None and not reviews:
        return {}
    activities = plan.activities if plan else []
    due = next_review(reviews)
    return {
        "activities": len(activities),
        "done": [a.id for a in activities if a.status == "done"],
        "moved": [a.id for a in activities if a.status == "moved"],
        "overdue": [a.id for a in activities if a.status == "planned" and a.planned_date < today],
        "agreements": dict(agreement_states(plan)) if plan else {},
        "next_review": due.isoformat() if due else "",
        "review_overdue": bool(due and due < today),
    }


def comment_on_review(
    portfolio: Portfolio,
    review_id: str,
    comments: str,
    *,
    acknowledge: Mapping[str, str] | None = None,
    unknown: Unknown = "error",
    revision: int | None = None,
) -> Review:
    """Write the learner's comments on a review, without agreeing it (the app's Save).

    Scanned for identifiers before anything is written, and written atomically under the
    lock like every record (``acknowledge`` and ``unknown`` as for
    :meth:`~.folio.Portfolio.add`). ``revision`` is the review's revision as the learner
    saw it: a review changed since is refused (:class:`~..errors.ConflictError`), not
    written over. The comments are part of what is agreed, so an agreement made before
    them no longer matches and the review needs agreeing again.
    """
    with portfolio.locked():
        review: Review = portfolio.records.get(REVIEW, review_id.upper())
        if revision is not None:
            review.revision = revision
        review.learner_comments = comments
        saved: Review = portfolio.update(review, acknowledge=acknowledge, unknown=unknown)
    return saved
