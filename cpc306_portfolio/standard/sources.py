"""Read a unit's published source as text: plain text, Word (.docx) or PDF.

Each reader is bounded (:mod:`.limits`) and ends in a :class:`~..errors.UsageError`
naming the file and what is wrong, never a traceback.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

from ..errors import NotFoundError, UsageError
from .docx import docx_text
from .limits import check_source_size, check_text
from .notes import ImportNote
from .pdf import pdf_pages, pdf_text

__all__ = ["docx_text", "pdf_text", "read_source", "read_source_text"]


def read_source(path: Path) -> tuple[str, list[ImportNote]]:
    """:func:`read_source_text`, with notes on what the reader doubts (a PDF's empty page)."""
    notes: list[ImportNote] = []
    text = _read(path, notes)
    check_text(path, text)
    return text, notes


def read_source_text(path: Path) -> str:
    """The text of a unit's published source: plain text, Word (.docx) or PDF."""
    return read_source(path)[0]


def _read(path: Path, notes: list[ImportNote]) -> str:
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file", hint="give the unit's text, .docx or .pdf")
    check_source_size(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            return docx_text(path)
        if suffix == ".pdf":
            text, doubts = pdf_pages(path)
            notes.extend(ImportNote(None, d) for d in doubts)
            return text
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(
            f"{path}: not UTF-8 text", hint="save it as UTF-8 text, or give the .docx or .pdf"
        ) from None
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError) as exc:
        raise UsageError(f"{path}: cannot be read: {exc}", hint="check the file opens") from None
    except (RecursionError, MemoryError):
        raise UsageError(
            f"{path}: cannot be read: nested too deep or too large for a unit",
            hint="check the file opens, or give the unit's text",
        ) from None
