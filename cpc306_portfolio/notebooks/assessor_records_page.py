"""The assessor's own records page, and their records under a criterion, in the workspace.

The page lists the learner's observations, professional discussions and questioning records
(all the assessor's), what each knowledge item is *mapped* to by the learner's evidence against
what the assessor *assessed* (a question marked met or a discussion), and a decision per
knowledge item from the questions asked; below, the forms of
:mod:`.assessor_record_forms`. Everything the learner wrote is escaped by the templates.
"""

from __future__ import annotations

from collections.abc import Callable

from ..analysis.coverage_rows import CoverageRows as Coverage  # what a LivePage draws from
from ..portfolio.assessor_evidence import (
    assessed_knowledge,
    knowledge_decisions,
    read_assessor_records,
)
from ..portfolio.assessor_models import performance_counts
from ..portfolio.models import Evidence, Reflection
from ..portfolio.store import Portfolio
from .views import _render


#: The records page of one learner (relative to the served pages).
def records_href(learner_key: str, record_id: str = "") -> str:
    """The address of a learner's records page, at one record when ``record_id`` is given."""
    return f"records.ipynb?learner={learner_key}" + (f"#{record_id}" if record_id else "")


def records_view(learner_key: str) -> Callable[[Portfolio, Coverage], str]:
    """What the records page shows above its forms."""

    def draw(folio: Portfolio, _coverage: Coverage) -> str:
        records = read_assessor_records(folio)
        mapped: dict[str, list[str]] = {}
        learner_records: list[Evidence | Reflection] = [*folio.evidence(), *folio.reflections()]
        for record in learner_records:
            for item in record.knowledge:
                mapped.setdefault(item, []).append(record.id)
        assessed = assessed_knowledge(records)
        decisions = knowledge_decisions(records.questioning)
        knowledge = [
            {
                "id": k,
                "text": text,
                "mapped": mapped.get(k, []),
                "assessed": assessed.get(k, []),
                "decision": decisions.get(k, ""),
            }
            for k, text in folio.standard.knowledge_ids.items()
        ]
        return _render(
            "assessor_own_records",
            key=learner_key,
            observations=records.observations,
            discussions=records.discussions,
            questioning=records.questioning,
            knowledge=knowledge,
            counts={r.id: performance_counts(r, folio.standard) for r in records.discussions},
        )

    return draw


def criterion_records_view(
    learner_key: str, criterion: str
) -> Callable[[Portfolio, Coverage], str]:
    """The assessor's own records mapped to one criterion, linked to the records page."""

    def draw(folio: Portfolio, _coverage: Coverage) -> str:
        found = read_assessor_records(folio).for_criterion(criterion)
        return _render(
            "assessor_criterion_records",
            criterion=criterion,
            records=found,
            performance={r.id: performance_counts(r, folio.standard) for r in found},
            href=lambda ident="": records_href(learner_key, ident),
        )

    return draw
