"""Manifests: the SHA-256 of every record and attachment at one moment, and one fingerprint.

In the spirit of BagIt (RFC 8493): one line ``<sha256>  <path>`` per entry, sorted by path,
and the fingerprint is the SHA-256 of those lines. A manifest covers:

- every file under ``evidence/`` and ``reflections/`` (records and attachments, byte for
  byte), except dotfiles and the leftovers of killed writes;
- ``unit.yaml``, the portfolio's copy of its unit, byte for byte (schema 2);
- ``portfolio.yaml#profile``: the profile without ``declaration``, ``modified`` and
  ``unit_sha256``, hashed as canonical JSON, so recording the declaration does not change
  what it declares;
- the assessment plan, progress reviews and witness register (schema 3), by part:
  ``assessment-plan.yaml#plan`` (the plan as agreed: :func:`.planning.agreed_part`),
  ``reviews/V001.yaml#review`` and ``witnesses/W001.yaml#witness`` likewise, and the
  learner's agreements (``...#agreements/learner``); the assessor's agreements
  (``...#agreements/assessor``), authenticity checks of witnesses (``...#checks``), which
  review targets were met and when (``...#targets_met``: the review part hashes each
  target as set) and the plan's earlier agreements (``...#history``) are the sign-off's
  alone, so an assessor agreeing, checking or marking a target met later is not taken for
  a change to what the learner declared;
- ``responses.yaml`` (optional), the learner's replies to action points and acknowledgements
  of decisions, one entry per criterion (``responses.yaml#A4``): the learner's words, so the
  declaration covers them (and the sign-off, like every learner entry);
- for the assessor's sign-off only: every file under ``assessor/`` (schema 4: the
  assessor's observations, discussions with their recordings, and questioning), byte for
  byte; ``portfolio.yaml#declaration`` (the learner's
  declaration, so it cannot be swapped afterwards), ``assessment.yaml#judgements/<id>`` per
  criterion judged, and ``assessment.yaml#feedback`` (the rest of the assessment: overall
  feedback). The ``signoff`` itself, ``modified`` and the internal quality
  assurer's ``iqa`` sample are left out: the IQA sample is recorded after sign-off by
  someone else, and must not read as tampering.

Nothing else in the folder is covered: notebooks, exported HTML and the lock file change
without changing the portfolio. A hash alone proves nothing; :mod:`.signing` signs it.

The ``schema`` strings of ``portfolio.yaml`` and ``assessment.yaml`` are not hashed when
the portfolio has its unit copy. Without one (a schema 1 portfolio), both are hashed with
the profile's schema string, as before schema 2; such a manifest has no ``unit.yaml``
entry, and :func:`current_manifest` recomputes it in those terms after ``cpc306 upgrade``,
so an upgrade is not taken for tampering.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import Problem, RecordError
from ..files.atomic import TEMP_SUFFIX
from ..files.canonical import canonical_hash
from .folio import Portfolio
from .layout import (
    ASSESSMENT_FILE,
    ASSESSMENT_PLAN_FILE,
    ASSESSOR_DIR,
    EVIDENCE_DIR,
    PROFILE_FILE,
    REFLECTIONS_DIR,
    RESPONSES_FILE,
    REVIEWS_DIR,
    UNIT_FILE,
    WITNESSES_DIR,
)
from .models import READABLE_SCHEMAS, Manifest, now
from .planning import agreed_part, targets_as_set, targets_met

MANIFEST_FORMAT = "cpc306-manifest/1"
PROFILE_ENTRY = f"{PROFILE_FILE}#profile"
DECLARATION_ENTRY = f"{PROFILE_FILE}#declaration"
JUDGEMENT_ENTRY = f"{ASSESSMENT_FILE}#judgements/"
FEEDBACK_ENTRY = f"{ASSESSMENT_FILE}#feedback"
UNIT_ENTRY = UNIT_FILE
#: Entries of the plan, reviews and witnesses that only the sign-off covers (the assessor's).
ASSESSOR_PARTS = ("#agreements/assessor", "#checks", "#targets_met", "#history")

_PROFILE_SKIP = ("declaration", "modified")
# "judgements" last: it is hashed per criterion unless the file mangles it into a non-mapping.
_ASSESSMENT_SKIP = ("signoff", "modified", "iqa", "judgements")


def _encode(path: str) -> str:
    # BagIt's rule: a path is one line, so percent-encode what would break the line.
    return path.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D")


def manifest_lines(files: Mapping[str, str]) -> str:
    """The BagIt-style manifest text: ``<sha256>  <path>`` per entry, sorted by path."""
    return "".join(f"{files[path]}  {_encode(path)}\n" for path in sorted(files))


def fingerprint_of(files: Mapping[str, str]) -> str:
    """The one fingerprint of a set of entries: SHA-256 of their manifest lines."""
    return hashlib.sha256(manifest_lines(files).encode("utf-8")).hexdigest()


def _timestamp(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.isoformat()


def manifest_text(
    manifest: Manifest, *, signed_by: str = "", page_sha256: str = "", base: str = ""
) -> str:
    """The canonical text a signature covers: format, time, signer, every line, fingerprint.

    A judgement made in a page and signed with ``cpc306 assess sign`` also covers the
    digest of the page read (``page_sha256``) and the assessment it was based on
    (``base``); both lines are absent otherwise, so older signatures still verify.
    """
    signer = f"signed-by {_encode(signed_by)}\n" if signed_by else ""
    page = f"page-sha256 {_encode(page_sha256)}\n" if page_sha256 else ""
    based = f"base {_encode(base)}\n" if base else ""
    return (
        f"{MANIFEST_FORMAT} {manifest.algorithm}\n"
        f"created-at {_timestamp(manifest.created_at)}\n"
        f"{signer}{page}{based}"
        f"{manifest_lines(manifest.files)}"
        f"fingerprint {manifest.fingerprint}\n"
    )


def manifest_is_consistent(manifest: Manifest) -> bool:
    """Whether a recorded manifest's fingerprint really is the fingerprint of its lines."""
    return fingerprint_of(manifest.files) == manifest.fingerprint


