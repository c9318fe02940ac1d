"""The portfolio: add, update, remove and attach, atomically under the lock; open and create.

One :class:`Portfolio` object knows where every file lives. Nothing here prints.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import (
    FileSystemError,
    NotFoundError,
    Problem,
    RecordError,
    UsageError,
)
from ..files.atomic import (
    atomic_write_text,
    clean_temp_files,
    fsync_dir,
    temp_files,
)
from ..files.regular import is_link
from ..files.yamlio import (
    dump_yaml,
    validation_problems,
)
from ..standard import Standard, load_standard
from .attachments import (
    check_attachments,
    check_source,
    copy_attachments,
    link_problems,
    orphan_problems,
    plan_names,
    stray_files,
)
from .checks import Unknown, record_texts
from .folder import (
    ASSESSMENT_FILE,
    EVIDENCE_DIR,
    LOCK_FILE,
    PROFILE_FILE,
    REFLECTIONS_DIR,
    UNIT_FILE,
    _load_profile,
)
from .journal import leftovers, provisional, settle_all, staging_path
from .keepout import PortfolioKeepOut, for_disk, with_names
from .models import (
    Assessment,
    Attachment,
    Evidence,
    Profile,
    Reflection,
    check_assessment,
    check_profile,
    now,
)
from .records import R, _same
from .unitcopy import choose_unit, write_unit_copy

__all__ = [
    "ASSESSMENT_FILE",
    "EVIDENCE_DIR",
    "LOCK_FILE",
    "PROFILE_FILE",
    "REFLECTIONS_DIR",
    "UNIT_FILE",
    "Portfolio",
    "create_portfolio",
    "open_portfolio",
    "record_texts",
]


class Portfolio(PortfolioKeepOut):
    """An open portfolio folder and the unit it is assessed against."""

    # Validation ---------------------------------------------------------------------

    def validate(self) -> list[Problem]:
        """Every problem in the portfolio, not just the first; an empty list means valid.

        Symbolic links, attachment folders with no record and files no record lists are
        problems too. Confidentiality findings are not (see :meth:`notices`).
        """
        problems: list[Problem] = []
        _, found = _load_profile(self.root)
        problems += found
        listed: dict[str, set[str] | None] = {}
        for model, ids in ((Evidence, self.evidence_ids()), (Reflection, self.reflection_ids())):
            for record_id in ids:
                record, found = self._read(model, record_id)  # type: ignore[type-var]
                problems += found
                if isinstance(record, Evidence):
                    problems += check_attachments(self, record)
                    listed[record_id] = {a.path for a in record.attachments}
                elif model is Evidence:
                    listed[record_id] = None
        if self.assessment_path.is_file() or is_link(self.assessment_path):
            try:
                self.read_assessment()
            except RecordError as exc:
                problems += exc.problems
        problems += stray_files(self)
        problems += link_problems(self)
        problems += orphan_problems(self, listed)
        problems += [
            Problem(
                str(path),
                "left by a write that was interrupted",
                hint="open the portfolio for writing (any cpc306 command that changes it, or "
                "cpc306 validate) and it is tidied up",
            )
            for path in leftovers(self)
        ]
        return problems

    # Writing ------------------------------------------------------------------------
    def _add(
        self,
        model: type[R],
        prefix: str,
        fields: Mapping[str, Any],
        attach: Sequence[Path],
        acknowledge: Mapping[str, str] | None,
        unknown: Unknown,
    ) -> R:
        for source in attach:
            check_source(source)
        fields = {
            k: v for k, v in fields.items() if k not in {"id", "created", "modified", "revision"}
        }
        with self.locked():
            record_id = self._next_id(prefix)
            path = self.record_path(record_id)
            record = self._build(model, {**fields, "id": record_id, "revision": 1}, path)
            self._check_size(path, record.to_data())
            if isinstance(record, Evidence) and attach:
                planned = plan_names(record, attach)
                record = self._acknowledge(record, planned, acknowledge, unknown=unknown)
                self._guard(record, planned)
                staging = staging_path(self, record_id)
                with provisional(self, record_id, [record_id, staging.name]):
                    # Staged beside the folder, moved in whole, then the record: a kill at
                    # any point leaves only provisional leftovers for the next open.
                    staging.mkdir()
                    record = copy_attachments(self, record, planned, staging)  # type: ignore[assignment]
                    fsync_dir(staging)
                    os.replace(staging, self.evidence_dir / record_id)
                    fsync_dir(self.evidence_dir)
                    self._write(path, record.to_data())
            else:
                record = self._acknowledge(record, (), acknowledge, unknown=unknown)
                self._guard(record)
                self._write(path, record.to_data())
        return record

    def add_evidence(
        self,
        fields: Mapping[str, Any],
        attach: Sequence[str | os.PathLike[str]] = (),
        *,
        acknowledge: Mapping[str, str] | None = None,
        unknown: Unknown = "error",
    ) -> Evidence:
        """Add an evidence record with a new id (and copy in attachments); return it.

        ``acknowledge`` maps the fingerprint of a confidentiality finding (in the text or in
        a file to attach) to the learner's reason it identifies no one; ``unknown`` says
        what a fingerprint no finding bears is (``"error"``, or ``"ignore"`` for a form).
        """
        paths = [Path(a) for a in attach]
        return self._add(Evidence, "E", fields, paths, acknowledge, unknown)

    def add_reflection(
        self,
        fields: Mapping[str, Any],
        *,
        acknowledge: Mapping[str, str] | None = None,
        unknown: Unknown = "error",
    ) -> Reflection:
        """Add a reflective account with a new id; return it (``acknowledge`` as above)."""
        return self._add(Reflection, "R", fields, [], acknowledge, unknown)

    def _update(
        self, record: R, acknowledge: Mapping[str, str] | None = None, unknown: Unknown = "error"
    ) -> R:
        path = self.record_path(record.id)
        with self.locked():
            if not path.is_file():
                raise NotFoundError(
                    f"{path}: no such record {record.id}", hint="add it as a new record instead"
                )
            fresh = self._build(type(record), record.to_data(), path)
            fresh = self._acknowledge(fresh, (), acknowledge, unknown=unknown)
            current, _ = self._read(type(record), record.id)
            if current is not None and current.revision != record.revision:
                raise self._conflict(record, current)
            if current is not None and _same(current, fresh):
                return current
            self._guard(fresh)
            fresh.modified = now()
            fresh.revision = ((current.revision if current else record.revision) or 0) + 1
            self._check_size(path, fresh.to_data())
            self._write(path, fresh.to_data())
        return fresh

    def update_evidence(
        self,
        record: Evidence,
        *,
        acknowledge: Mapping[str, str] | None = None,
        unknown: Unknown = "error",
    ) -> Evidence:
        """Write a changed evidence record; an unchanged one is left alone on disk.

        Raises :class:`ConflictError` if the record on disk changed since ``record`` was
        read (its revision moved on): nothing is written, and both versions are kept.
        """
        return self._update(record, acknowledge, unknown)

    def update_reflection(self, record: Reflection) -> Reflection:
        return self._update(record)

    def remove_evidence(self, evidence_id: str) -> None:
        """Delete an evidence record and its attachments (the record first)."""
        with self.locked():
            self.read_evidence(evidence_id)
            folder = self.evidence_dir / evidence_id
            with provisional(self, evidence_id, [evidence_id]):
                self.record_path(evidence_id).unlink()
                fsync_dir(self.evidence_dir)
                if folder.is_dir() and not is_link(folder):
                    shutil.rmtree(folder)
                elif is_link(folder):
                    folder.unlink()

    def remove_reflection(self, reflection_id: str) -> None:
        with self.locked():
            self.read_reflection(reflection_id)
            self.record_path(reflection_id).unlink()
            fsync_dir(self.reflections_dir)

    def attach(
        self,
        evidence_id: str,
        source: str | os.PathLike[str],
        description: str = "",
        *,
        acknowledge: Mapping[str, str] | None = None,
        unknown: Unknown = "error",
    ) -> Attachment:
        """Copy a file into an evidence record's folder and record its hash and size."""
        path = Path(source)
        check_source(path)
        with self.locked():
            record = self.read_evidence(evidence_id)
            planned = plan_names(record, [path])
            record = self._acknowledge(record, planned, acknowledge, unknown=unknown)
            self._guard(record, planned)
            rel = f"{evidence_id}/{planned[0][1]}"
            folder_is_new = not (self.evidence_dir / evidence_id).exists()
            provisional_paths = [rel, evidence_id] if folder_is_new else [rel]
            with provisional(self, evidence_id, provisional_paths):
                updated = copy_attachments(self, record, planned)
                new = updated.attachments[-1]
                if description:
                    new = new.model_copy(update={"description": description})
                    updated.attachments[-1] = new
                updated.modified = now()
                updated.revision = (record.revision or 0) + 1
                self._write(self.record_path(evidence_id), updated.to_data())
        return new

    def detach(self, evidence_id: str, name: str) -> None:
        """Remove one attachment (by file name) from a record and from disk."""
        with self.locked():
            record = self.read_evidence(evidence_id)
            keep = [a for a in record.attachments if a.path != f"{evidence_id}/{name}"]
            if len(keep) == len(record.attachments):
                names = ", ".join(a.path.split("/", 1)[1] for a in record.attachments)
                raise NotFoundError(
                    f"{evidence_id} has no attachment {name!r}",
                    hint=f"its attachments: {names or 'none'}",
                )
            with provisional(self, evidence_id, [f"{evidence_id}/{name}"]):
                record.attachments = keep
                record.modified = now()
                record.revision = (record.revision or 0) + 1
                self._write(self.record_path(evidence_id), record.to_data())
                (self.evidence_dir / evidence_id / name).unlink(missing_ok=True)

    def save_assessment(self, assessment: Assessment) -> Assessment:
        problems = check_assessment(assessment, self.standard, str(self.assessment_path))
        if problems:
            raise RecordError(problems, hint="nothing was written")
        with self.locked():
            if self.assessment_path.is_file():
                current = self.read_assessment()
                if _same(current, assessment):
                    return current
            assessment = assessment.model_copy(update={"modified": now()})
            self._write(self.assessment_path, assessment.to_data())
        return assessment


