"""The assessor's own records: observe, discuss, question, and what they add up to.

Each function writes one record under ``assessor/`` through the portfolio's writer (the
lock, the unit's checks, the identifier scan), so the CLI and the assessor's app are thin
layers over them. :func:`comment_on_observation` is the one write the learner's side makes
to an assessor's record: the learner's comment, scanned like all learner text.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import NotFoundError, UsageError
from ..files.atomic import fsync_dir, sha256_file
from ..portfolio.assessor_models import (
    MARKS,
    Discussion,
    Observation,
    Questioning,
    performance_counts,
)
from ..portfolio.kinds import DISCUSSION, OBSERVATION, QUESTIONING
from ..portfolio.models import now
from ..portfolio.store import Portfolio
from ..standard.bank import Banked, find_question, question_bank

Pathish = str | os.PathLike[str]


def _assessor(portfolio: Portfolio, name: str) -> str:
    return name.strip() or portfolio.profile.assessor.name


def observe(
    portfolio: Portfolio,
    *,
    on: date | str,
    criteria: Sequence[str],
    narrative: str,
    scope: Sequence[str] = (),
    knowledge: Sequence[str] = (),
    location: str = "",
    assessor: str = "",
    acknowledge: Mapping[str, str] | None = None,
) -> Observation:
    """Record what the assessor saw (``assessor/observations/O001.yaml``); return it."""
    fields = {
        "date": on,
        "assessor": _assessor(portfolio, assessor),
        "location": location.strip(),
        "narrative": narrative,
        "criteria": [c.strip().upper() for c in criteria],
        "scope": list(scope),
        "knowledge": list(knowledge),
    }
    record: Observation = portfolio.add(OBSERVATION, fields, acknowledge=acknowledge)
    return record


def discuss(
    portfolio: Portfolio,
    *,
    on: date | str,
    knowledge: Sequence[str],
    key_points: str,
    topics: Sequence[str] = (),
    showed: str = "",
    criteria: Sequence[str] = (),
    scope: Sequence[str] = (),
    recording: Pathish | None = None,
    assessor: str = "",
    acknowledge: Mapping[str, str] | None = None,
) -> Discussion:
    """Record a professional discussion (``assessor/discussions/D001.yaml``); return it.

    A ``recording`` is copied into ``assessor/discussions/D001/`` with its SHA-256 and size.
    """
    fields: dict[str, Any] = {
        "date": on,
        "assessor": _assessor(portfolio, assessor),
        "topics": [t.strip() for t in topics if t.strip()],
        "key_points": key_points,
        "showed": showed,
        "criteria": [c.strip().upper() for c in criteria],
        "scope": list(scope),
        "knowledge": list(knowledge),
    }
    if recording is None:
        record: Discussion = portfolio.add(DISCUSSION, fields, acknowledge=acknowledge)
        return record
    source = Path(recording)
    if not source.is_file() or source.is_symlink():
        raise UsageError(f"{source}: no such file", hint="check the path given to --attach")
    with portfolio.locked():
        portfolio.records.draft(DISCUSSION, fields)  # refuses bad fields before any copy
        record_id = portfolio.records.next_id(DISCUSSION)
        folder = portfolio.layout.folder(DISCUSSION) / record_id
        folder.mkdir(parents=True, exist_ok=False)
        target = folder / source.name
        shutil.copyfile(source, target)
        fsync_dir(folder)
        digest, size = sha256_file(target)
        rel = target.relative_to(portfolio.root).as_posix()
        fields["recording"] = {"path": rel, "sha256": digest, "size": size}
        try:
            record = portfolio.add(DISCUSSION, fields, acknowledge=acknowledge)
        except Exception:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    return record


def question(
    portfolio: Portfolio,
    question_id: str,
    *,
    answer: str,
    outcome: str,
    note: str = "",
    on: date | str | None = None,
    banks: Sequence[Pathish] = (),
    assessor: str = "",
    acknowledge: Mapping[str, str] | None = None,
) -> Questioning:
    """Mark the learner's answer to a bank question (``assessor/questioning/Q001.yaml``)."""
    mark = outcome.strip().lower().replace(" ", "_")
    if mark not in MARKS:
        raise UsageError(f"unknown outcome {outcome!r}", hint="use met or not_yet_met")
    banked = find_question(question_bank(portfolio.standard, banks), question_id)
    fields = {
        "date": on or date.today(),
        "assessor": _assessor(portfolio, assessor),
        "question_id": banked.question.id,
        "question": banked.question.question,
        "bank": banked.source,
        "answer": answer,
        "outcome": mark,
        "note": note,
        "knowledge": [banked.question.knowledge],
    }
    record: Questioning = portfolio.add(QUESTIONING, fields, acknowledge=acknowledge)
    return record


