"""Over-mapping: evidence mapped to more criteria than the unit's strategy allows.

Holistic assessment lets one item show many criteria, but an item mapped to very many
may be mapped by hope rather than by what it shows. The unit file sets the limit
(``assessment_strategy.max_criteria_per_item``); the assessor is warned about each item
over it, and about each criterion that rests only on such items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..portfolio.models import Evidence, Reflection
from ..standard.model import Standard


@dataclass(frozen=True)
class OverMapping:
    """Warnings by item id and by criterion id (empty when the unit sets no limit)."""

    limit: int | None
    items: dict[str, str] = field(default_factory=dict)
    criteria: dict[str, str] = field(default_factory=dict)

    @property
    def messages(self) -> list[str]:
        return [f"{k}: {v}" for k, v in (*self.items.items(), *self.criteria.items())]


def over_mapping(standard: Standard, records: Sequence[Evidence | Reflection]) -> OverMapping:
    """Items mapped to more criteria than the unit allows, and criteria resting only on them."""
    limit = standard.assessment_strategy.max_criteria_per_item
    if limit is None:
        return OverMapping(None)
    wide = {
        r.id: f"mapped to {len(r.criteria)} criteria, more than the {limit} the unit's "
        "assessment strategy expects of one item: check it shows each one"
        for r in records
        if len(r.criteria) > limit
    }
    criteria: dict[str, str] = {}
    mapped: dict[str, list[str]] = {}
    for r in records:  # one pass: a portfolio may hold 10,000 records
        for criterion in dict.fromkeys(r.criteria):
            mapped.setdefault(criterion, []).append(r.id)
    for criterion in standard.criteria:
        ids = mapped.get(criterion, [])
        if ids and all(i in wide for i in ids):
            criteria[criterion] = (
                f"rests only on {', '.join(ids)}, each mapped to more than {limit} criteria"
            )
    return OverMapping(limit, wide, criteria)
