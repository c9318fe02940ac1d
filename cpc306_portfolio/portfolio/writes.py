"""Writing records: each add, update, remove, attach and detach one atomic save under the lock.

One part of a :class:`~.folio.Portfolio`. Every write checks the record against the unit
(:class:`~.records.RecordStore`) and for identifiers of a person
(:class:`~.checks.PrivacyChecks`) before anything is written. Attachments are journalled
(:mod:`.journal`) so a kill at any moment leaves the old state or the new one, never half.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import NotFoundError, RecordError
from ..files.atomic import fsync_dir
from ..files.regular import is_link
from .attachments import check_source, copy_attachments, plan_names
from .checks import PrivacyChecks, Unknown
from .journal import provisional, staging_path
from .kinds import EVIDENCE, RecordKind
from .models import Assessment, Attachment, Evidence, now
from .records import RecordStore, same
from .unit_checks import check_assessment

Pathish = str | os.PathLike[str]


class RecordWriter:
    """Adds, updates, removes and attaches, each an atomic save under the portfolio's lock."""

    def __init__(self, store: RecordStore, checks: PrivacyChecks) -> None:
        self.store = store
        self.layout = store.layout
        self.checks = checks

    def add(
        self,
        kind: RecordKind,
        fields: Mapping[str, Any],
        attach: Sequence[Pathish] = (),
        *,
        acknowledge: Mapping[str, str] | None = None,
        unknown: Unknown = "error",
    ) -> Any:
        """Add a record of any kind with a new id (copying in attachments); return it."""
        sources = [Path(a) for a in attach]
        for source in sources:
            check_source(source)
        fields = {
            k: v for k, v in fields.items() if k not in {"id", "created", "modified", "revision"}
        }
        store = self.store
        with store.locked():
            record_id = store.next_id(kind)
            path = self.layout.record_path(record_id)
            record = store.build(kind, {**fields, "id": record_id, "revision": 1}, path)
            store.check_size(path, record.to_data())
            planned = plan_names(record, sources) if kind.attachments and sources else []
            record = self.checks.acknowledge(record, planned, acknowledge, unknown=unknown)
            self.checks.guard(record, planned)
            if not planned:
                store.write(path, record.to_data())
                return record
            staging = staging_path(store, record_id)
            with provisional(store, record_id, [record_id, staging.name]):
                # Staged beside the folder, moved in whole, then the record: a kill at any
                # point leaves only provisional leftovers for the next open.
                staging.mkdir()
                record = copy_attachments(store, record, planned, staging)
                fsync_dir(staging)
                os.replace(staging, self.layout.evidence_dir / record_id)
                fsync_dir(self.layout.evidence_dir)
                store.write(path, record.to_data())
        return record

    def update(
        self,
        record: Any,
        *,
        attach: Sequence[Pathish] = (),
        detach: Sequence[str] = (),
        acknowledge: Mapping[str, str] | None = None,
        unknown: Unknown = "error",
    ) -> Any:
        """Write a changed record, attaching and detaching files in the same atomic save.

        An unchanged record is left alone on disk. Raises :class:`ConflictError` if the
        record on disk changed since ``record`` was read (its revision moved on): nothing
        is written, and both versions are kept. ``detach`` names attachments (by file name)
        to remove; ``attach`` files to copy in. The record is written once, last; a kill at
        any moment leaves the old record with its files, or the new one with its own.
        """
        store = self.store
        kind = store.kind_of(record.id)
        path = self.layout.record_path(record.id)
        sources = [Path(a) for a in attach]
        for source in sources:
            check_source(source)
        with store.locked():
            if not path.is_file():
                raise NotFoundError(
                    f"{path}: no such record {record.id}", hint="add it as a new record instead"
                )
            fresh = store.build(kind, record.to_data(), path)
            current, _ = store.read(kind, record.id)
            if current is not None and current.revision != record.revision:
                raise store.conflict(record, current)
            gone = _detached(fresh, detach) if detach else []
            # Named while the detached files still count as taken: a new file never lands
            # on a path the old record lists, so a kill leaves the old record true.
            planned = plan_names(fresh, sources) if sources else []
            if gone:
                fresh.attachments = [a for a in fresh.attachments if a.path not in gone]
            fresh = self.checks.acknowledge(fresh, planned, acknowledge, unknown=unknown)
            if current is not None and not planned and same(current, fresh):
                return current
            self.checks.guard(fresh, planned)
            fresh.modified = now()
            fresh.revision = ((current.revision if current else record.revision) or 0) + 1
            store.check_size(path, fresh.to_data())
            if not planned and not gone:
                store.write(path, fresh.to_data())
                return fresh
            folder = self.layout.evidence_dir / record.id
            new_folder = not folder.exists()
            added = [f"{record.id}/{name}" for _, name in planned]
            # Files added and files detached are both provisional: each stays only if the
            # record on disk lists it once the save is over (or a killed one is settled).
            paths = [*added, *gone, *([record.id] if new_folder else [])]
            with provisional(store, record.id, paths):
                fresh = copy_attachments(store, fresh, planned)
                store.write(path, fresh.to_data())
                for rel in gone:
                    self.layout.attachment_path(rel).unlink(missing_ok=True)
        return fresh

    def remove(self, record_id: str) -> None:
        """Delete a record of any kind, and its attachments (the record first)."""
        store = self.store
        kind = store.kind_of(record_id)
        with store.locked():
            store.get(kind, record_id)
            if not kind.attachments:
                self.layout.record_path(record_id).unlink()
                fsync_dir(self.layout.folder(kind))
                return
            folder = self.layout.folder(kind) / record_id
            with provisional(store, record_id, [record_id]):
                self.layout.record_path(record_id).unlink()
                fsync_dir(self.layout.folder(kind))
                if folder.is_dir() and not is_link(folder):
                    shutil.rmtree(folder)
                elif is_link(folder):
                    folder.unlink()

    def attach(
        self,
        evidence_id: str,
        source: Pathish,
        description: str = "",
        *,
        acknowledge: Mapping[str, str] | None = None,
        unknown: Unknown = "error",
    ) -> Attachment:
        """Copy a file into an evidence record's folder and record its hash and size."""
        path = Path(source)
        check_source(path)
        with self.store.locked():
            record: Evidence = self.store.get(EVIDENCE, evidence_id)
            planned = plan_names(record, [path])
            record = self.checks.acknowledge(record, planned, acknowledge, unknown=unknown)
            self.checks.guard(record, planned)
            rel = f"{evidence_id}/{planned[0][1]}"
            folder_is_new = not (self.layout.evidence_dir / evidence_id).exists()
            provisional_paths = [rel, evidence_id] if folder_is_new else [rel]
            with provisional(self.store, evidence_id, provisional_paths):
                updated = copy_attachments(self.store, record, planned)
                new = updated.attachments[-1]
                if description:
                    new = new.model_copy(update={"description": description})
                    updated.attachments[-1] = new
                updated.modified = now()
                updated.revision = (record.revision or 0) + 1
                self.store.write(self.layout.record_path(evidence_id), updated.to_data())
        return new

    def detach(self, evidence_id: str, name: str) -> None:
        """Remove one attachment (by file name) from a record and from disk."""
        with self.store.locked():
            record: Evidence = self.store.get(EVIDENCE, evidence_id)
            (gone,) = _detached(record, [name])
            with provisional(self.store, evidence_id, [gone]):
                record.attachments = [a for a in record.attachments if a.path != gone]
                record.modified = now()
                record.revision = (record.revision or 0) + 1
                self.store.write(self.layout.record_path(evidence_id), record.to_data())
                self.layout.attachment_path(gone).unlink(missing_ok=True)

    def save_assessment(self, assessment: Assessment) -> Assessment:
        path = self.layout.assessment_path
        problems = check_assessment(assessment, self.store.standard, str(path))
        if problems:
            raise RecordError(problems, hint="nothing was written")
        with self.store.locked():
            if path.is_file():
                current = self.store.read_assessment()
                if same(current, assessment):
                    return current
            assessment = assessment.model_copy(update={"modified": now()})
            self.store.write(path, assessment.to_data())
        return assessment


def _detached(record: Evidence, names: Sequence[str]) -> list[str]:
    """The paths of the attachments ``names`` (file names) on the record; raises if one is not."""
    have = {a.path for a in record.attachments}
    out = []
    for name in names:
        rel = f"{record.id}/{name}"
        if rel not in have:
            listed = ", ".join(a.path.split("/", 1)[1] for a in record.attachments)
            raise NotFoundError(
                f"{record.id} has no attachment {name!r}",
                hint=f"its attachments: {listed or 'none'}",
            )
        out.append(rel)
    return out