def comment_on_observation(
    portfolio: Portfolio,
    observation_id: str,
    text: str,
    *,
    acknowledge: Mapping[str, str] | None = None,
) -> Observation:
    """The learner's comment on their assessor's observation (scanned like all their text).

    Only the comment changes; the assessor's account is never touched. The sign-off covers
    the record as it was signed, so a comment added after it shows as a change there.
    """
    with portfolio.locked():
        record: Observation = portfolio.records.get(OBSERVATION, observation_id.strip().upper())
        changed = record.model_copy(
            update={"learner_comment": text.strip(), "learner_comment_at": now()}
        )
        saved: Observation = portfolio.update(changed, acknowledge=acknowledge)
    return saved


@dataclass(frozen=True)
class AssessorRecords:
    """Every assessor's record of a portfolio, read once."""

    observations: list[Observation]
    discussions: list[Discussion]
    questioning: list[Questioning]

    @property
    def all(self) -> list[Observation | Discussion | Questioning]:
        return [*self.observations, *self.discussions, *self.questioning]

    def for_criterion(self, criterion: str) -> list[Observation | Discussion]:
        """The observations and discussions mapped to a criterion, by date."""
        found: list[Observation | Discussion] = [
            r for r in self.observations if criterion in r.criteria
        ]
        found += [r for r in self.discussions if criterion in r.criteria]
        return sorted(found, key=lambda r: (r.date, r.id))


def read_assessor_records(portfolio: Portfolio) -> AssessorRecords:
    """The assessor's observations, discussions and questioning; raises on a bad file."""
    kinds = portfolio.records.kinds
    return AssessorRecords(
        observations=portfolio.records.all(OBSERVATION) if OBSERVATION in kinds else [],
        discussions=portfolio.records.all(DISCUSSION) if DISCUSSION in kinds else [],
        questioning=portfolio.records.all(QUESTIONING) if QUESTIONING in kinds else [],
    )


def performance_records(portfolio: Portfolio, records: AssessorRecords) -> dict[str, list[str]]:
    """Per criterion, the ids of the assessor's records that are performance evidence for it."""
    out: dict[str, list[str]] = {}
    both: list[Observation | Discussion] = [*records.observations, *records.discussions]
    for record in both:
        if performance_counts(record, portfolio.standard):
            for criterion in record.criteria:
                out.setdefault(criterion, []).append(record.id)
    return out


def observation_of(evidence_id: str, linked: str | None, records: AssessorRecords) -> str:
    """The assessor's observation an evidence record stands for (its link, or migration)."""
    if linked:
        return linked
    for record in records.observations:
        if record.learner_record == evidence_id:
            return record.id
    return ""


def latest_marks(records: Sequence[Questioning]) -> dict[str, Questioning]:
    """Each question's latest mark (a question asked again replaces the earlier mark)."""
    out: dict[str, Questioning] = {}
    for record in sorted(records, key=lambda r: (r.date, int(r.id[1:]))):
        out[record.question_id] = record
    return out


def knowledge_decisions(bank: Sequence[Banked], records: Sequence[Questioning]) -> dict[str, str]:
    """A decision per knowledge item once every bank question for it is marked.

    ``met`` when each of its questions' latest mark is met, ``not_yet_met`` when all are
    marked and one is not; an item with a question still unmarked has no decision yet.
    """
    marks = latest_marks(records)
    by_item: dict[str, list[str]] = {}
    for banked in bank:
        by_item.setdefault(banked.question.knowledge, []).append(banked.question.id)
    for record in marks.values():
        for item in record.knowledge:
            by_item.setdefault(item, [])
            if record.question_id not in by_item[item]:
                by_item[item].append(record.question_id)
    out: dict[str, str] = {}
    for item, ids in by_item.items():
        if ids and all(i in marks for i in ids):
            out[item] = "met" if all(marks[i].outcome == "met" for i in ids) else "not_yet_met"
    return out


def assessed_knowledge(records: AssessorRecords) -> dict[str, list[str]]:
    """Per knowledge item, the assessor's records that assessed it.

    A question marked met, or a professional discussion that covers the item. (Mapped is
    what the learner's evidence claims; assessed is what the assessor tested.)
    """
    out: dict[str, list[str]] = {}
    for record in latest_marks(records.questioning).values():
        if record.outcome == "met":
            for item in record.knowledge:
                out.setdefault(item, []).append(record.id)
    for discussion in records.discussions:
        for item in discussion.knowledge:
            out.setdefault(item, []).append(discussion.id)
    return out


def require_observation(records: AssessorRecords, observation_id: str) -> Observation:
    for record in records.observations:
        if record.id == observation_id:
            return record
    ids = ", ".join(r.id for r in records.observations) or "none yet"
    raise NotFoundError(
        f"no assessor's observation {observation_id!r}",
        hint=f"your assessor's observations: {ids}",
    )
