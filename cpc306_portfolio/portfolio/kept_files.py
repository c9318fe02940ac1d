"""Small attachments read once for both their hash and the confidentiality scan.

``validate`` hashes every attachment and then scans its text: over 10,000 records that is
10,000 files opened and read twice. When ``validate`` hashes a small file, its bytes are
kept here until the scan takes them; the scan gets them only while the file's stamp is the
one taken before they were read, and only when the file had been still for
:data:`~cpc306_portfolio.files.stamps.RACY_NS` by then (as :class:`~.stamps.FileMemo`
decides). Otherwise, or when nothing was kept, the scan reads the file itself. What is kept
is bounded (:data:`KEEP_FILE_BYTES` a file, :data:`KEEP_TOTAL_BYTES` in all) and let go
as it is taken.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from ..files.atomic import sha256_file
from ..files.stamps import settled, stamp

#: Files larger than this are hashed in chunks and never kept.
KEEP_FILE_BYTES = 256 * 1024
#: At most this many bytes kept at once.
KEEP_TOTAL_BYTES = 16 * 1024 * 1024


class KeptFiles:
    """Bytes of files hashed for ``validate``, waiting for the scan (see the module)."""

    def __init__(self) -> None:
        self._kept: dict[Path, tuple[list[object], int, bytes]] = {}
        self._total = 0

    def sha256(
        self, path: Path, root: Path | None, info: os.stat_result | None = None
    ) -> tuple[str, int]:
        """SHA-256 and size of ``path`` (never through a link), keeping a small file's bytes.

        ``info``: an ``lstat`` of ``path`` just taken by the caller (else it is taken here).
        """
        if info is None:
            try:
                info = os.lstat(path)
            except OSError:
                info = None
        if info is None or info.st_size > KEEP_FILE_BYTES:
            return sha256_file(path, root)
        if self._total + info.st_size > KEEP_TOTAL_BYTES:
            return sha256_file(path, root)
        looked = time.time_ns()
        kept: list[bytes] = []
        digest, size = sha256_file(path, root, keep=kept, keep_max=KEEP_FILE_BYTES)
        self.drop(path)
        if kept and settled(info.st_mtime_ns, info.st_ctime_ns, looked):
            self._kept[path] = (stamp(info), looked, kept[0])
            self._total += len(kept[0])
        return digest, size

    def take(self, path: Path) -> bytes | None:
        """The bytes kept for ``path`` if the file is still as it was, else None (let go)."""
        entry = self._kept.pop(path, None)
        if entry is None:
            return None
        before, _, data = entry
        self._total -= len(data)
        try:
            now = stamp(os.lstat(path))
        except OSError:
            return None
        return data if now == before else None

    def drop(self, path: Path) -> None:
        entry = self._kept.pop(path, None)
        if entry is not None:
            self._total -= len(entry[2])
