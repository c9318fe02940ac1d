"""The cohort as rows a centre manager reads: one per learner, grouped by unit.

Every learner is a row, failed ones included (with why); rows know their unit, their
folder, their last activity and whether they have gone quiet, and what changed since the
last run. The page, the CSV files and the IQA sample are all built from these rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..analysis.coverage_rows import STATUS_LABELS, STATUS_SYMBOLS
from .worker import FAILED, LearnerResult

DEFAULT_QUIET_DAYS = 28
#: The learner's overall state, in the order the status filter and sort use.
STATES = {
    "failed": "Failed",
    "not_started": "Not started",
    "in_progress": "In progress",
    "ready": "Ready for assessment",
    "complete": "Every criterion met",
}
UNKNOWN_UNIT = ("", "Unit not known: the portfolio could not be read")


@dataclass(frozen=True)
class Unit:
    """One unit of the cohort: its code and title, and its criteria by element, in order."""

    code: str
    title: str
    elements: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def criteria(self) -> list[str]:
        return [c for _, crits in self.elements for c in crits]

    @property
    def label(self) -> str:
        return f"{self.code}: {self.title}" if self.code else self.title


@dataclass
class Row:
    """One learner on the dashboard (``summary`` is ``None`` when nothing could be read)."""

    index: int
    result: LearnerResult
    name: str
    assessor: str
    unit: str
    state: str
    last_activity: str = ""
    days_quiet: int | None = None
    quiet: bool = False
    #: When the next progress review is due, and whether that day has passed.
    next_review: str = ""
    review_overdue: bool = False
    change: str = ""
    cells: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.result.key

    @property
    def summary(self) -> dict[str, Any] | None:
        return self.result.summary

    @property
    def failed(self) -> bool:
        return self.result.outcome == FAILED

    @property
    def percent(self) -> float | None:
        return self.summary["progress"]["percent_ready"] if self.summary else None


def unit_key(summary: Mapping[str, Any] | None) -> str:
    """How rows are grouped: by the unit's code and title (two files, one code: apart)."""
    if not summary:
        return ""
    return f"{summary.get('unit', '')}\0{summary.get('unit_title', '')}"


def cohort_units(results: Sequence[LearnerResult]) -> dict[str, Unit]:
    """Each unit the cohort's readable learners work to, criteria in the unit's order."""
    units: dict[str, Unit] = {}
    for r in results:
        if not r.summary:
            continue
        key = unit_key(r.summary)
        unit = units.setdefault(
            key, Unit(str(r.summary.get("unit", "")), str(r.summary.get("unit_title", "")))
        )
        for c in r.summary.get("criteria", []):
            if c["criterion"] in unit.criteria:
                continue
            for element, crits in unit.elements:
                if element == c["element"]:
                    crits.append(c["criterion"])
                    break
            else:
                unit.elements.append((c["element"], [c["criterion"]]))
    return units


def _state(summary: Mapping[str, Any] | None, failed: bool) -> str:
    if failed or not summary:
        return "failed"
    if summary.get("complete"):
        return "complete"
    if summary.get("ready"):
        return "ready"
    statuses = {c["status"] for c in summary.get("criteria", [])}
    return "not_started" if statuses <= {"not_started"} else "in_progress"


def _change(r: LearnerResult, before: LearnerResult | None) -> str:
    if before is None:
        return "added" + (", failed" if r.failed else "")
    if r.failed and not before.failed:
        return "failed newly"
    if before.failed and not r.failed:
        return "fixed since the last run"
    now, then = r.summary or {}, before.summary or {}
    if not now or not then:
        return ""
    was = {c["criterion"]: c["status"] for c in then.get("criteria", [])}
    moved = [c for c in now.get("criteria", []) if was.get(c["criterion"]) != c["status"]]
    if not moved:
        return ""
    p, q = now["progress"], then["progress"]
    ready_now = p["criteria_ready"] + p["criteria_met"]
    ready_then = q["criteria_ready"] + q["criteria_met"]
    return (
        f"moved: {len(moved)} criteria changed status; ready or met {ready_then} -> "
        f"{ready_now} of {p['criteria_total']}"
    )