def _ignored(name: str) -> bool:
    return name.startswith(".") or name.endswith(TEMP_SUFFIX)


def _tree_files(root: Path, folder: str) -> Iterator[tuple[str, Path]]:
    base = root / folder
    if not base.is_dir():
        return
    start = len(os.path.join(root, ""))  # a path below root, as text (no pathlib per file)
    for current, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not _ignored(d))
        for name in sorted(names):
            full = os.path.join(current, name)
            if not _ignored(name) and os.path.isfile(full):
                yield full[start:].replace(os.sep, "/"), Path(full)


def _hash_file(portfolio: Portfolio, path: Path) -> str:
    try:
        return portfolio.file_sha256(path)[0]
    except OSError as exc:
        raise RecordError(
            [Problem(str(path), f"cannot be read: {exc.strerror}")],
            hint="check the file's permissions; nothing was written",
        ) from None


def _yaml_mapping(portfolio: Portfolio, path: Path) -> Mapping[str, Any] | None:
    if not path.is_file():
        return None
    tree, problems = portfolio.records.parsed(path)
    if problems:
        raise RecordError(problems, hint="fix the file by hand (cpc306 validate lists problems)")
    if not isinstance(tree, Mapping):
        raise RecordError(
            [Problem(str(path), "expected a mapping of fields at the top level", line=1)]
        )
    return tree


def _as_schema(tree: Mapping[str, Any], schema: str | None) -> dict[str, Any]:
    """A file's fields as a manifest hashes them.

    ``unit_sha256`` is left out: the ``unit.yaml`` entry covers the copy itself, and an
    altered hash stops the portfolio opening. With a unit copy (``schema=None``) the schema
    string is left out too, so a file rewritten by a later version is not taken for a
    change; without one, files are hashed with the schema string given, as manifests were
    before schema 2.
    """
    data = {k: v for k, v in tree.items() if k != "unit_sha256"}
    if schema is None:
        data.pop("schema", None)
    elif "schema" in data:
        data["schema"] = schema
    return data


def _file_schema(portfolio: Portfolio, path: Path) -> str:
    tree = _yaml_mapping(portfolio, path)
    return str((tree or {}).get("schema", READABLE_SCHEMAS[0]))


