"""The cohort dashboard: one offline HTML page and CSV files of the same tables.

``OUT/index.html`` is built for a centre manager: every learner a row (failed ones too,
saying why), one heat map per unit with the evidence count in each cell and column totals,
per-assessor caseloads, last activity and who has gone quiet, what changed since the last
run, charts of the spread of progress and of coverage per criterion, and a stated,
reproducible IQA sample.

It follows the assessor portfolio's rules: a Content-Security-Policy first in ``<head>``
that allows one script of ours by its hash (sorting and filtering; the page reads the same
without it), data handed to that script only through an inert JSON block, nothing loaded
from anywhere, every learner-supplied string escaped by Jinja2's autoescape, and print
styles (the portfolio's own stylesheet is reused).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from ..analysis.coverage_rows import STATUS_LABELS, STATUS_SYMBOLS
from ..assessor.iqa import (
    DEFAULT_RATE,
    WEIGHT_LABELS,
    WEIGHTS,
    CohortSample,
    iqa_sample,
    method_label,
    requirement_text,
)
from ..files.atomic import atomic_write_bytes, atomic_write_text
from ..files.templates import template_path
from ..render.csp import content_security_policy
from . import charts
from .centre_view import CentreView, as_the_centre_counts, centre_view
from .exports import csv_bytes, workbook_bytes
from .rows import (
    DEFAULT_QUIET_DAYS,
    STATES,
    UNKNOWN_UNIT,
    Row,
    Unit,
    assessor_lines,
    cohort_units,
    column_totals,
    element_totals,
    learner_rows,
    removed_since,
)
from .tables import cohort_tables
from .worker import FAILED, LearnerResult

DASHBOARD_FILE = "index.html"
SCRIPT_FILE = "dashboard.js"
WORKBOOK_FILE = "cohort.xlsx"
FILLS = charts.FILLS
#: Status order for totals and stacked bars: done first.
TOTAL_ORDER = ["met", "ready", "in_progress", "not_yet_met", "not_started"]
#: The assessor portfolio's stylesheet, in the render's templates.
PORTFOLIO_CSS = ("nbconvert", "cpc306", "static", "report.css")


def _summaries(results: Sequence[LearnerResult]) -> dict[str, dict[str, Any]]:
    return {r.key: r.summary for r in results if r.summary}


def _template_file(name: str) -> Path:
    return template_path("dashboard", name)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_template_file(""))),
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
    return template_path("render", *PORTFOLIO_CSS).read_text(encoding="utf-8")


def dashboard_script() -> str:
    """The page's one script, exactly as inlined (its hash goes in the CSP)."""
    return _template_file(SCRIPT_FILE).read_text(encoding="utf-8")


