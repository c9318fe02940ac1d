"""A file's stamp: what tells, without reading it, that a file is as it was.

No edit keeps all five of size, modification time, change time, inode and device: a write
changes the change time (ctime), which no program can set back, and replacing a file gives
it a new inode. A file that changed within :data:`RACY_NS` of being looked at may change
again within the same tick of the file system's clock, leaving its stamp as it was, so what
was read from it then is never reused.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")

#: How recently a file may have changed for what was read from it to be reused.
RACY_NS = 2_000_000_000


def stamp(stat: os.stat_result) -> list[object]:
    """``[size, mtime_ns, ctime_ns, inode, device]`` of an ``lstat``."""
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev]


def settled(mtime_ns: int, ctime_ns: int, looked_ns: int) -> bool:
    """Whether a file had been still long enough, when it was looked at, to trust its stamp.

    ``mtime_ns`` and ``ctime_ns`` are when it last changed; ``looked_ns`` is when it was read.
    """
    return max(mtime_ns, ctime_ns) + RACY_NS < looked_ns


class FileMemo(Generic[T]):
    """Values computed from files, each reused while its file's stamp is unchanged.

    The stamp is taken before the value is computed, so a change made while computing
    it shows as a new stamp next time; a value is kept only when the file had been still
    for :data:`RACY_NS` by then. A file that cannot be stamped (gone, unreadable) is never
    remembered. ``key`` tells apart values computed from the same file in different ways.
    """

    def __init__(self) -> None:
        self._known: dict[Hashable, tuple[list[object], T]] = {}

    def get(
        self,
        path: Path,
        compute: Callable[[], T],
        key: Hashable = None,
        *,
        info: os.stat_result | None = None,
    ) -> T:
        """The value kept for ``path`` while its stamp holds, else ``compute()``.

        ``info``: an ``lstat`` of ``path`` the caller has just taken (and not yet read the
        file since), so it is not taken again.
        """
        slot = (os.fspath(path), key)  # a str hashes once; a Path hashes its parts each time
        if info is None:
            try:
                info = os.lstat(path)
            except OSError:
                self._known.pop(slot, None)
                return compute()
        now = stamp(info)
        known = self._known.get(slot)
        if known is not None and known[0] == now:
            return known[1]
        looked = time.time_ns()
        value = compute()
        if settled(info.st_mtime_ns, info.st_ctime_ns, looked):
            self._known[slot] = (now, value)
        else:
            self._known.pop(slot, None)
        return value

    def clear(self) -> None:
        self._known.clear()

    def values(self) -> list[T]:
        """Every value kept now."""
        return [value for _, value in self._known.values()]