def learner_rows(
    results: Sequence[LearnerResult],
    previous: Mapping[str, LearnerResult] | None,
    *,
    quiet_days: int = DEFAULT_QUIET_DAYS,
    today: date | None = None,
) -> list[Row]:
    """One row per learner, in cohort order; ``previous`` is the last run's results."""
    day = today or date.today()
    rows = []
    for i, r in enumerate(results):
        s = r.summary
        row = Row(
            index=i,
            result=r,
            name=str(s["name"]) if s else r.name,
            assessor=str(s["assessor"]) if s else r.assessor,
            unit=unit_key(s),
            state=_state(s, r.failed),
        )
        if s:
            row.last_activity = str(s.get("last_activity") or s.get("started") or "")
            if row.last_activity:
                row.days_quiet = (day - date.fromisoformat(row.last_activity)).days
                row.quiet = row.days_quiet > quiet_days and row.state != "complete"
            row.next_review = str(s.get("next_review") or "")
            if row.next_review and row.state != "complete":
                row.review_overdue = date.fromisoformat(row.next_review) < day
            for c in s.get("criteria", []):
                status = c["status"]
                row.cells[c["criterion"]] = {
                    "status": status,
                    "symbol": STATUS_SYMBOLS.get(status, "?"),
                    "label": STATUS_LABELS.get(status, status),
                    "items": c["items"],
                }
        if previous is not None:
            row.change = _change(r, previous.get(r.key))
        rows.append(row)
    return rows


def removed_since(
    results: Sequence[LearnerResult], previous: Mapping[str, LearnerResult] | None
) -> list[str]:
    """Folders the last run had that this one does not."""
    if not previous:
        return []
    now = {r.key for r in results}
    return sorted(k for k in previous if k not in now)


def column_totals(rows: Sequence[Row], unit: Unit) -> dict[str, dict[str, int]]:
    """Per criterion, how many of the rows read have each status."""
    out = {c: dict.fromkeys(STATUS_LABELS, 0) for c in unit.criteria}
    for row in rows:
        for crit, cell in row.cells.items():
            if crit in out and cell["status"] in out[crit]:
                out[crit][cell["status"]] += 1
    return out


def element_totals(rows: Sequence[Row], unit: Unit) -> dict[str, int]:
    """Per element, how many learners have every criterion of it ready or met."""
    return {
        element: sum(
            1
            for row in rows
            if row.cells
            and all(row.cells.get(c, {}).get("status") in ("ready", "met") for c in crits)
        )
        for element, crits in unit.elements
    }


@dataclass
class AssessorLine:
    """One assessor's caseload on the dashboard."""

    name: str
    caseload: int = 0
    read: int = 0
    ready: int = 0
    waiting: int = 0
    judged: int = 0
    #: Learners declared, signed off (valid, unchanged, by a listed key) and verified.
    declared: int = 0
    signed: int = 0
    verified: int = 0
    quiet: int = 0
    failed: int = 0
    oldest: tuple[str, str, str] | None = None  # (since, learner name, criterion)


def assessor_lines(rows: Sequence[Row]) -> list[AssessorLine]:
    """Caseload, ready, judged and the oldest item waiting for a decision, per assessor."""
    lines: dict[str, AssessorLine] = {}
    for row in rows:
        line = lines.setdefault(
            row.assessor, AssessorLine(row.assessor or "Not known (portfolio unreadable)")
        )
        line.caseload += 1
        line.failed += row.failed
        line.quiet += row.quiet
        s = row.summary
        if not s:
            continue
        line.read += 1
        line.ready += row.state == "ready"
        line.declared += bool(s.get("declared"))
        line.signed += bool(s.get("signed"))
        line.verified += s.get("verified") is True
        for c in s.get("criteria", []):
            line.judged += bool(c.get("judged_on"))
            since = c.get("waiting_since", "")
            if c["status"] == "ready":
                line.waiting += 1
                if since and (line.oldest is None or since < line.oldest[0]):
                    line.oldest = (since, row.name, c["criterion"])
    return sorted(lines.values(), key=lambda a: a.name.lower())
