"""Attachment files: names in a record's folder, copies in, and checks of what is on disk."""

from __future__ import annotations

import errno
import mimetypes
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from ..errors import (
    AttachmentError,
    NotFoundError,
    Problem,
    UnsafeFileError,
)
from ..files.atomic import (
    atomic_copy,
)
from ..files.regular import entries_under, is_link, links_under
from ..files.walk import Walk
from .models import (
    Attachment,
    Evidence,
)
from .records import RecordStore


def check_source(path: Path) -> None:
    """A file to attach must exist and be a regular file (a link is copied as its target)."""
    if not path.exists():
        raise NotFoundError(
            f"{path}: the file to attach does not exist",
            hint="check the path; nothing was written",
        )
    if not path.is_file():
        raise AttachmentError(
            [
                Problem(
                    str(path),
                    "the file to attach is not a regular file (a folder, pipe or device)",
                    field="attachments",
                    hint="attach an ordinary file; nothing was written",
                )
            ]
        )


def plan_names(record: Evidence, sources: Sequence[Path]) -> list[tuple[Path, str]]:
    """The file name each new attachment gets in the record's folder (no clashes)."""
    taken = {a.path.split("/", 1)[1] for a in record.attachments}
    planned = []
    for source in sources:
        name = free_name(safe_name(source.name), taken)
        taken.add(name)
        # The learner chose the source: a link there is read as the file it points to.
        planned.append((source.resolve(), name))
    return planned


def safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "attachment"
    return cleaned[:120]


