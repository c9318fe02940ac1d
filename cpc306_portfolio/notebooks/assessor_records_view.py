"""The learner's read-only view of their assessor's records on a criterion page.

Kept apart from :mod:`.views` (same templates, same escaping): the learner reads the
assessor's observations and discussions here and never edits them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .views import _render

if TYPE_CHECKING:
    from ..portfolio.store import Portfolio


def assessor_records_html(portfolio: Portfolio, criterion_id: str) -> str:
    """The assessor's observations and discussions for a criterion, read-only ('' if none)."""
    from ..portfolio.assessor_evidence import read_assessor_records
    from ..portfolio.assessor_models import Observation, performance_counts

    found = read_assessor_records(portfolio).for_criterion(criterion_id)
    if not found:
        return ""
    records = [
        {
            "id": r.id,
            "kind": "Observation" if isinstance(r, Observation) else "Professional discussion",
            "assessor": r.assessor,
            "date": r.date.isoformat(),
            "performance": performance_counts(r, portfolio.standard),
            "migrated": r.migrated if isinstance(r, Observation) else "",
            "text": r.narrative if isinstance(r, Observation) else r.key_points,
            "comment": r.learner_comment if isinstance(r, Observation) else "",
        }
        for r in found
    ]
    return _render("assessor_records", criterion=criterion_id, records=records)
