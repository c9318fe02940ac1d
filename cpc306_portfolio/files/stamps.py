"""A file's stamp: what tells, without reading it, that a file is as it was.

No edit keeps all five of size, modification time, change time, inode and device: a write
changes the change time (ctime), which no program can set back, and replacing a file gives
it a new inode. A file that changed within :data:`RACY_NS` of being looked at may change
again within the same tick of the file system's clock, leaving its stamp as it was, so what
was read from it then is never reused.
"""

from __future__ import annotations

import os

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
