"""A received page, read by trusted code: its digest, its panel data, and whether it is honest.

A page is untrusted: whoever edits it can change its script and recompute the hash in its
own Content-Security-Policy. So nothing the page computes about itself is believed. This
module reads the HTML file itself: :func:`page_digest` is the SHA-256 of the page with the
cover's render time taken out (the one part that is the clock's, not the folder's), and
:func:`check_page` renders the folder now and names the first section and item where the
page differs from it.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem, RecordError, UsageError
from ..execute.engines import InProcess
from ..portfolio.store import Portfolio
from .panel import DATA_ID
from .report import render_portfolio

#: The cover's "Rendered <date> at <time> UTC".
RENDERED_AT = re.compile(r"<dt>Rendered</dt><dd>[^<]*</dd>")
_STAMP = "<dt>Rendered</dt><dd>(when)</dd>"
_DATA = re.compile(
    r'<script type="application/json" id="' + re.escape(DATA_ID) + r'">(.*?)</script>', re.S
)
_SECTION = re.compile(r'<section\b[^>]*\bid="([^"]+)"')
_ITEM = re.compile(r'\bid="([^"]+)"')
_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.S)
#: A page bigger than this is not one the toolkit wrote for a portfolio it can render.
MAX_PAGE_BYTES = 512 * 1024 * 1024

Pathish = str | os.PathLike[str]


def _problem(path: Path, message: str, hint: str) -> RecordError:
    return RecordError([Problem(str(path), message, hint=hint)])


def page_text(path: Pathish) -> str:
    """The page's text with its render time taken out; refuses what is not such a page."""
    source = Path(path).expanduser()
    if not source.is_file():
        raise UsageError(f"{source}: no such page", hint="give the .html file the assessor read")
    if source.stat().st_size > MAX_PAGE_BYTES:
        raise _problem(source, "too large to be a portfolio page", "give the page cpc306 wrote")
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _problem(source, "not UTF-8 text", "give the page cpc306 wrote") from None
    if len(RENDERED_AT.findall(text)) != 1:
        raise _problem(
            source,
            "not a portfolio page: its cover does not say once when it was rendered",
            "give the page cpc306 render (or the learner's Export) wrote",
        )
    return RENDERED_AT.sub(_STAMP, text)


def digest_of_text(text: str) -> str:
    """SHA-256 (hex) of a page's text as :func:`page_text` gives it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def page_digest(path: Pathish) -> str:
    """The digest of a page file, computed here from its bytes (never by its script)."""
    return digest_of_text(page_text(path))


def page_panel_data(path: Pathish) -> dict[str, Any]:
    """The panel's data block as the page holds it (believed only once the page is checked)."""
    found = _DATA.findall(page_text(path))
    if len(found) != 1:
        raise _problem(
            Path(path), "has no assessment panel data", "give the page the draft was made in"
        )
    try:
        data = json.loads(found[0])
    except json.JSONDecodeError:
        raise _problem(Path(path), "its panel data is not JSON", "render the page again") from None
    if not isinstance(data, dict):
        raise _problem(Path(path), "its panel data is not a mapping", "render the page again")
    return data


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _first_at(expected: str, found: str) -> int:
    return next(
        (i for i, (a, b) in enumerate(zip(expected, found, strict=False)) if a != b),
        min(len(expected), len(found)),
    )


def first_difference(expected: str, found: str) -> str:
    """Where ``found`` first departs from ``expected``: the section, the item, the words."""
    if expected == found:
        return ""
    at = _first_at(expected, found)
    before = expected[:at]
    sections = _SECTION.findall(before)
    section = sections[-1] if sections else "the page's start"
    start = before.rfind(f'id="{section}"') if sections else 0
    items = [i for i in _ITEM.findall(before[start:]) if i != section]
    headings = _HEADING.findall(before[start:])
    where = f"section {section!r}"
    if items:
        where += f", item {items[-1]!r}"
    if headings:
        where += f" (under {_plain(headings[-1])[:80]!r})"
    line_end = found.find("\n", at)
    shown = _plain(found[max(0, at - 60) : line_end if line_end > 0 else at + 120])[:160]
    return f"{where}: the page reads {shown!r}"


@dataclass(frozen=True)
class PageCheck:
    """A received page compared with what the folder renders now."""

    digest: str
    matches: bool
    difference: str
    rendered_digests: tuple[str, ...]


def check_page(portfolio: Portfolio, page: Pathish, trust: Pathish | None = None) -> PageCheck:
    """Render ``portfolio`` now and compare ``page`` with it, the render time excepted.

    A page is honest if it is what the toolkit renders from the folder with no trust list
    (as a learner exports it) or with ``trust`` (as the centre renders it): the cover's
    seal is the only part that depends on the list.
    """
    received = page_text(page)
    digest = digest_of_text(received)
    with tempfile.TemporaryDirectory(prefix="cpc306-page-") as folder:
        texts = _renders(portfolio, trust, Path(folder))
    digests = tuple(digest_of_text(t) for t in texts)
    if digest in digests:
        return PageCheck(digest, True, "", digests)
    # Compared with the render it follows longest (with the list or without), so a page
    # rendered without the centre's list is not reported as differing on its cover.
    closest = max(texts, key=lambda text: _first_at(text, received))
    return PageCheck(digest, False, first_difference(closest, received), digests)


def rendered_digests(portfolio: Portfolio, trust: Pathish | None = None) -> tuple[str, ...]:
    """The digests of the pages the folder renders now (no list, and ``trust`` if given)."""
    with tempfile.TemporaryDirectory(prefix="cpc306-page-") as folder:
        return tuple(digest_of_text(t) for t in _renders(portfolio, trust, Path(folder)))


def _renders(portfolio: Portfolio, trust: Pathish | None, folder: Path) -> list[str]:
    texts = []
    for number, listed in enumerate([None, trust] if trust else [None]):
        out = folder / f"page-{number}.html"
        render_portfolio(portfolio, out, trust=listed, engine=InProcess())
        texts.append(page_text(out))
    return texts
