"""One walk of a folder, kept for every check that needs its listing.

``validate`` asks for the listing of a portfolio four ways: every link anywhere, the files
under each attachment folder no record lists, the attachment folders with no record, and
the names in each record folder that are not records. Each used to list the folders again
(over 2,000 records, some 6,000 ``scandir`` calls); a :class:`Walk` lists each folder once
(``os.scandir``, which tells links, folders and files apart with no ``stat`` per entry) and
answers all four from what it saw. It is a snapshot: take it where the checks start, and
let it go when they end.

A walk taken with ``stamped=True`` (as ``open_portfolio`` takes one, to look for the
leftovers of killed writes) keeps each folder's stamp from before it was listed, and
:meth:`Walk.still_holds` tells whether every folder is still as it was then, one ``lstat``
a folder: adding, removing or renaming anything in a folder changes its modification and
change times, so ``validate`` can use the walk of the open instead of listing again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

from .regular import entries_under
from .stamps import settled, stamp


class Walk:
    """Every entry under ``root``, each folder listed once; no link followed."""

    def __init__(self, root: Path | str, *, stamped: bool = False) -> None:
        self.root = os.fspath(root)
        #: The entries of each folder listed, in the order ``scandir`` gave them.
        self._children: dict[str, list[os.DirEntry[str]]] = {}
        #: Each folder's stamp from before it was listed (None: not kept, or incomplete).
        self._stamps: dict[str, list[object]] | None = {} if stamped else None
        self._looked = time.time_ns()
        for _entry in entries_under(self.root, self._list):
            pass

    def _list(self, folder: str) -> list[os.DirEntry[str]] | None:
        """One folder listed for the walk (its stamp first, when kept); None: skipped."""
        if self._stamps is not None:
            try:
                self._stamps[folder] = stamp(os.lstat(folder))
            except OSError:
                self._stamps = None
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            self._stamps = None  # nothing to vouch for: it is never used again
            return None  # as ``entries_under`` skips it (a folder that cannot be listed)
        self._children[folder] = entries
        return entries

    def listing(self, folder: Path | str) -> list[os.DirEntry[str]]:
        """The entries of one folder in name order (as ``sorted(os.scandir(folder))``).

        A folder the walk could not list is listed again here, so its error is raised.
        """
        entries = self._children.get(os.fspath(folder))
        if entries is None:
            with os.scandir(folder) as again:
                entries = list(again)
        return sorted(entries, key=lambda e: e.name)

    def entries_under(self, folder: Path | str) -> Iterator[os.DirEntry[str]]:
        """As :func:`~.regular.entries_under` of a folder the walk reached, from the walk."""
        return entries_under(folder, self._children.get)

    def links(self) -> list[Path]:
        """Every symbolic link under the root (as :func:`~.regular.links_under`)."""
        return sorted(
            Path(entry.path)
            for entries in self._children.values()
            for entry in entries
            if entry.is_symlink()
        )

    def temp_files(self, suffix: str) -> list[Path]:
        """Files (or links to files) named ``...suffix`` (as :func:`~.atomic.temp_files`)."""
        return [
            Path(entry.path)
            for entries in self._children.values()
            for entry in entries
            if entry.name.endswith(suffix) and entry.is_file()
        ]

    def still_holds(self) -> bool:
        """Whether every folder walked is as it was (a stamped walk of still folders only).

        A folder that had changed within :data:`~.stamps.RACY_NS` of the walk may have
        changed again in the same tick of the clock, so such a walk is never trusted.
        """
        if self._stamps is None:
            return False
        for folder, before in self._stamps.items():
            try:
                info = os.lstat(folder)
            except OSError:
                return False
            if stamp(info) != before or not settled(
                info.st_mtime_ns, info.st_ctime_ns, self._looked
            ):
                return False
        return True
