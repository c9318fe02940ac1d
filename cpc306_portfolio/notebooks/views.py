"""HTML views for the learner's pages, built with Jinja2 (autoescape on) from unit and portfolio.

Every piece of text is escaped by the templates in ``templates/views``: a learner's words
and the unit's data are shown as text, never as markup. This module only arranges the data
(lookups, counts, order); the templates lay it out, as in :mod:`cpc306_portfolio.render`.
The functions return plain HTML strings; :mod:`.live` wraps them in widgets that refresh.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..analysis.coverage_rows import STATUS_LABELS, STATUS_SYMBOLS, CoverageRows
from ..analysis.reflections import missing_stages
from ..analysis.status import portfolio_status
from ..files.templates import template_path
from ..portfolio.models import Evidence, Reflection
from ..standard.model import Standard
from .datebox import long_date
from .wording import model_name, plain_reason

if TYPE_CHECKING:
    from ..analysis.coverage import Coverage
    from ..portfolio.plan import PlanAction
    from ..portfolio.store import Portfolio

    #: The coverage a view draws from: its rows (what the pages pass: no pandas in a page's
    #: kernel, which starts faster without it) or the pandas tables made of them.
    Tables = Coverage | CoverageRows

#: Pages every learner page links to, in order: (file stem, label).
PAGES: tuple[tuple[str, str], ...] = (
    ("00_start_here", "Home"),
    ("knowledge", "Knowledge"),
    ("reflection", "Reflection"),
    ("plan", "Development plan"),
    ("assessment_plan", "Assessment plan"),
    ("export", "Export"),
)


def template_dir() -> Path:
    """The folder of the view templates (``templates/notebooks/views`` in the repository)."""
    return template_path("notebooks", "views")


@cache
def environment() -> Environment:
    """The Jinja2 environment of the view templates (built once per process)."""
    env = Environment(
        loader=FileSystemLoader(template_dir()),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(labels=STATUS_LABELS, symbols=STATUS_SYMBOLS, order=list(STATUS_LABELS))
    env.filters.update(long_date=long_date, plain=plain_reason)  # words, never machine forms
    return env


def _render(name: str, **context: Any) -> str:
    return environment().get_template(f"{name}.html.j2").render(**context)


def _records(table: Any) -> list[dict[str, Any]]:
    """A coverage table's rows as dicts, given as rows or as a pandas table."""
    return table if isinstance(table, list) else list(table.to_dict("records"))


def _ids(value: object) -> str:
    """Item ids for display, whether coverage gives them as a list or a joined string."""
    if isinstance(value, str):
        return ", ".join(p.strip() for p in value.split(",") if p.strip())
    return ", ".join(str(v) for v in value)  # type: ignore[attr-defined]


def _split_bold(text: str, terms: Sequence[str]) -> list[tuple[str, bool]]:
    """The criterion's words as (part, is a bold term) pieces."""
    if not terms:
        return [(text, False)]
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [(text[last : match.start()], False), (match.group(), True)]
        last = match.end()
    return [*out, (text[last:], False)]


