"""The kinds of record a portfolio holds, each one part: its model, its folder, its checks.

A portfolio reads, validates, writes and scans every kind the same way, through what its
:class:`RecordKind` says. Adding a kind of record is one more :class:`RecordKind`: a
pydantic model (with ``id``, ``date``, ``criteria``, ``scope``, ``knowledge``,
``confidentiality`` and ``revision``, as :class:`~.models._Mapped` has), an id prefix and a
folder (named in :mod:`.layout`), the checks it needs against the unit, and the free text
a learner writes in it (scanned for identifiers before every save). Nothing else changes:
``Portfolio(..., kinds=(*KINDS, new_kind))`` reads, validates, adds and scans it, and
``tests/test_kinds.py`` shows it with a kind made up for the test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..standard.model import Standard
from .assessor_models import (
    Discussion,
    Observation,
    Questioning,
    check_discussion,
    check_observation,
    check_questioning,
    discussion_texts,
    observation_texts,
    questioning_texts,
)
from .layout import (
    DISCUSSIONS_DIR,
    EVIDENCE_DIR,
    OBSERVATIONS_DIR,
    QUESTIONING_DIR,
    REFLECTIONS_DIR,
    REVIEWS_DIR,
    WITNESSES_DIR,
)
from .models import Assessment, Evidence, Reflection
from .planning import RegisteredWitness, Review
from .unit_checks import check_evidence, check_reflection, check_review, check_witness


@dataclass(frozen=True)
class RecordKind:
    """One kind of record: how it is named, where it lives, how it is checked and scanned."""

    #: What users call it, and what :meth:`Portfolio.draft` takes ("evidence").
    name: str
    model: type[Any]
    #: Its ids are this prefix and at least three digits (``E001``).
    prefix: str
    #: Its folder in the portfolio (a name from :mod:`.layout`).
    folder: str
    #: Problems of a valid record against the loaded unit: ``check(record, unit, path)``.
    check: Callable[[Any, Standard, str], list[Problem]]
    #: The free text a learner wrote in a record, by field name (what the scan reads).
    texts: Callable[[Any], dict[str, str]]
    #: Whether its records carry attachments in a folder named for the record.
    attachments: bool = False
    #: Whether a folder named for a record holds files the record lists, written by the
    #: kind's own function rather than the evidence writer (a discussion's recording).
    keeps_files: bool = False


def evidence_texts(record: Evidence) -> dict[str, str]:
    """Every free-text field of an evidence record, by field name."""
    texts = {"title": record.title, "description": record.description}
    if record.witness:
        texts["witness.statement"] = record.witness.statement
    if record.self_directed_support:
        texts["self_directed_support.notes"] = record.self_directed_support.notes
    for i, att in enumerate(record.attachments):
        texts[f"attachments[{i}].description"] = att.description
    return {k: v for k, v in texts.items() if v}


def reflection_texts(record: Reflection) -> dict[str, str]:
    """Every free-text field of a reflective account, by field name."""
    texts = {"title": record.title, **{f"stages.{k}": v for k, v in record.stages.items()}}
    return {k: v for k, v in texts.items() if v}


def assessment_texts(assessment: Assessment) -> dict[str, str]:
    """The assessor's free text (their feedback), by field name: it is scanned too."""
    texts = {"feedback": assessment.feedback}
    for crit, judgement in assessment.judgements.items():
        texts[f"judgements.{crit}.feedback"] = judgement.feedback
        for action in judgement.actions:
            texts[f"judgements.{crit}.actions.{action.id}.text"] = action.text
            texts[f"judgements.{crit}.actions.{action.id}.closed_note"] = action.closed_note
    if assessment.iqa is not None:
        texts["iqa.notes"] = assessment.iqa.notes
    return {k: v for k, v in texts.items() if v}


EVIDENCE = RecordKind(
    name="evidence",
    model=Evidence,
    prefix="E",
    folder=EVIDENCE_DIR,
    check=check_evidence,
    texts=evidence_texts,
    attachments=True,
)
REFLECTION = RecordKind(
    name="reflection",
    model=Reflection,
    prefix="R",
    folder=REFLECTIONS_DIR,
    check=check_reflection,
    texts=reflection_texts,
)


def review_texts(record: Review) -> dict[str, str]:
    """A progress review's free text: progress, targets and the learner's comments."""
    texts = {"progress": record.progress, "learner_comments": record.learner_comments}
    for i, target in enumerate(record.targets):
        texts[f"targets[{i}].text"] = target.text
    return {k: v for k, v in texts.items() if v}


def witness_texts(record: RegisteredWitness) -> dict[str, str]:
    """A witness's free text, by field name.

    Their name, email and phone are left out: the witness agreed to be named and reached,
    which is what the register is for.
    """
    texts = {
        "role": record.role,
        "organisation": record.organisation,
        "relationship": record.relationship,
    }
    for i, check in enumerate(record.checks):
        texts[f"checks[{i}].notes"] = check.notes
    return {k: v for k, v in texts.items() if v}


REVIEW = RecordKind(
    name="review",
    model=Review,
    prefix="V",
    folder=REVIEWS_DIR,
    check=check_review,
    texts=review_texts,
)
WITNESS = RecordKind(
    name="witness",
    model=RegisteredWitness,
    prefix="W",
    folder=WITNESSES_DIR,
    check=check_witness,
    texts=witness_texts,
)
# The assessor's own records (schema 4). The learner's app never writes them: its forms
# add only evidence and reflections (and a comment on an observation, see
# :func:`.assessor_records.comment_on_observation`).
OBSERVATION = RecordKind(
    name="observation",
    model=Observation,
    prefix="O",
    folder=OBSERVATIONS_DIR,
    check=check_observation,
    texts=observation_texts,
)
DISCUSSION = RecordKind(
    name="discussion",
    model=Discussion,
    prefix="D",
    folder=DISCUSSIONS_DIR,
    check=check_discussion,
    texts=discussion_texts,
    keeps_files=True,
)
QUESTIONING = RecordKind(
    name="questioning",
    model=Questioning,
    prefix="Q",
    folder=QUESTIONING_DIR,
    check=check_questioning,
    texts=questioning_texts,
)
#: The kinds only an assessor writes.
ASSESSOR_KINDS: tuple[RecordKind, ...] = (OBSERVATION, DISCUSSION, QUESTIONING)
#: Every kind a portfolio holds, in the order they are read and validated.
KINDS: tuple[RecordKind, ...] = (EVIDENCE, REFLECTION, REVIEW, WITNESS, *ASSESSOR_KINDS)


def record_texts(record: Evidence | Reflection) -> dict[str, str]:
    """Every free-text field a learner writes in an evidence record or a reflection."""
    if isinstance(record, Evidence):
        return evidence_texts(record)
    return reflection_texts(record)
