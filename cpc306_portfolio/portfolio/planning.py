"""The assessment plan, progress reviews and the witness register: their typed records.

Schema ``cpc306-portfolio/3`` adds them (a contract, like every file of a portfolio):

- ``assessment-plan.yaml``: the activities the learner and the assessor plan together, and
  each one's agreement. Not ``plan.yaml``, which is the learner's own development plan.
- ``reviews/V001.yaml``: one progress review, a record kind (:mod:`.kinds`).
- ``witnesses/W001.yaml``: one witness on the register, a record kind.

An agreement records who agreed, when, and the SHA-256 of what they agreed to (the
canonical JSON of :func:`agreed_part`: :func:`.assessment_plan.plan_digest`,
:func:`.reviews.review_digest`): a plan or review changed afterwards no longer matches, and
needs agreeing again.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from ..standard.methods import AssessmentMethod
from .models import MappedRecord, Sha256, Text, _File, _Strict, now

Party = Literal["learner", "assessor"]
PARTIES: tuple[Party, ...] = ("learner", "assessor")
ActivityStatus = Literal["planned", "done", "moved"]
WitnessStatus = Literal["occupationally_competent", "expert"]
CheckMethod = Literal["phone", "email", "in_person"]
ActivityId = Annotated[str, StringConstraints(pattern=r"^P\d{2,}$")]
ReviewId = Annotated[str, StringConstraints(pattern=r"^V\d{3,}$")]
WitnessId = Annotated[str, StringConstraints(pattern=r"^W\d{3,}$")]

#: What a witness declares under their statement, recorded with each testimony.
WITNESS_DECLARATION = (
    "I confirm that this is a true account of work by the learner that I saw myself, and "
    "that I may be contacted to confirm it."
)

# Housekeeping that changes when an agreement is recorded, so it is never part of what is
# agreed: otherwise agreeing would itself change what was agreed.
_NOT_AGREED = frozenset({"schema", "agreements", "history", "modified", "revision", "created"})


class Agreement(_Strict):
    """One party's agreement: who, when, and the SHA-256 of what they agreed to."""

    name: Text
    agreed_at: datetime = Field(default_factory=now)
    sha256: Sha256 = Field(description="SHA-256 of the plan or review as agreed (agreed_part)")
    public_key: str = Field(default="", description="the assessor's Ed25519 key, base64")
    key_fingerprint: str = ""
    signature: str = Field(default="", description="Ed25519 signature of agreement_text")


class PastAgreement(Agreement):
    """An agreement a party later replaced by agreeing the plan again: kept, never dropped."""

    party: Party


class PlannedActivity(_Strict):
    """One planned assessment activity: what, how, what it targets, when, with whom."""

    # The file says "with"; in Python that is a keyword, so the field is with_.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, populate_by_name=True)

    id: ActivityId
    activity: Text
    method: AssessmentMethod
    criteria: list[Text] = Field(default_factory=list)
    scope: list[Text] = Field(default_factory=list)
    knowledge: list[Text] = Field(default_factory=list)
    planned_date: Date
    with_: str = Field(default="", alias="with", description="who assesses or witnesses it")
    status: ActivityStatus = "planned"
    record: str = Field(default="", description="done: the record it produced (E001, R002)")
    moved_to: Date | None = Field(default=None, description="moved: the new date, if known")
    reason: str = Field(default="", description="moved: why")

    @model_validator(mode="after")
    def _status_needs(self) -> PlannedActivity:
        if self.status == "done" and not self.record:
            raise ValueError("an activity that is done names the record it produced (record)")
        if self.status == "moved" and not self.reason.strip():
            raise ValueError("an activity that was moved says why (reason)")
        return self


class AssessmentPlan(_File):
    """``assessment-plan.yaml``: the planned activities and each party's agreement."""

    activities: list[PlannedActivity] = Field(default_factory=list)
    agreements: dict[Party, Agreement] = Field(default_factory=dict)
    history: list[PastAgreement] = Field(
        default_factory=list,
        description="earlier agreements, oldest first: each party's agreement before they "
        "agreed the plan again (its SHA-256 is of the plan as it was then)",
    )
    created: datetime = Field(default_factory=now)
    modified: datetime = Field(default_factory=now)


class Target(_Strict):
    """A target set at a review, always with a date; marked met later, with the day."""

    text: Text
    by: Date
    met: bool = False
    met_on: Date | None = Field(default=None, description="met: the day it was met")

    @model_validator(mode="after")
    def _met_has_day(self) -> Target:
        if self.met_on is not None and not self.met:
            raise ValueError("a target with a day it was met (met_on) is met")
        return self


class Review(MappedRecord):
    """``reviews/V001.yaml``: a progress review, agreed by both like the plan."""

    id: ReviewId
    date: Date
    progress: Text = Field(description="progress since the last review, against the plan")
    targets: list[Target] = Field(default_factory=list)
    next_review: Date | None = None
    learner_comments: str = ""
    plan_sha256: Sha256 | None = Field(default=None, description="the plan as it stood")
    agreements: dict[Party, Agreement] = Field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        data = super().to_data()
        for target in data.get("targets", []):
            if target.get("met_on") is None:
                target.pop("met_on", None)
        return data


class WitnessCheck(_Strict):
    """The assessor's check that a witness is real and wrote what is recorded."""

    how: CheckMethod
    on: Date
    by: Text
    notes: str = ""


class RegisteredWitness(MappedRecord):
    """``witnesses/W001.yaml``: a witness who agreed to be named, and how to reach them."""

    id: WitnessId
    name: Text
    role: Text
    organisation: Text
    relationship: Text = Field(description="their relationship to the learner")
    email: str = ""
    phone: str = ""
    status: WitnessStatus
    expert_criteria: list[Text] = Field(
        default_factory=list, description="expert: the unit's expert-witness criteria they meet"
    )
    checks: list[WitnessCheck] = Field(default_factory=list)

    @property
    def checked(self) -> bool:
        return bool(self.checks)


def agreed_part(data: dict[str, Any]) -> dict[str, Any]:
    """What an agreement covers: the file's data without agreements and housekeeping."""
    return {k: v for k, v in data.items() if k not in _NOT_AGREED}


def targets_as_set(data: dict[str, Any]) -> dict[str, Any]:
    """A review's data with each target as it was set (text and date), not as met.

    What an agreement to a review and the declaration cover: marking a target met later
    is the assessor's record of a fact (the sign-off covers it), not a change to what
    was agreed or declared. Every target reads ``met: false`` here, as it did when set.
    """
    targets = data.get("targets")
    if not isinstance(targets, list):
        return data
    as_set = [
        {**{k: v for k, v in t.items() if k not in ("met", "met_on")}, "met": False}
        if isinstance(t, dict)
        else t
        for t in targets
    ]
    return {**data, "targets": as_set}


def targets_met(data: dict[str, Any]) -> list[Any]:
    """Which of a review's targets are met, and when (``None`` when none is)."""
    targets = data.get("targets")
    if not isinstance(targets, list):
        return []
    return [[t.get("met"), t.get("met_on")] if isinstance(t, dict) else None for t in targets]


def agreement_text(kind: str, ident: str, party: Party, agreement: Agreement) -> str:
    """The canonical text an assessor's key signs for an agreement."""
    return (
        f"cpc306-agreement/1 {kind} {ident}\nparty {party}\nname {agreement.name}\n"
        f"agreed-at {agreement.agreed_at.isoformat()}\nsha256 {agreement.sha256}\n"
    )