def _knowledge_lines(standard: Standard, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Knowledge items with their sub-items; a sub-item whose parent is listed is not repeated."""
    listed = set(ids)
    lines = []
    for kid in dict.fromkeys(ids):
        text = standard.knowledge_ids.get(kid)
        if text is None:
            continue
        parent = next(
            (i.id for i in standard.knowledge_items.values() if kid in {s.id for s in i.sub_items}),
            None,
        )
        if parent in listed:
            continue  # shown under its parent already
        item = standard.knowledge_items.get(kid)
        subs = [{"id": s.id, "text": s.text} for s in item.sub_items] if item else []
        lines.append({"id": kid, "text": text, "subs": subs})
    return lines


def criterion_html(standard: Standard, criterion_id: str) -> str:
    """What one criterion asks: its words, element, explanation, prompts, terms, knowledge."""
    crit = standard.criteria[criterion_id]
    terms = []
    for term in crit.bold_terms:
        word = standard.key_word_map.get(term.key_word) if term.key_word else None
        categories = [
            {
                "heading": cat.heading or cat.label,
                "note": cat.note,
                "options": [{"label": o.label, "id": f"{cat.id}/{o.id}"} for o in cat.options],
            }
            for cat_id in term.scope
            if (cat := standard.scope_categories.get(cat_id)) is not None
        ]
        terms.append({"term": term.term, "word": word, "categories": categories})
    return _render(
        "criterion",
        unit=standard.code,
        crit=crit,
        element=standard.element_of[criterion_id],
        words=_split_bold(crit.text, [t.term for t in crit.bold_terms]),
        terms=terms,
        knowledge=_knowledge_lines(standard, crit.knowledge),
    )


def _record_row(record: Evidence | Reflection) -> dict[str, str]:
    if isinstance(record, Evidence):
        how = record.method.label + (" (simulated)" if record.simulated else "")
        count = str(len(record.attachments))
    else:
        how, count = f"Reflective account: {model_name(record.model)}", ""
    return {
        "id": record.id,
        "date": long_date(record.date),
        "how": how,
        "title": record.title,
        "criteria": " ".join(record.criteria),
        "files": count,
    }


def records_html(records: Sequence[Evidence | Reflection], title: str) -> str:
    """A table of records (id, date, how, title, criteria, files)."""
    return _render(
        "records",
        title=title,
        css="cpc306-record-list",
        table_css="cpc306-records",
        records=[_record_row(r) for r in records],
        empty="None yet.",
    )


def reflection_state(reflection: Reflection) -> str:
    """Whether an account is complete, in words: the stages still empty or very short."""
    missing = "; ".join(f"{s.title} {why}" for s, why in missing_stages(reflection))
    if not missing:
        return "✔ every stage written"
    return "◐ " + ("draft: " if reflection.draft else "") + missing


def mapped_html(portfolio: Portfolio, criterion_id: str) -> str:
    """The evidence and reflective accounts already mapped to a criterion."""
    every: list[Evidence | Reflection] = [*portfolio.evidence(), *portfolio.reflections()]
    records = [_record_row(r) for r in every if criterion_id in r.criteria]
    return _render(
        "records",
        title=f"Evidence mapped to {criterion_id}",
        css="cpc306-mapped",
        table_css="cpc306-mapped-table",
        records=records,
        empty=f"Nothing is mapped to {criterion_id} yet. Use the forms below.",
    )


def gaps_html(portfolio: Portfolio, criterion_id: str, coverage: Tables | None = None) -> str:
    """A criterion's status, its gaps and next steps, and gaps in its usual knowledge.

    A criterion judged not yet met has the assessor's feedback as its first next step.
    """
    cov = coverage or portfolio_status(portfolio).rows
    crit = portfolio.standard.criteria[criterion_id]
    row = next(r for r in _records(cov.criteria) if r["criterion"] == criterion_id)
    own = [g for g in cov.gaps if g.target == criterion_id]
    own.sort(key=lambda g: g.kind != "not_yet_met")
    know = [g for g in cov.gaps if g.kind == "knowledge" and g.target in crit.knowledge]
    return _render("gaps", row=row, own=own, know=know)


def warnings_html(portfolio: Portfolio, criterion_id: str | None = None) -> str:
    """Possible identifiers of people not yet edited out or acknowledged (masked)."""
    every: list[Evidence | Reflection] = [*portfolio.evidence(), *portfolio.reflections()]
    mapped = {r.id: r.criteria for r in every}
    rows = [
        f
        for f, ack in portfolio.scan()
        if ack is None and (criterion_id is None or criterion_id in mapped.get(f.record, []))
    ]
    return _render("warnings", rows=rows)


@dataclass(frozen=True)
class _Bar:
    label: str
    done: int
    total: int
    unit: str
    segments: list[dict[str, Any]]


def _bar(label: str, statuses: Sequence[str], unit: str = "criteria ready or met") -> _Bar:
    total = len(statuses) or 1
    segments = [
        {"status": key, "percent": round(100 * statuses.count(key) / total, 2)}
        for key in ("met", "ready", "in_progress", "not_yet_met")
        if key in statuses
    ]
    done = sum(1 for s in statuses if s in {"met", "ready"})
    return _Bar(label, done, len(statuses), unit, segments)


def _count_bar(label: str, done: int, total: int, unit: str) -> _Bar:
    percent = round(100 * done / total, 2) if total else 0
    return _Bar(label, done, total, unit, [{"status": "ready", "percent": percent}])


def progress_bars(portfolio: Portfolio, coverage: Tables) -> list[_Bar]:
    """A bar per element, one overall, and one each for scope options and knowledge."""
    table = _records(coverage.criteria)
    bars = [
        _bar(
            f"Element {element.id}",
            [r["status"] for r in table if r["element"] == element.id],
        )
        for element in portfolio.standard.elements
    ]
    p = coverage.progress
    bars.append(_bar("All criteria", [r["status"] for r in table]))
    bars.append(_count_bar("Scope options", p.scope_covered, p.scope_total, "covered"))
    if portfolio.standard.has_knowledge:
        bars.append(_count_bar("Knowledge", p.knowledge_covered, p.knowledge_total, "covered"))
    return bars


def progress_html(
    portfolio: Portfolio, coverage: Tables | None = None, *, links: bool = False
) -> str:
    """Overall progress: bars per element and overall, and every criterion's status.

    With ``links``, each criterion links to its page (``A1.ipynb``) beside this one.
    """
    cov = coverage or portfolio_status(portfolio).rows
    rows = [
        {
            "status": r["status"],
            "criterion": r["criterion"],
            "text": r["text"],
            "items": _ids(r["items"]),
            "reason": r["reason"],
        }
        for r in _records(cov.criteria)
    ]
    return _render(
        "progress",
        unit=portfolio.standard.code,
        learner=portfolio.profile.learner.name,
        p=cov.progress,
        knowledge=portfolio.standard.has_knowledge,
        bars=progress_bars(portfolio, cov),
        rows=rows,
        links=links,
    )


def knowledge_html(portfolio: Portfolio, coverage: Tables | None = None) -> str:
    """Every knowledge item of the unit against the evidence that covers it.

    Empty for a unit with no knowledge specification: it says nothing about knowledge.
    """
    standard = portfolio.standard
    if not standard.has_knowledge:
        return ""
    cov = coverage or portfolio_status(portfolio).rows
    usual: dict[str, list[str]] = {}
    for crit in standard.criteria.values():
        for kid in crit.knowledge:
            usual.setdefault(kid, []).append(crit.id)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for r in _records(cov.knowledge):  # in the unit's order, groups as they first come
        grouped.setdefault(r["group"], []).append(
            {
                "id": r["id"],
                "parent": r["parent"],
                "text": r["text"],
                "covered": r["covered"],
                "items": _ids(r["items"]),
                "usual": ", ".join(usual.get(r["id"], [])),
            }
        )
    groups = [{"title": group, "rows": rows} for group, rows in grouped.items()]
    skipped = standard.skipped_knowledge_numbers()
    return _render("knowledge", p=cov.progress, groups=groups, skipped=" or ".join(skipped))


def nav_html(
    portfolio: Portfolio | None,
    standard: Standard,
    current: str,
    coverage: Tables | None = None,
) -> str:
    """The navigation every page shows: home, each element's criteria with status, the rest."""
    statuses: dict[str, str] = {}
    summary = ""
    if portfolio is not None:
        cov = coverage or portfolio_status(portfolio).rows
        statuses = {r["criterion"]: r["status"] for r in _records(cov.criteria)}
        p = cov.progress
        summary = (
            f"{p.criteria_ready + p.criteria_met} of {p.criteria_total} criteria ready or met · "
            f"{p.evidence_count} items of evidence · {p.reflection_count} reflective accounts"
        )
        if standard.has_knowledge:
            summary += f" · knowledge {p.knowledge_covered} of {p.knowledge_total}"
    pages = [
        {"href": f"{stem}.ipynb", "label": label, "current": stem == current}
        for stem, label in PAGES
        if stem != "knowledge" or standard.has_knowledge
    ]
    elements = [
        {
            "id": element.id,
            "criteria": [
                {
                    "id": c.id,
                    "status": statuses.get(c.id, "not_started"),
                    "current": c.id == current,
                }
                for c in element.criteria
            ],
        }
        for element in standard.elements
    ]
    return _render("nav", pages=pages, elements=elements, summary=summary)


def assessor_html(portfolio: Portfolio, criterion_id: str) -> str:
    """The assessor's outcome and feedback on a criterion, and the learner's reply ('' if none)."""
    assessment = portfolio.read_assessment()
    judgement = assessment.judgements.get(criterion_id)
    if judgement is None:
        return ""
    reply = assessment.replies.get(criterion_id)
    return _render("assessor", judgement=judgement, reply=reply)


def plan_html(actions: Sequence[PlanAction], waiting: int = 0) -> str:
    """The development plan as a table, and how many actions wait in reflective accounts."""
    return _render("plan", actions=actions, waiting=waiting)
