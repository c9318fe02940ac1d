"""The assessor's caseload as its page shows it: each learner, and what waits for a decision.

Which folders make the caseload is found by :func:`cohort.caseload.caseload_folders` (the
command does it, and hands the pages the result). Each summary is read through the library
only: nothing in a learner's folder is run or imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..analysis.status import PortfolioStatus, portfolio_status
from ..errors import PortfolioError
from ..portfolio.models import Evidence, Reflection
from ..portfolio.reviews import planning_status
from ..portfolio.store import Portfolio, open_portfolio


@dataclass(frozen=True)
class Waiting:
    """One criterion that waits for the assessor's decision, and why."""

    criterion: str
    why: str
    since: date


@dataclass
class LearnerSummary:
    """One learner as the caseload page shows them."""

    key: str
    name: str
    met: int = 0
    total: int = 0
    waiting: list[Waiting] = field(default_factory=list)
    problem: str = ""
    #: The assessment plan at a glance (``planning_status``): next review, overdue activities.
    planning: dict[str, Any] = field(default_factory=dict)

    @property
    def next_review(self) -> str:
        """When the next progress review is due, in words ('' if none is set)."""
        due = self.planning.get("next_review", "")
        return date.fromisoformat(due).strftime("%d %B %Y") if due else ""

    @property
    def oldest(self) -> date | None:
        """The date of the oldest item that waits (None when nothing waits)."""
        return min((w.since for w in self.waiting), default=None)


def _changed_since(record: Evidence | Reflection, judged: date) -> bool:
    return record.modified.date() > judged


def waiting_for_decision(folio: Portfolio, status: PortfolioStatus | None = None) -> list[Waiting]:
    """Criteria with evidence and no judgement, or judged before an item mapped to it changed."""
    status = status or portfolio_status(folio)
    records: list[Evidence | Reflection] = [*status.evidence, *status.reflections]
    out = []
    for criterion in folio.standard.criteria:
        mapped = [r for r in records if criterion in r.criteria]
        if not mapped:
            continue
        judgement = status.assessment.judgements.get(criterion)
        if judgement is None:
            since = min(r.modified.date() for r in mapped)
            out.append(Waiting(criterion, "evidence, no decision yet", since))
            continue
        changed = [r for r in mapped if _changed_since(r, judgement.judged_on)]
        if changed:
            ids = ", ".join(r.id for r in changed)
            since = min(r.modified.date() for r in changed)
            out.append(Waiting(criterion, f"{ids} changed since judged", since))
    return out


def learner_summary(key: str, path: Path) -> LearnerSummary:
    """Name, progress (criteria met of all) and what waits, for one learner."""
    try:
        folio = open_portfolio(path, readonly=True)
        summary = LearnerSummary(key, folio.profile.learner.name)
        status = portfolio_status(folio)
        summary.met = status.progress.criteria_met
        summary.total = status.progress.criteria_total
        summary.waiting = waiting_for_decision(folio, status)
        summary.planning = planning_status(folio, date.today())
    except PortfolioError as exc:
        return LearnerSummary(key, "A portfolio that could not be read", problem=str(exc))
    return summary


def caseload_summaries(folders: dict[str, Path]) -> list[LearnerSummary]:
    """Every learner of the caseload, those with the oldest waiting item first."""
    rows = [learner_summary(key, path) for key, path in folders.items()]
    return sorted(rows, key=lambda s: (s.oldest is None, s.oldest or date.max, s.name.lower()))
