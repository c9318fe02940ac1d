"""A cohort folder: which subfolders are learners' portfolios, and what each one holds now.

A cohort is a folder with one portfolio per subfolder (``COHORT/<learner>/portfolio.yaml``).
Nothing here writes inside the cohort: the batch must leave every learner's folder as it was.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import NotFoundError, UsageError
from ..files.atomic import TEMP_SUFFIX, sha256_file
from ..files.stamps import settled, stamp
from ..portfolio.layout import LOCK_FILE, PROFILE_FILE, SIGNS

#: Files that change without the learner changing their portfolio.
_VOLATILE = {LOCK_FILE}
#: Signs that a folder was meant to be a portfolio even when its profile is missing.
_PORTFOLIO_SIGNS = (*SIGNS, "portfolio.yml")


@dataclass(frozen=True)
class CohortEntry:
    """One subfolder of a cohort: a portfolio, or a folder that looks like a broken one.

    ``problem`` is empty for a folder with a ``portfolio.yaml``; otherwise it says why the
    folder cannot be read as a portfolio (it is reported, never skipped in silence).
    """

    key: str
    path: Path
    problem: str = ""


def _looks_like_portfolio(folder: Path) -> bool:
    return any((folder / sign).exists() for sign in _PORTFOLIO_SIGNS)


def find_portfolios(
    cohort: str | os.PathLike[str], exclude: Path | None = None
) -> list[CohortEntry]:
    """Every learner folder in ``cohort``, sorted by folder name.

    Subfolders with a ``portfolio.yaml`` are portfolios; subfolders with evidence or
    reflections but no ``portfolio.yaml`` are returned with a ``problem``; hidden folders,
    ``exclude`` (the output folder, when it sits inside the cohort) and anything else are
    left out.
    """
    root = Path(cohort).expanduser().resolve()
    if not root.is_dir():
        raise NotFoundError(
            f"{root}: no such cohort folder",
            hint="give the folder that holds one folder per learner",
        )
    if (root / PROFILE_FILE).is_file():
        raise UsageError(
            f"{root} is one learner's portfolio, not a cohort",
            hint=f"give the folder above it ({root.parent}), which holds one folder per learner",
        )
    skip = exclude.expanduser().resolve() if exclude else None
    entries = []
    for folder in sorted(root.iterdir(), key=lambda p: p.name):
        if not folder.is_dir() or folder.name.startswith(".") or folder.resolve() == skip:
            continue
        if (folder / PROFILE_FILE).is_file():
            entries.append(CohortEntry(folder.name, folder))
        elif _looks_like_portfolio(folder):
            entries.append(
                CohortEntry(
                    folder.name,
                    folder,
                    problem=f"{folder.name} has evidence or reflections but no {PROFILE_FILE}",
                )
            )
    return entries


def _portfolio_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".git") for part in rel.parts):
            continue
        if path.is_file() and path.name not in _VOLATILE and not path.name.endswith(TEMP_SUFFIX):
            yield path


#: A file as the fingerprint remembers it:
#: ``[size, mtime_ns, ctime_ns, inode, device, looked_ns, sha256]``.
Stamped = list[object]


def _reusable(before: object, now: list[object]) -> str | None:
    if not (isinstance(before, list) and len(before) == 7 and before[:5] == now):
        return None
    _size, mtime, ctime, _ino, _dev, looked, file_hash = before
    if not isinstance(looked, int) or not isinstance(file_hash, str):
        return None
    return file_hash if settled(int(str(mtime)), int(str(ctime)), looked) else None


def fingerprint_folder(root: Path) -> str:
    """SHA-256 over every file's relative path and content hash: changes when any file does.

    The lock file, temporary files of interrupted writes and ``.git`` are left out, so
    opening a portfolio in a notebook does not count as a change.
    """
    return fingerprint_with_stamps(root, {})[0]


def fingerprint_with_stamps(
    root: Path, known: dict[str, Stamped]
) -> tuple[str, dict[str, Stamped]]:
    """:func:`fingerprint_folder`, reading only the files whose stamp changed.

    ``known`` is what an earlier call returned for this folder (relative path to
    :data:`Stamped`). A file whose size, times, inode and device are all as they were, and
    that had not changed in the :data:`RACY_NS` before it was last looked at, is taken at
    its remembered hash. Returns the fingerprint and the stamps to pass next time.
    """
    digest = hashlib.sha256()
    files: dict[str, Stamped] = {}
    for path in _portfolio_files(root):
        relative = path.relative_to(root).as_posix()
        # A link is never followed (it could point anywhere); its target's name stands in.
        if path.is_symlink():
            file_hash = hashlib.sha256(f"link:{os.readlink(path)}".encode()).hexdigest()
        else:
            looked = time.time_ns()
            now = stamp(path.lstat())
            reused = _reusable(known.get(relative), now)
            file_hash = reused if reused is not None else sha256_file(path)[0]
            files[relative] = [*now, looked, file_hash]
        digest.update(f"{relative}\0{file_hash}\n".encode())
    return digest.hexdigest(), files
