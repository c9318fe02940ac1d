"""Adds and removes that survive a kill: files that exist only if their record lists them.

Before an add, attach, detach or remove touches an attachment, it writes a small journal
(``evidence/.E001.cpc306-pending``) naming the paths it is about to create or delete.
Those paths are *provisional*: they belong to the portfolio only if, once the operation
is over, the record lists them. The record is written last on add and removed first on
delete, so a kill at any moment leaves either the old state or the new one plus
provisional leftovers, and the next open (under the lock) settles the journal: it deletes
every provisional path no record claims, then the journal. A killed write never leaves an
orphan folder, an orphan file or an id used up.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..files.atomic import atomic_write_text
from ..files.regular import is_link, read_bytes
from .kinds import EVIDENCE
from .layout import PENDING_SUFFIX, STAGING_SUFFIX
from .records import RecordStore


def journal_path(store: RecordStore, record_id: str) -> Path:
    return store.layout.journal_path(record_id)


def staging_path(store: RecordStore, record_id: str) -> Path:
    return store.layout.staging_path(record_id)


@contextmanager
def provisional(store: RecordStore, record_id: str, paths: list[str]) -> Iterator[None]:
    """Run a block whose ``paths`` (relative to ``evidence/``) stay only if the record lists them.

    On success the journal goes; on an error it is settled at once (so a full disk leaves
    nothing behind either); on a kill the next open settles it.
    """
    journal = journal_path(store, record_id)
    store.layout.evidence_dir.mkdir(exist_ok=True)
    atomic_write_text(journal, json.dumps({"record": record_id, "provisional": paths}))
    try:
        yield
    except BaseException:
        settle(store, journal)
        raise
    journal.unlink(missing_ok=True)


def _claimed(store: RecordStore, record_id: str) -> set[str] | None:
    """Paths the record claims: its folder and attachments; None if it cannot be read."""
    path = store.layout.record_path(record_id)
    if not path.exists():
        return set()
    record, _ = store.read(EVIDENCE, record_id)
    if record is None:
        return None
    return {record_id, *(a.path for a in record.attachments)}


def settle(store: RecordStore, journal: Path) -> list[Path]:
    """Delete the provisional paths of one journal that no record claims; then the journal."""
    try:
        entry = json.loads(read_bytes(journal).decode("utf-8"))
        record_id = str(entry["record"])
        paths = [str(p) for p in entry["provisional"]]
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)  # torn before it was complete: nothing had started
        return []
    claimed = _claimed(store, record_id)
    removed: list[Path] = []
    if claimed is None:
        # The record is unreadable: deleting on its behalf could lose files; leave them
        # for validate to report and the learner to decide.
        journal.unlink(missing_ok=True)
        return removed
    base = store.layout.evidence_dir
    for rel in paths:
        # A record's own folder stays while the record does; its files each need a claim.
        if rel in claimed or ".." in Path(rel).parts:
            continue
        target = base / rel
        if is_link(target) or target.is_file():
            target.unlink(missing_ok=True)
            removed.append(target)
        elif target.is_dir():
            shutil.rmtree(target)  # rmtree never follows links inside the folder
            removed.append(target)
    journal.unlink(missing_ok=True)
    return removed


def leftovers(store: RecordStore) -> list[Path]:
    """Journals and staging folders of operations that were killed part-way."""
    folder = store.layout.evidence_dir
    if not folder.is_dir():
        return []
    # The names as one listing gives them: a path for each of 20,000 entries costs more.
    with os.scandir(folder) as entries:
        names = [
            e.name
            for e in entries
            if e.name.startswith(".") and e.name.endswith((PENDING_SUFFIX, STAGING_SUFFIX))
        ]
    return sorted(folder / name for name in names)


def settle_all(store: RecordStore) -> list[Path]:
    """Finish every killed operation: settle journals, then drop orphaned staging folders."""
    removed: list[Path] = []
    for path in leftovers(store):
        if path.name.endswith(PENDING_SUFFIX):
            removed += settle(store, path)
    for path in leftovers(store):
        if path.name.endswith(STAGING_SUFFIX) and not is_link(path) and path.is_dir():
            shutil.rmtree(path)
            removed.append(path)
        elif path.name.endswith(STAGING_SUFFIX):
            path.unlink(missing_ok=True)
    return removed
