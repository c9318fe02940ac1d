"""Typed records of a centre folder (schema ``cpc306-centre/1``, a contract).

A centre folder sits beside the cohort, never inside a portfolio. It holds the centre's
own quality-assurance records: the assessor register (from which the trust list is made),
the IQA sampling plan, IQA reports with their actions, and standardisation records. Every
file carries its schema version; the JSON Schemas generated from these models ship in
``cpc306_portfolio/schemas/``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..portfolio.models import now

CentreSchema = Literal["cpc306-centre/1"]
CENTRE_SCHEMA: CentreSchema = "cpc306-centre/1"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ActionId = Annotated[str, StringConstraints(pattern=r"^A\d{3,}$")]
ReportId = Annotated[str, StringConstraints(pattern=r"^Q\d{3,}$")]
MeetingId = Annotated[str, StringConstraints(pattern=r"^S\d{3,}$")]
ObservationId = Annotated[str, StringConstraints(pattern=r"^O\d{3,}$")]
CountersignId = Annotated[str, StringConstraints(pattern=r"^C\d{3,}$")]
Base64Key = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{43}=$")]
Fingerprint = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=True)


class _File(_Strict):
    """A whole file of the centre folder: it says which schema it was written with."""

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, populate_by_name=True, use_enum_values=True
    )

    schema_: CentreSchema = Field(default=CENTRE_SCHEMA, alias="schema")

    def to_data(self) -> dict[str, Any]:
        """Plain data in the file's order, as written to YAML."""
        return self.model_dump(mode="json", by_alias=True)


class Role(StrEnum):
    ASSESSOR = "assessor"
    IQA = "iqa"


class Status(StrEnum):
    QUALIFIED = "qualified"
    TRAINEE = "trainee"


class CpdEntry(_Strict):
    """One piece of continuing professional development an assessor recorded."""

    date: date
    activity: Text
    hours: float = Field(default=0, ge=0, le=1000)


class RegisteredAssessor(_Strict):
    """One person on the register: who they are, what they may do, and their public key."""

    name: Text
    role: Role
    status: Status
    countersigner: str = Field(
        default="", description="the qualified assessor who countersigns a trainee's decisions"
    )
    qualifications: list[Text] = Field(default_factory=list)
    cpd: list[CpdEntry] = Field(default_factory=list)
    public_key: Base64Key = Field(description="base64 of the 32 raw bytes of their Ed25519 key")
    fingerprint: Fingerprint
    active: bool = Field(default=True, description="their key is trusted only while active")
    added: date


class Register(_File):
    """``assessors.yaml``: the centre's assessors and internal quality assurers."""

    assessors: list[RegisteredAssessor] = Field(default_factory=list)


class CentreInfo(_File):
    """``centre.yaml``: marks the folder as a centre folder, and names the centre."""

    name: str = ""
    # Optional (absent in older files): shown with each decision, in the learner's app and
    # the HTML; without it, assessor.appeals.DEFAULT_APPEALS.
    appeals: str = Field(
        default="", description="the centre's appeals wording, shown with each decision"
    )
    created: datetime = Field(default_factory=now)


class Stage(StrEnum):
    INTERIM = "interim"
    SUMMATIVE = "summative"


class PlannedSample(_Strict):
    """One learner the IQA will sample: at which stage, by when, and why."""

    learner: Text = Field(description="the learner's folder in the cohort")
    name: str = ""
    assessor: str = ""
    unit: str = ""
    stage: Stage
    due: date
    criteria: list[str] = Field(default_factory=list)
    methods: list[str] = Field(default_factory=list)
    why: str = ""


class IqaPlan(_File):
    """``iqa/plan.yaml``: the sampling plan fixed in advance, and the draw that filled it."""

    cohort: str
    made: datetime = Field(default_factory=now)
    seed: int
    rate: float = Field(gt=0, le=1)
    interim: date
    summative: date
    samples: list[PlannedSample] = Field(default_factory=list)


class Action(_Strict):
    """An action agreed with an assessor, tracked to closure."""

    id: ActionId
    text: Text
    due: date
    owner: str = ""
    done_on: date | None = None


class Signature(_Strict):
    """An Ed25519 signature over a record's canonical text, and the key that made it."""

    public_key: Base64Key
    fingerprint: Fingerprint
    value: str


class IqaReport(_File):
    """``iqa/reports/Q001.yaml``: one IQA's judgement of one sampled learner's assessment."""

    id: ReportId
    learner: Text
    assessor: str = ""
    stage: Stage
    by: Text
    decision: Literal["agree", "disagree"]
    feedback: Text
    actions: list[Action] = Field(default_factory=list)
    made: datetime = Field(default_factory=now)
    signature: Signature | None = None


class Standardisation(_File):
    """``standardisation/S001.yaml``: one standardisation meeting and what it agreed."""

    id: MeetingId
    date: date
    topic: Text
    attendees: list[Text] = Field(min_length=1)
    notes: Text
    actions: list[Action] = Field(default_factory=list)
    made: datetime = Field(default_factory=now)


class Observation(_File):
    """``observations/O001.yaml``: an IQA watching an assessor assess, and the feedback."""

    id: ObservationId
    assessor: Text
    by: Text
    date: date
    activity: Text = Field(description="what was observed, e.g. a professional discussion")
    learner: str = ""
    notes: Text
    actions: list[Action] = Field(default_factory=list)
    made: datetime = Field(default_factory=now)


class Countersignature(_File):
    """``countersignatures/C001.yaml``: a qualified assessor confirms a trainee's decisions.

    A trainee's "met" counts only once a record like this names the criterion.
    """

    id: CountersignId
    learner: Text = Field(description="the learner's folder in the cohort")
    trainee: Text
    by: Text
    date: date
    criteria: list[Text] = Field(min_length=1)
    note: str = ""
    made: datetime = Field(default_factory=now)


#: Every file kind by the name its JSON Schema ships under (``schemas/centre/<name>.schema.json``).
CENTRE_MODELS: dict[str, type[_File]] = {
    "centre": CentreInfo,
    "assessors": Register,
    "iqa-plan": IqaPlan,
    "iqa-report": IqaReport,
    "standardisation": Standardisation,
    "observation": Observation,
    "countersignature": Countersignature,
}
