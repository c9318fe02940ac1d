"""Typed records of a portfolio (schema ``cpc306-portfolio/4``, a contract).

Every file carries its schema version. Models check what one file can say about itself;
:mod:`.unit_checks` checks what needs the loaded unit (mappings to criteria, scope
options and knowledge items).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
    model_validator,
)

from ..standard.methods import AssessmentMethod
from .evidence_rules import RuleCheck, RuleOfEvidence
from .hashed import HashedKeepOut

SchemaVersion = Literal[
    "cpc306-portfolio/1", "cpc306-portfolio/2", "cpc306-portfolio/3", "cpc306-portfolio/4"
]
SCHEMA: SchemaVersion = "cpc306-portfolio/4"
#: Schemas this version reads. Schema 2 adds ``unit_sha256`` to ``portfolio.yaml`` (and the
#: ``unit.yaml`` copy beside it); schema 3 adds the assessment plan, progress reviews, the
#: witness register and an evidence witness's link to it (:mod:`.planning`); schema 4 the
#: assessor's own records (:mod:`.assessor_models`) and an evidence record's link to the
#: assessor's observation. Files of older schemas read unchanged, see :mod:`.upgrade`.
READABLE_SCHEMAS: tuple[SchemaVersion, ...] = (
    "cpc306-portfolio/1",
    "cpc306-portfolio/2",
    "cpc306-portfolio/3",
    SCHEMA,
)

#: Characters in a title (an evidence item's, a reflection's): a title is a line.
MAX_TITLE_CHARS = 500
#: Characters in any other text field (a description, a reflection's stage, a witness
#: statement): about 8,000 words, far past what an assessor reads in one field.
MAX_TEXT_CHARS = 50_000
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_CHARS)
]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE_CHARS)
]
FreeText = Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS)]
#: Criteria (and, each on its own, scope options and knowledge items) one record maps to:
#: holistic evidence covers a handful; 200 records mapped to 1,200 criteria made 107 MB of HTML.
MAX_MAPPINGS = 100
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
EvidenceId = Annotated[str, StringConstraints(pattern=r"^E\d{3,}$")]
ReflectionId = Annotated[str, StringConstraints(pattern=r"^R\d{3,}$")]
ObservationRef = Annotated[str, StringConstraints(pattern=r"^O\d{3,}$")]


def now() -> datetime:
    """The current time in UTC to the second: what every timestamp records."""
    return datetime.now(UTC).replace(microsecond=0)


_TAIL = ("criteria", "scope", "knowledge", "confidentiality", "created", "modified", "revision")
_ADDED = frozenset({"keep_out_hashed", "revision"})  # written only when they hold something
_TOKEN = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
MediaType = Annotated[str, StringConstraints(pattern=f"^{_TOKEN}/{_TOKEN}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)


class _File(_Strict):
    """A whole file: carries the schema version it was written with."""

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, populate_by_name=True, defer_build=True
    )

    schema_: SchemaVersion = Field(default=SCHEMA, alias="schema")

    def to_data(self) -> dict[str, Any]:
        """Plain data as written to YAML: identity, content, mappings, then housekeeping.

        Whatever schema a file was read with, what this version writes says its own.
        """
        data = self.model_dump(mode="json", by_alias=True)
        data["schema"] = SCHEMA
        data = {k: v for k, v in data.items() if not (k in _ADDED and v is None)}
        head = [k for k in ("schema", "id") if k in data]
        tail = [k for k in _TAIL if k in data]
        middle = [k for k in data if k not in head and k not in tail]
        return {k: data[k] for k in (*head, *middle, *tail)}


class Learner(_Strict):
    name: Text
    job_title: str = ""
    organisation: str = ""
    email: str = ""


class Centre(_Strict):
    name: Text
    number: str = ""


class Assessor(_Strict):
    name: Text
    email: str = ""
    key_fingerprint: str = Field(default="", description="SHA-256 of their public key")


class Manifest(_Strict):
    """SHA-256 of every record and attachment at one moment, and one fingerprint over them."""

    algorithm: Literal["sha256"] = "sha256"
    created_at: datetime
    files: dict[str, Sha256]
    fingerprint: Sha256


class Declaration(_Strict):
    """The learner's declaration that the work is their own."""

    signed_by: Text
    signed_at: datetime
    statement: Text
    manifest: Manifest


