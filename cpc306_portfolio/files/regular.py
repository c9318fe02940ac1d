"""Regular files only: open without following a link, refuse FIFOs and devices, cap sizes.

A portfolio folder comes from someone else (a learner's folder on an assessor's machine, a
cohort on the centre's), so a link inside it could pull any local file (``~/.ssh``,
``/etc/passwd``) into a hash, a copy or the rendered HTML. Every read of a portfolio's
files goes through :func:`open_regular`: the last component is opened with ``O_NOFOLLOW``
and every folder between the portfolio and the file is checked with ``lstat``. A FIFO
would block a read for ever, so the file is opened non-blocking and checked with ``fstat``
before a byte is read.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from ..errors import Problem, UnsafeFileError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _refuse(path: Path, message: str, hint: str) -> UnsafeFileError:
    return UnsafeFileError([Problem(str(path), message, hint=hint)])


def _link_refusal(path: Path) -> UnsafeFileError:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return _refuse(
        path,
        f"is a symbolic link (to {target}); links are never followed in a portfolio",
        "replace the link with a copy of the file, or remove it",
    )


def links_between(root: Path, path: Path) -> Path | None:
    """The first link among the folders from ``root`` (exclusive) down to ``path``."""
    top, full = os.fspath(root), os.fspath(path)
    prefix = top if top.endswith(os.sep) else top + os.sep
    if full.startswith(prefix):  # the usual case, without pathlib's cost per file
        folders = full[len(prefix) :].split(os.sep)[:-1]
    else:
        try:
            folders = list(Path(full).relative_to(top).parts[:-1])
        except ValueError:
            return None
    here = top
    for part in folders:
        here = os.path.join(here, part)
        try:
            if stat.S_ISLNK(os.lstat(here).st_mode):
                return Path(here)
        except OSError:
            return None
    return None


def open_regular(path: Path, root: Path | None = None) -> BinaryIO:
    """Open a regular file for reading, never through a link; raise UnsafeFileError if not.

    ``root`` is the portfolio folder: folders between it and ``path`` must not be links
    either. A missing file raises :class:`FileNotFoundError` as ``open`` does.
    """
    fd, _ = _open_fd(Path(path), root)
    return os.fdopen(fd, "rb")


def _as_path(path: Path | str) -> Path:
    # Path(path) of a Path parses it again: thousands of times over a big portfolio.
    return path if isinstance(path, Path) else Path(path)


def _open_fd(path: Path, root: Path | None) -> tuple[int, os.stat_result]:
    """A blocking descriptor of a regular file reached through no link, and its ``fstat``."""
    if root is not None:
        link = links_between(root, path)
        if link is not None:
            raise _link_refusal(link)
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP or (exc.errno == errno.EMLINK and _NOFOLLOW):
            raise _link_refusal(path) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(
                path,
                "is not a regular file (a folder, pipe or device), so it is not read",
                "replace it with an ordinary file, or remove it",
            )
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return fd, info
    except BaseException:
        os.close(fd)
        raise


def is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def is_regular(path: Path) -> bool:
    """Whether ``path`` itself (not what a link points at) is a regular file."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def read_bytes(path: Path, root: Path | None = None, limit: int | None = None) -> bytes:
    """The bytes of a regular file; with ``limit``, at most ``limit + 1`` bytes are read.

    Read straight from the descriptor, asking for the size ``fstat`` gave (a buffered
    ``read(limit + 1)`` sets aside ``limit`` bytes for every small record file first),
    then on until the end, so a file that grew meanwhile is still read whole or to the cap.
    """
    fd, info = _open_fd(_as_path(path), root)
    try:
        cap = sys.maxsize if limit is None else limit + 1
        chunks, got = [], 0
        want = min(cap, info.st_size + 1)
        while got < cap:
            asked = max(1, min(want, cap - got))
            chunk = os.read(fd, asked)
            chunks.append(chunk)
            got += len(chunk)
            if not chunk or (len(chunk) < asked and got >= info.st_size):
                break  # the end: no need to ask again to hear nothing
            want = 1 << 20
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_chunks(path: Path, root: Path | None = None, size: int = 1 << 20) -> Iterator[bytes]:
    """The bytes of a regular file, ``size`` at a time (bounded memory for large files).

    The first read asks for no more than the file's size and one byte: a read sets aside
    all it asks for, and most attachments and records are a few kilobytes.
    """
    fd, info = _open_fd(_as_path(path), root)
    try:
        want, got = max(1, min(size, info.st_size + 1)), 0
        while chunk := os.read(fd, want):
            yield chunk
            got += len(chunk)
            if len(chunk) < want and got >= info.st_size:
                break  # the end (as read_bytes): no need to ask again to hear nothing
            want = size
    finally:
        os.close(fd)


def links_under(root: Path) -> list[Path]:
    """Every symbolic link anywhere under ``root`` (links are listed, not followed)."""
    return sorted(Path(entry.path) for entry in entries_under(root) if entry.is_symlink())


def entries_under(
    root: Path | str,
    listing: Callable[[str], Sequence[os.DirEntry[str]] | None] | None = None,
) -> Iterator[os.DirEntry[str]]:
    """Every entry anywhere under ``root``, folders before what they hold; no link followed.

    ``os.scandir`` tells a link, a folder and a file apart from what listing the folder gave,
    so a walk over a portfolio of 10,000 attachment folders costs one listing per folder
    and no ``lstat`` per entry. A folder that cannot be listed is skipped, as ``os.walk``
    skips it. ``listing`` lists a folder instead of ``os.scandir`` (None: skip it), for a
    walk that keeps what it saw (:class:`~.walk.Walk`).
    """
    pending = [os.fspath(root)]
    while pending:
        entries = (listing or _listed)(pending.pop())
        if entries is None:
            continue
        for entry in entries:
            yield entry
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
            except OSError:
                continue


def _listed(folder: str) -> list[os.DirEntry[str]] | None:
    """A folder's entries as ``os.scandir`` gives them; None when it cannot be listed."""
    try:
        with os.scandir(folder) as listing:
            return list(listing)
    except OSError:
        return None
