"""HTML as plain text: paragraphs kept apart, list items as ``- item`` lines.

Mahara stores a framework's descriptions as HTML. The reader is a single pass over the
text (the standard library's ``html.parser`` takes quadratic time on some unclosed
constructs, such as a run of ``<!--``): tags it does not know are dropped and their text
kept, comments and scripts dropped, character references decoded.
"""

from __future__ import annotations

import html
import re

_BLOCKS = frozenset(
    {"p", "div", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
    | {"blockquote", "pre", "section", "article", "header", "footer", "dl", "dt", "dd"}
)
_HIDDEN = frozenset({"script", "style"})
_LOOKS_LIKE_HTML = re.compile(r"<[A-Za-z/!?]|&[#A-Za-z0-9]+;")  # a cheap test: no scan to a ">"
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?:[\s/][^<>]*)?>")


class _Text:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def end_line(self) -> None:
        text = " ".join(html.unescape("".join(self.current)).split())
        if text:
            self.lines.append(text)
        self.current = []

    def paragraph(self) -> None:
        self.end_line()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def tag(self, name: str, closing: bool) -> None:
        if name == "li":
            self.end_line()
            if not closing:
                self.current.append("- ")
        elif name == "br":
            self.end_line()
        elif name in _BLOCKS:
            self.paragraph()
        elif name in ("td", "th") and not closing:
            self.current.append(" ")


def html_text(text: str) -> str:
    """``text`` with its HTML turned into plain text (text with no markup is kept as is)."""
    if not _LOOKS_LIKE_HTML.search(text):
        return " ".join(text.split())
    out = _Text()
    hidden: str | None = None  # inside <script> or <style>: text dropped until it closes
    pos, size = 0, len(text)
    while pos < size:
        lt = text.find("<", pos)
        end = size if lt < 0 else lt
        if hidden is None and end > pos:
            out.current.append(text[pos:end])
        if lt < 0:
            break
        if text.startswith("<!--", lt):
            close = text.find("-->", lt + 4)
            pos = size if close < 0 else close + 3
            continue
        if text.startswith(("<!", "<?"), lt):  # a declaration or processing instruction
            close = text.find(">", lt + 2)
            pos = size if close < 0 else close + 1
            continue
        match = _TAG.match(text, lt)
        if match is None:
            if hidden is None:
                out.current.append("<")
            pos = lt + 1
            continue
        pos = match.end()
        closing, name = bool(match.group(1)), match.group(2).lower()
        if hidden is not None:
            hidden = None if closing and name == hidden else hidden
        elif name in _HIDDEN and not closing:
            hidden = name
        else:
            out.tag(name, closing)
    out.end_line()
    lines = out.lines
    while lines and lines[-1] == "":
        lines.pop()
    joined = "\n".join(lines).strip()
    # A list directly after its lead-in line is one paragraph with it.
    return re.sub(r"\n\n(?=- )", "\n", joined)