class Profile(_File):
    """``portfolio.yaml``: who the portfolio belongs to and what it is for."""

    unit: Text = Field(description="code of the unit the portfolio is for, e.g. 'CPC 306'")
    unit_sha256: Sha256 | None = Field(
        default=None,
        description="SHA-256 of unit.yaml, the portfolio's copy of its unit; absent in "
        "portfolios made before schema 2, whose unit is looked up by code",
    )
    learner: Learner
    centre: Centre
    assessor: Assessor
    keep_out: list[Text] = Field(
        default_factory=list,
        description="names to keep out, in clear (old files: upgrade hashes them)",
    )
    keep_out_hashed: HashedKeepOut | None = Field(default=None, description="keyed hashes only")
    declaration: Declaration | None = None
    created: datetime = Field(default_factory=now)
    modified: datetime = Field(default_factory=now)
    _keep_out_view: bool = PrivateAttr(default=False)

    def to_data(self) -> dict[str, Any]:
        data = super().to_data()
        if data.get("unit_sha256") is None:
            # Without its unit copy a portfolio stays at the schema it was read with: schema
            # 2 promises the copy, and only ``cpc306 upgrade`` adds it.
            data.pop("unit_sha256", None)
            data["schema"] = self.schema_
        return data


#: Names that are not a folder or file of their own in a path.
_DOTS = frozenset({".", ".."})


class Attachment(_Strict):
    path: Text = Field(description="relative to the evidence folder, e.g. 'E001/letter.pdf'")
    sha256: Sha256
    size: int = Field(ge=0)
    media_type: MediaType = "application/octet-stream"
    description: FreeText = ""

    @field_validator("path")
    @classmethod
    def _relative(cls, value: str) -> str:
        folder, slash, name = value.partition("/")
        if slash and folder and name and "/" not in name and {folder, name}.isdisjoint(_DOTS):
            return value  # "E001/notes.pdf": what the test below passes, without a Path
        path = Path(value)
        parts = path.parts
        if path.is_absolute() or ".." in parts or len(parts) != 2:
            raise ValueError("must be '<record id>/<file name>' inside the evidence folder")
        return value


class Witness(_Strict):
    name: Text
    role: Text
    organisation: str = ""
    contact: str = ""
    statement: FreeText = ""
    # Schema 3: a witness on the register (witnesses/W001.yaml), the statement's date and
    # the witness's own declaration. Absent (None) in older records and left out when
    # written, so an older record rewritten hashes as before.
    register_id: str | None = Field(default=None, description="the witness's W001 id")
    statement_date: date | None = None
    declaration: FreeText | None = Field(default=None, description="the witness's own declaration")


class SelfDirectedSupport(_Strict):
    """For work with people who direct their own support: do they, and did they agree."""

    directing_own_support: bool
    agreed: bool = False
    agreed_on: date | None = None
    notes: FreeText = ""


class Acknowledgement(_Strict):
    """A confidentiality finding the learner checked and says identifies no one."""

    kind: Text
    field: Text
    fingerprint: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]
    reason: Text
    acknowledged_at: datetime = Field(default_factory=now)

    @classmethod
    def of(cls, finding: Any, reason: str) -> Acknowledgement:
        """Acknowledge a privacy finding (anything with kind, field and fingerprint)."""
        return cls(
            kind=str(finding.kind),
            field=finding.field,
            fingerprint=finding.fingerprint,
            reason=reason,
        )


class _Mapped(_File):
    criteria: list[Text] = Field(default_factory=list, max_length=MAX_MAPPINGS)
    scope: list[Text] = Field(default_factory=list, max_length=MAX_MAPPINGS)
    knowledge: list[Text] = Field(default_factory=list, max_length=MAX_MAPPINGS)
    confidentiality: list[Acknowledgement] = Field(default_factory=list)
    created: datetime = Field(default_factory=now)
    modified: datetime = Field(default_factory=now)
    revision: int | None = Field(default=None, ge=0, description="+1 at every write (see update)")


#: What every kind of record has: its mappings, acknowledgements, times and revision. A new
#: kind's model derives from it (see :mod:`.kinds`).
MappedRecord = _Mapped


class Evidence(_Mapped):
    """``evidence/E001.yaml``: one item of evidence, mapped to many criteria."""

    id: EvidenceId
    title: Title
    date: date
    method: AssessmentMethod
    evidence_kind: list[Text] = Field(default_factory=list)
    description: Text
    simulated: bool = Field(default=False, description="true if not from real work")
    attachments: list[Attachment] = Field(default_factory=list)
    witness: Witness | None = None
    self_directed_support: SelfDirectedSupport | None = None
    # Schema 4: observed work links to the assessor's own record of it (O001); absent in
    # older records and left out when written, so an older record rewritten hashes as before.
    observation: ObservationRef | None = Field(
        default=None, description="observed by my assessor: the assessor's record (O001)"
    )

    def to_data(self) -> dict[str, Any]:
        data = super().to_data()
        if data.get("observation") is None:
            data.pop("observation", None)
        witness = data.get("witness")
        if isinstance(witness, dict):
            for name in ("register_id", "statement_date", "declaration"):
                if witness.get(name) is None:
                    witness.pop(name, None)
        return data


