"""Coverage tables: which records cover which criteria, scope options and knowledge items.

Everything comes from the loaded :class:`~cpc306_portfolio.standard.Standard` (ids, wording,
typical evidence and the assessment strategy), so a second unit needs no code change.
The functions here are pure over records; :func:`coverage_of` is the one convenience that
reads a portfolio folder.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from .methods import AssessmentMethod
from .models import Assessment, Evidence, Reflection
from .standard.model import Criterion, KnowledgeItem, KnowledgeSubItem, Standard

if TYPE_CHECKING:
    from .store import Portfolio

Status = Literal["not_started", "in_progress", "ready", "met", "not_yet_met"]

#: Every status in display order, with the label and symbol the CLI and renderer share.
#: The symbols differ in shape, not only colour, for terminals and colour-blind readers.
STATUS_LABELS: dict[str, str] = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "ready": "Ready for assessment",
    "met": "Met",
    "not_yet_met": "Not yet met",
}
STATUS_SYMBOLS: dict[str, str] = {
    "not_started": "○",
    "in_progress": "◐",
    "ready": "●",
    "met": "✔",
    "not_yet_met": "✘",
}

#: Kinds of gap, in the order they are listed for one criterion.
GAP_KINDS = ("not_yet_met", "performance", "reflective_account", "items", "knowledge")

MATRIX_REFLECTION = AssessmentMethod.REFLECTIVE_ACCOUNT.value
CRITERIA_COLUMNS = [
    "criterion",
    "element",
    "text",
    "items",
    "methods",
    "status",
    "symbol",
    "reason",
]
SCOPE_COLUMNS = ["category", "category_label", "option", "label", "items", "covered"]
KNOWLEDGE_COLUMNS = ["id", "parent", "group", "text", "items", "covered"]


@dataclass(frozen=True)
class Gap:
    """One thing still missing, in plain English, with what to do about it."""

    target: str
    kind: str
    message: str
    next_step: str


@dataclass(frozen=True)
class Progress:
    """Headline figures for one portfolio.

    ``knowledge_*`` count top-level knowledge items (sub-items count through their
    parent); ``percent_ready`` is the share of criteria ready or met, to one decimal.
    """

    criteria_total: int
    criteria_ready: int
    criteria_met: int
    criteria_in_progress: int
    criteria_not_started: int
    criteria_not_yet_met: int
    knowledge_total: int
    knowledge_covered: int
    scope_total: int
    scope_covered: int
    evidence_count: int
    reflection_count: int
    percent_ready: float


@dataclass(frozen=True)
class Coverage:
    """The tables for one portfolio against one unit (see the module docstring)."""

    matrix: pd.DataFrame
    criteria: pd.DataFrame
    scope: pd.DataFrame
    knowledge: pd.DataFrame
    gaps: list[Gap]
    progress: Progress


Record = Evidence | Reflection
Index = dict[str, list[Record]]


def _method(record: Record) -> str:
    return record.method.value if isinstance(record, Evidence) else MATRIX_REFLECTION


def _index(records: Sequence[Record], ids: Callable[[Record], Iterable[str]]) -> Index:
    """Each id to the records mapped to it, in record order (one pass over the records)."""
    out: Index = {}
    for rec in records:
        for key in dict.fromkeys(ids(rec)):
            out.setdefault(key, []).append(rec)
    return out


def _months_before(day: date, months: int) -> date:
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _join(ids: Sequence[str]) -> str:
    return ", ".join(ids)


def _or_list(words: Sequence[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _article(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def _method_phrase(methods: Sequence[AssessmentMethod]) -> str:
    return _or_list([_article(m.label.lower()) for m in methods])


@dataclass
class _Check:
    """The rules of the assessment strategy applied to one criterion's records."""

    reasons: list[str]
    gaps: list[Gap]
    notes: list[str]


