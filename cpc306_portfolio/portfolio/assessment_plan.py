"""The assessment plan (``assessment-plan.yaml``): planned activities, agreed by both.

The learner and the assessor agree the plan; each agreement records who, when and the
SHA-256 of the plan as agreed (:func:`plan_digest`). Changing the plan afterwards leaves
the agreement in place, as a record of what was agreed, but it no longer matches: the plan
needs agreeing again, and :func:`agreement_states` (``cpc306 plan show``, ``verify``, the
page) says so. Every write is validated first and made atomically under the lock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..errors import ConfidentialityError, NotFoundError, RecordError, UsageError
from ..files.canonical import canonical_hash
from ..files.yamlio import validation_problems
from .layout import ASSESSMENT_PLAN_FILE
from .models import now
from .plan_file import read_plan_file
from .planning import (
    PARTIES,
    Agreement,
    AssessmentPlan,
    Party,
    PastAgreement,
    PlannedActivity,
    agreed_part,
    agreement_text,
)
from .unit_checks import check_mappings

if TYPE_CHECKING:
    from .folio import Portfolio

#: Signs an agreement's text with the assessor's key: ``text -> (signature, public key,
#: key fingerprint)``, all as :mod:`~cpc306_portfolio.assessor.signing` writes them. The
#: portfolio never holds a key: the caller (the ``cpc306`` command) brings one.
Signer = Callable[[str], tuple[str, str, str]]


def plan_digest(plan: AssessmentPlan | Mapping[str, Any]) -> str:
    """The SHA-256 an agreement records: the plan without agreements and housekeeping."""
    data = plan.to_data() if isinstance(plan, AssessmentPlan) else dict(plan)
    return canonical_hash(agreed_part(data))


def read_assessment_plan(portfolio: Portfolio) -> AssessmentPlan | None:
    """The portfolio's assessment plan, or None when there is none yet; raises if invalid."""
    plan, problems = read_plan_file(portfolio.records)
    if problems:
        raise RecordError(problems, hint=f"fix {ASSESSMENT_PLAN_FILE} by hand; it was not changed")
    return plan


def add_activity(portfolio: Portfolio, fields: Mapping[str, Any]) -> PlannedActivity:
    """Add a planned activity (id ``P01``, ``P02`` ...); the plan then needs agreeing again.

    ``fields`` as the file says them: ``activity``, ``method``, ``criteria``, ``scope``,
    ``knowledge``, ``planned_date``, ``with``. Validated against the unit first: on any
    problem nothing is written.
    """
    path = portfolio.layout.assessment_plan_path
    with portfolio.locked():
        plan = read_assessment_plan(portfolio) or AssessmentPlan()
        number = max((int(a.id[1:]) for a in plan.activities), default=0) + 1
        data = {**fields, "id": f"P{number:02d}", "status": "planned"}
        try:
            activity = PlannedActivity.model_validate(data)
        except ValidationError as exc:
            problems = validation_problems(exc, None, path)
            problems += check_mappings(data, portfolio.standard, str(path))
            raise RecordError(problems, hint="nothing was written; correct it") from None
        problems = check_mappings(activity.model_dump(), portfolio.standard, str(path))
        if problems:
            raise RecordError(problems, hint="nothing was written; correct it")
        plan.activities = [*plan.activities, activity]
        _guard(portfolio, plan)
        _save(portfolio, plan)
    return activity


def set_activity_status(
    portfolio: Portfolio,
    activity_id: str,
    status: str,
    *,
    record: str = "",
    moved_to: date | None = None,
    reason: str = "",
) -> PlannedActivity:
    """Mark an activity done (with the record it produced) or moved (with a reason)."""
    with portfolio.locked():
        plan = _existing(portfolio)
        index = _index(plan, activity_id)
        if status == "done":
            portfolio.records.get(portfolio.records.kind_of(record), record)  # it must exist
        fields: dict[str, Any] = {"status": status, "record": record}
        if status != "done" or moved_to is not None or reason:
            fields |= {"moved_to": moved_to, "reason": reason}
        # Done after a move keeps the move (when and why): the plan shows both.
        try:
            activity = PlannedActivity.model_validate(
                {**plan.activities[index].model_dump(by_alias=True), **fields}
            )
        except ValidationError as exc:
            raise RecordError(
                validation_problems(exc, None, portfolio.layout.assessment_plan_path),
                hint="nothing was written; correct it",
            ) from None
        activities = list(plan.activities)
        activities[index] = activity
        plan.activities = activities
        _guard(portfolio, plan)
        _save(portfolio, plan)
    return activity


