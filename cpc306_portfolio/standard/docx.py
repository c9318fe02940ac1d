"""A Word document (.docx) as the importer's text: one paragraph a line, bold as ``**``.

Read with the standard library (a .docx is zipped XML). Word draws list numbers itself,
so they are not in the text: each number is worked out from the document's numbering
part (``word/numbering.xml``) as Word does, through a paragraph's own ``w:numPr`` or its
style's (``List Number``, headings), with each level's start, format and text (``%1.``,
``%1.%2``, ``(%2)``). Lists sharing an abstract definition count on together unless a
level's start is overridden. A ``List Number`` style with no numbering definition at all
is counted per level as one list through the document (a restart cannot be told from the
text: ids then stay unique, if not as printed). A table row whose first cell
is a number or an id (``1``, ``P1``, ``K2``, ``a``) is one numbered line; other rows give
a line per cell paragraph.

Every part is read once, walked without recursion where a file decides the depth, and
bounded (:mod:`.limits`).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from ..errors import UsageError
from .limits import MAX_NESTING, MAX_SOURCE_BYTES, check_entries

_LEVELS = 9
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _R, _T, _TBL, _TR, _TC = (f"{_W}{n}" for n in ("p", "r", "t", "tbl", "tr", "tc"))
_TEXTS = {_T: None, f"{_W}tab": " ", f"{_W}br": " ", f"{_W}cr": " "}
_LABEL = re.compile(r"^\(?(?:[A-Z]{0,3}\d+(?:\.\d+)*[a-z]?|[a-z]|[ivx]+)[.):]?$")


def _val(element: ElementTree.Element | None, default: str = "") -> str:
    return default if element is None else element.get(f"{_W}val", default)


def _int(text: str, default: int = 0) -> int:
    return int(text) if text.isdigit() and len(text) < 6 else default


def _is_on(element: ElementTree.Element | None) -> bool:
    return element is not None and _val(element, "true") not in ("0", "false", "off")


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""


_DEFAULT_LEVELS = {
    0: _Level(1, "decimal", "%1."),
    1: _Level(1, "lowerLetter", "%2."),
    2: _Level(1, "lowerRoman", "%3."),
}


@dataclass
class _Style:
    name: str = ""
    based_on: str = ""
    num_id: str = ""
    level: int | None = None
    bold: bool = False


@dataclass
class _Numbering:
    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    num_abstract: dict[str, str] = field(default_factory=dict)
    overrides: dict[tuple[str, int], int] = field(default_factory=dict)
    styles: dict[str, _Style] = field(default_factory=dict)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)
    used: set[tuple[str, int]] = field(default_factory=set)
    overridden: set[str] = field(default_factory=set)  # lists whose start Word overrode


def _read_part(archive: zipfile.ZipFile, name: str, path: Path) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_SOURCE_BYTES:
        raise UsageError(f"{path}: {name} is too large for a unit", hint="give the unit alone")
    with archive.open(info) as part:
        data = part.read(MAX_SOURCE_BYTES + 1)  # the size the zip claims may be untrue
    if len(data) > MAX_SOURCE_BYTES:
        raise UsageError(f"{path}: {name} is too large for a unit", hint="give the unit alone")
    return data


def _numbering(root: ElementTree.Element | None, styles: ElementTree.Element | None) -> _Numbering:
    out = _Numbering()
    if root is not None:
        for abstract in root.findall(f"{_W}abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in abstract.findall(f"{_W}lvl"):
                levels[_int(lvl.get(f"{_W}ilvl", "0"))] = _Level(
                    _int(_val(lvl.find(f"{_W}start"), "1"), 1),
                    _val(lvl.find(f"{_W}numFmt"), "decimal"),
                    _val(lvl.find(f"{_W}lvlText"), ""),
                )
            out.abstract[abstract.get(f"{_W}abstractNumId", "")] = levels
        for num in root.findall(f"{_W}num"):
            num_id = num.get(f"{_W}numId", "")
            out.num_abstract[num_id] = _val(num.find(f"{_W}abstractNumId"))
            for over in num.findall(f"{_W}lvlOverride"):
                start = _val(over.find(f"{_W}startOverride"))
                if start.isdigit():
                    out.overrides[(num_id, _int(over.get(f"{_W}ilvl", "0")))] = _int(start, 1)
                    out.overridden.add(num_id)
    if styles is not None:
        for style in styles.findall(f"{_W}style"):
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            level = None if num_pr is None else num_pr.find(f"{_W}ilvl")
            out.styles[style.get(f"{_W}styleId", "")] = _Style(
                name=_val(style.find(f"{_W}name")).lower(),
                based_on=_val(style.find(f"{_W}basedOn")),
                num_id=_val(None if num_pr is None else num_pr.find(f"{_W}numId")),
                level=None if level is None else _int(_val(level, "0")),
                bold=_is_on(style.find(f"{_W}rPr/{_W}b")),
            )
    return out


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = chr(96 + (n - 1) % 26 + 1) * ((n - 1) // 26 + 1)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman") and n < 4000:
        out, rest = "", n
        for value, numeral in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
            while rest >= value:
                out, rest = out + numeral, rest - value
        return out.upper() if fmt == "upperRoman" else out
    if fmt == "none":
        return ""
    return f"{n:02d}" if fmt == "decimalZero" else str(n)


class _Reader:
    def __init__(self, numbering: _Numbering, path: Path) -> None:
        self.numbering = numbering
        self.path = path
        self.lines: list[str] = []

    def style_chain(self, style_id: str) -> list[_Style]:
        chain: list[_Style] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and len(chain) < 50:
            seen.add(style_id)
            style = self.numbering.styles.get(style_id)
            if style is None:
                break
            chain.append(style)
            style_id = style.based_on
        return chain

    def label(self, para: ElementTree.Element, chain: list[_Style]) -> str | None:
        """The number Word draws before the paragraph (None: not a list item)."""
        num_pr = para.find(f"{_W}pPr/{_W}numPr")
        num_id = _val(None if num_pr is None else num_pr.find(f"{_W}numId"))
        level_el = None if num_pr is None else num_pr.find(f"{_W}ilvl")
        level = _int(_val(level_el, "0")) if level_el is not None else None
        for style in chain:
            num_id = num_id or style.num_id
            level = style.level if level is None else level
        level = min(level or 0, _LEVELS - 1)  # Word has nine levels, 0 to 8
        if num_id and num_id != "0":
            return self.numbered(num_id, level)
        names = [s.name for s in chain]
        listed = next((n for n in names if re.fullmatch(r"list (number|bullet)( \d)?", n)), "")
        if not listed:
            return None
        if "bullet" in listed:
            return "-"
        depth = int(listed[-1]) - 1 if listed[-1].isdigit() else 0
        key = ("\0style", depth)
        counters = self.numbering.counters
        for deeper in range(depth + 1, _LEVELS):
            counters.pop(("\0style", deeper), None)
        counters[key] = counters.get(key, 0) + 1
        return f"{counters[key]}." if depth == 0 else f"{_format(counters[key], 'lowerLetter')}."

    def numbered(self, num_id: str, level: int) -> str:
        numbering = self.numbering
        # A list with no definition (no numbering part) counts on its own, Word's defaults.
        abstract_id = numbering.num_abstract.get(num_id, f"\0num{num_id}")
        levels = numbering.abstract.get(abstract_id, _DEFAULT_LEVELS)
        # A list whose start Word overrode is a list of its own (every level restarts);
        # lists with no override share their abstract definition's count.
        restarted = num_id in numbering.overridden
        owner = num_id if restarted else abstract_id
        key = (owner, level)
        if (num_id, level) in numbering.overrides and key not in numbering.used:
            numbering.counters[key] = numbering.overrides[(num_id, level)] - 1
        numbering.used.add(key)
        start = levels.get(level, _Level()).start
        numbering.counters[key] = numbering.counters.get(key, start - 1) + 1
        for deeper in range(level + 1, _LEVELS):
            numbering.counters.pop((owner, deeper), None)
        lvl = levels.get(level, _Level(text=f"%{level + 1}."))
        if lvl.fmt == "bullet":
            return "-"

        def number(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            value = numbering.counters.get((owner, at), levels.get(at, _Level()).start)
            return _format(value, levels.get(at, _Level()).fmt)

        text = re.sub(r"%([1-9])", number, lvl.text or f"%{level + 1}.").strip()
        if re.fullmatch(r"\(?(\d+|[a-z])[.)]?", text):  # "1)", "(a)": the importer's "1.", "a."
            text = re.sub(r"[^0-9a-z]", "", text) + "."
        return text

    def paragraph(self, para: ElementTree.Element, depth: int) -> None:
        """Add the paragraph's line (and those of paragraphs nested in it, after it)."""
        props = para.find(f"{_W}pPr")
        chain = self.style_chain(_val(None if props is None else props.find(f"{_W}pStyle")))
        para_bold = any(s.bold for s in chain)
        parts: list[str] = []
        nested: list[ElementTree.Element] = []
        # (element, bold of the run it is in); one pass over the paragraph's own elements.
        stack: list[tuple[ElementTree.Element, bool]] = [(c, para_bold) for c in reversed(para)]
        while stack:
            node, bold = stack.pop()
            tag = node.tag
            if tag in (_P, _TBL):
                nested.append(node)
                continue
            if tag == _R:
                run_props = node.find(f"{_W}rPr")
                if run_props is not None and run_props.find(f"{_W}b") is not None:
                    bold = _is_on(run_props.find(f"{_W}b"))
            elif tag in _TEXTS:
                text = (node.text or "") if tag == _T else (_TEXTS[tag] or "")
                parts.append(f"\2{text}" if bold else text)
                continue
            stack.extend((c, bold) for c in reversed(node))
        line = _bold_marks(parts)
        label = self.label(para, chain) if line.strip() else None
        if label is not None:
            line = f"{label} {line}"
            if re.match(r"\d+\.\d", label) or (label[0].islower() and label != "-"):
                line = " " + line  # a sub-item: indented, as the importer reads one
        self.lines.append(line)
        check_entries(self.path, len(self.lines), "paragraphs")
        for inner in nested:
            self.block(inner, depth + 1)

    def block(self, node: ElementTree.Element, depth: int) -> None:
        if depth > MAX_NESTING:
            raise UsageError(
                f"{self.path}: its parts are nested more than {MAX_NESTING} deep",
                hint="no unit is laid out like this: save the text from Word again",
            )
        if node.tag == _P:
            self.paragraph(node, depth)
        elif node.tag == _TBL:
            for row in node.findall(_TR):
                self.row(row, depth)
        else:
            for child in node:
                self.block(child, depth + 1)

    def row(self, row: ElementTree.Element, depth: int) -> None:
        cells: list[list[str]] = []
        for cell in row.findall(_TC):
            before = len(self.lines)
            for child in cell:
                self.block(child, depth + 1)
            cells.append([line for line in self.lines[before:] if line.strip()])
            del self.lines[before:]
        # Empty cells before the number: a sub-item set one column in (| | a | words |).
        skipped = next((n for n, cell in enumerate(cells) if cell), len(cells))
        first = " ".join(cells[skipped]).strip() if skipped < len(cells) else ""
        rest = [line for cell in cells[skipped + 1 :] for line in cell]
        if _LABEL.match(first.replace("**", "")) and rest:
            label = first.replace("**", "").strip("().:")
            dotted = bool(re.fullmatch(r"\d+(?:\.\d+)+", label))
            sub = dotted or bool(re.fullmatch(r"[a-z]", label))
            mark = "" if dotted else "."  # "2.1 text", "a. text", "1. text": as printed
            self.lines.append(f"{' ' if sub else ''}{label}{mark} {' '.join(rest)}")
            return
        for cell_lines in cells:
            self.lines.extend(cell_lines)