def _profile_entries(
    portfolio: Portfolio, include_declaration: bool, schema: str | None = None
) -> dict[str, str]:
    root = portfolio.root
    tree = _yaml_mapping(portfolio, root / PROFILE_FILE)
    if tree is None:
        raise RecordError([Problem(str(root / PROFILE_FILE), "missing")])
    fields = _as_schema(tree, schema)
    out = {
        PROFILE_ENTRY: canonical_hash({k: v for k, v in fields.items() if k not in _PROFILE_SKIP})
    }
    if include_declaration and tree.get("declaration") is not None:
        out[DECLARATION_ENTRY] = canonical_hash(tree["declaration"])
    return out


def _assessment_entries(portfolio: Portfolio, schema: str | None = None) -> dict[str, str]:
    found = _yaml_mapping(portfolio, portfolio.root / ASSESSMENT_FILE)
    if found is None:
        return {}
    return assessment_entries(found, schema)


def assessment_schema(portfolio: Portfolio) -> str | None:
    """The schema string :func:`build_manifest` hashes ``assessment.yaml`` with now."""
    unit = portfolio.root / UNIT_FILE
    if unit.is_file() and not unit.is_symlink():
        return None
    return _file_schema(portfolio, portfolio.root / PROFILE_FILE)


def as_hashed(tree: Mapping[str, Any], schema: str | None = None) -> dict[str, Any]:
    """A file's fields exactly as a manifest hashes them (see :func:`_as_schema`)."""
    return _as_schema(tree, schema)


def assessment_entries(found: Mapping[str, Any], schema: str | None = None) -> dict[str, str]:
    """The sign-off's entries for an assessment's data (as on disk, or as it will be)."""
    tree = _as_schema(found, schema)
    judgements = tree.get("judgements") or {}
    skip = _ASSESSMENT_SKIP if isinstance(judgements, Mapping) else _ASSESSMENT_SKIP[:-1]
    out = {FEEDBACK_ENTRY: canonical_hash({k: v for k, v in tree.items() if k not in skip})}
    if isinstance(judgements, Mapping):
        for criterion, judgement in judgements.items():
            out[f"{JUDGEMENT_ENTRY}{criterion}"] = canonical_hash(judgement)
    return out


def _planning_entries(portfolio: Portfolio, include_assessment: bool) -> dict[str, str]:
    """The assessment plan, reviews and witnesses, each by part (see the module's notes)."""
    root = portfolio.root
    files = [(ASSESSMENT_PLAN_FILE, "plan")]
    for folder, part in ((REVIEWS_DIR, "review"), (WITNESSES_DIR, "witness")):
        if (root / folder).is_dir():
            files += [(f"{folder}/{p.name}", part) for p in sorted((root / folder).glob("*.yaml"))]
    out: dict[str, str] = {}
    for rel, part in files:
        tree = _yaml_mapping(portfolio, root / rel)
        if tree is None:
            continue
        data = {k: v for k, v in tree.items() if k != "checks"}
        if part == "review":
            out[f"{rel}#{part}"] = canonical_hash(targets_as_set(agreed_part(data)))
            met = [m for m in targets_met(data) if m is None or m[0]]
            if include_assessment and met:
                out[f"{rel}#targets_met"] = canonical_hash(targets_met(data))
        else:
            out[f"{rel}#{part}"] = canonical_hash(agreed_part(data))
        if include_assessment and tree.get("history"):
            out[f"{rel}#history"] = canonical_hash(tree["history"])
        agreements = tree.get("agreements") or {}
        parties = ("learner", "assessor") if include_assessment else ("learner",)
        if isinstance(agreements, Mapping):
            for party in parties:
                if agreements.get(party) is not None:
                    out[f"{rel}#agreements/{party}"] = canonical_hash(agreements[party])
        if include_assessment and tree.get("checks"):
            out[f"{rel}#checks"] = canonical_hash(tree["checks"])
    return out


def _responses_entries(portfolio: Portfolio) -> dict[str, str]:
    """The learner's responses, one entry per criterion (the whole file if it is mangled)."""
    tree = _yaml_mapping(portfolio, portfolio.root / RESPONSES_FILE)
    if tree is None:
        return {}
    criteria = tree.get("criteria") or {}
    if not isinstance(criteria, Mapping):
        rest = {k: v for k, v in tree.items() if k not in ("schema", "modified")}
        return {f"{RESPONSES_FILE}#responses": canonical_hash(rest)}
    return {f"{RESPONSES_FILE}#{c}": canonical_hash(v) for c, v in criteria.items()}


