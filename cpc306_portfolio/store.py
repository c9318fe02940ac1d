"""The portfolio folder: read, validate, write atomically under a lock, attach files.

One :class:`Portfolio` object knows where every file lives. Nothing here prints.
"""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from filelock import FileLock, Timeout
from pydantic import ValidationError

from .errors import (
    AttachmentError,
    ConfidentialityError,
    LockError,
    NotFoundError,
    PortfolioInvalidError,
    Problem,
    RecordError,
    UsageError,
)
from .files import (
    atomic_copy,
    atomic_write_text,
    clean_temp_files,
    sha256_file,
    temp_files,
)
from .models import (
    SCHEMA,
    Acknowledgement,
    Assessment,
    Attachment,
    Evidence,
    Profile,
    Reflection,
    check_assessment,
    check_mappings,
    check_profile,
    check_record,
    now,
)
from .privacy import Finding, scan_fields, scan_file, unacknowledged
from .standard import Standard, load_standard
from .yamlfiles import dump_yaml, load_model, locate, read_yaml, validate_tree, validation_problems

PROFILE_FILE = "portfolio.yaml"
ASSESSMENT_FILE = "assessment.yaml"
EVIDENCE_DIR = "evidence"
REFLECTIONS_DIR = "reflections"
LOCK_FILE = ".cpc306.lock"
LOCK_TIMEOUT = 30.0

R = TypeVar("R", Evidence, Reflection)


def _schema_problem(tree: Any, path: Path) -> list[Problem]:
    """A file written by a newer or older schema gets a clear message, not field noise."""
    if isinstance(tree, Mapping) and "schema" in tree and tree["schema"] != SCHEMA:
        found = tree["schema"]
        return [
            Problem(
                str(path),
                f"written with schema {found!r}; this version of cpc306 reads {SCHEMA!r}",
                field="schema",
                line=1,
                hint="upgrade cpc306-portfolio (pip install -U cpc306-portfolio)"
                if str(found) > SCHEMA
                else "migrate the portfolio with a matching version of cpc306",
            )
        ]
    return []