def free_name(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    stem, dot, suffix = name.partition(".")
    n = 2
    while f"{stem}-{n}{dot}{suffix}" in taken:
        n += 1
    return f"{stem}-{n}{dot}{suffix}"


def copy_attachments(
    store: RecordStore,
    record: Evidence,
    planned: Sequence[tuple[Path, str]],
    folder: Path | None = None,
) -> Evidence:
    """Copy files in (to ``folder``, by default the record's own) and list them on the record.

    A source that is a link is copied as the file it points to: the copy in the portfolio
    is always an ordinary file, and the learner chose the source themselves.
    """
    attachments = list(record.attachments)
    folder = folder or store.layout.evidence_dir / record.id
    for source, name in planned:
        digest, size = atomic_copy(source, folder / name)
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        attachments.append(
            Attachment(path=f"{record.id}/{name}", sha256=digest, size=size, media_type=media_type)
        )
    return record.model_copy(update={"attachments": attachments})


def check_attachments(store: RecordStore, record: Evidence) -> list[Problem]:
    """Each attachment is there, readable, and as it was attached (its SHA-256 and size).

    A small file's bytes are kept for the confidentiality scan that follows ``validate``
    (:mod:`.kept_files`), so it is read once for both.
    """
    out = []
    where = str(store.layout.record_path(record.id))
    for i, att in enumerate(record.attachments):
        path = store.layout.attachment_path(att.path)
        field = f"attachments[{i}]"
        info = _lstat(path)
        if info is None:
            out.append(
                Problem(
                    where,
                    f"attachment {att.path} is missing",
                    field=field,
                    hint=f"put the file back at {store.layout.relative(path)} or remove the entry",
                )
            )
            continue
        try:
            digest, size = store.file_sha256_for_scan(path, info or None)
        except UnsafeFileError as exc:
            out += [
                Problem(where, f"attachment {att.path} {p.message}", field=field, hint=p.hint)
                for p in exc.problems
            ]
            continue
        except OSError as exc:
            out.append(
                Problem(
                    where,
                    f"attachment {att.path} cannot be read: {exc.strerror or exc}",
                    field=field,
                    hint="check the file's permissions",
                )
            )
            continue
        if digest != att.sha256 or size != att.size:
            out.append(
                Problem(
                    where,
                    f"attachment {att.path} has changed since it was attached",
                    field=f"{field}.sha256",
                    hint="attach the file again if the change is intended",
                )
            )
    return out


def _lstat(path: Path) -> os.stat_result | Literal[False] | None:
    """``lstat`` of an attachment; None when nothing is there, False when that is unknown.

    Nothing there is what ``not path.exists() and not is_link(path)`` said, with one
    system call instead of two: any other error is the read's to report.
    """
    try:
        return os.lstat(path)
    except OSError as exc:
        return None if exc.errno in _ABSENT else False
    except ValueError:  # a NUL in the name: no such file (as Path.exists says)
        return None


#: What ``Path.exists`` takes to mean the path is not there.
_ABSENT = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def stray_files(store: RecordStore, walk: Walk | None = None) -> list[Problem]:
    """Names in each record folder that are neither records nor their attachment folders.

    ``walk``: the portfolio's listing, taken once for every check that needs it.
    """
    out = []
    for kind in store.kinds:
        folder, prefix = store.layout.folder(kind), kind.prefix
        if not folder.is_dir() or is_link(folder):
            continue
        ids = re.compile(rf"{prefix}\d{{3,}}")
        keeps = kind.attachments or kind.keeps_files
        # One listing tells links and folders apart (no stat per entry: 20,000 entries
        # in a portfolio of 10,000 records with attachments).
        for entry in walk.listing(folder) if walk else _listing(folder):
            name = entry.name
            if name.startswith(".") or entry.is_symlink():
                continue
            ok_record = name.endswith(".yaml") and ids.fullmatch(name[: -len(".yaml")])
            ok_folder = keeps and ids.fullmatch(name) and entry.is_dir()
            if not (ok_record or ok_folder):
                out.append(
                    Problem(
                        entry.path,
                        "not a record of this portfolio, so it is not read",
                        hint=f"records are named {prefix}001.yaml, {prefix}002.yaml, ...",
                    )
                )
    return out


def _listing(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of one folder, in name order (as ``sorted(folder.iterdir())``)."""
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda e: e.name)


def link_problems(store: RecordStore, walk: Walk | None = None) -> list[Problem]:
    """Every symbolic link in the portfolio: none is ever followed, each is a problem."""
    return [
        Problem(
            str(path),
            "is a symbolic link; links are never followed in a portfolio",
            hint="replace it with a copy of the file it points to, or remove it",
        )
        for path in (walk.links() if walk else links_under(store.layout.root))
    ]


def orphan_problems(
    store: RecordStore, listed: dict[str, set[str] | None], walk: Walk | None = None
) -> list[Problem]:
    """Attachment folders with no record, and files no record lists.

    ``listed`` maps each readable evidence id to the attachment paths its record lists
    (None for a record that could not be read: its folder is not judged). ``walk``: the
    portfolio's listing, taken once for every check that needs it.
    """
    out: list[Problem] = []
    base = store.layout.evidence_dir
    if not base.is_dir() or is_link(base):
        return out
    named = re.compile(r"E\d{3,}")
    for entry in walk.listing(base) if walk else _listing(base):
        if not named.fullmatch(entry.name) or entry.is_symlink() or not entry.is_dir():
            continue
        name = entry.name  # the folder's name: a record id
        claimed = listed.get(name, set())
        if claimed is None:
            continue
        if name not in listed:
            out.append(
                Problem(
                    entry.path,
                    f"an attachment folder with no record ({name}.yaml is missing)",
                    hint=f"restore {name}.yaml, or delete the folder if it is not needed",
                )
            )
            continue
        for path in _unlisted(entry.path, base, claimed, walk):
            out.append(
                Problem(
                    str(path),
                    f"a file no record lists (not an attachment of {name})",
                    hint=f"attach it with: cpc306 evidence attach PORTFOLIO {name} FILE, "
                    "or delete it",
                )
            )
    return out


def _unlisted(folder: str, base: Path, claimed: set[str], walk: Walk | None) -> list[Path]:
    """Files under an attachment folder that are not in ``claimed`` (paths under ``base``).

    Names starting with a dot, folders and links are passed over; in path order, as
    ``sorted(folder.rglob("*"))`` gives them.
    """
    start = len(os.fspath(base)) + 1
    found = []
    for entry in walk.entries_under(folder) if walk else entries_under(folder):
        if entry.name.startswith(".") or entry.is_symlink() or entry.is_dir():
            continue
        if entry.path[start:].replace(os.sep, "/") not in claimed:
            found.append(Path(entry.path))
    return sorted(found)
