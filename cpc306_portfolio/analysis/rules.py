"""The assessment strategy's rules applied to one criterion: reasons, gaps and notes.

Pure over records and the loaded unit; :mod:`.coverage` builds its tables from these.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..portfolio.assessor_models import Discussion, Observation, performance_counts
from ..portfolio.models import Evidence, Reflection
from ..standard.methods import AssessmentMethod
from ..standard.model import Criterion, Standard

MATRIX_REFLECTION = AssessmentMethod.REFLECTIVE_ACCOUNT.value

#: What coverage counts: the learner's records, and the assessor's observations and
#: discussions (performance evidence for the criteria they name, see ``performance_counts``).
Record = Evidence | Reflection | Observation | Discussion


@dataclass(frozen=True)
class Gap:
    """One thing still missing, in plain English, with what to do about it."""

    target: str
    kind: str
    message: str
    next_step: str


def method_of(record: Record) -> str:
    if isinstance(record, Evidence):
        return record.method.value
    if isinstance(record, Observation):
        return AssessmentMethod.OBSERVATION.value
    if isinstance(record, Discussion):
        return AssessmentMethod.PROFESSIONAL_DISCUSSION.value
    return MATRIX_REFLECTION


def months_before(day: date, months: int) -> date:
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def join_ids(ids: Sequence[str]) -> str:
    return ", ".join(ids)


def _or_list(words: Sequence[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _article(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def _method_phrase(methods: Sequence[AssessmentMethod]) -> str:
    return _or_list([_article(m.label.lower()) for m in methods])


@dataclass
class CriterionCheck:
    """The rules of the assessment strategy applied to one criterion's records."""

    reasons: list[str]
    gaps: list[Gap]
    notes: list[str]


def check_criterion(
    standard: Standard, crit: Criterion, records: Sequence[Record], cutoff: date | None
) -> CriterionCheck:
    strategy = standard.assessment_strategy
    notes: list[str] = []
    current: list[Record] = []
    for rec in records:
        if cutoff is not None and rec.date < cutoff:
            notes.append(
                f"{rec.id} (dated {rec.date.isoformat()}) is out of date: this unit counts "
                f"evidence from {cutoff.isoformat()} on"
            )
        elif isinstance(rec, Evidence) and rec.simulated and not strategy.simulation_allowed:
            notes.append(f"{rec.id} is simulated, and this unit accepts only real work")
        else:
            current.append(rec)

    examples = "; ".join(crit.typical_evidence)
    why = f" ({'; '.join(notes)})" if notes else ""
    reasons: list[str] = []
    gaps: list[Gap] = []
    perf = [
        r
        for r in current
        if (isinstance(r, Evidence) and r.method in strategy.performance_methods)
        or performance_counts(r, standard)
    ]
    if not perf:
        phrase = _method_phrase(strategy.performance_methods)
        kinds = _or_list([m.label.lower() for m in strategy.performance_methods])
        reasons.append(f"no current evidence from {phrase}")
        gaps.append(
            Gap(
                crit.id,
                "performance",
                f"{crit.id} has no evidence from {phrase}{why}",
                f"add a record of {kinds} evidence from your real work that shows {crit.id}, "
                f"for example: {examples}",
            )
        )
    if crit.id in strategy.reflective_account_required and not any(
        method_of(r) == MATRIX_REFLECTION for r in current
    ):
        reasons.append("no reflective account")
        gaps.append(
            Gap(
                crit.id,
                "reflective_account",
                f"{crit.id} needs a reflective account and has none{why}",
                f"write a reflective account of your own practice and map it to {crit.id}",
            )
        )
    need = strategy.min_items_per_criterion
    if len(current) < need:
        reasons.append(f"{len(current)} current item(s) of the {need} this unit asks for")
        # Each gap above is met by adding one item; list the count only if more are needed.
        more = need - len(current) - len(gaps)
        if more > 0:
            gaps.append(
                Gap(
                    crit.id,
                    "items",
                    f"{crit.id} has {len(current)} current item(s) of evidence; "
                    f"this unit asks for {need}{why}",
                    f"add {more} more item(s) of evidence that show {crit.id}, "
                    f"for example: {examples}",
                )
            )
    return CriterionCheck(reasons, gaps, notes)
