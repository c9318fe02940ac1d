"""Draft a unit from its published text: the page layout is recognised, then parsed.

Two layouts of the UK standards site are read: the older one (:mod:`.textlayout`, as
``tests/data/cpc306_source.txt``) and the one it prints today (:mod:`.sitelayout`, with
a ``URN:`` line). Every SOURCE field is filled word for word; everything the project
adds (OURS) is a placeholder starting with :data:`~.placeholders.PLACEHOLDER`; whatever
could not be placed is noted with its line, never silently dropped.
"""

from __future__ import annotations

import re

from .notes import ImportNote, ImportResult
from .sitelayout import SiteParser
from .textlayout import TextParser

__all__ = ["ImportNote", "ImportResult", "is_site_layout", "parse_unit_text"]


def is_site_layout(text: str) -> bool:
    """Whether the text is laid out as the standards site prints units today (a URN line)."""
    head = text[:20_000]
    return bool(re.search(r"^\s*URN\b\s*:?", head, re.M)) or (
        "you must be able to" in head.lower() and "you need to know and understand" in text.lower()
    )


def parse_unit_text(text: str, code: str | None = None) -> ImportResult:
    """Parse a unit's published text into a draft unit (plain data) and notes.

    ``code`` replaces the code the text prints (or the placeholder where it prints none).
    """
    parser = SiteParser(text) if is_site_layout(text) else TextParser(text)
    draft = parser.build()
    if code and code.strip():
        draft["code"] = " ".join(code.split())
    return ImportResult(draft, parser.notes)
