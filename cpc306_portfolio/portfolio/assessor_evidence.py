"""The assessor's records of one portfolio read together, and what they add up to.

Performance evidence per criterion (an observation always; a discussion where the unit's
strategy allows), the knowledge items *assessed* (a question marked met, or a discussion
that covers them: apart from what the learner's evidence *maps*), and a decision per
knowledge item from the marks of the questions asked about it. Read by the coverage views, the
HTML and the apps; written only through :mod:`cpc306_portfolio.assessor.records`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from ..standard.model import Standard
from .assessor_models import Discussion, Observation, Questioning, performance_counts
from .kinds import DISCUSSION, OBSERVATION, QUESTIONING

if TYPE_CHECKING:
    from .folio import Portfolio

R = TypeVar("R", Observation, Discussion, Questioning)


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


def performance_records(standard: Standard, records: AssessorRecords) -> dict[str, list[str]]:
    """Per criterion, the ids of the assessor's records that are performance evidence for it."""
    out: dict[str, list[str]] = {}
    both: list[Observation | Discussion] = [*records.observations, *records.discussions]
    for record in both:
        if performance_counts(record, standard):
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


def records_by_item(records: Iterable[R]) -> dict[str, list[R]]:
    """Per knowledge item, the records (in the order given) that name it."""
    out: dict[str, list[R]] = {}
    for record in records:
        for item in record.knowledge:
            out.setdefault(item, []).append(record)
    return out


def knowledge_decisions(records: Sequence[Questioning]) -> dict[str, str]:
    """A decision per knowledge item the assessor asked about, from its questions' marks.

    ``met`` when the latest mark of every question asked about it is met, ``not_yet_met``
    when one is not. The assessor chooses which of the bank's questions to ask (a bank
    offers several per item), so questions never asked do not hold a decision back.
    """
    return {
        item: "met" if all(mark.outcome == "met" for mark in marks) else "not_yet_met"
        for item, marks in records_by_item(latest_marks(records).values()).items()
    }


def assessed_knowledge(records: AssessorRecords) -> dict[str, list[str]]:
    """Per knowledge item, the assessor's records that assessed it.

    A question marked met, or a professional discussion that covers the item. (Mapped is
    what the learner's evidence claims; assessed is what the assessor tested.)
    """
    met = [r for r in latest_marks(records.questioning).values() if r.outcome == "met"]
    out = {item: [r.id for r in marks] for item, marks in records_by_item(met).items()}
    for item, discussions in records_by_item(records.discussions).items():
        out.setdefault(item, []).extend(d.id for d in discussions)
    return out