def open_portfolio(
    path: str | os.PathLike[str], standard: Standard | None = None, *, readonly: bool = False
) -> Portfolio:
    """Open a portfolio folder with its own copy of its unit (``unit.yaml``), unless given.

    A portfolio made before schema 2 has no copy: its unit is looked up by code. A unit
    given here wins; ``portfolio.unit_note`` then says if it differs from the copy.
    ``readonly=True`` promises to change nothing in the folder, not even the leftovers of a
    killed write (renderers and the cohort batch read learners' folders this way).
    """
    root = Path(path).expanduser().resolve()
    if not (root / PROFILE_FILE).is_file():
        raise NotFoundError(
            f"{root}: not a portfolio (no {PROFILE_FILE})",
            hint="create one with: cpc306 init FOLDER",
        )
    profile, problems = _load_profile(root)
    if profile is None:
        raise RecordError(problems, hint=f"fix {PROFILE_FILE} by hand; nothing was changed")
    choice = choose_unit(root, profile, standard)
    problems = check_profile(profile, choice.standard, str(root / PROFILE_FILE))
    if problems:
        raise RecordError(problems)
    portfolio = Portfolio(root, choice.standard, with_names(profile), readonly=readonly)
    portfolio.unit_note = choice.note
    if not readonly and (any(temp_files(root)) or leftovers(portfolio)):
        # Only a killed write leaves these; take the lock so no live write loses its file.
        with portfolio.locked():
            clean_temp_files(root)
            settle_all(portfolio)
    return portfolio


