"""How much of a unit's source the importers read: a unit is small, a hostile file is not.

Every reader checks these before the work that grows with them, so a refusal is quick
and nothing is written.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import UsageError

#: A unit's published source (text, .docx, PDF, .matrix) is never near this.
MAX_SOURCE_BYTES = 20_000_000
#: Elements, criteria and knowledge items together (a real framework has a few hundred).
MAX_UNIT_ENTRIES = 20_000
#: Pages of a PDF (a unit prints on a few dozen).
MAX_PDF_PAGES = 500
#: Nesting of a .matrix (JSON) or of a Word document's XML elements.
MAX_NESTING = 200
#: Lines of a unit's text with something on them (a unit prints a few hundred).
MAX_TEXT_LINES = 50_000
_ENTRY = re.compile(r"^[ \t]*(?:[-*•][ \t]+)?\(?(?:[A-Z]{0,3}\d+(?:\.\d+)*|[a-z])[.):]?[ \t]", re.M)


def check_source_size(path: Path, size: int | None = None) -> None:
    """Refuse a source larger than :data:`MAX_SOURCE_BYTES` before reading it."""
    size = path.stat().st_size if size is None else size
    if size > MAX_SOURCE_BYTES:
        raise UsageError(
            f"{path}: {size / 1_000_000:.1f} MB, larger than the "
            f"{MAX_SOURCE_BYTES // 1_000_000} MB a unit's source may be",
            hint="give the unit's own text, not a whole collection of units",
        )


def check_text(path: Path, text: str) -> None:
    """Refuse a text with more lines, or more numbered entries, than a unit could print."""
    lines = sum(1 for line in text.splitlines() if line.strip())
    if lines > MAX_TEXT_LINES:
        raise UsageError(
            f"{path}: {lines:,} lines of text, more than the {MAX_TEXT_LINES:,} a unit prints",
            hint="give the unit's own text, not a whole collection of units",
        )
    check_entries(path, sum(1 for _ in _ENTRY.finditer(text)), "numbered lines")


def check_entries(path: Path | str, count: int, what: str = "elements") -> None:
    """Refuse a source with more than :data:`MAX_UNIT_ENTRIES` entries."""
    if count > MAX_UNIT_ENTRIES:
        raise UsageError(
            f"{path}: {count:,} {what}, more than the {MAX_UNIT_ENTRIES:,} a unit may have",
            hint="split it into one file per unit, then import each",
        )
