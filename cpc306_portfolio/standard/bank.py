"""Question banks: the unit's own questions, and a centre's bank file beside them.

A unit file may carry ``question_bank:``, a list of questions, each for one knowledge item
or sub-item, with a model answer and what a sufficient answer must contain (ours, like the
explanations). A centre adds a bank of its own as a file of the same questions::

    schema: cpc306-bank/1
    unit: CPC 306
    questions:
      - id: NSA-K1-1
        knowledge: K1
        question: ...
        model_answer: ...
        must_include: [...]

Both are validated the same way (:func:`.checks.question_problems`): unique ids (across
the unit and every bank used with it), and knowledge items the unit has. The engine works
from whatever unit is loaded: nothing here knows CPC 306.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import NotFoundError, Problem, StandardError
from ..files.yamlio import parse_model
from .checks import question_problems
from .model import BankQuestion, Standard, Text

BANK_SCHEMA = "cpc306-bank/1"


class BankFile(BaseModel):
    """A centre's question bank file for one unit."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["cpc306-bank/1"] = Field(alias="schema")
    unit: Text = Field(description="the code of the unit the questions are for")
    questions: list[BankQuestion] = Field(min_length=1)


@dataclass(frozen=True)
class Banked:
    """A question and where it came from (the unit, or a bank file's name)."""

    question: BankQuestion
    source: str


def _unit_source(standard: Standard) -> str:
    return f"the unit {standard.code}"


def installed_questions(standard: Standard) -> list[BankQuestion]:
    """The questions of the installed unit of the same code, when it is another file.

    A portfolio keeps its own copy of its unit, which may be older than the bank: the
    installed unit's questions are offered beside the copy's (the copy's win on an id).
    """
    from .loader import load_standard

    try:
        installed = load_standard(standard.code)
    except (NotFoundError, StandardError):
        return []
    if installed.source_path is not None and installed.source_path == standard.source_path:
        return []
    return list(installed.question_bank)


def load_bank_file(
    path: str | os.PathLike[str], standard: Standard, taken: Sequence[str] = ()
) -> list[BankQuestion]:
    """A centre's bank file, validated against the unit; raises naming file and field."""
    file = Path(path)
    hint = f"fix the bank file {file}; nothing was written"
    if not file.is_file():
        raise NotFoundError(f"{file}: no such bank file", hint="check the path given to --bank")
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StandardError([Problem(str(file), f"cannot be read: {exc}")], hint=hint) from None
    bank, tree, problems = parse_model(BankFile, text, file)
    if bank is None:
        raise StandardError(problems, hint=hint)
    from .loader import same_code

    if not same_code(bank.unit, standard.code):
        raise StandardError(
            [
                Problem(
                    str(file), f"is a bank for {bank.unit!r}, not {standard.code!r}", field="unit"
                )
            ],
            hint="give a bank file for this portfolio's unit",
        )
    problems = question_problems(bank.questions, standard, tree, file, ("questions",), taken)
    if problems:
        raise StandardError(problems, hint=hint)
    return list(bank.questions)


def question_bank(
    standard: Standard, bank_files: Sequence[str | os.PathLike[str]] = ()
) -> list[Banked]:
    """Every question on offer for a unit: its own, the installed unit's, then bank files."""
    found = [Banked(q, _unit_source(standard)) for q in standard.question_bank]
    ids = {b.question.id for b in found}
    for question in installed_questions(standard):
        if question.id not in ids:
            found.append(Banked(question, f"the installed unit {standard.code}"))
            ids.add(question.id)
    for bank_file in bank_files:
        for question in load_bank_file(bank_file, standard, sorted(ids)):
            found.append(Banked(question, Path(bank_file).name))
            ids.add(question.id)
    return found


def find_question(bank: Sequence[Banked], question_id: str) -> Banked:
    """One question by id; the error lists the ids there are."""
    for banked in bank:
        if banked.question.id == question_id.strip():
            return banked
    ids = ", ".join(b.question.id for b in bank) or "none: the unit has no question bank"
    raise NotFoundError(
        f"no question {question_id!r} in the question bank",
        hint=f"questions: {ids}; or add a bank of your own with --bank FILE",
    )
