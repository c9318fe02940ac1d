"""Static HTML views for the learner's notebooks, built from the unit and the portfolio.

Every piece of text is escaped here, before it reaches a cell output: a learner's words
and the unit's data are shown as text, never as markup. The views hold no widget state,
so an exported notebook shows them with no script at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING

from ..analysis.coverage import STATUS_LABELS, STATUS_SYMBOLS, Coverage, Gap, coverage_of
from ..portfolio.models import Evidence, Reflection
from ..standard.model import Criterion, Standard

if TYPE_CHECKING:
    from ..portfolio.store import Portfolio


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _section(title: str, body: str, css: str) -> str:
    return f'<section class="cpc306-view {css}"><h3>{_e(title)}</h3>{body}</section>'


def _ul(items: Iterable[str], css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    rows = "".join(f"<li>{item}</li>" for item in items)
    return f"<ul{cls}>{rows}</ul>" if rows else "<p><em>None.</em></p>"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], css: str) -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _bolded(text: str, terms: Sequence[str]) -> str:
    """The criterion's words, escaped, with its bold terms in ``<strong>``."""
    if not terms:
        return _e(text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [_e(text[last : match.start()]), f"<strong>{_e(match.group())}</strong>"]
        last = match.end()
    return "".join([*out, _e(text[last:])])


def _knowledge_lines(standard: Standard, ids: Sequence[str]) -> list[str]:
    lines = []
    for kid in ids:
        text = standard.knowledge_ids.get(kid)
        if text is None:
            continue
        line = f"<strong>{_e(kid)}</strong> {_e(text)}"
        item = standard.knowledge_items.get(kid)
        if item and item.sub_items:
            line += _ul(f"<strong>{_e(s.id)}</strong> {_e(s.text)}" for s in item.sub_items)
        lines.append(line)
    return lines


def _bold_terms(standard: Standard, crit: Criterion) -> str:
    if not crit.bold_terms:
        return "<p>This criterion has no words in bold, so no scope options go with it.</p>"
    parts = []
    for term in crit.bold_terms:
        body = ""
        if term.key_word and term.key_word in standard.key_word_map:
            word = standard.key_word_map[term.key_word]
            body += f"<p><em>{_e(word.term)}</em>: {_e(word.definition)}</p>"
        for cat_id in term.scope:
            cat = standard.scope_categories.get(cat_id)
            if cat is None:
                continue
            options = (f"{_e(o.label)} <code>{_e(cat.id)}/{_e(o.id)}</code>" for o in cat.options)
            body += f"<p>{_e(cat.heading or cat.label)}</p>" + _ul(options)
        parts.append(f'<div class="cpc306-bold-term"><h4>{_e(term.term)}</h4>{body}</div>')
    return "".join(parts)


def criterion_html(standard: Standard, criterion_id: str) -> str:
    """What one criterion asks: its words, element, explanation, prompts, terms, knowledge."""
    crit = standard.criteria[criterion_id]
    element = standard.element_of[criterion_id]
    terms = [t.term for t in crit.bold_terms]
    head = (
        f'<p class="cpc306-element">{_e(standard.code)} element {_e(element.id)}: '
        f"{_e(element.title)}</p>"
        f'<blockquote class="cpc306-criterion-text"><strong>{_e(crit.id)}</strong> '
        f"{_bolded(crit.text, terms)}</blockquote>"
        f'<p class="cpc306-explanation">{_e(crit.explanation)}</p>'
    )
    if crit.self_directed_support:
        head += (
            '<p class="cpc306-sds"><strong>People who direct their own support:</strong> '
            "when you record evidence for this criterion, say whether the people concerned "
            "direct their own support, and record their agreement and its date.</p>"
        )
    return (
        _section(f"{crit.id}: what this criterion asks", head, "cpc306-criterion")
        + _section("Questions to help you write", _ul(map(_e, crit.prompts)), "cpc306-prompts")
        + _section("Words in bold and their scope", _bold_terms(standard, crit), "cpc306-terms")
        + _section(
            "Evidence that usually shows it", _ul(map(_e, crit.typical_evidence)), "cpc306-typical"
        )
        + _section(
            "Knowledge that usually goes with it",
            _ul(_knowledge_lines(standard, crit.knowledge)),
            "cpc306-knowledge",
        )
    )


def _record_row(record: Evidence | Reflection) -> list[str]:
    if isinstance(record, Evidence):
        how = record.method.label + (" (simulated)" if record.simulated else "")
        files = str(len(record.attachments))
    else:
        how, files = f"Reflective account ({record.model})", ""
    return [
        f"<code>{_e(record.id)}</code>",
        _e(record.date.isoformat()),
        _e(how),
        _e(record.title),
        _e(" ".join(record.criteria)),
        _e(files),
    ]


def records_html(records: Sequence[Evidence | Reflection], title: str) -> str:
    """A table of records (id, date, how, title, criteria, files)."""
    header = ["id", "date", "how", "title", "criteria", "files"]
    body = _table(header, map(_record_row, records), "cpc306-records") if records else ""
    return _section(title, body or "<p>None yet.</p>", "cpc306-record-list")


def mapped_html(portfolio: Portfolio, criterion_id: str) -> str:
    """The evidence and reflective accounts already mapped to a criterion."""
    every: list[Evidence | Reflection] = [*portfolio.evidence(), *portfolio.reflections()]
    records = [r for r in every if criterion_id in r.criteria]
    if not records:
        body = f"<p>Nothing is mapped to {_e(criterion_id)} yet. Use the forms below.</p>"
    else:
        header = ["id", "date", "how", "title", "criteria", "files"]
        body = _table(header, map(_record_row, records), "cpc306-mapped-table")
    return _section(f"Evidence mapped to {criterion_id}", body, "cpc306-mapped")


def _status_line(cov: Coverage, criterion_id: str) -> str:
    row = cov.criteria[cov.criteria["criterion"] == criterion_id].iloc[0]
    return (
        f'<p class="cpc306-status cpc306-status-{_e(row.status)}">{_e(row.symbol)} '
        f"<strong>{_e(STATUS_LABELS[row.status])}</strong>: {_e(row.reason)}</p>"
    )


def _gap_items(gaps: Iterable[Gap]) -> list[str]:
    return [f"{_e(g.message)}<br><em>Next step:</em> {_e(g.next_step)}" for g in gaps]


def gaps_html(portfolio: Portfolio, criterion_id: str, coverage: Coverage | None = None) -> str:
    """A criterion's status, its gaps and next steps, and gaps in its usual knowledge."""
    cov = coverage or coverage_of(portfolio)
    crit = portfolio.standard.criteria[criterion_id]
    own = [g for g in cov.gaps if g.target == criterion_id]
    know = [g for g in cov.gaps if g.kind == "knowledge" and g.target in crit.knowledge]
    body = _status_line(cov, criterion_id)
    body += _ul(_gap_items(own), "cpc306-gap-list") if own else "<p>No gaps for this criterion.</p>"
    if know:
        body += "<h4>Knowledge not yet covered</h4>" + _ul(_gap_items(know), "cpc306-gap-list")
    return _section("Gaps and next steps", body, "cpc306-gaps")


def warnings_html(portfolio: Portfolio, criterion_id: str | None = None) -> str:
    """Possible identifiers of people not yet edited out or acknowledged (masked)."""
    every: list[Evidence | Reflection] = [*portfolio.evidence(), *portfolio.reflections()]
    mapped = {r.id: r.criteria for r in every}
    rows = [
        [_e(f.record), _e(f.field), _e(f.label), _e(f.snippet)]
        for f, ack in portfolio.scan()
        if ack is None and (criterion_id is None or criterion_id in mapped.get(f.record, []))
    ]
    if not rows:
        body = "<p>No possible identifiers of people are waiting for you.</p>"
    else:
        body = (
            "<p>These might identify a person. Edit the record, or acknowledge each one "
            "with a reason if it identifies no one.</p>"
            + _table(["record", "field", "what", "where (masked)"], rows, "cpc306-warning-table")
        )
    return _section("Confidentiality warnings", body, "cpc306-warnings")


def progress_html(
    portfolio: Portfolio, coverage: Coverage | None = None, *, links: bool = False
) -> str:
    """Overall progress: headline figures and every criterion's status.

    With ``links``, each criterion links to its notebook (``A1.ipynb``) beside this one.
    """
    cov = coverage or coverage_of(portfolio)
    p = cov.progress
    head = (
        f'<p class="cpc306-progress-figures">{_e(portfolio.profile.learner.name)}: '
        f"{p.criteria_ready + p.criteria_met} of {p.criteria_total} criteria ready or met "
        f"({p.percent_ready:g}%); {p.evidence_count} items of evidence, "
        f"{p.reflection_count} reflective accounts; knowledge {p.knowledge_covered} of "
        f"{p.knowledge_total}; scope options {p.scope_covered} of {p.scope_total}.</p>"
    )
    rows = [
        [
            f"{_e(STATUS_SYMBOLS[r.status])} {_e(STATUS_LABELS[r.status])}",
            f'<a href="{_e(r.criterion)}.ipynb"><code>{_e(r.criterion)}</code></a>'
            if links
            else f"<code>{_e(r.criterion)}</code>",
            _e(r.text),
            _e(", ".join(r.items)),
            _e(r.reason),
        ]
        for r in cov.criteria.itertuples()
    ]
    table = _table(["status", "criterion", "words", "items", "why"], rows, "cpc306-progress")
    return _section(f"Your progress on {portfolio.standard.code}", head + table, "cpc306-overall")


def knowledge_html(portfolio: Portfolio, coverage: Coverage | None = None) -> str:
    """Every knowledge item of the unit against the evidence that covers it."""
    cov = coverage or coverage_of(portfolio)
    standard = portfolio.standard
    usual: dict[str, list[str]] = {}
    for crit in standard.criteria.values():
        for kid in crit.knowledge:
            usual.setdefault(kid, []).append(crit.id)
    parts = []
    for group, rows in cov.knowledge.groupby("group", sort=False):
        table_rows = [
            [
                f"<code>{_e(r.id)}</code>"
                if not r.parent
                else f"&nbsp;&nbsp;<code>{_e(r.id)}</code>",
                _e(r.text),
                "✔ covered" if r.covered else "○ not yet",
                _e(", ".join(r.items)),
                _e(", ".join(usual.get(r.id, []))),
            ]
            for r in rows.itertuples()
        ]
        header = ["item", "what you need to know", "status", "evidence", "usually with"]
        parts.append(f"<h4>{_e(group)}</h4>" + _table(header, table_rows, "cpc306-knowledge"))
    skipped = standard.skipped_knowledge_numbers()
    if skipped:
        parts.append(
            f"<p>The unit's own numbering has no {_e(' or '.join(skipped))}: nothing is missing "
            "from your portfolio there.</p>"
        )
    p = cov.progress
    head = f"<p>{p.knowledge_covered} of {p.knowledge_total} knowledge items covered.</p>"
    return _section("Knowledge against your evidence", head + "".join(parts), "cpc306-k")
