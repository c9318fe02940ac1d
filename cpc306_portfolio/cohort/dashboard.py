"""The cohort dashboard: one offline HTML page and CSV files of the same tables.

``OUT/index.html`` shows progress per learner, a learners x criteria heat map (inline SVG,
with the same numbers in a table; status by symbol and word, never colour alone), who is
ready for assessment, every failure with its reason and fix, the IQA sample with why each
learner was chosen, and links to each learner's portfolio. It follows the assessor
portfolio's rules: a Content-Security-Policy first in ``<head>``, no script, nothing
loaded from anywhere, every learner-supplied string escaped by Jinja2's autoescape, and
print styles (the portfolio's own stylesheet is reused).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import pandas as pd

from ..analysis.coverage import STATUS_LABELS, STATUS_SYMBOLS
from ..assessor.iqa import CohortSample, iqa_sample, method_label
from ..files.atomic import atomic_write_text
from ..render.csp import CSP
from .worker import FAILED, LearnerResult

DASHBOARD_FILE = "index.html"
#: Heat-map fills: distinct in lightness as well as hue; dark text on each passes 4.5:1.
FILLS = {
    "not_started": "#eceef1",
    "in_progress": "#ffd966",
    "ready": "#9dc3f5",
    "met": "#8fd9a8",
    "not_yet_met": "#f4a3a3",
}
CELL, LABEL_WIDTH, HEADER_HEIGHT = 26, 220, 34
#: The assessor portfolio's stylesheet, inside ``cpc306_portfolio.templates``.
PORTFOLIO_CSS = ("nbconvert", "cpc306", "static", "report.css")


@dataclass(frozen=True)
class CohortTables:
    """The dashboard's tables, as written to the CSV files."""

    learners: pd.DataFrame
    criteria: pd.DataFrame
    heatmap: pd.DataFrame
    iqa: pd.DataFrame


def _summaries(results: Sequence[LearnerResult]) -> dict[str, dict[str, Any]]:
    return {r.key: r.summary for r in results if r.summary}


def _criteria_order(summaries: Mapping[str, Mapping[str, Any]]) -> list[str]:
    order: list[str] = []
    for summary in summaries.values():
        order += [c["criterion"] for c in summary["criteria"] if c["criterion"] not in order]
    return order


def cohort_tables(results: Sequence[LearnerResult], sample: CohortSample) -> CohortTables:
    """Learners (progress and outcome), criteria (long), heat map (wide) and IQA tables."""
    rows, long_rows = [], []
    for r in results:
        s = r.summary or {}
        p = s.get("progress", {})
        rows.append(
            {
                "learner": r.key,
                "name": s.get("name", ""),
                "assessor": s.get("assessor", ""),
                "organisation": s.get("organisation", ""),
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
                "knowledge_covered": p.get("knowledge_covered", ""),
                "knowledge_total": p.get("knowledge_total", ""),
                "ready_for_assessment": bool(s.get("ready")),
                "candidate": sample.candidates.get(r.key, ""),
                "html": r.html,
                "seconds": r.seconds,
            }
        )
        for c in s.get("criteria", []):
            long_rows.append(
                {
                    "learner": r.key,
                    "name": s.get("name", ""),
                    "criterion": c["criterion"],
                    "element": c["element"],
                    "status": c["status"],
                    "status_label": STATUS_LABELS.get(c["status"], c["status"]),
                    "items": c["items"],
                }
            )
    criteria = pd.DataFrame(
        long_rows,
        columns=["learner", "name", "criterion", "element", "status", "status_label", "items"],
    )
    heatmap = pd.DataFrame(columns=["learner", "name"])
    if not criteria.empty:
        wide = criteria.pivot(index="learner", columns="criterion", values="items")
        wide = wide.reindex(columns=_criteria_order(_summaries(results)))
        names = criteria.drop_duplicates("learner").set_index("learner")["name"]
        heatmap = wide.reset_index()
        heatmap.insert(1, "name", heatmap["learner"].map(names))
    iqa = pd.DataFrame(
        [
            {
                "order": i,
                "learner": s.key,
                "name": s.name,
                "candidate": s.candidate,
                "covers": "; ".join(_requirement_text(r) for r in s.covers),
                "why": s.reason,
            }
            for i, s in enumerate(sample.learners, 1)
        ],
        columns=["order", "learner", "name", "candidate", "covers", "why"],
    )
    return CohortTables(pd.DataFrame(rows), criteria, heatmap, iqa)


