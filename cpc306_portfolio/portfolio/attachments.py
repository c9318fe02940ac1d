"""Attachment files: names in a record's folder, copies in, and checks of what is on disk."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import (
    AttachmentError,
    Problem,
)
from ..files.atomic import (
    atomic_copy,
    sha256_file,
)
from .folder import PortfolioFolder
from .models import (
    Attachment,
    Evidence,
)


def check_source(path: Path) -> None:
    if not path.is_file():
        raise AttachmentError(
            [
                Problem(
                    str(path),
                    "the file to attach does not exist or is not a file",
                    field="attachments",
                    hint="check the path; nothing was written",
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
        planned.append((source, name))
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
    portfolio: PortfolioFolder, record: Evidence, planned: Sequence[tuple[Path, str]]
) -> Evidence:
    attachments = list(record.attachments)
    folder = portfolio.evidence_dir / record.id
    for source, name in planned:
        digest, size = atomic_copy(source, folder / name)
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        attachments.append(
            Attachment(path=f"{record.id}/{name}", sha256=digest, size=size, media_type=media_type)
        )
    return record.model_copy(update={"attachments": attachments})


def check_attachments(portfolio: PortfolioFolder, record: Evidence) -> list[Problem]:
    out = []
    where = str(portfolio.record_path(record.id))
    for i, att in enumerate(record.attachments):
        path = portfolio.attachment_path(att)
        field = f"attachments[{i}]"
        if not path.is_file():
            out.append(
                Problem(
                    where,
                    f"attachment {att.path} is missing",
                    field=field,
                    hint=f"put the file back at {portfolio.relative(path)} or remove the entry",
                )
            )
            continue
        digest, size = sha256_file(path)
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


def stray_files(portfolio: PortfolioFolder) -> list[Problem]:
    out = []
    for folder, prefix in ((portfolio.evidence_dir, "E"), (portfolio.reflections_dir, "R")):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue
            ok_record = path.suffix == ".yaml" and re.fullmatch(rf"{prefix}\d{{3,}}", path.stem)
            ok_folder = path.is_dir() and prefix == "E" and re.fullmatch(r"E\d{3,}", path.name)
            if not (ok_record or ok_folder):
                out.append(
                    Problem(
                        str(path),
                        "not a record of this portfolio, so it is not read",
                        hint=f"records are named {prefix}001.yaml, {prefix}002.yaml, ...",
                    )
                )
    return out