def _inert_json(data: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` block that no text can close."""
    return Markup(json.dumps(data, ensure_ascii=False).replace("<", "\\u003c"))


def _groups(rows: Sequence[Row], units: Mapping[str, Unit]) -> list[tuple[Unit, list[Row]]]:
    """Rows per unit; unread learners join the only unit, or a group of their own."""
    out = [(unit, [r for r in rows if r.unit == key]) for key, unit in units.items()]
    unread = [r for r in rows if not r.unit]
    if unread and len(out) == 1:
        out[0][1].extend(unread)
        out[0][1].sort(key=lambda r: r.index)
    elif unread:
        out.append((Unit(*UNKNOWN_UNIT), unread))
    return out


def dashboard_html(
    results: Sequence[LearnerResult],
    sample: CohortSample,
    *,
    title: str = "Cohort dashboard",
    previous: Mapping[str, LearnerResult] | None = None,
    quiet_days: int = DEFAULT_QUIET_DAYS,
    today: date | None = None,
    rows: Sequence[Row] | None = None,
    centre: CentreView | None = None,
) -> str:
    """The dashboard page for a batch's results (pure: nothing is read or written)."""
    day = today or date.today()
    if rows is None:
        rows = learner_rows(results, previous, quiet_days=quiet_days, today=day)
    units = cohort_units(results)
    read = [r for r in rows if r.summary]
    groups: list[dict[str, Any]] = []
    for unit, members in _groups(rows, units):
        members_read = [r for r in members if r.summary]
        totals = column_totals(members_read, unit)
        groups.append(
            {
                "unit": unit,
                "rows": members,
                "read": len(members_read),
                "totals": totals,
                "elements": element_totals(members_read, unit),
                "chart": charts.coverage_chart(
                    [(c, totals[c]) for c in unit.criteria],
                    len(members_read),
                    TOTAL_ORDER,
                    f"cov{len(groups)}",
                ),
            }
        )
    bins = charts.progress_bins([r.percent for r in read if r.percent is not None])
    script = dashboard_script()
    data = {
        "quietDays": quiet_days,
        "rows": [
            {
                "i": r.index,
                "name": r.name,
                "folder": r.key,
                "assessor": r.assessor,
                "progress": -1 if r.percent is None else r.percent,
                "last": r.last_activity,
                "state": r.state,
                "quiet": r.quiet,
            }
            for r in rows
        ],
    }
    template = _environment().get_template("index.html.j2")
    return template.render(
        csp=content_security_policy(script),
        script=Markup(script),
        data=_inert_json(data),
        title=title,
        generated=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        today=day.isoformat(),
        results=results,
        rows=rows,
        read=read,
        groups=groups,
        failed=[r for r in rows if r.result.outcome == FAILED],
        ready=[r for r in rows if r.state == "ready"],
        quiet=[r for r in rows if r.quiet],
        quiet_days=quiet_days,
        assessors=assessor_lines(rows),
        previous=previous,
        removed=removed_since(results, previous),
        changed=[r for r in rows if r.change],
        bins=bins,
        spread_chart=charts.progress_chart(bins, len(read)),
        statuses=[(s, STATUS_SYMBOLS[s], STATUS_LABELS[s], FILLS[s]) for s in TOTAL_ORDER],
        states=STATES,
        sample=sample,
        weights=[(WEIGHT_LABELS[k], v) for k, v in WEIGHTS.items()],
        requirement_text=requirement_text,
        portfolio_css=_portfolio_css(),
        centre=centre,
        counts={
            "rendered": sum(1 for r in results if r.outcome == "rendered" and r.html),
            "summarised": sum(1 for r in results if r.outcome == "rendered" and not r.html),
            "skipped": sum(1 for r in results if r.outcome == "skipped"),
        },
    )


def write_dashboard(
    output: Path,
    results: Sequence[LearnerResult],
    *,
    title: str = "Cohort dashboard",
    previous: Mapping[str, LearnerResult] | None = None,
    quiet_days: int = DEFAULT_QUIET_DAYS,
    iqa_rate: float = DEFAULT_RATE,
    iqa_seed: int | None = None,
    today: date | None = None,
    centre: Path | None = None,
) -> Path:
    """Write the dashboard page and its CSV files into ``output``; return the page's path.

    Writes ``index.html``, ``cohort.csv``, ``criteria.csv``, ``heatmap.csv`` and
    ``iqa_sample.csv`` (with the seed that reproduces the sample), and the same tables in
    ``cohort.xlsx``, each atomically.
    ``previous`` is the last run's results (for "since the last run"); ``centre``, a centre
    folder whose IQA plan, open actions and countersigning the page shows.
    """
    day = today or date.today()
    # What waits for a countersignature is listed from what the assessors recorded; the
    # figures count a trainee's "met" only once a qualified assessor has countersigned it.
    view = centre_view(centre, results, day) if centre else None
    if centre:
        results = as_the_centre_counts(centre, results)
    sample = iqa_sample(_summaries(results), rate=iqa_rate, seed=iqa_seed, today=day)
    rows = learner_rows(results, previous, quiet_days=quiet_days, today=day)
    tables = cohort_tables(rows, cohort_units(results), sample)
    sheets = (
        ("cohort.csv", tables.learners),
        ("criteria.csv", tables.criteria),
        ("heatmap.csv", tables.heatmap),
        ("iqa_sample.csv", tables.iqa),
    )
    for name, frame in sheets:
        atomic_write_bytes(output / name, csv_bytes(frame))
    # The same tables in one workbook, a sheet each, named as their CSV files are.
    workbook = workbook_bytes((name.removesuffix(".csv"), frame) for name, frame in sheets)
    atomic_write_bytes(output / WORKBOOK_FILE, workbook)
    page = output / DASHBOARD_FILE
    html = dashboard_html(
        results,
        sample,
        title=title,
        previous=previous,
        quiet_days=quiet_days,
        today=day,
        rows=rows,
        centre=view,
    )
    atomic_write_text(page, html)
    return page
