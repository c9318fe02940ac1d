"""Coverage tables: which records cover which criteria, scope options and knowledge items.

Everything comes from the loaded :class:`~cpc306_portfolio.standard.Standard` (ids, wording,
typical evidence and the assessment strategy), so a second unit needs no code change.
The rows come from :mod:`.coverage_rows` (no pandas there); this module makes them tables.
The functions here are pure over records; :func:`.status.portfolio_status` reads a
portfolio folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..portfolio.models import Assessment, Evidence, Reflection
from ..standard.model import Standard
from .coverage_rows import GAP_KINDS as GAP_KINDS
from .coverage_rows import STATUS_LABELS as STATUS_LABELS
from .coverage_rows import STATUS_SYMBOLS as STATUS_SYMBOLS
from .coverage_rows import CoverageRows, Progress, coverage_rows
from .coverage_rows import Status as Status
from .rules import Gap, Record, method_of

if TYPE_CHECKING:
    pass

#: The tables' columns. ``items`` (and a criterion's ``methods``) hold lists of ids in
#: record order; whoever shows them joins them.
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
#: ``items``/``covered``: mapped by records; ``assessed``/``assessed_ok``: the assessor's
#: questions marked met and discussions that assessed the item (schema 4).
KNOWLEDGE_COLUMNS = ["id", "parent", "group", "text", "items", "covered", "assessed", "assessed_ok"]


@dataclass(frozen=True)
class Coverage:
    """The tables for one portfolio against one unit (see the module docstring)."""

    matrix: pd.DataFrame
    criteria: pd.DataFrame
    scope: pd.DataFrame
    knowledge: pd.DataFrame
    gaps: list[Gap]
    progress: Progress


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
    rows = coverage_rows(standard, evidence, reflections, assessment, today)
    return coverage_frames(rows, [*evidence, *reflections], standard)


def coverage_frames(rows: CoverageRows, records: Sequence[Record], standard: Standard) -> Coverage:
    """The tables of :func:`compute_coverage`, from the rows it makes them of."""
    crit_ids = list(standard.criteria)

    # One object block rather than a string column per record: ~10x faster to build
    # for a wide portfolio, and cells compare with "" and method ids the same way.
    row_of = {c: i for i, c in enumerate(crit_ids)}
    cells = np.full((len(crit_ids), len(records)), "", dtype=object)
    for j, rec in enumerate(records):
        for crit_id in rec.criteria:
            if crit_id in row_of:
                cells[row_of[crit_id], j] = method_of(rec)
    matrix = pd.DataFrame(
        cells,
        index=pd.Index(crit_ids, name="criterion"),
        columns=pd.Index([r.id for r in records], dtype=object),
        dtype=object,
    )
    criteria = pd.DataFrame(rows.criteria, columns=CRITERIA_COLUMNS)
    scope = pd.DataFrame(rows.scope, columns=SCOPE_COLUMNS)
    knowledge = pd.DataFrame(rows.knowledge, columns=KNOWLEDGE_COLUMNS)
    scope["covered"] = scope["covered"].astype(bool)
    knowledge["covered"] = knowledge["covered"].astype(bool)
    knowledge["assessed_ok"] = knowledge["assessed_ok"].astype(bool)
    return Coverage(matrix, criteria, scope, knowledge, rows.gaps, rows.progress)
