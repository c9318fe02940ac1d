"""Atomic file writes, hashed copies, and cleaning up after a killed write.

A write goes to a temporary file in the same folder, is fsynced, renamed over the target
and the folder is fsynced, so a reader sees the old file or the new one, never a torn one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .regular import entries_under, read_chunks

TEMP_SUFFIX = ".cpc306-tmp"
_CHUNK = 1 << 20


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where the OS cannot open folders)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temp_for(path: Path) -> tuple[int, Path]:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    # mkstemp makes 0600 files; keep the replaced file's mode, or the usual 0644 for a new one.
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = 0o644
    with contextlib.suppress(OSError):
        os.fchmod(fd, mode)
    return fd, Path(name)


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """Write to a temporary file beside ``path``, then put it in place atomically.

    On success the file is fsynced, renamed over ``path`` and the folder fsynced; on any
    failure the temporary file is removed and ``path`` is left as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temp_for(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically."""
    with _replacing(path) as handle:
        handle.write(data)


def atomic_write_chunks(path: Path, chunks: Iterable[str]) -> None:
    """Replace ``path`` with the text of ``chunks`` (UTF-8) atomically, writing as they come.

    A failure while they are made leaves ``path`` as it was.
    """
    with _replacing(path) as handle:
        for chunk in chunks:
            handle.write(chunk.encode("utf-8"))


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_copy(source: Path, target: Path) -> tuple[str, int]:
    """Copy ``source`` to ``target`` atomically; return its SHA-256 and size."""
    digest = hashlib.sha256()
    size = 0
    with _replacing(target) as out, source.open("rb") as src:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def sha256_file(
    path: Path, root: Path | None = None, *, keep: list[bytes] | None = None, keep_max: int = 0
) -> tuple[str, int]:
    """SHA-256 and size of a regular file, read in chunks and never through a link.

    ``keep``: a file of at most ``keep_max`` bytes has its bytes appended to it, for a
    caller that needs them next (``validate``'s scan), so the file is read once.
    """
    digest = hashlib.sha256()
    size = 0
    chunks: list[bytes] = []
    for chunk in read_chunks(path, root, _CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if keep is not None and size <= keep_max:
            chunks.append(chunk)
    if keep is not None and size <= keep_max:
        keep.append(b"".join(chunks))
    return digest.hexdigest(), size


def temp_files(root: Path) -> Iterator[Path]:
    """Temporary files left behind by writes that were killed part-way.

    One ``scandir`` per folder (``Path.rglob`` costs a second or two over 10,000 attachment
    folders); as with ``rglob``, no linked folder is entered, and a name that ends so is
    a leftover when it is a file, or a link to one.
    """
    for entry in entries_under(root):
        if entry.name.endswith(TEMP_SUFFIX) and entry.is_file():
            yield Path(entry.path)


def clean_temp_files(root: Path) -> list[Path]:
    """Remove leftovers of killed writes; the files they were replacing are intact."""
    removed = []
    for path in temp_files(root):
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed
