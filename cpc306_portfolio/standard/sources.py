"""Read a unit's published source as text: plain text, Word (.docx) or PDF."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

from ..errors import NotFoundError, UsageError


def read_source_text(path: Path) -> str:
    """The text of a unit's published source: plain text, Word (.docx) or PDF."""
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file", hint="give the unit's text, .docx or .pdf")
    from pypdf.errors import PdfReadError

    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            return docx_text(path)
        if suffix == ".pdf":
            return pdf_text(path)
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(
            f"{path}: not UTF-8 text", hint="save it as UTF-8 text, or give the .docx or .pdf"
        ) from None
    except (OSError, zipfile.BadZipFile, ElementTree.ParseError, PdfReadError) as exc:
        raise UsageError(f"{path}: cannot be read: {exc}", hint="check the file opens") from None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _is_on(element: ElementTree.Element | None) -> bool:
    return element is not None and element.get(f"{_W}val", "true") not in ("0", "false", "off")


def docx_text(path: Path) -> str:
    """A Word document as the importer's text: one paragraph a line, bold as ``**``.

    Read with the standard library (a .docx is zipped XML): the text, bold runs and
    list numbering are all the importer needs. Numbers Word draws itself (automatic
    lists) are counted per list, ``1.`` for the first level and ``a.`` for the second.
    """
    with zipfile.ZipFile(path) as archive:
        # The document is the source's own file, but still bounded: a unit is small.
        info = archive.getinfo("word/document.xml")
        if info.file_size > 20_000_000:
            raise UsageError(f"{path}: the document is too large for a unit")
        root = ElementTree.fromstring(archive.read(info))
    counters: dict[tuple[str, int], int] = {}
    lines: list[str] = []
    for para in root.iter(f"{_W}p"):
        parts: list[str] = []
        for run in para.iter(f"{_W}r"):
            text = "".join(t.text or "" for t in run.iter(f"{_W}t"))
            props = run.find(f"{_W}rPr")
            bold = props is not None and _is_on(props.find(f"{_W}b"))
            parts.append(f"**{text}**" if bold and text.strip() else text)
        line = "".join(parts).replace("****", "")
        num = para.find(f"{_W}pPr/{_W}numPr")
        if num is not None and line.strip():
            level_el, list_el = num.find(f"{_W}ilvl"), num.find(f"{_W}numId")
            level = int(level_el.get(f"{_W}val", "0")) if level_el is not None else 0
            list_id = list_el.get(f"{_W}val", "") if list_el is not None else ""
            for key in [k for k in counters if k[0] == list_id and k[1] > level]:
                del counters[key]
            count = counters[(list_id, level)] = counters.get((list_id, level), 0) + 1
            line = f"{count}. {line}" if level == 0 else f" - {chr(96 + min(count, 26))}. {line}"
        lines.append(line)
    return "\n\n".join(lines) + "\n"


def pdf_text(path: Path) -> str:
    """A PDF's text, page by page (bold is not kept: link bold terms by hand)."""
    from pypdf import PdfReader  # imported here: only a PDF source needs it

    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
