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
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..files.atomic import fsync_dir, sha256_file
from ..portfolio.assessor_models import (
    MARKS,
    Discussion,
    Observation,
    Questioning,
)
from ..portfolio.checks import Unknown
from ..portfolio.kinds import DISCUSSION, OBSERVATION, QUESTIONING
from ..portfolio.models import now
from ..portfolio.store import Portfolio
from ..standard.bank import find_question, question_bank

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
        if folder.exists():
            raise UsageError(
                f"{folder}: a folder is there with no {record_id}.yaml (left by a discussion "
                "whose recording was being copied when it stopped)",
                hint="look inside it, move anything you need elsewhere, remove it and run the "
                "command again",
            )
        folder.mkdir(parents=True)
        target = folder / source.name
        partial = folder / f".{source.name}.partial"
        shutil.copyfile(source, partial)
        os.replace(partial, target)
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
    unknown: Unknown = "error",
) -> Observation:
    """The learner's comment on their assessor's observation (scanned like all their text).

    Only the comment changes; the assessor's account is never touched. The sign-off covers
    the record as it was signed, so a comment added after it shows as a change there.
    ``acknowledge`` and ``unknown`` as for :meth:`~..portfolio.folio.Portfolio.update`.
    """
    with portfolio.locked():
        record: Observation = portfolio.records.get(OBSERVATION, observation_id.strip().upper())
        changed = record.model_copy(
            update={"learner_comment": text.strip(), "learner_comment_at": now()}
        )
        saved: Observation = portfolio.update(changed, acknowledge=acknowledge, unknown=unknown)
    return saved
