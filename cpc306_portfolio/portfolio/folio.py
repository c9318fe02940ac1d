"""The portfolio: one object that holds its parts and does what a learner asks of it.

A :class:`Portfolio` is composed, not inherited: its :class:`~.layout.Layout` (where every
file lives), its :class:`~.records.RecordStore` (reading, building and writing records
under the lock), its :class:`~.keepout.KeepOutGuard` (the profile and the names to keep
out) and its :class:`~.checks.PrivacyChecks` (the scan before every save). Its own
methods add, update, remove and attach, each one atomic save that uses the parts. The
kinds of record it holds come from :mod:`.kinds`; nothing here prints.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Problem, RecordError
from ..files.regular import is_link
from ..files.walk import Walk
from ..standard import Standard
from .assessor_models import observation_link
from .attachments import (
    check_attachments,
    link_problems,
    orphan_problems,
    stray_files,
)
from .checks import PrivacyChecks, Unknown
from .journal import leftovers
from .keepout import KeepOutGuard
from .kinds import EVIDENCE, KINDS, REFLECTION, RecordKind
from .layout import Layout
from .models import Acknowledgement, Assessment, Attachment, Evidence, Profile, Reflection
from .plan_file import plan_problems
from .profile_file import load_profile
from .records import RecordStore
from .responses_file import responses_problems
from .writes import RecordWriter

if TYPE_CHECKING:
    from ..confidentiality.names import KeepOutMatcher
    from ..confidentiality.scan import Finding

Pathish = str | os.PathLike[str]


class Portfolio:
    """An open portfolio folder and the unit it is assessed against."""

    def __init__(
        self,
        root: Path,
        standard: Standard,
        profile: Profile,
        *,
        readonly: bool = False,
        kinds: Sequence[RecordKind] = KINDS,
    ) -> None:
        self.layout = Layout(root, kinds)
        self.records = RecordStore(self.layout, standard, readonly=readonly)
        self.keep_out = KeepOutGuard(self.records, profile)
        self.checks = PrivacyChecks(self.records, self.keep_out.matcher)
        self.writer = RecordWriter(self.records, self.checks)
        #: Said to the user when the unit in use is not the portfolio's own copy.
        self.unit_note = ""
        self._walk: Walk | None = None

    def __repr__(self) -> str:
        return f"Portfolio({str(self.root)!r}, unit={self.standard.code!r})"

    # What it is, and where its files live --------------------------------------------

    @property
    def root(self) -> Path:
        return self.layout.root

    @property
    def standard(self) -> Standard:
        """The unit the portfolio is read and checked against (fixed while it is open)."""
        return self.records.standard

    @property
    def readonly(self) -> bool:
        return self.records.readonly

    @property
    def profile(self) -> Profile:
        """The profile as the learner sees it (listed names in clear where the key is)."""
        return self.keep_out.profile

    @profile.setter
    def profile(self, profile: Profile) -> None:
        self.keep_out.profile = profile

    @property
    def profile_path(self) -> Path:
        return self.layout.profile_path

    @property
    def assessment_path(self) -> Path:
        return self.layout.assessment_path

    @property
    def unit_path(self) -> Path:
        return self.layout.unit_path

    @property
    def evidence_dir(self) -> Path:
        return self.layout.evidence_dir

    @property
    def reflections_dir(self) -> Path:
        return self.layout.reflections_dir

    def record_path(self, record_id: str) -> Path:
        return self.layout.record_path(record_id)

    def attachment_path(self, attachment: Attachment) -> Path:
        return self.layout.attachment_path(attachment.path)

    def relative(self, path: Path) -> str:
        return self.layout.relative(path)

    def locked(self) -> AbstractContextManager[None]:
        """Hold the portfolio's lock (re-entrant within one process)."""
        return self.records.locked()

    def file_sha256(self, path: Path) -> tuple[str, int]:
        """SHA-256 and size of a file in the portfolio, read once while it is unchanged."""
        return self.records.file_sha256(path)

    # Reading ------------------------------------------------------------------------

    def evidence_ids(self) -> list[str]:
        return self.layout.ids(EVIDENCE)

    def reflection_ids(self) -> list[str]:
        return self.layout.ids(REFLECTION)

    def read_evidence(self, evidence_id: str) -> Evidence:
        """One evidence record, validated against the unit; raises with every problem."""
        record: Evidence = self.records.get(EVIDENCE, evidence_id)
        return record

    def read_reflection(self, reflection_id: str) -> Reflection:
        record: Reflection = self.records.get(REFLECTION, reflection_id)
        return record

    def evidence(self) -> list[Evidence]:
        """Every evidence record; raises listing every bad file rather than skip one."""
        return self.records.all(EVIDENCE)

    def reflections(self) -> list[Reflection]:
        return self.records.all(REFLECTION)

    def read_assessment(self) -> Assessment:
        """The assessor's file, or an empty assessment when there is none yet."""
        return self.records.read_assessment()

    def draft(self, kind: str, fields: Mapping[str, Any]) -> Evidence | Reflection:
        """A validated record that is not saved (id ``E000``/``R000``): to preview findings."""
        record: Evidence | Reflection = self.records.draft(self.records.kind(kind), fields)
        return record

    # The privacy checks and the keep-out list ------------------------------------------

    def keep_out_matcher(self) -> tuple[KeepOutMatcher, bool]:
        return self.keep_out.matcher()

    def preview_findings(
        self, kind: str, fields: Mapping[str, Any], attach: Sequence[Pathish] = ()
    ) -> list[Finding]:
        """Findings a save of these fields (and files to attach) would meet, writing nothing."""
        return self.checks.preview_findings(kind, fields, attach)

    def findings(
        self, record: Evidence | Reflection, new_files: Sequence[tuple[Path, str]] = ()
    ) -> list[Finding]:
        """Possible identifiers in a record's text and in files about to be attached."""
        return self.checks.findings(record, new_files)

    def scan(self) -> list[tuple[Finding, Acknowledgement | None]]:
        """Every finding in every record, attachment and the assessor's feedback."""
        return self.checks.scan()

    def notices(self) -> list[Problem]:
        """What ``validate`` reports beside invalid files (see :meth:`PrivacyChecks.notices`)."""
        return self.checks.notices()

    def save_profile(self, profile: Profile) -> Profile:
        """Write ``portfolio.yaml`` (only when something changed); listed names as hashes."""
        return self.keep_out.save_profile(profile)

    def add_keep_out(self, names: Sequence[str]) -> list[str]:
        return self.keep_out.add(names)

    def remove_keep_out(self, names: Sequence[str]) -> list[str]:
        return self.keep_out.remove(names)

    def keep_out_names(self) -> list[str]:
        return self.keep_out.names()

    # Validation ---------------------------------------------------------------------

    def validate(self) -> list[Problem]:
        """Every problem in the portfolio, not just the first; an empty list means valid.

        Symbolic links, attachment folders with no record and files no record lists are
        problems too. Confidentiality findings are not (see :meth:`notices`).
        """
        problems: list[Problem] = []
        _, found = load_profile(self.root)
        problems += found
        listed: dict[str, set[str] | None] = {}
        evidence: dict[str, tuple[Any, list[Problem]]] = {}  # for plan_problems
        for kind in self.records.kinds:
            for record_id in self.layout.ids(kind):
                record, found = self.records.peek(kind, record_id)  # looked at only
                if kind.prefix == "E":
                    evidence[record_id] = record, found
                problems += found
                if isinstance(record, Evidence) and record.observation:
                    problems += observation_link(self.layout, record)
                if kind.attachments:
                    if record is not None:
                        problems += check_attachments(self.records, record)
                    listed[record_id] = {a.path for a in record.attachments} if record else None
        if self.assessment_path.is_file() or is_link(self.assessment_path):
            try:
                self.read_assessment()
            except RecordError as exc:
                problems += exc.problems
        problems += plan_problems(self.records, evidence)
        problems += responses_problems(self.records)
        walk = self._listing()  # one listing of the folder for the three checks
        problems += stray_files(self.records, walk)
        problems += link_problems(self.records, walk)
        problems += orphan_problems(self.records, listed, walk)
        problems += [
            Problem(
                str(path),
                "left by a write that was interrupted",
                hint="open the portfolio for writing (any cpc306 command that changes it, or "
                "cpc306 validate) and it is tidied up",
            )
            for path in leftovers(self.records)
        ]
        return problems

    def keep_walk(self, walk: Walk) -> None:
        """Keep the walk ``open_portfolio`` took, for :meth:`validate` (stamped, see Walk)."""
        self._walk = walk

    def _listing(self) -> Walk:
        """The walk taken at open if no folder has changed since, else a new one (once)."""
        kept, self._walk = self._walk, None
        return kept if kept is not None and kept.still_holds() else Walk(self.root)

    # Writing: each an atomic save under the lock (see :class:`~.writes.RecordWriter`) ---

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
        return self.writer.add(kind, fields, attach, acknowledge=acknowledge, unknown=unknown)

    def add_evidence(
        self,
        fields: Mapping[str, Any],
        attach: Sequence[Pathish] = (),
        *,
        acknowledge: Mapping[str, str] | None = None,
        unknown: Unknown = "error",
    ) -> Evidence:
        """Add an evidence record with a new id (and copy in attachments); return it.

        ``acknowledge`` maps the fingerprint of a confidentiality finding (in the text or in
        a file to attach) to the learner's reason it identifies no one; ``unknown`` says
        what a fingerprint no finding bears is (``"error"``, or ``"ignore"`` for a form).
        """
        record: Evidence = self.add(
            EVIDENCE, fields, attach, acknowledge=acknowledge, unknown=unknown
        )
        return record

    def add_reflection(
        self,
        fields: Mapping[str, Any],
        *,
        acknowledge: Mapping[str, str] | None = None,
        unknown: Unknown = "error",
    ) -> Reflection:
        """Add a reflective account with a new id; return it (``acknowledge`` as above)."""
        record: Reflection = self.add(REFLECTION, fields, acknowledge=acknowledge, unknown=unknown)
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
        """Write a changed record of any kind (see :meth:`~.writes.RecordWriter.update`)."""
        return self.writer.update(
            record, attach=attach, detach=detach, acknowledge=acknowledge, unknown=unknown
        )

    def update_evidence(
        self,
        record: Evidence,
        *,
        attach: Sequence[Pathish] = (),
        detach: Sequence[str] = (),
        acknowledge: Mapping[str, str] | None = None,
        unknown: Unknown = "error",
    ) -> Evidence:
        """Write a changed evidence record, attaching and detaching files in the same save.

        An unchanged record is left alone on disk. Raises :class:`ConflictError` if the
        record on disk changed since ``record`` was read (its revision moved on): nothing
        is written, and both versions are kept. ``detach`` names attachments by file name.
        """
        saved: Evidence = self.update(
            record, attach=attach, detach=detach, acknowledge=acknowledge, unknown=unknown
        )
        return saved

    def update_reflection(self, record: Reflection) -> Reflection:
        saved: Reflection = self.update(record)
        return saved

    def remove(self, record_id: str) -> None:
        """Delete a record of any kind, and its attachments (the record first)."""
        self.writer.remove(record_id)

    def remove_evidence(self, evidence_id: str) -> None:
        """Delete an evidence record and its attachments (the record first)."""
        self.records.get(EVIDENCE, evidence_id)
        self.writer.remove(evidence_id)

    def remove_reflection(self, reflection_id: str) -> None:
        self.records.get(REFLECTION, reflection_id)
        self.writer.remove(reflection_id)

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
        return self.writer.attach(
            evidence_id, source, description, acknowledge=acknowledge, unknown=unknown
        )

    def detach(self, evidence_id: str, name: str) -> None:
        """Remove one attachment (by file name) from a record and from disk."""
        self.writer.detach(evidence_id, name)

    def save_assessment(self, assessment: Assessment) -> Assessment:
        """Write ``assessment.yaml`` (only when something changed)."""
        return self.writer.save_assessment(assessment)
