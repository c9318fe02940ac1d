"""The text of an attachment, for scanning: plain text, PDF (PDFium) and Word (.docx).

PDF and Word texts are extracted once per content and kept in the user's cache
(:mod:`.textcache`), so attach, scan and render each read a PDF's text at the cost of a
file read after the first.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import stat
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AttachmentError, problem_at
from ..files.regular import read_bytes, read_chunks
from .textcache import cached_text, store_text

# The PDF reader (its child process) and the Word reader (zip and XML) load with the first
# PDF or Word file: a scan of plain text needs neither.
if TYPE_CHECKING:
    from xml.etree import ElementTree

_TEXT_SUFFIXES = frozenset(
    {".txt", ".text", ".md", ".markdown", ".csv", ".tsv", ".json", ".yaml", ".yml", ".html"}
)
_DOCX_PARTS = re.compile(r"word/(?:document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
_DOCX_MAX_BYTES = 50_000_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Names of the extractors in cache entries: bump one when its output changes.
_EXTRACTORS = {".pdf": "pdfium-1", ".docx": "docx-1"}


def iter_text(path: Path, root: Path | None = None) -> Iterator[str]:
    """The text of an attachment in pieces: plain text streams, other formats come whole."""
    if not isinstance(path, Path):  # parsing a Path again costs, file after file
        path = Path(path)
    if path.suffix.lower() not in _TEXT_SUFFIXES:
        text = extract_text(path, root)
        if text:
            yield text
        return
    try:
        yield from _decoded(read_chunks(path, root), path)
    except OSError as exc:
        raise AttachmentError(
            [problem_at(path, f"cannot be read ({exc.strerror or exc})")],
            hint="check the file's permissions",
        ) from exc


def iter_text_of(data: bytes, path: Path) -> Iterator[str]:
    """As :func:`iter_text`, of a file's bytes already read (``path`` names it)."""
    if not isinstance(path, Path):
        path = Path(path)
    if path.suffix.lower() not in _TEXT_SUFFIXES:
        text = text_of_bytes(data, path)
        if text:
            yield text
        return
    yield from _decoded(iter((data,)), path)


def _decoded(chunks: Iterator[bytes], path: Path) -> Iterator[str]:
    """Plain text in pieces as UTF-8 (a BOM dropped); unreadable bytes replaced, with a warning."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    offset, warned = 0, False
    for chunk in chunks:
        text = decoder.decode(chunk)
        if not warned and "\ufffd" in text and b"\xef\xbf\xbd" not in chunk:
            _warn_undecodable(path, offset, stacklevel=4)  # the reader of iter_text
            warned = True
        offset += len(chunk)
        yield text
    yield decoder.decode(b"", final=True)


def _warn_undecodable(path: Path, at: int, stacklevel: int = 3) -> None:
    warnings.warn(
        f"{path}: not valid UTF-8 (from byte {at}); unreadable bytes were replaced "
        "before scanning (save the file as UTF-8 to scan it exactly)",
        UnicodeWarning,
        stacklevel=stacklevel,
    )


def extract_text(path: Path, root: Path | None = None) -> str | None:
    """Return the text of a text-like attachment, or None for images and other binaries.

    Reads .txt, .md, .csv (and similar plain text) as UTF-8, .pdf through PDFium and
    .docx from its XML (those two through the text cache, keyed by the file's SHA-256).
    Undecodable bytes are replaced and reported with a warning;
    a file that cannot be read at all raises :class:`AttachmentError`.
    """
    path = Path(path)
    if path.suffix.lower() not in _TEXT_SUFFIXES and path.suffix.lower() not in _EXTRACTORS:
        return None
    try:
        data = read_bytes(path, root)
    except OSError as exc:
        raise AttachmentError(
            [problem_at(path, f"cannot read the text of this attachment ({exc})")],
            hint="check the file opens; re-save it or attach a plain-text copy",
        ) from exc
    return text_of_bytes(data, path)


def text_of_bytes(data: bytes, path: Path) -> str | None:
    """The text of an attachment already read (``path`` names it and gives its type)."""
    suffix = Path(path).suffix.lower()
    try:
        if suffix in _TEXT_SUFFIXES:
            return _read_plain(data, path)
        if suffix in _EXTRACTORS:
            return _read_cached(data, path, suffix)
    except AttachmentError:
        raise
    except Exception as exc:  # any reader failure is the file's fault, not ours
        raise AttachmentError(
            [problem_at(path, f"cannot read the text of this attachment ({exc})")],
            hint="check the file opens; re-save it or attach a plain-text copy",
        ) from exc
    return None


def _read_plain(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _warn_undecodable(path, exc.start)
        return data.decode("utf-8", errors="replace")


def _read_cached(data: bytes, path: Path, suffix: str) -> str:
    digest, extractor = hashlib.sha256(data).hexdigest(), _EXTRACTORS[suffix]
    text = cached_text(digest, extractor)
    if text is None:
        if suffix == ".pdf":
            text = pdf_text(data, path, digest)
        else:
            text = _read_docx(io.BytesIO(data), path)
        store_text(digest, extractor, text)
    return text


def pdf_text(data: bytes, path: Path, digest: str = "") -> str:
    """PDFium's text of the PDF ``data`` (:func:`.pdftext.pdf_text`)."""
    from .pdftext import pdf_text as read

    return read(data, path, digest)


def prefetch_text(path: str | os.PathLike[str]) -> None:
    """Start reading a PDF's text now, beside what the caller does next.

    A command opening its portfolio imports for a while: the child reads the PDF meanwhile,
    and the scan that follows collects it.

    Only a regular PDF file whose text is not cached yet starts anything; whatever else the
    file is, nothing happens here, and the scan reads or refuses it as it always does.
    """
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        return
    from . import pdftext

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a pipe put there never blocks us
    except OSError:
        return
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > pdftext.MAX_PDF_BYTES:
            return
        with os.fdopen(os.dup(fd), "rb") as stream:
            data = stream.read(pdftext.MAX_PDF_BYTES + 1)
    except OSError:
        return
    finally:
        os.close(fd)
    digest = hashlib.sha256(data).hexdigest()
    if cached_text(digest, _EXTRACTORS[".pdf"]) is None:
        pdftext.start_pdf_text(data, digest)


def _read_docx(data: io.BytesIO, path: Path) -> str:
    import zipfile
    from xml.etree import ElementTree

    paragraphs: list[str] = []
    with zipfile.ZipFile(data) as archive:
        for info in archive.infolist():
            if not _DOCX_PARTS.fullmatch(info.filename):
                continue
            if info.file_size > _DOCX_MAX_BYTES:
                raise AttachmentError(
                    [problem_at(path, f"{info.filename} is too large to scan")],
                    hint="attach a smaller document or a plain-text copy",
                )
            root = ElementTree.fromstring(archive.read(info))
            for para in root.iter(f"{_W}p"):
                paragraphs.append("".join(_docx_runs(para)))
    return "\n".join(paragraphs)


def _docx_runs(para: ElementTree.Element) -> Iterator[str]:
    for node in para.iter():
        if node.tag == f"{_W}t" and node.text:
            yield node.text
        elif node.tag == f"{_W}tab":
            yield "\t"
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            yield "\n"