def _check_criterion(
    standard: Standard, crit: Criterion, records: Sequence[Record], cutoff: date | None
) -> _Check:
    strategy = standard.assessment_strategy
    notes: list[str] = []
    current: list[Record] = []
    for rec in records:
        if cutoff is not None and rec.date < cutoff:
            notes.append(
                f"{rec.id} (dated {rec.date.isoformat()}) is out of date: this unit counts "
                f"evidence from {cutoff.isoformat()} on"
            )
        elif isinstance(rec, Evidence) and rec.simulated and not strategy.simulation_allowed:
            notes.append(f"{rec.id} is simulated, and this unit accepts only real work")
        else:
            current.append(rec)

    examples = "; ".join(crit.typical_evidence)
    why = f" ({'; '.join(notes)})" if notes else ""
    reasons: list[str] = []
    gaps: list[Gap] = []
    perf = [
        r for r in current if isinstance(r, Evidence) and r.method in strategy.performance_methods
    ]
    if not perf:
        phrase = _method_phrase(strategy.performance_methods)
        kinds = _or_list([m.label.lower() for m in strategy.performance_methods])
        reasons.append(f"no current evidence from {phrase}")
        gaps.append(
            Gap(
                crit.id,
                "performance",
                f"{crit.id} has no evidence from {phrase}{why}",
                f"add a record of {kinds} evidence from your real work that shows {crit.id}, "
                f"for example: {examples}",
            )
        )
    if crit.id in strategy.reflective_account_required and not any(
        _method(r) == MATRIX_REFLECTION for r in current
    ):
        reasons.append("no reflective account")
        gaps.append(
            Gap(
                crit.id,
                "reflective_account",
                f"{crit.id} needs a reflective account and has none{why}",
                f"write a reflective account of your own practice and map it to {crit.id}",
            )
        )
    need = strategy.min_items_per_criterion
    if len(current) < need:
        reasons.append(f"{len(current)} current item(s) of the {need} this unit asks for")
        # Each gap above is met by adding one item; list the count only if more are needed.
        more = need - len(current) - len(gaps)
        if more > 0:
            gaps.append(
                Gap(
                    crit.id,
                    "items",
                    f"{crit.id} has {len(current)} current item(s) of evidence; "
                    f"this unit asks for {need}{why}",
                    f"add {more} more item(s) of evidence that show {crit.id}, "
                    f"for example: {examples}",
                )
            )
    return _Check(reasons, gaps, notes)


def _criteria_rows(
    standard: Standard,
    by_criterion: Index,
    assessment: Assessment | None,
    cutoff: date | None,
) -> tuple[list[dict[str, str]], list[Gap]]:
    judgements = assessment.judgements if assessment is not None else {}
    rows: list[dict[str, str]] = []
    gaps: list[Gap] = []
    for crit_id, crit in standard.criteria.items():
        mapped = by_criterion.get(crit_id, [])
        methods = list(dict.fromkeys(_method(r) for r in mapped))
        check = _check_criterion(standard, crit, mapped, cutoff)
        judgement = judgements.get(crit_id)
        status: Status
        if judgement is not None:
            status = judgement.outcome
            reason = f"judged {STATUS_LABELS[status].lower()} on {judgement.judged_on.isoformat()}"
            if judgement.feedback.strip():
                reason += f": {judgement.feedback.strip()}"
            if status == "not_yet_met":
                gaps.append(
                    Gap(
                        crit_id,
                        "not_yet_met",
                        f"{crit_id} was {reason}",
                        f"act on the assessor's feedback, then add evidence that shows {crit_id}",
                    )
                )
                gaps += check.gaps
        elif not mapped:
            status = "not_started"
            reason = "no evidence mapped yet"
            gaps += check.gaps
        elif check.reasons:
            status = "in_progress"
            reason = "; ".join(check.reasons + check.notes)
            gaps += check.gaps
        else:
            status = "ready"
            reason = "ready for assessment: every rule of the assessment strategy is met"
            if check.notes:
                reason += f" ({'; '.join(check.notes)})"
        rows.append(
            {
                "criterion": crit_id,
                "element": standard.element_of[crit_id].id,
                "text": crit.text,
                "items": _join([r.id for r in mapped]),
                "methods": _join(methods),
                "status": status,
                "symbol": STATUS_SYMBOLS[status],
                "reason": reason,
            }
        )
    return rows, gaps


def _scope_rows(standard: Standard, records: Sequence[Record]) -> list[dict[str, object]]:
    # An evidence kind is an option of the unit's evidence-kind scope category.
    by_option = _index(
        records, lambda r: [*r.scope, *(r.evidence_kind if isinstance(r, Evidence) else [])]
    )
    rows: list[dict[str, object]] = []
    for cat in standard.scope:
        for opt in cat.options:
            full = f"{cat.id}/{opt.id}"
            ids = [r.id for r in by_option.get(full, [])]
            rows.append(
                {
                    "category": cat.id,
                    "category_label": cat.label,
                    "option": full,
                    "label": opt.label,
                    "items": _join(ids),
                    "covered": bool(ids),
                }
            )
    return rows


def _knowledge_gap(
    item: KnowledgeItem, missing: Sequence[KnowledgeSubItem], usual: dict[str, list[str]]
) -> Gap:
    text = item.text
    where = item.id
    if missing:
        text += " " + "; ".join(f"{s.id} {s.text}" for s in missing)
        where += f" as a whole, or to each of {_join([s.id for s in missing])}"
    if item.id in usual:
        where += f" (it usually goes with {_join(usual[item.id])})"
    return Gap(
        item.id,
        "knowledge",
        f"{item.id} is not covered: {text}",
        f"map an item of evidence or a reflective account that shows this knowledge to "
        f"{where}; a professional discussion or question and answer often shows knowledge",
    )


