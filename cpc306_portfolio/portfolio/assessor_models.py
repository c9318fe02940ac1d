"""The assessor's own records (schema ``cpc306-portfolio/4``, a contract).

Three kinds, each a file under ``assessor/`` (names in :mod:`.layout`), each with its id,
date, the assessor who made it, and mappings to criteria, scope and knowledge:

- ``assessor/observations/O001.yaml``: what the assessor saw the learner do, in the
  assessor's words, with the learner's comment added later from the learner's side;
- ``assessor/discussions/D001.yaml``: a professional discussion: topics, key points and
  what it showed;
- ``assessor/questioning/Q001.yaml``: one question from a question bank, the learner's
  answer and the assessor's mark.

The assessor writes them (``cpc306 assess observe / discuss / question``); the learner's
app never does. The sign-off's manifest covers them, the learner's declaration never does
(:mod:`.manifest`).
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from ..errors import Problem
from ..standard.model import Standard
from .layout import OBSERVATIONS_DIR as OBSERVATIONS_FOLDER
from .models import MappedRecord, Sha256, Text, _Strict
from .unit_checks import check_mappings

ObservationId = Annotated[str, StringConstraints(pattern=r"^O\d{3,}$")]
DiscussionId = Annotated[str, StringConstraints(pattern=r"^D\d{3,}$")]
QuestioningId = Annotated[str, StringConstraints(pattern=r"^Q\d{3,}$")]
Mark = Literal["met", "not_yet_met"]
MARKS: tuple[Mark, ...] = ("met", "not_yet_met")


class _AssessorRecord(MappedRecord):
    date: Date
    assessor: Text = Field(description="the assessor who made the record")


class Observation(_AssessorRecord):
    """``assessor/observations/O001.yaml``: the assessor's own account of what they saw."""

    id: ObservationId
    location: str = ""
    narrative: Text = Field(description="what the assessor saw, in their own words")
    learner_comment: str = Field(default="", description="the learner's comment, added later")
    learner_comment_at: datetime | None = None
    learner_record: str = Field(
        default="", description="the learner's evidence record of the same activity (E005)"
    )
    migrated: str = Field(
        default="",
        description="set when cpc306 upgrade made the record from the learner's own record "
        "of an observation: says from what, and that the assessor has not written it",
    )

    def to_data(self) -> dict[str, Any]:
        data = super().to_data()
        for name in ("learner_comment_at", "learner_record", "migrated", "learner_comment"):
            if not data.get(name):
                data.pop(name, None)
        return data


class RecordingFile(_Strict):
    """A file kept with an assessor's record (a discussion's recording)."""

    path: Text = Field(
        description="relative to the portfolio, e.g. 'assessor/discussions/D001/a.m4a'"
    )
    sha256: Sha256
    size: int = Field(ge=0)


class Discussion(_AssessorRecord):
    """``assessor/discussions/D001.yaml``: a professional discussion with the learner."""

    id: DiscussionId
    topics: list[Text] = Field(default_factory=list)
    key_points: Text = Field(description="the assessor's notes of what was said")
    showed: str = Field(default="", description="what the discussion showed")
    recording: RecordingFile | None = None


class Questioning(_AssessorRecord):
    """``assessor/questioning/Q001.yaml``: one bank question, the answer and its mark."""

    id: QuestioningId
    question_id: Text = Field(description="the question's id in its bank")
    question: Text = Field(description="the question as asked (copied from the bank)")
    bank: str = Field(default="", description="where the question came from")
    answer: Text = Field(description="the learner's answer")
    outcome: Mark = Field(description="the assessor's mark for this answer")
    note: str = ""


def _common(record: _AssessorRecord, standard: Standard, path: str) -> list[Problem]:
    out = check_mappings(record.model_dump(), standard, path)
    if record.date > Date.today() + timedelta(days=1):
        out.append(
            Problem(
                path,
                f"the date {record.date} is in the future",
                field="date",
                hint="give the date it took place (YYYY-MM-DD)",
            )
        )
    return out


def check_observation(record: Observation, standard: Standard, path: str) -> list[Problem]:
    out = _common(record, standard, path)
    if not record.criteria:
        out.append(
            Problem(
                path,
                "an observation names the criteria it is evidence for",
                field="criteria",
                hint="give them with --criteria A2,A3",
            )
        )
    return out


def check_discussion(record: Discussion, standard: Standard, path: str) -> list[Problem]:
    out = _common(record, standard, path)
    if not record.knowledge and not record.criteria:
        out.append(
            Problem(
                path,
                "a professional discussion names the knowledge items it covers",
                field="knowledge",
                hint="give them with --knowledge K1,K2",
            )
        )
    return out


def check_questioning(record: Questioning, standard: Standard, path: str) -> list[Problem]:
    out = _common(record, standard, path)
    if not record.knowledge:
        out.append(
            Problem(
                path,
                "a question names the knowledge item it tests",
                field="knowledge",
                hint="the bank's question says which item it is for",
            )
        )
    return out


def observation_texts(record: Observation) -> dict[str, str]:
    texts = {
        "location": record.location,
        "narrative": record.narrative,
        "learner_comment": record.learner_comment,
    }
    return {k: v for k, v in texts.items() if v}


def discussion_texts(record: Discussion) -> dict[str, str]:
    texts = {"key_points": record.key_points, "showed": record.showed}
    texts.update({f"topics[{i}]": t for i, t in enumerate(record.topics)})
    return {k: v for k, v in texts.items() if v}


def questioning_texts(record: Questioning) -> dict[str, str]:
    texts = {"answer": record.answer, "note": record.note}
    return {k: v for k, v in texts.items() if v}


def performance_counts(record: Any, standard: Standard) -> bool:
    """Whether an assessor's record is performance evidence for the criteria it names.

    An observation always is; a professional discussion only where the unit's assessment
    strategy counts professional discussion among its performance methods.
    """
    if isinstance(record, Observation):
        return True
    if isinstance(record, Discussion):
        methods = {str(m) for m in standard.assessment_strategy.performance_methods}
        return "professional_discussion" in methods
    return False


def observation_link(layout: Any, record: Any) -> list[Problem]:
    """An evidence record's link to its assessor's observation, if the record is missing."""
    target = layout.root / OBSERVATIONS_FOLDER / f"{record.observation}.yaml"
    if target.is_file():
        return []
    return [
        Problem(
            str(layout.record_path(record.id)),
            f"links to the assessor's observation {record.observation}, which is not in "
            f"{OBSERVATIONS_FOLDER}/",
            field="observation",
            hint="name an observation your assessor recorded (cpc306 assess observe)",
        )
    ]
