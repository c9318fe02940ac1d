"""The portfolio folder: where every file lives, the lock, the record ids."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from ..errors import (
    FileSystemError,
    LockError,
    Problem,
    UsageError,
)
from ..files.atomic import sha256_file
from ..files.stamps import FileMemo
from ..files.yamlio import (
    read_yaml,
    validate_tree,
)
from ..standard import Standard
from .models import (
    READABLE_SCHEMAS,
    SCHEMA,
    Attachment,
    Profile,
)

PROFILE_FILE = "portfolio.yaml"
ASSESSMENT_FILE = "assessment.yaml"
EVIDENCE_DIR = "evidence"
REFLECTIONS_DIR = "reflections"
UNIT_FILE = "unit.yaml"
LOCK_FILE = ".cpc306.lock"
LOCK_TIMEOUT = 30.0


def _schema_problem(tree: Any, path: Path) -> list[Problem]:
    """A file written by a newer or older schema gets a clear message, not field noise."""
    if isinstance(tree, Mapping) and "schema" in tree and tree["schema"] not in READABLE_SCHEMAS:
        found = tree["schema"]
        readable = " and ".join(repr(s) for s in READABLE_SCHEMAS)
        return [
            Problem(
                str(path),
                f"written with schema {found!r}; this version of cpc306 reads {readable}",
                field="schema",
                line=1,
                hint="upgrade cpc306-portfolio (pip install -U cpc306-portfolio)"
                if str(found) > SCHEMA
                else "open it with the version of cpc306 that wrote it",
            )
        ]
    return []


def _load_profile(root: Path) -> tuple[Profile | None, list[Problem]]:
    path = root / PROFILE_FILE
    tree, problems = read_yaml(path, root)
    if problems:
        return None, problems
    problems = _schema_problem(tree, path)
    if problems:
        return None, problems
    return validate_tree(Profile, tree, path)


class PortfolioFolder:
    """Where a portfolio's files live, its lock, and its record ids."""

    def __init__(
        self, root: Path, standard: Standard, profile: Profile, *, readonly: bool = False
    ) -> None:
        self.root = root
        self.standard = standard
        self.profile = profile
        self.readonly = readonly
        #: Said to the user when the unit in use is not the portfolio's own copy.
        self.unit_note = ""
        self._lock = FileLock(str(root / LOCK_FILE), timeout=LOCK_TIMEOUT)

    def __repr__(self) -> str:
        return f"Portfolio({str(self.root)!r}, unit={self.standard.code!r})"

    # Where things live -------------------------------------------------------------

    @property
    def profile_path(self) -> Path:
        return self.root / PROFILE_FILE

    @property
    def assessment_path(self) -> Path:
        return self.root / ASSESSMENT_FILE

    @property
    def unit_path(self) -> Path:
        """``unit.yaml``: the portfolio's own copy of its unit (schema 2)."""
        return self.root / UNIT_FILE

    @property
    def evidence_dir(self) -> Path:
        return self.root / EVIDENCE_DIR

    @property
    def reflections_dir(self) -> Path:
        return self.root / REFLECTIONS_DIR

    def record_path(self, record_id: str) -> Path:
        folder = self._folder_for(record_id)
        return folder / f"{record_id}.yaml"

    def attachment_path(self, attachment: Attachment) -> Path:
        return self.evidence_dir / attachment.path

    @cached_property
    def _digests(self) -> FileMemo[tuple[str, int]]:
        return FileMemo()

    def file_sha256(self, path: Path) -> tuple[str, int]:
        """SHA-256 and size of a file in the portfolio, read once while its stamp holds.

        ``validate`` checks each attachment against its record, and a render's manifest
        and its declaration and sign-off checks hash every file: with one portfolio object
        (and in a batch, across the fork to the learner's render) each file is read for it
        once. Never through a link, on the way or at the end (raises UnsafeFileError).
        """
        return self._digests.get(path, lambda: sha256_file(path, self.root))

    def relative(self, path: Path) -> str:
        """A path as shown to users: relative to the portfolio when inside it."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def _folder_for(self, record_id: str) -> Path:
        if re.fullmatch(r"E\d{3,}", record_id):
            return self.evidence_dir
        if re.fullmatch(r"R\d{3,}", record_id):
            return self.reflections_dir
        raise UsageError(
            f"{record_id!r} is not a record id",
            hint="evidence ids look like E001, reflection ids like R001",
        )

    # Locking ------------------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the portfolio's lock (re-entrant within one process).

        An operating-system error inside the block (disk full, read-only folder, no
        permission) comes out as :class:`FileSystemError`, naming the file.
        """
        if self.readonly:
            raise UsageError(
                f"{self.root} was opened read-only, so nothing can be written to it",
                hint="open it with open_portfolio(path) to change it",
            )
        try:
            self._lock.acquire()
        except Timeout:
            raise LockError(
                f"{self.root}: another program has held the portfolio's lock for "
                f"{LOCK_TIMEOUT:.0f} s",
                hint="close other notebooks or commands writing to it and try again",
            ) from None
        except OSError as exc:
            raise FileSystemError.of(
                exc, "take the portfolio's lock", self.root / LOCK_FILE
            ) from None
        try:
            yield
        except FileSystemError:
            raise
        except OSError as exc:
            raise FileSystemError.of(exc, "write to the portfolio") from exc
        finally:
            self._lock.release()

    # Reading ------------------------------------------------------------------------

    def _ids(self, folder: Path, prefix: str) -> list[str]:
        if not folder.is_dir():
            return []
        pattern = re.compile(rf"{prefix}\d{{3,}}")
        found = [p.stem for p in folder.glob("*.yaml") if pattern.fullmatch(p.stem)]
        return sorted(found, key=lambda s: int(s[1:]))

    def evidence_ids(self) -> list[str]:
        return self._ids(self.evidence_dir, "E")

    def reflection_ids(self) -> list[str]:
        return self._ids(self.reflections_dir, "R")