def _knowledge_rows(
    standard: Standard, records: Sequence[Record]
) -> tuple[list[dict[str, object]], list[Gap]]:
    rows: list[dict[str, object]] = []
    gaps: list[Gap] = []
    usual: dict[str, list[str]] = {}
    for crit in standard.criteria.values():
        for kid in crit.knowledge:
            usual.setdefault(kid, []).append(crit.id)

    by_item = _index(records, lambda r: r.knowledge)
    order = {r.id: i for i, r in enumerate(records)}

    def mapped(*kids: str) -> list[str]:
        ids = {r.id for kid in kids for r in by_item.get(kid, [])}
        return sorted(ids, key=order.__getitem__)

    for group in standard.knowledge.groups:
        for item in group.items:
            # Mapping to the parent covers every sub-item; all sub-items cover the parent.
            subs = [(sub, mapped(item.id, sub.id)) for sub in item.sub_items]
            union = mapped(item.id, *(sub.id for sub in item.sub_items))
            covered = bool(mapped(item.id)) or (bool(subs) and all(ids for _, ids in subs))
            rows.append(
                {
                    "id": item.id,
                    "parent": "",
                    "group": group.title,
                    "text": item.text,
                    "items": _join(union),
                    "covered": covered,
                }
            )
            for sub, ids in subs:
                rows.append(
                    {
                        "id": sub.id,
                        "parent": item.id,
                        "group": group.title,
                        "text": sub.text,
                        "items": _join(ids),
                        "covered": bool(ids),
                    }
                )
            if not covered:
                gaps.append(_knowledge_gap(item, [s for s, ids in subs if not ids], usual))
    return rows, gaps


def compute_coverage(
    standard: Standard,
    evidence: Sequence[Evidence],
    reflections: Sequence[Reflection],
    assessment: Assessment | None = None,
    today: date | None = None,
) -> Coverage:
    """Every coverage table for these records against ``standard``.

    ``today`` (default: the current date) anchors the unit's currency window.
    Records mapped to ids the unit does not define are ignored: only the unit's own
    criteria, scope options and knowledge items appear.
    """
    today = today or date.today()
    months = standard.assessment_strategy.currency_months
    cutoff = _months_before(today, months) if months else None
    records: list[Record] = [*evidence, *reflections]
    crit_ids = list(standard.criteria)

    # One object block rather than a string column per record: ~10x faster to build
    # for a wide portfolio, and cells compare with "" and method ids the same way.
    row_of = {c: i for i, c in enumerate(crit_ids)}
    cells = np.full((len(crit_ids), len(records)), "", dtype=object)
    for j, rec in enumerate(records):
        for crit_id in rec.criteria:
            if crit_id in row_of:
                cells[row_of[crit_id], j] = _method(rec)
    matrix = pd.DataFrame(
        cells,
        index=pd.Index(crit_ids, name="criterion"),
        columns=pd.Index([r.id for r in records], dtype=object),
        dtype=object,
    )

    by_criterion = _index(records, lambda r: r.criteria)
    crit_rows, crit_gaps = _criteria_rows(standard, by_criterion, assessment, cutoff)
    criteria = pd.DataFrame(crit_rows, columns=CRITERIA_COLUMNS)
    scope = pd.DataFrame(_scope_rows(standard, records), columns=SCOPE_COLUMNS)
    know_rows, know_gaps = _knowledge_rows(standard, records)
    knowledge = pd.DataFrame(know_rows, columns=KNOWLEDGE_COLUMNS)
    scope["covered"] = scope["covered"].astype(bool)
    knowledge["covered"] = knowledge["covered"].astype(bool)

    counts = Counter(row["status"] for row in crit_rows)
    # Sub-items count through their parent, so a knowledge item is counted once.
    top = knowledge["parent"] == ""
    n = len(crit_ids)
    done = counts["ready"] + counts["met"]
    progress = Progress(
        criteria_total=n,
        criteria_ready=counts["ready"],
        criteria_met=counts["met"],
        criteria_in_progress=counts["in_progress"],
        criteria_not_started=counts["not_started"],
        criteria_not_yet_met=counts["not_yet_met"],
        knowledge_total=int(top.sum()),
        knowledge_covered=int((top & knowledge["covered"]).sum()),
        scope_total=len(scope),
        scope_covered=int(scope["covered"].sum()),
        evidence_count=len(evidence),
        reflection_count=len(reflections),
        percent_ready=round(100.0 * done / n, 1) if n else 0.0,
    )
    return Coverage(matrix, criteria, scope, knowledge, crit_gaps + know_gaps, progress)


def coverage_of(portfolio: Portfolio, today: date | None = None) -> Coverage:
    """Coverage of an open portfolio against its own unit (reads every record)."""
    return compute_coverage(
        portfolio.standard,
        portfolio.evidence(),
        portfolio.reflections(),
        portfolio.read_assessment(),
        today=today,
    )
