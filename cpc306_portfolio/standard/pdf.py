"""A PDF's text as the importer reads it: lines joined by where they sit on the page.

pypdf gives each piece of text with its position and font. The pieces are set into
lines, a page in two columns is read column by column, and the lines into paragraphs:

- a bigger gap than the page's usual line spacing ends a paragraph (a blank line);
- a line that starts with a number, a letter in brackets or a bullet starts an item;
- a line wholly in bold (or a bigger font) stands alone, as a heading;
- any other line continues the one above when that one does not end a sentence and
  wraps (it reaches near the column's right edge, or this line starts in lower case).

So the wrapped end of an item stays in the item, and a group title (no number, on its
own line) stays a title. Bold text is kept as ``**``. A page whose text pypdf cannot
give is named in the error.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

from ..errors import UsageError
from .limits import MAX_PDF_PAGES

_ITEM = re.compile(
    r"^(?:\d+(?:\.\d+)*[.)]?|\(?[a-z][.)]|\([a-z]\)|[-•*–]|[A-Z]{1,2}\d+[a-z]?[.:]?)\s"
)
_ENDS = (".", ":", ";", "?", "!")


@dataclass
class _Piece:
    x: float
    y: float
    size: float
    text: str
    bold: bool


@dataclass
class _Line:
    x: float
    y: float
    size: float
    pieces: list[_Piece]

    @property
    def text(self) -> str:
        return " ".join("".join(p.text for p in self.pieces).split())

    @property
    def bold(self) -> bool:
        return all(p.bold for p in self.pieces if p.text.strip())

    def marked(self) -> str:
        """The line's text with ``**`` around its bold stretches (spaces kept outside)."""
        out, bold = [], False
        for piece in self.pieces:
            core = piece.text.strip()
            if not core:
                out.append(piece.text)
                continue
            lead = piece.text[: len(piece.text) - len(piece.text.lstrip())]
            trail = piece.text[len(piece.text.rstrip()) :]
            if piece.bold != bold:
                out += ["**", lead] if bold else [lead, "**"]
                bold = piece.bold
            else:
                out.append(lead)
            out += [core, trail]
        if bold:
            out.append("**")
        return " ".join("".join(out).replace("****", "").split())


def _pieces(page: Any) -> list[_Piece]:
    found: list[_Piece] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip("\n"):
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
        name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
        bold = bool(re.search(r"bold|black|heavy", name, re.I))
        for n, part in enumerate(text.split("\n")):
            if part:
                found.append(_Piece(x, y - n * size * scale, size * scale, part, bold))

    page.extract_text(visitor_text=visit)
    return found


def _lines(pieces: list[_Piece]) -> list[_Line]:
    """Pieces at one height set into one line, top to bottom."""
    lines: list[_Line] = []
    for piece in sorted(pieces, key=lambda p: -p.y):
        last = lines[-1] if lines else None
        if last is not None and abs(last.y - piece.y) <= max(last.size, piece.size) * 0.5:
            last.pieces.append(piece)
            last.size = max(last.size, piece.size)
        else:
            lines.append(_Line(piece.x, piece.y, piece.size, [piece]))
    for line in lines:
        line.pieces.sort(key=lambda p: p.x)
        line.x = line.pieces[0].x
    return lines


def _columns(pieces: list[_Piece], width: float) -> list[list[_Line]]:
    """The page's lines in reading order: one column, or the left column then the right.

    A page is in two columns when several pieces start right of the middle and several
    start left of it; a left piece long enough to cross the middle above the columns
    spans the page (a title) and is read first.
    """
    mid = width / 2
    right = [p for p in pieces if p.x >= mid * 0.95]
    left = [p for p in pieces if p.x < mid * 0.95]
    if len({round(p.y) for p in right}) < 3 or len({round(p.y) for p in left}) < 3:
        return [_lines(pieces)]
    top = max(p.y for p in right)
    spanning = [p for p in left if p.y > top and p.x + len(p.text) * p.size * 0.45 > mid]
    left = [p for p in left if p not in spanning]
    return [_lines(spanning), _lines(left), _lines(right)]


