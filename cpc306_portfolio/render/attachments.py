"""Attachments as the assessor sees them: inline, as text, or downloadable from the file.

Images are recognised by their bytes, not by the name or media type the record claims, so
an SVG (which can carry script) named ``photo.png`` is only ever a download. Text is shown
escaped; a PDF shows its extracted text and downloads from a ``data:`` link. A file larger
than :data:`MAX_EMBED_BYTES` is not embedded at all: the page lists its name, size and
SHA-256 and says where it is in the portfolio folder (a 200 MB ``data:`` link made a 280 MB
page and crashed Chromium's tab).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..confidentiality.extract import text_of_bytes
from ..errors import AttachmentError, UnsafeFileError
from ..files.regular import open_regular
from ..portfolio.models import Attachment
from .richtext import withhold
from .withheld import Span, mask_spans

#: Magic numbers of the only image formats shown inline.
_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_TABLE_SUFFIXES = frozenset({".csv", ".tsv"})
#: Enough text for the assessor to read; the whole file is always downloadable.
PREVIEW_CHARS = 20_000
TABLE_ROWS = 200
#: Attachments larger than this (20 MB as the page counts sizes, in MiB) are listed, not embedded.
MAX_EMBED_BYTES = 20 * 2**20
_CHUNK = 1 << 20


@dataclass
class AttachmentView:
    """What the report shows for one attachment."""

    name: str
    path: str
    description: str
    size: int
    sha256: str
    media_type: str
    kind: str = "download"  # image | text | table | pdf | download | listed | missing
    problem: str = ""
    image_src: str = ""
    text: str = ""
    truncated: bool = False
    rows: list[list[str]] = field(default_factory=list)
    more_rows: int = 0
    download_href: str = ""
    #: Where a file too large to embed is, in the portfolio folder.
    location: str = ""


def image_type(data: bytes) -> str | None:
    """The media type of a PNG, JPEG, GIF or WebP image, from its first bytes."""
    for magic, media_type in _IMAGE_MAGIC:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _preview(text: str, names: Sequence[str]) -> tuple[str, bool]:
    text = withhold(text, names)
    if len(text) > PREVIEW_CHARS:
        return text[:PREVIEW_CHARS], True
    return text, False


def _table(text: str, suffix: str, names: Sequence[str]) -> tuple[list[list[str]], int]:
    dialect = "excel-tab" if suffix == ".tsv" else "excel"
    rows = [[withhold(c, names) for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    return rows[:TABLE_ROWS], max(0, len(rows) - TABLE_ROWS)


@dataclass(frozen=True)
class _Large:
    size: int
    sha256: str


def _read_small(path: Path, root: Path | None) -> bytes | _Large:
    """The file's bytes, or for one too large to embed only its size and SHA-256."""
    with open_regular(path, root) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size <= MAX_EMBED_BYTES:
            return handle.read()
        digest = hashlib.sha256()
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
        return _Large(size, digest.hexdigest())


def view_attachment(
    attachment: Attachment,
    path: Path,
    names: Sequence[str] = (),
    spans: Sequence[Span] = (),
    root: Path | None = None,
) -> AttachmentView:
    """Read one attachment and decide how to show it (never raises for a bad file).

    ``spans`` are open confidentiality findings in its extracted text, masked before it
    is shown.
    """
    name = PurePosixPath(attachment.path).name
    view = AttachmentView(
        name=name,
        path=attachment.path,
        description=withhold(attachment.description, names),
        size=attachment.size,
        sha256=attachment.sha256,
        media_type=attachment.media_type,
    )
    try:
        # Never through a link: a learner's folder must not pull in the assessor's files.
        data = _read_small(path, root)
    except UnsafeFileError:
        view.kind = "missing"
        view.problem = "Not shown: it is a link or not an ordinary file (links are never followed)."
        return view
    except OSError:
        view.kind, view.problem = "missing", "The file is missing from the portfolio."
        return view
    if isinstance(data, _Large):
        view.kind, view.location, view.size = "listed", f"evidence/{attachment.path}", data.size
        if data.sha256 != attachment.sha256:
            view.problem = "The file has changed since it was attached (its SHA-256 differs)."
        return view
    digest = hashlib.sha256(data).hexdigest()
    if digest != attachment.sha256:
        view.problem = "The file has changed since it was attached (its SHA-256 differs)."
    media = image_type(data)
    if media is not None:
        # Shown inline only: a second copy as a download would double the file's size.
        view.kind, view.image_src = "image", _data_uri(media, data)
        return view
    # Downloads are typed as opaque bytes, except PDFs, so nothing opens as a web page.
    suffix = PurePosixPath(name).suffix.lower()
    download_type = "application/pdf" if suffix == ".pdf" else "application/octet-stream"
    view.download_href = _data_uri(download_type, data)
    try:
        text = text_of_bytes(data, path)  # None for files with no text to show
    except AttachmentError as exc:
        view.problem = f"{view.problem} Its text could not be read ({exc.message}).".strip()
        return view
    if text is None:
        return view
    text = mask_spans(text, spans)
    if suffix in _TABLE_SUFFIXES:
        view.kind = "table"
        view.rows, view.more_rows = _table(text, suffix, names)
    else:
        view.kind = "pdf" if suffix == ".pdf" else "text"
        view.text, view.truncated = _preview(text, names)
    return view