def _bold_marks(parts: list[str]) -> str:
    r"""Text with ``**`` around each bold stretch (a part starting ``\\2`` is bold)."""
    out: list[str] = []
    bold = False
    for part in parts:
        is_bold = part.startswith("\2")
        text = part[1:] if is_bold else part
        if is_bold and not text.strip():
            is_bold = bold  # a bold space does not start or end a stretch
        if is_bold != bold:
            out.append("**")
            bold = is_bold
        out.append(text)
    if bold:
        out.append("**")
    return "".join(out).replace("****", "")


def docx_text(path: Path) -> str:
    """A Word document as the importer's text: one paragraph a line, bold as ``**``."""
    with zipfile.ZipFile(path) as archive:
        document = _read_part(archive, "word/document.xml", path)
        if document is None:
            raise UsageError(
                f"{path}: cannot be read: it has no word/document.xml, so it is not a Word "
                "document",
                hint="save it from Word as a .docx, or give the unit's text",
            )
        numbering = _read_part(archive, "word/numbering.xml", path)
        styles = _read_part(archive, "word/styles.xml", path)
    root = ElementTree.fromstring(document)
    reader = _Reader(
        _numbering(
            ElementTree.fromstring(numbering) if numbering else None,
            ElementTree.fromstring(styles) if styles else None,
        ),
        path,
    )
    body = root.find(f"{_W}body")
    for child in body if body is not None else root:
        reader.block(child, 1)
    return "\n\n".join(reader.lines) + "\n"