def agree_plan(
    portfolio: Portfolio, party: Party, *, name: str = "", sign: Signer | None = None
) -> Agreement:
    """Record ``party``'s agreement to the plan as it is now.

    Their earlier agreement, if any, moves to the plan's ``history`` (oldest first), so
    the agreement at the start is never lost when the plan is agreed again after a change.

    ``name`` defaults to the learner's or the assessor's name in the profile. Only the
    assessor's agreement may be signed (``sign``), with their own key.
    """
    if party not in PARTIES:
        raise UsageError(f"{party!r} cannot agree a plan", hint="use learner or assessor")
    if sign is not None and party != "assessor":
        raise UsageError("only the assessor signs an agreement with a key", hint="leave out --key")
    with portfolio.locked():
        plan = _existing(portfolio)
        agreement = make_agreement(
            portfolio, "plan", ASSESSMENT_PLAN_FILE, party, plan_digest(plan), name, sign
        )
        earlier = plan.agreements.get(party)
        if earlier is not None:
            past = PastAgreement(party=party, **earlier.model_dump())
            plan.history = [*plan.history, past]
        plan.agreements = {**plan.agreements, party: agreement}
        _save(portfolio, plan)
    return agreement


def make_agreement(
    portfolio: Portfolio,
    kind: str,
    ident: str,
    party: Party,
    digest: str,
    name: str = "",
    sign: Signer | None = None,
) -> Agreement:
    """An agreement to what has ``digest``, by ``party``, signed when ``sign`` is given."""
    profile = portfolio.profile
    who = name.strip() or (profile.learner.name if party == "learner" else profile.assessor.name)
    agreement = Agreement(name=who, agreed_at=now(), sha256=digest)
    if sign is not None:
        signature, public_key, fingerprint = sign(agreement_text(kind, ident, party, agreement))
        agreement = agreement.model_copy(
            update={
                "signature": signature,
                "public_key": public_key,
                "key_fingerprint": fingerprint,
            }
        )
    return agreement


def agreement_states(plan: AssessmentPlan) -> dict[Party, str]:
    """Each party's agreement in words: ``agreed``, ``changed since agreed``, ``not agreed``."""
    digest = plan_digest(plan)
    out: dict[Party, str] = {}
    for party in PARTIES:
        agreement = plan.agreements.get(party)
        if agreement is None:
            out[party] = "not agreed"
        elif agreement.sha256 == digest:
            out[party] = "agreed"
        else:
            out[party] = "changed since agreed"
    return out


def _existing(portfolio: Portfolio) -> AssessmentPlan:
    plan = read_assessment_plan(portfolio)
    if plan is None:
        raise NotFoundError(
            f"{portfolio.layout.assessment_plan_path}: no assessment plan yet",
            hint=f"plan an activity first: cpc306 plan add {portfolio.root} --activity TEXT "
            "--method METHOD --criteria IDS --date YYYY-MM-DD",
        )
    return plan


def _index(plan: AssessmentPlan, activity_id: str) -> int:
    for i, activity in enumerate(plan.activities):
        if activity.id == activity_id.upper():
            return i
    known = ", ".join(a.id for a in plan.activities) or "none"
    raise NotFoundError(f"no planned activity {activity_id!r}", hint=f"activities: {known}")


def _guard(portfolio: Portfolio, plan: AssessmentPlan) -> None:
    """Refuse a plan whose activities would identify a person (nothing is written)."""
    found = portfolio.checks.plan_findings(plan)
    if found:
        lines = [f"  {f.field}: {f.label}: {f.snippet}" for f in found]
        raise ConfidentialityError(
            f"{ASSESSMENT_PLAN_FILE} was not saved: {len(found)} possible identifier(s) of a "
            "person:\n" + "\n".join(lines),
            found,
            hint="describe the activity without naming or identifying anyone; nothing was written",
        )


def _save(portfolio: Portfolio, plan: AssessmentPlan) -> None:
    plan.modified = now()
    portfolio.records.write(portfolio.layout.assessment_plan_path, plan.to_data())