def build_manifest(
    portfolio: Portfolio, *, include_assessment: bool, without_unit_as: str | None = None
) -> Manifest:
    """The manifest of a portfolio now: the learner's (``False``) or the assessor's (``True``).

    ``without_unit_as`` (a schema string) builds it as a portfolio without its unit copy
    would have been hashed under that schema: see :func:`current_manifest`.
    It does not take the portfolio's lock: callers that record it (declare, sign off) hold
    the lock around building and saving, and verifying works on a read-only copy.
    """
    root = portfolio.root
    unit = root / UNIT_FILE
    has_copy = unit.is_file() and not unit.is_symlink()
    schema = without_unit_as
    if schema is None and not has_copy:
        # As every manifest was made before schema 2, so an upgrade can still match it.
        schema = _file_schema(portfolio, root / PROFILE_FILE)
    files = _profile_entries(portfolio, include_declaration=include_assessment, schema=schema)
    for folder in (EVIDENCE_DIR, REFLECTIONS_DIR):
        files.update({rel: _hash_file(portfolio, path) for rel, path in _tree_files(root, folder)})
    if without_unit_as is None and has_copy:
        files[UNIT_ENTRY] = _hash_file(portfolio, unit)
    files.update(_planning_entries(portfolio, include_assessment))
    files.update(_responses_entries(portfolio))
    if include_assessment:
        files.update(_assessment_entries(portfolio, schema=schema))
        files.update(
            {rel: _hash_file(portfolio, path) for rel, path in _tree_files(root, ASSESSOR_DIR)}
        )
    ordered = {path: files[path] for path in sorted(files)}
    return Manifest(created_at=now(), files=ordered, fingerprint=fingerprint_of(ordered))


def current_manifest(
    portfolio: Portfolio, recorded: Manifest, *, include_assessment: bool
) -> Manifest:
    """The manifest now, in the terms ``recorded`` was made in, to compare against it.

    A recorded manifest that covers ``unit.yaml`` is compared with the manifest as built
    now. One that does not was made before the portfolio had its unit copy: the copy and
    the ``unit_sha256`` field are left out, and each file's schema string is taken as
    whichever schema (1 or 2) reproduces what was recorded. Only that string and that
    field, which carry none of the learner's or assessor's words, are treated this way.
    """
    built = build_manifest(portfolio, include_assessment=include_assessment)
    if UNIT_ENTRY in recorded.files:
        return built
    views = [
        build_manifest(portfolio, include_assessment=include_assessment, without_unit_as=schema)
        for schema in READABLE_SCHEMAS
    ]
    files: dict[str, str] = {}
    for view in views:
        for path, digest in view.files.items():
            if path not in files or recorded.files.get(path) == digest:
                files[path] = digest
    ordered = {path: files[path] for path in sorted(files)}
    return Manifest(created_at=built.created_at, files=ordered, fingerprint=fingerprint_of(ordered))


def diff_manifest(
    old: Manifest | Mapping[str, str], new: Manifest | Mapping[str, str]
) -> tuple[list[str], list[str], list[str]]:
    """Entries ``(added, removed, changed)`` going from ``old`` to ``new``, each sorted."""
    before = old.files if isinstance(old, Manifest) else old
    after = new.files if isinstance(new, Manifest) else new
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(p for p in set(before) & set(after) if before[p] != after[p])
    return added, removed, changed


def learner_part(manifest: Manifest) -> Manifest:
    """The entries of an assessor's manifest that a learner's declaration covers."""
    files = {
        path: digest
        for path, digest in manifest.files.items()
        if path != DECLARATION_ENTRY
        and not path.startswith(f"{ASSESSMENT_FILE}#")
        and not path.startswith(f"{ASSESSOR_DIR}/")
        and not path.endswith(ASSESSOR_PARTS)
    }
    return Manifest(created_at=manifest.created_at, files=files, fingerprint=fingerprint_of(files))
