"""Extracted attachment text, kept once per content in the user's cache folder.

An entry is named by the SHA-256 of the attachment's bytes, so a file replaced by another
(same name, same size) is a different entry and a stale text is never served. Each entry
starts with a header line naming the extractor and the SHA-256 and length of the text after
it; an entry that does not match its header (torn, truncated, edited) is ignored and
replaced. Writes are atomic. The folder is a cache: deleting it costs only time.

Where: ``$XDG_CACHE_HOME/cpc306/text`` (``~/.cache/cpc306/text`` when unset).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

_MAGIC = "cpc306-text/1"


def cache_folder() -> Path:
    """The folder holding extracted texts (created on first write)."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "cpc306" / "text"


def _entry(digest: str) -> Path:
    return cache_folder() / f"{digest}.txt"


def cached_text(digest: str, extractor: str) -> str | None:
    """The text cached for content ``digest`` by ``extractor``, or None (never a bad entry)."""
    try:
        raw = _entry(digest).read_bytes()
    except OSError:
        return None
    head, sep, body = raw.partition(b"\n")
    if not sep:
        return None
    try:
        magic, tool, text_sha, length = head.decode("ascii").split(" ")
    except (UnicodeDecodeError, ValueError):
        return None
    if magic != _MAGIC or tool != extractor or length != str(len(body)):
        return None
    if hashlib.sha256(body).hexdigest() != text_sha:
        return None
    return body.decode("utf-8")


def store_text(digest: str, extractor: str, text: str) -> None:
    """Keep ``text`` for content ``digest`` (quietly skipped where the cache cannot be written)."""
    body = text.encode("utf-8", errors="replace")
    head = f"{_MAGIC} {extractor} {hashlib.sha256(body).hexdigest()} {len(body)}\n"
    path = _entry(digest)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temp, "wb") as stream:
            stream.write(head.encode("ascii") + body)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
