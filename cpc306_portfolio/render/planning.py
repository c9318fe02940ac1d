"""The assessment plan, progress reviews and witness register, arranged for the page.

Read once with the rest of the report (:func:`.data.load_report`); the templates only lay
it out. An agreement is shown as it stands now: agreed, changed since, or not agreed, and
an assessor's signed agreement with whether its signature holds for its own key (whose
key it is, only the centre's trust list says: the cover's sign-off does that).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..assessor.agreements import agreement_signature_ok
from ..errors import RecordError
from ..portfolio.assessment_plan import agreement_states
from ..portfolio.kinds import REVIEW, WITNESS
from ..portfolio.layout import ASSESSMENT_PLAN_FILE
from ..portfolio.plan_file import read_plan_file
from ..portfolio.planning import (
    PARTIES,
    Agreement,
    AssessmentPlan,
    Party,
    PlannedActivity,
    RegisteredWitness,
    Review,
)
from ..portfolio.reviews import review_states
from ..portfolio.store import Portfolio
from .withheld import Withheld, mask_spans


@dataclass(frozen=True)
class AgreementView:
    """One party's agreement as the page says it."""

    party: str
    state: str
    name: str = ""
    when: str = ""
    sha256: str = ""
    signed: str = ""


@dataclass
class PlanningView:
    """The plan, reviews and witnesses of one portfolio (all empty when it has none)."""

    plan: AssessmentPlan | None = None
    plan_agreements: list[AgreementView] = field(default_factory=list)
    plan_history: list[AgreementView] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    review_agreements: dict[str, list[AgreementView]] = field(default_factory=dict)
    witnesses: dict[str, RegisteredWitness] = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        """Whether the page has an "Assessment plan and reviews" section at all."""
        return self.plan is not None or bool(self.reviews)

    def planned_for(self, criterion: str) -> list[PlannedActivity]:
        """The planned activities that target a criterion, in the plan's order."""
        if self.plan is None:
            return []
        return [a for a in self.plan.activities if criterion in a.criteria]

    def witness(self, register_id: str | None) -> RegisteredWitness | None:
        return self.witnesses.get(register_id or "")


def _agreements(
    kind: str, ident: str, agreements: Mapping[Party, Agreement], states: Mapping[Party, str]
) -> list[AgreementView]:
    out = []
    for party in PARTIES:
        agreement = agreements.get(party)
        if agreement is None:
            out.append(AgreementView(party, states[party]))
        else:
            out.append(_agreement_view(kind, ident, party, agreement, states[party]))
    return out


def _agreement_view(
    kind: str, ident: str, party: Party, agreement: Agreement, state: str
) -> AgreementView:
    # As everywhere else on the page: an assessor's word without their key is recorded,
    # not signed (the sign-off, once made, covers it).
    signed = "recorded, not signed" if party == "assessor" else ""
    if agreement.signature:
        ok = agreement_signature_ok(kind, ident, party, agreement)
        signed = f"signed with key {agreement.key_fingerprint[:16]}: " + (
            "the signature holds" if ok else "the signature does NOT hold"
        )
    return AgreementView(
        party,
        state,
        name=agreement.name,
        when=agreement.agreed_at.strftime("%d %B %Y"),
        sha256=agreement.sha256,
        signed=signed,
    )


def _masked_plan(plan: AssessmentPlan, withheld: Withheld) -> AssessmentPlan:
    def m(i: int, name: str, text: str) -> str:
        spans = withheld.for_field(ASSESSMENT_PLAN_FILE, f"activities[{i}].{name}")
        return mask_spans(text, spans) if spans else text

    activities = [
        a.model_copy(
            update={"activity": m(i, "activity", a.activity), "reason": m(i, "reason", a.reason)}
        )
        for i, a in enumerate(plan.activities)
    ]
    return plan.model_copy(update={"activities": activities})


def _masked_review(review: Review, withheld: Withheld) -> Review:
    def m(name: str, text: str) -> str:
        spans = withheld.for_field(review.id, name)
        return mask_spans(text, spans) if spans else text

    targets = [
        t.model_copy(update={"text": m(f"targets[{i}].text", t.text)})
        for i, t in enumerate(review.targets)
    ]
    return review.model_copy(
        update={
            "progress": m("progress", review.progress),
            "learner_comments": m("learner_comments", review.learner_comments),
            "targets": targets,
        }
    )


def _masked_witness(witness: RegisteredWitness, withheld: Withheld) -> RegisteredWitness:
    def m(name: str, text: str) -> str:
        spans = withheld.for_field(witness.id, name)
        return mask_spans(text, spans) if spans else text

    checks = [
        c.model_copy(update={"notes": m(f"checks[{i}].notes", c.notes)})
        for i, c in enumerate(witness.checks)
    ]
    fields = {
        name: m(name, getattr(witness, name)) for name in ("role", "organisation", "relationship")
    }
    return witness.model_copy(update={**fields, "checks": checks})


def planning_view(folio: Portfolio, withheld: Withheld | None = None) -> PlanningView:
    """What the page shows of the plan, reviews and witnesses; raises on a file that is bad.

    Identifiers no one acknowledged (a file edited by hand) are masked as in the records
    (:mod:`.withheld`); agreements and their states are worked out on the files as they are.
    """
    withheld = withheld or Withheld()
    plan, problems = read_plan_file(folio.records)
    if problems:
        raise RecordError(problems, hint=f"fix {ASSESSMENT_PLAN_FILE} by hand (cpc306 validate)")
    view = PlanningView(plan=_masked_plan(plan, withheld) if plan else None)
    if plan is not None:
        view.plan_agreements = _agreements(
            "plan", ASSESSMENT_PLAN_FILE, plan.agreements, agreement_states(plan)
        )
        # Each earlier agreement was to the plan as it stood then: shown as agreed then.
        view.plan_history = [
            _agreement_view("plan", ASSESSMENT_PLAN_FILE, past.party, past, "agreed")
            for past in plan.history
        ]
    view.reviews = sorted(folio.records.all(REVIEW), key=lambda r: (r.date, r.id))
    for review in view.reviews:
        view.review_agreements[review.id] = _agreements(
            "review", review.id, review.agreements, review_states(review)
        )
    view.reviews = [_masked_review(r, withheld) for r in view.reviews]
    view.witnesses = {w.id: _masked_witness(w, withheld) for w in folio.records.all(WITNESS)}
    return view