class Reflection(_Mapped):
    """``reflections/R001.yaml``: a reflective account in one reflection model."""

    id: ReflectionId
    title: Title
    date: date
    model: Text = Field(description="reflection model id, e.g. 'gibbs'")
    stages: dict[str, FreeText] = Field(
        description="text of each of the model's stages, by stage id"
    )
    draft: bool = Field(
        default=False, description="saved with a stage still empty or very short, to finish later"
    )


Outcome = Literal["met", "not_yet_met"]
ActionId = Annotated[str, StringConstraints(pattern=r"^AP\d+$")]


class ActionPoint(_Strict):
    """What a "not yet met" asks of the learner, by when; the assessor closes it."""

    id: ActionId
    text: Text
    by: date = Field(description="the date the learner is to have done it by")
    closed_on: date | None = Field(default=None, description="when the assessor closed it")
    closed_note: str = ""

    @property
    def closed(self) -> bool:
        return self.closed_on is not None


class Judgement(_Strict):
    outcome: Outcome
    judged_on: date
    feedback: str = ""
    methods_sampled: list[AssessmentMethod] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list, description="ids of items relied on")
    rules: dict[RuleOfEvidence, RuleCheck] = Field(default_factory=dict, description="VACSR")
    # Added in schema 3 as an optional field: absent in older files, left out when empty.
    actions: list[ActionPoint] = Field(
        default_factory=list, description="not yet met: the action points, AP1, AP2 ..."
    )

    @model_validator(mode="after")
    def _actions_fit(self) -> Judgement:
        ids = [a.id for a in self.actions]
        if len(set(ids)) != len(ids):
            raise ValueError("each action point has its own id (actions)")
        if self.outcome == "met" and any(not a.closed for a in self.actions):
            raise ValueError(
                "a met judgement has no open action points (actions): close them first"
            )
        return self


class IQASample(_Strict):
    """An internal quality assurer's sample of this portfolio."""

    sampled_by: Text
    sampled_on: date
    criteria: list[str] = Field(default_factory=list)
    outcome: str = ""
    notes: str = ""
    signoff_fingerprint: str = Field(default="", description="the sign-off it sampled")
    sha256: str = Field(default="", description="SHA-256 of its other fields, so a change shows")
    public_key: str = Field(default="", description="the quality assurer's Ed25519 key, base64")
    signature: str = Field(default="", description="Ed25519 signature of the sample, base64")


class SignOff(_Strict):
    signed_by: Text
    signed_at: datetime
    manifest: Manifest
    public_key: str = Field(default="", description="Ed25519 public key, base64")
    key_fingerprint: str = ""
    signature: str = Field(default="", description="Ed25519 signature of the manifest, base64")
    interim: bool = Field(default=False, description="signed before every criterion was judged")
    signed_in: Literal["cli", "browser"] = Field(
        default="cli", description="cpc306 sign, or judged in the HTML and signed beside it"
    )
    page_sha256: str = Field(
        default="", description="digest of the page judged in, computed by cpc306 assess sign"
    )
    base: str = Field(default="", description="digest of the assessment the judgement was based on")


class Reply(_Strict):
    """The learner's reply to the assessor's feedback on one criterion, for the next round."""

    text: Text
    written_at: datetime = Field(default_factory=now)


class Assessment(_File):
    """``assessment.yaml``: the assessor's judgements, feedback and sign-off.

    ``replies`` are the learner's, by criterion id: what they did about the feedback.
    """

    judgements: dict[str, Judgement] = Field(default_factory=dict)
    feedback: str = ""
    replies: dict[str, Reply] = Field(default_factory=dict)
    outcome: Outcome | None = Field(default=None, description="the judgement of the whole unit")
    iqa: IQASample | None = None
    signoff: SignOff | None = None
    modified: datetime = Field(default_factory=now)

    def to_data(self) -> dict[str, Any]:
        """As written to YAML; no new empty fields, so a rewritten older file hashes the same."""
        data = super().to_data()
        if data.get("outcome") is None:
            data.pop("outcome", None)
        for judgement in data.get("judgements", {}).values():
            for name in ("rules", "actions"):
                if not judgement.get(name):
                    judgement.pop(name, None)
            for action in judgement.get("actions", []):
                if action.get("closed_on") is None:
                    action.pop("closed_on", None)
                    action.pop("closed_note", None)
        return data


RECORD_MODELS: dict[str, type[_File]] = {
    "portfolio": Profile,
    "evidence": Evidence,
    "reflection": Reflection,
    "assessment": Assessment,
}
