"""Where everything in a portfolio folder lives: every name of the folder layout, once.

The layout is a contract (``DESIGN.md``, "The portfolio on disk"): other tools and people
editing files by hand rely on it. Every module that needs a file or folder of a portfolio
takes its name from here, and :class:`Layout` turns the names into paths for one folder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from ..errors import UsageError

PROFILE_FILE = "portfolio.yaml"
ASSESSMENT_FILE = "assessment.yaml"
#: The portfolio's own copy of its unit (schema 2); its SHA-256 is in the profile.
UNIT_FILE = "unit.yaml"
#: The learner's development plan (actions from their reflections).
PLAN_FILE = "plan.yaml"
EVIDENCE_DIR = "evidence"
REFLECTIONS_DIR = "reflections"
#: The HTML the learner builds for themselves: inside the folder, in no manifest.
EXPORTS_DIR = "exports"
LOCK_FILE = ".cpc306.lock"
#: The journal of an add, attach, detach or remove in progress (``evidence/.E001...``).
PENDING_SUFFIX = ".cpc306-pending"
#: The folder an add copies attachments into before moving it in whole.
STAGING_SUFFIX = ".cpc306-staging"
#: Files a portfolio folder has that a bare folder of records does not.
SIGNS = (EVIDENCE_DIR, REFLECTIONS_DIR, ASSESSMENT_FILE)


class Kind(Protocol):
    """What the layout needs to know of a kind of record: its id prefix and folder."""

    @property
    def prefix(self) -> str: ...

    @property
    def folder(self) -> str: ...


class Layout:
    """The paths of one portfolio folder, and the ids of the records in it."""

    def __init__(self, root: Path, kinds: Sequence[Kind]) -> None:
        self.root = root
        self.kinds = tuple(kinds)

    def __repr__(self) -> str:
        return f"Layout({str(self.root)!r})"

    @property
    def profile_path(self) -> Path:
        return self.root / PROFILE_FILE

    @property
    def assessment_path(self) -> Path:
        return self.root / ASSESSMENT_FILE

    @property
    def unit_path(self) -> Path:
        return self.root / UNIT_FILE

    @property
    def plan_path(self) -> Path:
        return self.root / PLAN_FILE

    @property
    def lock_path(self) -> Path:
        return self.root / LOCK_FILE

    @property
    def exports_dir(self) -> Path:
        return self.root / EXPORTS_DIR

    @property
    def evidence_dir(self) -> Path:
        return self.root / EVIDENCE_DIR

    @property
    def reflections_dir(self) -> Path:
        return self.root / REFLECTIONS_DIR

    def folder(self, kind: Kind) -> Path:
        """The folder a kind of record lives in."""
        return self.root / kind.folder

    def kind_of(self, record_id: str) -> Kind:
        """The kind of record an id names (``E001`` evidence, ``R001`` a reflection ...)."""
        for kind in self.kinds:
            if re.fullmatch(rf"{kind.prefix}\d{{3,}}", record_id):
                return kind
        examples = ", ".join(f"{k.folder} {k.prefix}001" for k in self.kinds)
        raise UsageError(f"{record_id!r} is not a record id", hint=f"ids look like: {examples}")

    def record_path(self, record_id: str) -> Path:
        return self.folder(self.kind_of(record_id)) / f"{record_id}.yaml"

    def attachment_path(self, relative: str) -> Path:
        """An attachment's file, from its path as its record lists it (``E001/notes.pdf``)."""
        return self.evidence_dir / relative

    def journal_path(self, record_id: str) -> Path:
        return self.evidence_dir / f".{record_id}{PENDING_SUFFIX}"

    def staging_path(self, record_id: str) -> Path:
        return self.evidence_dir / f".{record_id}{STAGING_SUFFIX}"

    def relative(self, path: Path) -> str:
        """A path as shown to users: relative to the portfolio when inside it."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def ids(self, kind: Kind) -> list[str]:
        """The ids of the records of one kind, in number order."""
        folder = self.folder(kind)
        if not folder.is_dir():
            return []
        pattern = re.compile(rf"{kind.prefix}\d{{3,}}")
        found = [p.stem for p in folder.glob("*.yaml") if pattern.fullmatch(p.stem)]
        return sorted(found, key=lambda s: int(s[len(kind.prefix) :]))