def _requirement_text(requirement: tuple[str, str]) -> str:
    kind, value = requirement
    return f"{kind}: {method_label(value) if kind == 'method' else value}"


def _csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""

    def safe(value: Any) -> Any:
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
        return value

    return frame.map(safe)


def _heatmap_geometry(results: Sequence[LearnerResult]) -> dict[str, Any]:
    """Positions, fills and labels of the SVG heat map (learners down, criteria across)."""
    summaries = _summaries(results)
    criteria = _criteria_order(summaries)
    rows = []
    for y, (key, s) in enumerate(summaries.items()):
        by_id = {c["criterion"]: c for c in s["criteria"]}
        cells = []
        for x, crit in enumerate(criteria):
            c = by_id.get(crit)
            status = c["status"] if c else "not_started"
            items = c["items"] if c else 0
            cells.append(
                {
                    "x": LABEL_WIDTH + x * CELL,
                    "known": c is not None,
                    "status": status,
                    "label": STATUS_LABELS.get(status, status),
                    "items": items,
                    "fill": FILLS.get(status, "#ffffff"),
                    "symbol": STATUS_SYMBOLS.get(status, "?"),
                    "title": f"{s['name']}, {crit}: {STATUS_LABELS.get(status, status)}, "
                    f"{items} item(s)",
                }
            )
        rows.append({"y": HEADER_HEIGHT + y * CELL, "key": key, "name": s["name"], "cells": cells})
    return {
        "criteria": [
            {"id": c, "x": LABEL_WIDTH + i * CELL + CELL // 2} for i, c in enumerate(criteria)
        ],
        "rows": rows,
        "width": LABEL_WIDTH + len(criteria) * CELL + 2,
        "height": HEADER_HEIGHT + len(rows) * CELL + 2,
        "cell": CELL,
        "label_width": LABEL_WIDTH,
    }


def _environment() -> jinja2.Environment:
    folder = Path(str(files("cpc306_portfolio.templates").joinpath("dashboard")))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["urlpart"] = lambda text: quote(str(text), safe="")
    env.filters["method"] = method_label
    return env


def _portfolio_css() -> str:
    """The assessor portfolio's stylesheet, so the dashboard looks and prints the same.

    Read from the nbconvert template's folder directly: importing the exporter would
    import nbconvert, which costs seconds and is not needed to write this page.
    """
    path = files("cpc306_portfolio.templates").joinpath(*PORTFOLIO_CSS)
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def dashboard_html(
    results: Sequence[LearnerResult], sample: CohortSample, *, title: str = "Cohort dashboard"
) -> str:
    """The dashboard page for a batch's results (pure: nothing is read or written)."""
    summaries = _summaries(results)
    ready = [r for r in results if r.summary and r.summary.get("ready")]
    template = _environment().get_template("index.html.j2")
    return template.render(
        csp=CSP,
        title=title,
        generated=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        results=results,
        summaries=summaries,
        failed=[r for r in results if r.outcome == FAILED],
        ready=ready,
        heat=_heatmap_geometry(results),
        statuses=[(s, STATUS_SYMBOLS[s], STATUS_LABELS[s], FILLS[s]) for s in STATUS_LABELS],
        sample=sample,
        requirement_text=_requirement_text,
        portfolio_css=_portfolio_css(),
        counts={
            outcome: sum(1 for r in results if r.outcome == outcome)
            for outcome in ("rendered", "skipped", "failed")
        },
    )


def write_dashboard(
    output: Path, results: Sequence[LearnerResult], *, title: str = "Cohort dashboard"
) -> Path:
    """Write the dashboard page and its CSV files into ``output``; return the page's path.

    Writes ``index.html``, ``cohort.csv``, ``criteria.csv``, ``heatmap.csv`` and
    ``iqa_sample.csv``, each atomically.
    """
    sample = iqa_sample(_summaries(results))
    tables = cohort_tables(results, sample)
    for name, frame in (
        ("cohort.csv", tables.learners),
        ("criteria.csv", tables.criteria),
        ("heatmap.csv", tables.heatmap),
        ("iqa_sample.csv", tables.iqa),
    ):
        atomic_write_text(output / name, _csv_safe(frame).to_csv(index=False))
    page = output / DASHBOARD_FILE
    atomic_write_text(page, dashboard_html(results, sample, title=title))
    return page