def create_portfolio(
    path: str | os.PathLike[str],
    profile: Profile | Mapping[str, Any],
    standard: Standard | None = None,
) -> Portfolio:
    """Create a new portfolio folder with its profile and a copy of its unit.

    Refuses to overwrite one. The unit is ``standard`` if given, else looked up by the
    profile's unit code; ``unit.yaml`` gets its file byte for byte.
    """
    root = Path(path).expanduser().resolve()
    if (root / PROFILE_FILE).exists():
        raise UsageError(
            f"{root} is already a portfolio",
            hint="open it instead, or choose an empty folder",
        )
    if not isinstance(profile, Profile):
        try:
            profile = Profile.model_validate(dict(profile))
        except ValidationError as exc:
            raise RecordError(
                validation_problems(exc, None, root / PROFILE_FILE),
                hint="nothing was written; correct it",
            ) from None
    if standard is None:
        standard = load_standard(profile.unit)
    problems = check_profile(profile, standard, str(root / PROFILE_FILE))
    if problems:
        raise RecordError(problems, hint="nothing was written")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileSystemError.of(exc, "create the portfolio folder", root) from None
    portfolio = Portfolio(root, standard, profile)
    with portfolio.locked():
        for folder in (portfolio.evidence_dir, portfolio.reflections_dir):
            folder.mkdir(exist_ok=True)
        ignore = root / ".gitignore"
        if not ignore.exists():
            atomic_write_text(ignore, f"{LOCK_FILE}\n*.cpc306-tmp\n.*.cpc306-pending\n")
        # The copy first: a profile never records a unit copy that is not there.
        digest = write_unit_copy(root, standard)
        profile = profile.model_copy(update={"unit_sha256": digest})
        disk = for_disk(profile, None, root)
        atomic_write_text(portfolio.profile_path, dump_yaml(disk.to_data()))
        portfolio.profile = with_names(disk)
    return portfolio
