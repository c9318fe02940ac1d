"""Coverage as plain rows: the criteria, scope and knowledge tables, gaps and progress.

The same rows :mod:`.coverage` turns into pandas tables, built without pandas or numpy, so
``cpc306 status`` (which only prints them) starts without importing either.
Everything comes from the loaded :class:`~cpc306_portfolio.standard.Standard`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from .reflections import reflection_gaps
from .rules import (
    Gap,
    Record,
    check_criterion,
    join_ids,
    method_of,
    months_before,
)

if TYPE_CHECKING:
    from ..portfolio.assessor_evidence import AssessorRecords
    from ..portfolio.models import Assessment, Evidence, Reflection
    from ..standard.model import KnowledgeItem, KnowledgeSubItem, Standard

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
GAP_KINDS = (
    "not_yet_met",
    "performance",
    "reflective_account",
    "items",
    "knowledge",
    "reflection_stage",
)


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
    #: Top-level knowledge items the assessor has assessed (a question marked met, or a
    #: professional discussion), apart from ``knowledge_covered`` (mapped by evidence).
    knowledge_assessed: int = 0


@dataclass(frozen=True)
class CoverageRows:
    """The rows of each coverage table (keys: the tables' columns), the gaps and progress."""

    criteria: list[dict[str, Any]]
    scope: list[dict[str, Any]]
    knowledge: list[dict[str, Any]]
    gaps: list[Gap]
    progress: Progress


Index = dict[str, list[Record]]


def _index(records: Sequence[Record], ids: Callable[[Record], Iterable[str]]) -> Index:
    """Each id to the records mapped to it, in record order (one pass over the records)."""
    out: Index = {}
    for rec in records:
        for key in dict.fromkeys(ids(rec)):
            out.setdefault(key, []).append(rec)
    return out


def _criteria_rows(
    standard: Standard,
    by_criterion: Index,
    assessment: Assessment | None,
    cutoff: date | None,
) -> tuple[list[dict[str, object]], list[Gap]]:
    judgements = assessment.judgements if assessment is not None else {}
    rows: list[dict[str, object]] = []
    gaps: list[Gap] = []
    for crit_id, crit in standard.criteria.items():
        mapped = by_criterion.get(crit_id, [])
        methods = list(dict.fromkeys(method_of(r) for r in mapped))
        check = check_criterion(standard, crit, mapped, cutoff)
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
            reason = (
                "ready for assessment: it has the kinds and number of evidence this unit asks for"
            )
            if check.notes:
                reason += f" ({'; '.join(check.notes)})"
        rows.append(
            {
                "criterion": crit_id,
                "element": standard.element_of[crit_id].id,
                "text": crit.text,
                "items": [r.id for r in mapped],
                "methods": methods,
                "status": status,
                "symbol": STATUS_SYMBOLS[status],
                "reason": reason,
            }
        )
    return rows, gaps


def _scope_rows(standard: Standard, records: Sequence[Record]) -> list[dict[str, object]]:
    # Only a record's scope mappings cover scope. Its evidence kind says what the item is,
    # and uses the same words as a scope category (CPC 306's B4 "evidence"), but an item
    # being observed evidence does not show that observed evidence went to decision makers.
    by_option = _index(records, lambda r: list(r.scope))
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
                    "items": ids,
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
        where += f" as a whole, or to each of {join_ids([s.id for s in missing])}"
    if item.id in usual:
        where += f" (it usually goes with {join_ids(usual[item.id])})"
    return Gap(
        item.id,
        "knowledge",
        f"{item.id} is not covered: {text}",
        f"map an item of evidence or a reflective account that shows this knowledge to "
        f"{where}; a professional discussion or question and answer often shows knowledge",
    )


def _knowledge_rows(
    standard: Standard, records: Sequence[Record], assessed: dict[str, list[str]]
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
            # Assessed like mapped: the parent assesses every sub-item, all sub-items the parent.
            by_sub = {s.id: [*assessed.get(item.id, []), *assessed.get(s.id, [])] for s, _ in subs}
            whole = assessed.get(item.id, [])
            tested = bool(whole) or (bool(subs) and all(by_sub.values()))
            rows.append(
                {
                    "id": item.id,
                    "parent": "",
                    "group": group.title,
                    "text": item.text,
                    "items": union,
                    "covered": covered,
                    "assessed": list(
                        dict.fromkeys([*whole, *(i for ids in by_sub.values() for i in ids)])
                    ),
                    "assessed_ok": tested,
                }
            )
            for sub, ids in subs:
                rows.append(
                    {
                        "id": sub.id,
                        "parent": item.id,
                        "group": group.title,
                        "text": sub.text,
                        "items": ids,
                        "covered": bool(ids),
                        "assessed": list(dict.fromkeys(by_sub[sub.id])),
                        "assessed_ok": bool(by_sub[sub.id]),
                    }
                )
            if not covered:
                gaps.append(_knowledge_gap(item, [s for s, ids in subs if not ids], usual))
    return rows, gaps


def coverage_rows(
    standard: Standard,
    evidence: Sequence[Evidence],
    reflections: Sequence[Reflection],
    assessment: Assessment | None = None,
    today: date | None = None,
    assessor: AssessorRecords | None = None,
) -> CoverageRows:
    """Every coverage table's rows for these records against ``standard``.

    ``today`` (default: the current date) anchors the unit's currency window. The
    assessor's records (``assessor``) count too: observations (and discussions where the
    unit's strategy allows) as performance evidence for their criteria, and questions
    marked met and discussions as knowledge *assessed*, a column apart from *mapped*.
    Records mapped to ids the unit does not define are ignored: only the unit's own
    criteria, scope options and knowledge items appear.
    """
    today = today or date.today()
    months = standard.assessment_strategy.currency_months
    cutoff = months_before(today, months) if months else None
    records: list[Record] = [*evidence, *reflections]
    assessed: dict[str, list[str]] = {}
    if assessor is not None:
        from ..portfolio.assessor_evidence import assessed_knowledge

        records += [*assessor.observations, *assessor.discussions]
        assessed = assessed_knowledge(assessor)

    by_criterion = _index(records, lambda r: r.criteria)
    crit_rows, crit_gaps = _criteria_rows(standard, by_criterion, assessment, cutoff)
    scope_rows = _scope_rows(standard, records)
    know_rows, know_gaps = _knowledge_rows(standard, records, assessed)

    counts = Counter(row["status"] for row in crit_rows)
    # Sub-items count through their parent, so a knowledge item is counted once.
    top = [row for row in know_rows if row["parent"] == ""]
    n = len(standard.criteria)
    done = counts["ready"] + counts["met"]
    progress = Progress(
        criteria_total=n,
        criteria_ready=counts["ready"],
        criteria_met=counts["met"],
        criteria_in_progress=counts["in_progress"],
        criteria_not_started=counts["not_started"],
        criteria_not_yet_met=counts["not_yet_met"],
        knowledge_total=len(top),
        knowledge_covered=sum(1 for row in top if row["covered"]),
        scope_total=len(scope_rows),
        scope_covered=sum(1 for row in scope_rows if row["covered"]),
        evidence_count=len(evidence),
        reflection_count=len(reflections),
        percent_ready=round(100.0 * done / n, 1) if n else 0.0,
        knowledge_assessed=sum(1 for row in top if row["assessed_ok"]),
    )
    gaps = crit_gaps + know_gaps + reflection_gaps(reflections)
    return CoverageRows(crit_rows, scope_rows, know_rows, gaps, progress)
