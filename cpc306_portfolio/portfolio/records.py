"""The record store: reading, validating, building and writing records; every problem reported.

A portfolio holds one :class:`RecordStore`. It reads each kind of record (:mod:`.kinds`)
through the folder's :class:`~.layout.Layout`, keeps what a file gave while the file is
unchanged, builds new records validated against the unit, and writes atomically under the
folder's lock. Nothing here is silently dropped or repaired.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import (
    ConflictError,
    FileSystemError,
    LockError,
    NotFoundError,
    PortfolioInvalidError,
    Problem,
    RecordError,
    UsageError,
)
from ..files.atomic import atomic_write_text, sha256_file
from ..files.stamps import FileMemo
from ..files.yamlio import (
    MAX_YAML_BYTES,
    dump_yaml,
    locate,
    read_yaml,
    validate_tree,
    validation_problems,
)
from ..standard import Standard
from .kept_files import KeptFiles
from .kinds import RecordKind
from .layout import Layout
from .models import Assessment
from .profile_file import schema_problem
from .unit_checks import check_assessment, check_mappings

#: Seconds a write waits for another program holding the portfolio's lock.
LOCK_TIMEOUT = 30.0


class RecordStore:
    """Reads records and builds new ones, validated against the unit; writes under the lock."""

    def __init__(self, layout: Layout, standard: Standard, *, readonly: bool = False) -> None:
        self.layout = layout
        self.standard = standard
        self.readonly = readonly
        #: The folder's lock, made on the first write (filelock costs a command that only
        #: reads some 10 ms to import).
        self._lock: Any = None
        #: What reading each record file gave (see :meth:`read`).
        self._memo: FileMemo[_Parsed] = FileMemo()
        self._digests: FileMemo[tuple[str, int]] = FileMemo()
        self._raw: FileMemo[tuple[Any, list[Problem]]] = FileMemo()
        #: Small attachments ``validate`` hashed, read once for the scan too.
        self.kept = KeptFiles()

    @property
    def kinds(self) -> tuple[RecordKind, ...]:
        """The kinds of record this portfolio holds, in the order they are read."""
        return tuple(k for k in self.layout.kinds if isinstance(k, RecordKind))

    def kind(self, name: str) -> RecordKind:
        """The kind of record called ``name`` ("evidence", "reflection" ...)."""
        for kind in self.kinds:
            if kind.name == name:
                return kind
        names = ", ".join(k.name for k in self.kinds)
        raise UsageError(f"{name!r} is not a kind of record", hint=f"use one of: {names}")

    def kind_of(self, record_id: str) -> RecordKind:
        kind = self.layout.kind_of(record_id)
        assert isinstance(kind, RecordKind)
        return kind

    # The lock -----------------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the portfolio's lock (re-entrant within one process).

        An operating-system error inside the block (disk full, read-only folder, no
        permission) comes out as :class:`FileSystemError`, naming the file.
        """
        root = self.layout.root
        if self.readonly:
            raise UsageError(
                f"{root} was opened read-only, so nothing can be written to it",
                hint="open it with open_portfolio(path) to change it",
            )
        from filelock import FileLock, Timeout

        if self._lock is None:
            self._lock = FileLock(str(self.layout.lock_path), timeout=LOCK_TIMEOUT)
        try:
            self._lock.acquire()
        except Timeout:
            raise LockError(
                f"{root}: another program has held the portfolio's lock for {LOCK_TIMEOUT:.0f} s",
                hint="close other notebooks or commands writing to it and try again",
            ) from None
        except OSError as exc:
            raise FileSystemError.of(
                exc, "take the portfolio's lock", self.layout.lock_path
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

    def file_sha256(self, path: Path) -> tuple[str, int]:
        """SHA-256 and size of a file in the portfolio, read once while its stamp holds.

        ``validate`` checks each attachment against its record, and a render's manifest
        and its declaration and sign-off checks hash every file: with one portfolio object
        (and in a batch, across the fork to the learner's render) each file is read for it
        once. Never through a link, on the way or at the end (raises UnsafeFileError).
        """
        return self._digests.get(path, lambda: sha256_file(path, self.layout.root))

    def file_sha256_for_scan(
        self, path: Path, info: os.stat_result | None = None
    ) -> tuple[str, int]:
        """As :meth:`file_sha256`, keeping a small file's bytes for :meth:`scan_bytes`.

        ``info``: an ``lstat`` of ``path`` the caller has just taken, before any read of it.
        """
        return self._digests.get(
            path, lambda: self.kept.sha256(path, self.layout.root, info), info=info
        )

    def scan_bytes(self, path: Path) -> bytes | None:
        """The bytes :meth:`file_sha256_for_scan` kept, if the file is still as it was."""
        return self.kept.take(path)

    def read(self, kind: RecordKind, record_id: str) -> tuple[Any, list[Problem]]:
        """A record and its problems, reading the file only when its stamp changed.

        ``validate`` then ``scan``, or a render, ask for every record more than once. What
        a file gave is reused only while its stamp (size, both times, inode, device) is the
        one taken before it was read, and only when it had been still for
        :data:`~cpc306_portfolio.files.stamps.RACY_NS` by then. What is kept is the parsed
        file, not the record: each caller gets a record of its own, built afresh from it,
        so a change one caller makes to its record never reaches the next.
        """
        path = self.layout.record_path(record_id)
        return self._parsed_record(kind, record_id, path).answer(path)

    def peek(self, kind: RecordKind, record_id: str) -> tuple[Any, list[Problem]]:
        """As :meth:`read`, for a caller that only looks at the record and never changes it.

        ``validate`` then ``scan`` look at every record three times: one record, built
        once from the file while its stamp holds, is shared between such callers instead
        of validated again for each (over 10,000 records, a second each time).
        """
        path = self.layout.record_path(record_id)
        return self._parsed_record(kind, record_id, path).shared_answer(path)

    def _parsed_record(self, kind: RecordKind, record_id: str, path: Path) -> _Parsed:
        """What the record file gave, kept while its stamp holds (one ``lstat`` for all)."""
        try:
            info: os.stat_result | None = os.lstat(path)
        except OSError:
            info = None
        return self._memo.get(
            path, lambda: self._parse(kind, record_id, path, info), key=kind.name, info=info
        )

    def let_go_shared(self) -> None:
        """Forget the records :meth:`peek` shares (their parsed files stay).

        A render, which builds every record for itself, lets them go after its scan, so it
        does not hold a second copy of each.
        """
        for parsed in self._memo.values():
            parsed.shared = None

    def _parse(
        self, kind: RecordKind, record_id: str, path: Path, info: os.stat_result | None
    ) -> _Parsed:
        record, problems, tree = self._read_file(kind, record_id, path, info)
        return _Parsed(kind.model, tree, problems, record)

    def _read_file(
        self, kind: RecordKind, record_id: str, path: Path, info: os.stat_result | None = None
    ) -> tuple[Any, list[Problem], Any]:
        """The record, its problems, and the parsed file it was built from.

        The parsed file is None when the file does not make a record. ``info``: an
        ``lstat`` of ``path`` just taken (there is something at ``path``, a link maybe).
        """
        if info is None and not path.exists() and not path.is_symlink():
            return None, [Problem(str(path), "no such record")], None
        tree, problems = self.parsed(path, info)  # the manifests hash the same parse
        if problems:
            return None, problems, None
        problems = schema_problem(tree, path)
        if problems:
            return None, problems, None
        record, problems = validate_tree(kind.model, tree, path)
        if record is None:
            return None, problems, None
        if record.id != record_id:
            return (
                None,
                locate(
                    [
                        Problem(
                            str(path),
                            f"the file is named {record_id} but its id is {record.id}",
                            field="id",
                            hint=f"set id to {record_id}, or rename the file to {record.id}.yaml",
                        )
                    ],
                    tree,
                ),
                None,
            )
        return record, locate(kind.check(record, self.standard, str(path)), tree), tree

    def get(self, kind: RecordKind, record_id: str) -> Any:
        """One record, validated against the unit; raises with every problem."""
        path = self.layout.record_path(record_id)
        if not path.is_file():
            known = self.layout.ids(kind)
            raise NotFoundError(
                f"{path}: no such record {record_id}",
                hint=f"existing records: {', '.join(known) or 'none yet'}",
            )
        record, problems = self.read(kind, record_id)
        if problems or record is None:
            raise RecordError(problems, hint="fix the file by hand; it was not changed")
        return record

    def all(self, kind: RecordKind, *, look_only: bool = False) -> list[Any]:
        """Every record of a kind; raises listing every bad file rather than skip one.

        ``look_only``: the caller never changes the records, which may be shared with other
        such callers (see :meth:`peek`).
        """
        records, problems = [], []
        look = self.peek if look_only else self.read
        for record_id in self.layout.ids(kind):
            record, found = look(kind, record_id)
            problems += found
            if record is not None and not found:
                records.append(record)
        if problems:
            raise PortfolioInvalidError(
                problems, hint="fix these files by hand (cpc306 validate lists them all)"
            )
        return records

    def read_assessment(self) -> Assessment:
        """The assessor's file, or an empty assessment when there is none yet.

        Read and checked once while the file is unchanged, as records are (see :meth:`read`).
        """
        path = self.layout.assessment_path
        if not path.is_file():
            return Assessment()
        parsed = self._memo.get(path, lambda: self._parse_assessment(path), key="assessment")
        assessment, problems = parsed.answer(path)
        if problems or assessment is None:
            raise RecordError(problems, hint="fix assessment.yaml by hand; it was not changed")
        return assessment  # type: ignore[no-any-return]

    def _parse_assessment(self, path: Path) -> _Parsed:
        tree, problems = self.parsed(path)  # the manifests hash the same parse
        if problems:
            return _Parsed(Assessment, None, problems, None)
        assessment, problems = validate_tree(Assessment, tree, path)
        if assessment is None:
            return _Parsed(Assessment, None, problems, None)
        problems = locate(check_assessment(assessment, self.standard, str(path)), tree)
        return _Parsed(Assessment, tree, problems, assessment)

    def parsed(self, path: Path, info: os.stat_result | None = None) -> tuple[Any, list[Problem]]:
        """A YAML file of the portfolio as parsed, read again only when it changed.

        For readers that hash or compare what a file says (manifests, verification): the
        tree is shared between callers, so it is read, never changed. ``info``: an
        ``lstat`` of ``path`` just taken, before any read of it.
        """
        return self._raw.get(path, lambda: read_yaml(path, self.layout.root), key="tree", info=info)

    # Building and writing -----------------------------------------------------------

    def write(self, path: Path, data: Mapping[str, Any]) -> None:
        """Write one file atomically (the caller holds the lock)."""
        atomic_write_text(path, dump_yaml(data))

    def conflict(self, mine: Any, theirs: Any) -> ConflictError:
        """The error for a save over a record another program changed since it was read."""
        changed = [
            k
            for k, v in mine.to_data().items()
            if k not in {"modified", "revision"} and theirs.to_data().get(k) != v
        ]
        return ConflictError(
            f"{self.layout.relative(self.layout.record_path(mine.id))} was changed by another "
            f"program since you read it (revision {mine.revision or 0} then, "
            f"{theirs.revision or 0} now), so your copy was not written over it; "
            f"fields that differ: {', '.join(changed) or 'none'}",
            hint="read the record again, make your change to that, and save; your version "
            "is kept in the error (.mine) and the one on disk was not touched",
            mine=mine,
            theirs=theirs,
        )

    def check_size(self, path: Path, data: Mapping[str, Any]) -> None:
        if len(dump_yaml(data).encode("utf-8")) > MAX_YAML_BYTES:
            raise RecordError(
                [
                    Problem(
                        str(path),
                        f"the record would be larger than {MAX_YAML_BYTES // 1_000_000} MB",
                        hint="put long text in an attached file and summarise it here; "
                        "nothing was written",
                    )
                ]
            )

    def next_id(self, kind: RecordKind) -> str:
        """The next free id of a kind (a folder of attachments keeps its id taken too)."""
        taken = [int(i[len(kind.prefix) :]) for i in self.layout.ids(kind)]
        folder = self.layout.folder(kind)
        if kind.attachments and folder.is_dir():
            pattern = re.compile(rf"{kind.prefix}\d+")
            taken += [
                int(p.name[len(kind.prefix) :])
                for p in folder.glob(f"{kind.prefix}*")
                if pattern.fullmatch(p.name)
            ]
        return f"{kind.prefix}{max(taken, default=0) + 1:03d}"

    def build(self, kind: RecordKind, fields: Mapping[str, Any], path: Path) -> Any:
        """A record of ``kind`` from plain fields, validated; raises with every problem."""
        try:
            record = kind.model.model_validate(dict(fields))
        except ValidationError as exc:
            problems = validation_problems(exc, None, path)
            problems += check_mappings(fields, self.standard, str(path))
            raise RecordError(problems, hint="nothing was written; correct it") from None
        problems = kind.check(record, self.standard, str(path))
        if problems:
            raise RecordError(problems, hint="nothing was written; correct it")
        return record

    def draft(self, kind: RecordKind, fields: Mapping[str, Any]) -> Any:
        """A validated record that is not saved (id ``E000``, ``R000`` ...)."""
        clean = {k: v for k, v in fields.items() if k not in {"id", "created", "modified"}}
        draft_id = f"{kind.prefix}000"
        return self.build(kind, {**clean, "id": draft_id}, self.layout.record_path(draft_id))


def same(a: Any, b: Any) -> bool:
    """Equal apart from the modified time: a save that changes nothing writes nothing."""
    left, right = a.to_data(), b.to_data()
    left.pop("modified", None)
    right.pop("modified", None)
    return bool(left == right)


class _Parsed:
    """What one read of a record file gave: its parsed tree and its problems.

    The record built on that read goes to the first caller; each later one gets a record
    built afresh from the tree (valid when it was read, so it validates again).
    """

    __slots__ = ("first", "model", "problems", "shared", "tree")

    def __init__(self, model: type[Any], tree: Any, problems: list[Problem], record: Any) -> None:
        self.model, self.tree, self.problems = model, tree, tuple(problems)
        self.first = record if tree is not None else None
        #: The one record every look-only caller shares (:meth:`RecordStore.peek`).
        self.shared: Any = None

    def shared_answer(self, path: Path) -> tuple[Any, list[Problem]]:
        if self.tree is None:
            return None, list(self.problems)
        if self.shared is None:
            self.shared, self.first = self.first, None
            if self.shared is None:
                self.shared, _ = validate_tree(self.model, self.tree, path)
        return self.shared, list(self.problems)

    def answer(self, path: Path) -> tuple[Any, list[Problem]]:
        if self.tree is None:
            return None, list(self.problems)
        record, self.first = self.first, None
        if record is None:
            record, _ = validate_tree(self.model, self.tree, path)
        return record, list(self.problems)
