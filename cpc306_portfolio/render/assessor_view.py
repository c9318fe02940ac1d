"""The assessor's own records as the report shows them: masked, grouped, linked.

Observations, professional discussions and questioning are shown under each criterion they
name and in a section of their own, always labelled as the assessor's. Their free text (the
learner's comment and answers among it) is masked where a finding is open, as any record's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..portfolio.assessor_evidence import (
    AssessorRecords,
    knowledge_decisions,
    latest_marks,
    observation_of,
    read_assessor_records,
)
from ..portfolio.assessor_models import Discussion, Observation, Questioning, performance_counts
from ..portfolio.store import Portfolio
from .withheld import Withheld, _masked

R = TypeVar("R", Observation, Discussion, Questioning)

KIND_LABELS: dict[type, str] = {
    Observation: "Observation",
    Discussion: "Professional discussion",
    Questioning: "Questioning",
}


def mask_assessor_record(record: R, withheld: Withheld) -> R:
    """A copy with open findings masked in every free-text field (as the scan names them)."""
    fields = withheld.spans.get(record.id)
    if not fields:
        return record

    def m(name: str, text: str) -> str:
        return _masked(text, fields.get(name, []))

    update: dict[str, Any] = {}
    if isinstance(record, Observation):
        for name in ("location", "narrative", "learner_comment"):
            update[name] = m(name, getattr(record, name))
    elif isinstance(record, Discussion):
        update["key_points"] = m("key_points", record.key_points)
        update["showed"] = m("showed", record.showed)
        update["topics"] = [m(f"topics[{i}]", t) for i, t in enumerate(record.topics)]
    else:
        update["answer"] = m("answer", record.answer)
        update["note"] = m("note", record.note)
    return record.model_copy(update=update)


@dataclass
class AssessorView:
    """The assessor's records of one portfolio, ready for the templates."""

    records: AssessorRecords = field(default_factory=lambda: AssessorRecords([], [], []))
    #: A decision per knowledge item asked about, from its questions' latest marks.
    decisions: dict[str, str] = field(default_factory=dict)
    #: Observation ids that count as performance evidence, and discussions that do.
    performance: set[str] = field(default_factory=set)

    @property
    def shown(self) -> bool:
        return bool(self.records.all)

    def kind_label(self, record: Any) -> str:
        return KIND_LABELS.get(type(record), "Record")

    def for_criterion(self, criterion: str) -> list[Observation | Discussion]:
        return self.records.for_criterion(criterion)

    def observation_of(self, evidence_id: str, linked: str | None) -> str:
        """The assessor's observation a learner's evidence record stands for, if any."""
        return observation_of(evidence_id, linked, self.records)

    @property
    def questioning(self) -> list[Questioning]:
        """Each question's latest mark, in the order the questions were first asked."""
        return sorted(latest_marks(self.records.questioning).values(), key=lambda r: r.id)

    def earlier_marks(self, record: Questioning) -> list[Questioning]:
        """The earlier answers to ``record``'s question that its mark replaced, oldest first."""
        return sorted(
            (
                q
                for q in self.records.questioning
                if q.question_id == record.question_id and q.id != record.id
            ),
            key=lambda q: (q.date, int(q.id[1:])),
        )


def assessor_view(portfolio: Portfolio, withheld: Withheld) -> AssessorView:
    """The assessor's records, masked where a finding is open, with their decisions."""
    found = read_assessor_records(portfolio)
    records = AssessorRecords(
        observations=[mask_assessor_record(r, withheld) for r in found.observations],
        discussions=[mask_assessor_record(r, withheld) for r in found.discussions],
        questioning=[mask_assessor_record(r, withheld) for r in found.questioning],
    )
    decisions = knowledge_decisions(records.questioning) if records.questioning else {}
    both: list[Observation | Discussion] = [*records.observations, *records.discussions]
    performance = {r.id for r in both if performance_counts(r, portfolio.standard)}
    return AssessorView(records, decisions, performance)