def _paragraphs(column: list[_Line]) -> list[str]:
    """The column's lines, wrapped lines joined; a blank string between paragraphs."""
    if not column:
        return []
    gaps = [a.y - b.y for a, b in itertools.pairwise(column) if a.y > b.y]
    usual = median(gaps) if gaps else column[0].size * 1.2
    body = median(ln.size for ln in column)
    longest = max(len(ln.text) for ln in column)
    out: list[str] = []
    prev: _Line | None = None
    for line in column:
        text = line.marked()
        if not text:
            continue
        heading = line.bold or line.size > body * 1.15
        if prev is None or prev.y - line.y > usual * 1.4:
            if out:
                out.append("")
            out.append(text)
        elif _ITEM.match(line.text) or heading or prev.bold or prev.size > body * 1.15:
            out.append(text)
        elif (line.text[:1].islower() and not prev.text.endswith((".", ":", "?", "!"))) or (
            not prev.text.rstrip("\"'”’)]").endswith(_ENDS) and len(prev.text) >= longest * 0.8
        ):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
        prev = line
    return out


#: What pypdf raises besides its own errors on broken and hostile files (seen here).
_READ_ERRORS: tuple[type[Exception], ...] = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    ZeroDivisionError,
    OverflowError,
    AssertionError,
    NotImplementedError,
)


def pdf_text(path: Path) -> str:
    """A PDF's text, page by page, lines joined by layout (see the module's notes)."""
    return pdf_pages(path)[0]


def _doubt(number: int, pieces: list[_Piece]) -> str | None:
    """Why the text of a page may not be the page's words (None: no reason to doubt it)."""
    text = "".join(p.text for p in pieces)
    if not text.strip():
        return f"page {number} has no text (an image of a page?): its words are not in the draft"
    unread = text.count("\ufffd") + len(re.findall(r"\(cid:\d+\)", text))
    if unread > max(3, len(text) // 50):
        return (
            f"page {number}: {unread} characters could not be read (a font with no text "
            "mapping): check this page's words against the PDF"
        )
    return None


def pdf_pages(path: Path) -> tuple[str, list[str]]:
    """:func:`pdf_text`, and what makes the text of a page doubtful, page by page."""
    from pypdf import PdfReader  # imported here: only a PDF source needs it
    from pypdf.errors import PyPdfError

    errors: tuple[type[Exception], ...] = (PyPdfError, *_READ_ERRORS)
    opening: tuple[type[Exception], ...] = (*errors, RecursionError)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise UsageError(f"{path}: the PDF is encrypted", hint="save a copy without a password")
        pages = reader.pages
        count = len(pages)
    except UsageError:
        raise
    except opening as exc:
        raise UsageError(
            f"{path}: cannot be read: not a PDF pypdf can open ({exc or type(exc).__name__})",
            hint="check the file opens",
        ) from None
    if count > MAX_PDF_PAGES:
        raise UsageError(
            f"{path}: {count} pages, more than the {MAX_PDF_PAGES} a unit's source may have",
            hint="give the unit's own pages",
        )
    out: list[str] = []
    doubts: list[str] = []
    for number in range(count):
        try:
            page = pages[number]
            pieces = _pieces(page)
            width = float(page.mediabox.width)
        except errors as exc:
            raise UsageError(
                f"{path}: page {number + 1}: its text cannot be read ({exc or type(exc).__name__})",
                hint="check that page, or give the unit's text",
            ) from None
        except RecursionError:
            raise UsageError(
                f"{path}: page {number + 1}: its content is nested too deep to read",
                hint="check that page, or give the unit's text",
            ) from None
        doubt = _doubt(number + 1, pieces)
        if doubt:
            doubts.append(doubt)
        for column in _columns(pieces, width):
            paragraphs = _paragraphs(column)
            if paragraphs:
                if out:
                    out.append("")
                out.extend(paragraphs)
    return "\n".join(out) + "\n", doubts
