"""HTML as plain text: paragraphs kept apart, list items as ``- item`` lines.

Mahara stores a framework's descriptions as HTML. The reader is the standard library's
``html.parser`` (one pass, linear in the text); tags it does not know are dropped and
their text kept.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset(
    {"p", "div", "br", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
    | {"blockquote", "pre", "section", "article", "header", "footer", "dl", "dt", "dd"}
)
_LOOKS_LIKE_HTML = re.compile(r"<[A-Za-z/!][^>]*>|&[#A-Za-z0-9]+;")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip = 0

    def _end_line(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.lines.append(text)
        self.current = []

    def _paragraph(self) -> None:
        self._end_line()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "li":
            self._end_line()
            self.current.append("- ")
        elif tag == "br":
            self._end_line()
        elif tag in _BLOCKS:
            self._paragraph()
        elif tag in ("td", "th"):
            self.current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag == "li":
            self._end_line()
        elif tag in _BLOCKS:
            self._paragraph()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.current.append(data)


def html_text(text: str) -> str:
    """``text`` with its HTML turned into plain text (text with no markup is kept as is)."""
    if not _LOOKS_LIKE_HTML.search(text):
        return " ".join(text.split())
    parser = _Text()
    parser.feed(text)
    parser.close()
    parser._end_line()
    lines = parser.lines
    while lines and lines[-1] == "":
        lines.pop()
    out = "\n".join(lines).strip()
    # A list directly after its lead-in line is one paragraph with it.
    out = re.sub(r"\n\n(?=- )", "\n", out)
    return out