class Portfolio:
    """An open portfolio folder and the unit it is assessed against."""

    def __init__(
        self, root: Path, standard: Standard, profile: Profile, *, readonly: bool = False
    ) -> None:
        self.root = root
        self.standard = standard
        self.profile = profile
        self.readonly = readonly
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
        """Hold the portfolio's lock (re-entrant within one process)."""
        if self.readonly:
            raise UsageError(
                f"{self.root} was opened read-only, so nothing can be written to it",
                hint="open it with open_portfolio(path) to change it",
            )
        try:
            with self._lock:
                yield
        except Timeout:
            raise LockError(
                f"{self.root}: another program has held the portfolio's lock for "
                f"{LOCK_TIMEOUT:.0f} s",
                hint="close other notebooks or commands writing to it and try again",
            ) from None

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

    def _read(self, model: type[R], record_id: str) -> tuple[R | None, list[Problem]]:
        path = self.record_path(record_id)
        if not path.is_file():
            return None, [Problem(str(path), "no such record")]
        tree, problems = read_yaml(path)
        if problems:
            return None, problems
        problems = _schema_problem(tree, path)
        if problems:
            return None, problems
        record, problems = validate_tree(model, tree, path)
        if record is None:
            return None, problems
        if record.id != record_id:
            return None, locate(
                [
                    Problem(
                        str(path),
                        f"the file is named {record_id} but its id is {record.id}",
                        field="id",
                        hint=f"set id to {record_id}, or rename the file to {record.id}.yaml",
                    )
                ],
                tree,
            )
        return record, locate(check_record(record, self.standard, str(path)), tree)

    def _get(self, model: type[R], record_id: str) -> R:
        path = self.record_path(record_id)
        if not path.is_file():
            known = self.evidence_ids() if model is Evidence else self.reflection_ids()
            raise NotFoundError(
                f"{path}: no such record {record_id}",
                hint=f"existing records: {', '.join(known) or 'none yet'}",
            )
        record, problems = self._read(model, record_id)
        if problems or record is None:
            raise RecordError(problems, hint="fix the file by hand; it was not changed")
        return record

    def read_evidence(self, evidence_id: str) -> Evidence:
        """One evidence record, validated against the unit; raises with every problem."""
        return self._get(Evidence, evidence_id)

    def read_reflection(self, reflection_id: str) -> Reflection:
        return self._get(Reflection, reflection_id)

    def _all(self, model: type[R], ids: list[str]) -> list[R]:
        records, problems = [], []
        for record_id in ids:
            record, found = self._read(model, record_id)
            problems += found
            if record is not None and not found:
                records.append(record)
        if problems:
            raise PortfolioInvalidError(
                problems, hint="fix these files by hand (cpc306 validate lists them all)"
            )
        return records

    def evidence(self) -> list[Evidence]:
        """Every evidence record; raises listing every bad file rather than skip one."""
        return self._all(Evidence, self.evidence_ids())

    def reflections(self) -> list[Reflection]:
        return self._all(Reflection, self.reflection_ids())

    def read_assessment(self) -> Assessment:
        """The assessor's file, or an empty assessment when there is none yet."""
        path = self.assessment_path
        if not path.is_file():
            return Assessment()
        assessment, problems = load_model(Assessment, path)
        if assessment is not None:
            tree, _ = read_yaml(path)
            problems = locate(check_assessment(assessment, self.standard, str(path)), tree)
        if problems or assessment is None:
            raise RecordError(problems, hint="fix assessment.yaml by hand; it was not changed")
        return assessment

    # Validation ---------------------------------------------------------------------

    def validate(self) -> list[Problem]:
        """Every problem in the portfolio, not just the first; an empty list means valid."""
        problems: list[Problem] = []
        _, found = _load_profile(self.root)
        problems += found
        for model, ids in ((Evidence, self.evidence_ids()), (Reflection, self.reflection_ids())):
            for record_id in ids:
                record, found = self._read(model, record_id)  # type: ignore[type-var]
                problems += found
                if isinstance(record, Evidence):
                    problems += self._check_attachments(record)
        if self.assessment_path.is_file():
            try:
                self.read_assessment()
            except RecordError as exc:
                problems += exc.problems
        problems += self._stray_files()
        return problems

    def _check_attachments(self, record: Evidence) -> list[Problem]:
        out = []
        where = str(self.record_path(record.id))
        for i, att in enumerate(record.attachments):
            path = self.attachment_path(att)
            field = f"attachments[{i}]"
            if not path.is_file():
                out.append(
                    Problem(
                        where,
                        f"attachment {att.path} is missing",
                        field=field,
                        hint=f"put the file back at {self.relative(path)} or remove the entry",
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

    def _stray_files(self) -> list[Problem]:
        out = []
        for folder, prefix in ((self.evidence_dir, "E"), (self.reflections_dir, "R")):
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

    # Writing ------------------------------------------------------------------------

    def _write(self, path: Path, data: Mapping[str, Any]) -> None:
        atomic_write_text(path, dump_yaml(data))

    def _next_id(self, prefix: str) -> str:
        folder = self.evidence_dir if prefix == "E" else self.reflections_dir
        taken = [int(i[1:]) for i in self._ids(folder, prefix)]
        if prefix == "E" and folder.is_dir():
            taken += [int(p.name[1:]) for p in folder.glob("E*") if re.fullmatch(r"E\d+", p.name)]
        return f"{prefix}{max(taken, default=0) + 1:03d}"

    def _build(self, model: type[R], fields: Mapping[str, Any], path: Path) -> R:
        try:
            record = model.model_validate(dict(fields))
        except ValidationError as exc:
            problems = validation_problems(exc, None, path)
            problems += check_mappings(fields, self.standard, str(path))
            raise RecordError(problems, hint="nothing was written; correct it") from None
        problems = check_record(record, self.standard, str(path))
        if problems:
            raise RecordError(problems, hint="nothing was written; correct it")
        return record

    def draft(self, kind: str, fields: Mapping[str, Any]) -> Evidence | Reflection:
        """A validated record that is not saved (id ``E000``/``R000``): to preview findings."""
        clean = {k: v for k, v in fields.items() if k not in {"id", "created", "modified"}}
        if kind == "evidence":
            path = self.record_path("E000")
            return self._build(Evidence, {**clean, "id": "E000"}, path)
        return self._build(Reflection, {**clean, "id": "R000"}, self.record_path("R000"))

    def preview_findings(
        self,
        kind: str,
        fields: Mapping[str, Any],
        attach: Sequence[str | os.PathLike[str]] = (),
    ) -> list[Finding]:
        """Findings a save of these fields (and files to attach) would meet, writing nothing."""
        record = self.draft(kind, fields)
        planned = (
            _plan_names(record, [Path(a) for a in attach]) if isinstance(record, Evidence) else []
        )
        return self.findings(record, planned)

    def findings(
        self, record: Evidence | Reflection, new_files: Sequence[tuple[Path, str]] = ()
    ) -> list[Finding]:
        """Possible identifiers in a record's text and in files about to be attached.

        ``new_files`` pairs a source file with the name it will have in the record folder.
        """
        keep_out = self.profile.keep_out
        found = scan_fields(record_texts(record), record=record.id, keep_out=keep_out)
        for source, name in new_files:
            field = f"attachment:{name}"
            found += scan_file(source, record=record.id, field=field, keep_out=keep_out)
        return found

    def scan(self) -> list[tuple[Finding, Acknowledgement | None]]:
        """Every finding in every record and attachment, with its acknowledgement if any."""
        out: list[tuple[Finding, Acknowledgement | None]] = []
        keep_out = self.profile.keep_out
        records: list[Evidence | Reflection] = [*self.evidence(), *self.reflections()]
        for record in records:
            found = scan_fields(record_texts(record), record=record.id, keep_out=keep_out)
            if isinstance(record, Evidence):
                for att in record.attachments:
                    path = self.attachment_path(att)
                    if path.is_file():
                        found += scan_file(
                            path,
                            record=record.id,
                            field=f"attachment:{att.path.split('/', 1)[1]}",
                            keep_out=keep_out,
                        )
            acks = {(a.kind, a.field, a.fingerprint): a for a in record.confidentiality}
            out += [(f, acks.get((str(f.kind), f.field, f.fingerprint))) for f in found]
        return out

    def _guard(
        self, record: Evidence | Reflection, new_files: Sequence[tuple[Path, str]] = ()
    ) -> None:
        """Refuse to write a record while any finding is neither edited out nor acknowledged."""
        open_findings = unacknowledged(self.findings(record, new_files), record.confidentiality)
        if open_findings:
            lines = [
                f"  {f.field}: {f.label}: {f.snippet}  [{f.fingerprint}]" for f in open_findings
            ]
            raise ConfidentialityError(
                f"{self.relative(self.record_path(record.id))} was not saved: "
                f"{len(open_findings)} possible identifier(s) of a person:\n" + "\n".join(lines),
                open_findings,
                hint="edit the text, or if it identifies no one, acknowledge each finding "
                "with a reason (cpc306: --acknowledge FINGERPRINT=REASON)",
            )

    def _add(
        self, model: type[R], prefix: str, fields: Mapping[str, Any], attach: Sequence[Path]
    ) -> R:
        for source in attach:
            _check_source(source)
        fields = {k: v for k, v in fields.items() if k not in {"id", "created", "modified"}}
        with self.locked():
            record_id = self._next_id(prefix)
            path = self.record_path(record_id)
            record = self._build(model, {**fields, "id": record_id}, path)
            if isinstance(record, Evidence):
                planned = _plan_names(record, attach)
                self._guard(record, planned)
                record = self._copy_attachments(record, planned)  # type: ignore[assignment]
            else:
                self._guard(record)
            self._write(path, record.to_data())
        return record

    def add_evidence(
        self, fields: Mapping[str, Any], attach: Sequence[str | os.PathLike[str]] = ()
    ) -> Evidence:
        """Add an evidence record with a new id (and copy in attachments); return it."""
        return self._add(Evidence, "E", fields, [Path(a) for a in attach])

    def add_reflection(self, fields: Mapping[str, Any]) -> Reflection:
        """Add a reflective account with a new id; return it."""
        return self._add(Reflection, "R", fields, [])

    def _update(self, record: R) -> R:
        path = self.record_path(record.id)
        with self.locked():
            if not path.is_file():
                raise NotFoundError(
                    f"{path}: no such record {record.id}", hint="add it as a new record instead"
                )
            fresh = self._build(type(record), record.to_data(), path)
            current, _ = self._read(type(record), record.id)
            if current is not None and _same(current, fresh):
                return current
            self._guard(fresh)
            fresh.modified = now()
            self._write(path, fresh.to_data())
        return fresh

    def update_evidence(self, record: Evidence) -> Evidence:
        """Write a changed evidence record; an unchanged one is left alone on disk."""
        return self._update(record)

    def update_reflection(self, record: Reflection) -> Reflection:
        return self._update(record)

    def remove_evidence(self, evidence_id: str) -> None:
        """Delete an evidence record and its attachments."""
        with self.locked():
            self.read_evidence(evidence_id)
            folder = self.evidence_dir / evidence_id
            if folder.is_dir():
                for item in sorted(folder.rglob("*"), reverse=True):
                    item.rmdir() if item.is_dir() else item.unlink()
                folder.rmdir()
            self.record_path(evidence_id).unlink()

    def remove_reflection(self, reflection_id: str) -> None:
        with self.locked():
            self.read_reflection(reflection_id)
            self.record_path(reflection_id).unlink()

    def _copy_attachments(self, record: Evidence, planned: Sequence[tuple[Path, str]]) -> Evidence:
        attachments = list(record.attachments)
        folder = self.evidence_dir / record.id
        for source, name in planned:
            digest, size = atomic_copy(source, folder / name)
            media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            attachments.append(
                Attachment(
                    path=f"{record.id}/{name}", sha256=digest, size=size, media_type=media_type
                )
            )
        return record.model_copy(update={"attachments": attachments})

    def attach(
        self, evidence_id: str, source: str | os.PathLike[str], description: str = ""
    ) -> Attachment:
        """Copy a file into an evidence record's folder and record its hash and size."""
        path = Path(source)
        _check_source(path)
        with self.locked():
            record = self.read_evidence(evidence_id)
            planned = _plan_names(record, [path])
            self._guard(record, planned)
            updated = self._copy_attachments(record, planned)
            new = updated.attachments[-1]
            if description:
                new = new.model_copy(update={"description": description})
                updated.attachments[-1] = new
            updated.modified = now()
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
            record.attachments = keep
            record.modified = now()
            self._write(self.record_path(evidence_id), record.to_data())
            (self.evidence_dir / evidence_id / name).unlink(missing_ok=True)

    def save_profile(self, profile: Profile) -> Profile:
        """Write ``portfolio.yaml`` (only when something changed)."""
        problems = check_profile(profile, self.standard, str(self.profile_path))
        if problems:
            raise RecordError(problems, hint="nothing was written")
        with self.locked():
            current, _ = _load_profile(self.root)
            if current is not None and _same(current, profile):
                self.profile = current
                return current
            profile = profile.model_copy(update={"modified": now()})
            self._write(self.profile_path, profile.to_data())
            self.profile = profile
        return profile

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


def _same(a: Any, b: Any) -> bool:
    """Equal apart from the modified time: a save that changes nothing writes nothing."""
    left, right = a.to_data(), b.to_data()
    left.pop("modified", None)
    right.pop("modified", None)
    return bool(left == right)


def _check_source(path: Path) -> None:
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


def _plan_names(record: Evidence, sources: Sequence[Path]) -> list[tuple[Path, str]]:
    """The file name each new attachment gets in the record's folder (no clashes)."""
    taken = {a.path.split("/", 1)[1] for a in record.attachments}
    planned = []
    for source in sources:
        name = _free_name(_safe_name(source.name), taken)
        taken.add(name)
        planned.append((source, name))
    return planned


def record_texts(record: Evidence | Reflection) -> dict[str, str]:
    """Every free-text field a learner writes in a record, by field name."""
    texts = {"title": record.title}
    if isinstance(record, Evidence):
        texts["description"] = record.description
        if record.witness:
            texts["witness.statement"] = record.witness.statement
        if record.self_directed_support:
            texts["self_directed_support.notes"] = record.self_directed_support.notes
        for i, att in enumerate(record.attachments):
            texts[f"attachments[{i}].description"] = att.description
    else:
        texts.update({f"stages.{k}": v for k, v in record.stages.items()})
    return {k: v for k, v in texts.items() if v}


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "attachment"
    return cleaned[:120]


def _free_name(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    stem, dot, suffix = name.partition(".")
    n = 2
    while f"{stem}-{n}{dot}{suffix}" in taken:
        n += 1
    return f"{stem}-{n}{dot}{suffix}"


def _load_profile(root: Path) -> tuple[Profile | None, list[Problem]]:
    path = root / PROFILE_FILE
    tree, problems = read_yaml(path)
    if problems:
        return None, problems
    problems = _schema_problem(tree, path)
    if problems:
        return None, problems
    return validate_tree(Profile, tree, path)


def open_portfolio(
    path: str | os.PathLike[str], standard: Standard | None = None, *, readonly: bool = False
) -> Portfolio:
    """Open a portfolio folder; the unit is the one its profile names unless given.

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
    if standard is None:
        standard = load_standard(profile.unit)
    problems = check_profile(profile, standard, str(root / PROFILE_FILE))
    if problems:
        raise RecordError(problems)
    portfolio = Portfolio(root, standard, profile, readonly=readonly)
    if not readonly and any(temp_files(root)):
        # Only a killed write leaves these; take the lock so no live write loses its file.
        with portfolio.locked():
            clean_temp_files(root)
    return portfolio


def create_portfolio(
    path: str | os.PathLike[str],
    profile: Profile | Mapping[str, Any],
    standard: Standard | None = None,
) -> Portfolio:
    """Create a new portfolio folder with its profile; refuses to overwrite one."""
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
    root.mkdir(parents=True, exist_ok=True)
    portfolio = Portfolio(root, standard, profile)
    with portfolio.locked():
        for folder in (portfolio.evidence_dir, portfolio.reflections_dir):
            folder.mkdir(exist_ok=True)
        ignore = root / ".gitignore"
        if not ignore.exists():
            atomic_write_text(ignore, f"{LOCK_FILE}\n*.cpc306-tmp\n")
        atomic_write_text(portfolio.profile_path, dump_yaml(profile.to_data()))
    return portfolio
