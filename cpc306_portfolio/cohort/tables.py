"""The dashboard's tables as CSV files: learners, criteria (long), heat map (wide), IQA.

Every learner is a row of ``cohort.csv`` and ``heatmap.csv``, failed ones too; each row
says its unit, and in a mixed cohort the heat map's columns name the unit as well as the
criterion, so two units' ``A1`` are never one column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..analysis.coverage_rows import STATUS_LABELS
from ..assessor.iqa import WEIGHT_LABELS, CohortSample, requirement_text
from .rows import STATES, Row, Unit

IQA_COLUMNS = [
    "order",
    "learner",
    "name",
    "unit",
    "assessor",
    "candidate",
    "weight",
    "factors",
    "covers",
    "why",
    "seed",
    "rate",
]
CRITERIA_COLUMNS = [
    "learner",
    "name",
    "unit",
    "criterion",
    "element",
    "status",
    "status_label",
    "items",
]


def _verified(value: Any) -> str:
    """A learner's sign-off checked against the centre's list: yes, no, or not checked."""
    return "not checked" if value is None else "yes" if value else "no"


@dataclass(frozen=True)
class CohortTables:
    """The dashboard's tables, as written to the CSV files."""

    learners: pd.DataFrame
    criteria: pd.DataFrame
    heatmap: pd.DataFrame
    iqa: pd.DataFrame


def cohort_tables(
    rows: Sequence[Row], units: Mapping[str, Unit], sample: CohortSample
) -> CohortTables:
    """Learners (one row each), criteria (long), heat map (wide, per unit) and IQA tables."""
    learners, long_rows, wide_rows = [], [], []
    mixed = len(units) > 1
    for row in rows:
        r, s = row.result, row.summary or {}
        p = s.get("progress", {})
        unit = units.get(row.unit)
        know = bool(p.get("knowledge_total"))  # zero only for a unit with none
        learners.append(
            {
                "learner": r.key,
                "name": row.name,
                "unit": unit.code if unit else "",
                "unit_title": unit.title if unit else "",
                "assessor": row.assessor,
                "organisation": s.get("organisation", ""),
                "state": STATES[row.state],
                "outcome": r.outcome,
                "failure": r.kind,
                "reason": r.reason if r.failed else "",
                "fix": r.fix if r.failed else "",
                "evidence": s.get("evidence_count", ""),
                "reflections": s.get("reflection_count", ""),
                "criteria_total": p.get("criteria_total", ""),
                "criteria_met": p.get("criteria_met", ""),
                "criteria_ready": p.get("criteria_ready", ""),
                "criteria_in_progress": p.get("criteria_in_progress", ""),
                "criteria_not_started": p.get("criteria_not_started", ""),
                "criteria_not_yet_met": p.get("criteria_not_yet_met", ""),
                "percent_ready_or_met": p.get("percent_ready", ""),
                # A unit with no knowledge specification says nothing about knowledge.
                "knowledge_covered": p.get("knowledge_covered", "") if know else "",
                "knowledge_total": p.get("knowledge_total", "") if know else "",
                "ready_for_assessment": bool(s.get("ready")),
                "declared": bool(s.get("declared")),
                "signed": bool(s.get("signed")),
                "verified": _verified(s.get("verified")),
                "signoff_recorded": bool(s.get("signoff_recorded")),
                "signer": s.get("signer", ""),
                "last_activity": row.last_activity,
                "days_since_activity": "" if row.days_quiet is None else row.days_quiet,
                "quiet": row.quiet,
                "next_review": row.next_review,
                "review_overdue": row.review_overdue,
                "since_last_run": row.change,
                "candidate": sample.candidates.get(r.key, ""),
                "html": r.html,
                "seconds": r.seconds,
            }
        )
        wide: dict[str, Any] = {
            "learner": r.key,
            "name": row.name,
            "unit": unit.code if unit else "",
            "outcome": r.outcome,
        }
        for c in s.get("criteria", []):
            long_rows.append(
                {
                    "learner": r.key,
                    "name": row.name,
                    "unit": unit.code if unit else "",
                    "criterion": c["criterion"],
                    "element": c["element"],
                    "status": c["status"],
                    "status_label": STATUS_LABELS.get(c["status"], c["status"]),
                    "items": c["items"],
                }
            )
            # Two units' A1 are different criteria: in a mixed cohort the column says whose.
            column = f"{unit.code} {c['criterion']}" if mixed and unit else c["criterion"]
            wide[column] = c["items"]
        wide_rows.append(wide)
    columns = ["learner", "name", "unit", "outcome"]
    for unit in units.values():
        columns += [f"{unit.code} {c}" if mixed else c for c in unit.criteria]
    iqa = pd.DataFrame(
        [
            {
                "order": i,
                "learner": s.key,
                "name": s.name,
                "unit": s.unit,
                "assessor": s.assessor,
                "candidate": s.candidate,
                "weight": s.weight,
                "factors": "; ".join(WEIGHT_LABELS[f] for f in s.factors),
                "covers": "; ".join(requirement_text(r) for r in s.covers),
                "why": s.reason,
                "seed": sample.seed,
                "rate": sample.rate,
            }
            for i, s in enumerate(sample.learners, 1)
        ],
        columns=IQA_COLUMNS,
    )
    heatmap = pd.DataFrame(wide_rows, columns=columns)
    for column in columns[4:]:
        heatmap[column] = heatmap[column].astype("Int64")  # counts, blank where not read
    return CohortTables(
        pd.DataFrame(learners),
        pd.DataFrame(
            long_rows,
            columns=CRITERIA_COLUMNS,
        ),
        heatmap,
        iqa,
    )


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""

    def safe(value: Any) -> Any:
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
        return value

    return frame.map(safe)
