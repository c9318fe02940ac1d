"""The confidentiality checks a portfolio runs on a record before it is written.

One part of a :class:`~.folio.Portfolio`: it scans the free text of every kind of record
(what its :class:`~.kinds.RecordKind` says a learner writes) and files about to be
attached, with the keep-out guard's matcher for listed names. It refuses a save while a
finding is neither edited out nor acknowledged with a reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from ..confidentiality.names import KeepOutMatcher
from ..errors import ConfidentialityError, PortfolioError, Problem, UsageError
from ..files.regular import is_regular
from .attachments import plan_names
from .kinds import WITNESS, assessment_texts
from .layout import ASSESSMENT_PLAN_FILE, RESPONSES_FILE
from .models import Acknowledgement
from .plan_file import read_plan_file
from .planning import AssessmentPlan
from .profile_file import load_profile
from .records import RecordStore
from .responses_file import read_responses_file

# The scan's patterns and phonenumbers load when a record is first scanned: reading a
# portfolio (``cpc306 status``) needs none of them.
if TYPE_CHECKING:
    from ..confidentiality.scan import Finding

#: What to do with an acknowledged fingerprint that no finding of the save bears.
Unknown = Literal["error", "ignore"]
R = TypeVar("R", bound=Any)

__all__ = ["PrivacyChecks", "Unknown"]


class PrivacyChecks:
    """Scans a record (and files about to be attached) for identifiers of a person."""

    def __init__(
        self, store: RecordStore, matcher: Callable[[], tuple[KeepOutMatcher, bool]]
    ) -> None:
        self.store = store
        self.layout = store.layout
        #: The keep-out guard's matcher, and whether every listed name can be checked here.
        self.keep_out_matcher = matcher

    def contacts(self) -> tuple[str, ...]:
        """Registered witnesses' email addresses and phone numbers: not findings.

        They agreed to be named and reached (:mod:`.witnesses`). A register that does not
        read allows nothing (``validate`` reports the bad file).
        """
        if WITNESS not in self.store.kinds:
            return ()
        try:
            witnesses = self.store.all(WITNESS)
        except PortfolioError:
            return ()
        return tuple(c for w in witnesses for c in (w.email, w.phone) if c)

    def plan_findings(self, plan: AssessmentPlan | None = None) -> list[Finding]:
        """Possible identifiers in the assessment plan's activities (the plan as on disk).

        The plan has no acknowledgements: an activity is a line of planning, and one that
        would identify a person is edited, not explained.
        """
        from ..confidentiality.scan import scan_fields

        if plan is None:
            plan, _ = read_plan_file(self.store)
        if plan is None:
            return []
        keep_out, _ = self.keep_out_matcher()
        texts = {}
        for i, activity in enumerate(plan.activities):
            texts[f"activities[{i}].activity"] = activity.activity
            texts[f"activities[{i}].reason"] = activity.reason
        return scan_fields(
            texts, record=ASSESSMENT_PLAN_FILE, keep_out=keep_out, allow=self.contacts()
        )

    def text_findings(self, texts: Mapping[str, str], record: str) -> list[Finding]:
        """Possible identifiers in learner text kept outside a record (``responses.yaml``)."""
        from ..confidentiality.scan import scan_fields

        keep_out, _ = self.keep_out_matcher()
        return scan_fields(texts, record=record, keep_out=keep_out, allow=self.contacts())

    def responses_findings(self) -> list[Finding]:
        """Possible identifiers in the learner's replies to action points (as on disk).

        A reply is scanned before it is saved; this finds one edited in by hand. A file
        that does not read finds nothing here (``validate`` reports it).
        """
        try:
            responses = read_responses_file(self.layout.root)
        except PortfolioError:
            return []
        texts = {
            f"criteria.{c}.actions.{a}.text": reply.text
            for c, part in responses.criteria.items()
            for a, reply in part.actions.items()
            if reply.text
        }
        return self.text_findings(texts, RESPONSES_FILE)

    def preview_findings(
        self,
        kind: str,
        fields: Mapping[str, Any],
        attach: Sequence[str | os.PathLike[str]] = (),
    ) -> list[Finding]:
        """Findings a save of these fields (and files to attach) would meet, writing nothing."""
        record_kind = self.store.kind(kind)
        record = self.store.draft(record_kind, fields)
        files = [Path(a) for a in attach]
        planned = plan_names(record, files) if record_kind.attachments and files else []
        return self.findings(record, planned)

    def findings(self, record: Any, new_files: Sequence[tuple[Path, str]] = ()) -> list[Finding]:
        """Possible identifiers in a record's text and in files about to be attached.

        ``new_files`` pairs a source file with the name it will have in the record folder.
        """
        from ..confidentiality.scan import scan_fields, scan_file

        keep_out, _ = self.keep_out_matcher()
        allow = self.contacts()
        texts = self.store.kind_of(record.id).texts(record)
        found = scan_fields(texts, record=record.id, keep_out=keep_out, allow=allow)
        for source, name in new_files:
            field = f"attachment:{name}"
            found += scan_file(
                source, record=record.id, field=field, keep_out=keep_out, allow=allow
            )
        return found

    def scan(self) -> list[tuple[Finding, Acknowledgement | None]]:
        """Every finding in every record, attachment and the assessor's feedback.

        Each comes with the learner's acknowledgement, if any (assessor feedback has none).
        """
        from ..confidentiality.scan import Scanner

        out: list[tuple[Finding, Acknowledgement | None]] = []
        keep_out, _ = self.keep_out_matcher()
        # One scanner for the run: a text met again (a description pasted into many
        # records) is scanned once.
        scanner = Scanner(keep_out, self.contacts())
        root = self.layout.root
        records = [
            (kind, r) for kind in self.store.kinds for r in self.store.all(kind, look_only=True)
        ]
        for kind, record in records:
            found = scanner.fields(kind.texts(record), record=record.id)
            if kind.attachments:
                for att in record.attachments:
                    path = self.layout.attachment_path(att.path)
                    # Bytes kept from hashing come only while the path's stamp (inode
                    # included) is the one it had then: that regular file, still there.
                    data = self.store.scan_bytes(path)
                    if data is not None or is_regular(path):  # never through a link
                        found += scanner.file(
                            path,
                            record=record.id,
                            field=f"attachment:{att.path.split('/', 1)[1]}",
                            root=root,
                            data=data,
                        )
            if found:
                acks = {(a.kind, a.field, a.fingerprint): a for a in record.confidentiality}
                out += [(f, acks.get((str(f.kind), f.field, f.fingerprint))) for f in found]
        out += [(f, None) for f in self.plan_findings()]
        out += [(f, None) for f in self.responses_findings()]
        if self.layout.assessment_path.is_file():
            texts = assessment_texts(self.store.read_assessment())
            out += [(f, None) for f in scanner.fields(texts, record="assessment")]
        return out

    def notices(self) -> list[Problem]:
        """What ``validate`` reports beside invalid files.

        Findings not yet acknowledged, a keep-out list still in clear, and listed names
        that cannot be checked on this machine.
        """
        out: list[Problem] = []
        try:
            results = self.scan()
        except PortfolioError:
            results = []  # invalid files: validate lists those as problems already
        open_findings = [f for f, ack in results if ack is None]
        if open_findings:
            where = sorted({f.record for f in open_findings})
            out.append(
                Problem(
                    str(self.layout.root),
                    f"{len(open_findings)} possible identifier(s) of a person not acknowledged "
                    f"(in {', '.join(where)})",
                    field="confidentiality",
                    hint=f"see each with: cpc306 scan {self.layout.root}; edit the text, or "
                    "acknowledge a finding that identifies no one",
                )
            )
        _, checked = self.keep_out_matcher()
        if not checked:
            out.append(
                Problem(
                    str(self.layout.profile_path),
                    "cannot check the names on the keep-out list on this machine: they are "
                    "stored only as keyed hashes, and the key is with the learner",
                    field="keep_out_hashed",
                    hint="run the scan on the learner's own machine to check listed names",
                )
            )
        disk, _ = load_profile(self.layout.root)
        if disk is not None and disk.keep_out:
            out.append(
                Problem(
                    str(self.layout.profile_path),
                    f"{len(disk.keep_out)} keep-out name(s) are stored in clear, and this "
                    "folder travels to the assessor and the centre",
                    field="keep_out",
                    hint=f"store them as keyed hashes with: cpc306 upgrade {self.layout.root}",
                )
            )
        return out

    def acknowledge(
        self,
        record: R,
        new_files: Sequence[tuple[Path, str]],
        acknowledge: Mapping[str, str] | None,
        *,
        unknown: Unknown,
    ) -> R:
        """The record with each finding whose fingerprint is in ``acknowledge`` acknowledged.

        ``acknowledge`` maps a fingerprint to the learner's reason; it covers every finding
        that bears it (the same value in two fields). A finding already acknowledged keeps its
        first reason. A fingerprint no finding bears is a :class:`UsageError` when ``unknown``
        is ``"error"`` (a mistyped fingerprint), and is left out when it is ``"ignore"`` (a
        form whose learner edited a ticked finding away).
        """
        if not acknowledge:
            return record
        for fingerprint, reason in acknowledge.items():
            if not reason.strip():
                raise UsageError(
                    f"the acknowledgement of {fingerprint!r} gives no reason",
                    hint="say why it identifies no one (your assessor will see it)",
                )
        found = self.findings(record, new_files)
        missing = [fp for fp in acknowledge if all(f.fingerprint != fp for f in found)]
        if missing and unknown == "error":
            fingerprints = ", ".join(dict.fromkeys(f.fingerprint for f in found))
            raise UsageError(
                f"no finding has the fingerprint {missing[0]!r}",
                hint=f"findings in this text: {fingerprints or 'none'}",
            )
        done = {(a.kind, a.field, a.fingerprint) for a in record.confidentiality}
        new: dict[tuple[str, str, str], Acknowledgement] = {}
        for f in found:
            key = (str(f.kind), f.field, f.fingerprint)
            if f.fingerprint in acknowledge and key not in done:
                new.setdefault(key, Acknowledgement.of(f, acknowledge[f.fingerprint].strip()))
        if not new:
            return record
        return record.model_copy(
            update={"confidentiality": [*record.confidentiality, *new.values()]}
        )

    def guard(self, record: Any, new_files: Sequence[tuple[Path, str]] = ()) -> None:
        """Refuse to write a record while any finding is neither edited out nor acknowledged."""
        from ..confidentiality.scan import unacknowledged

        open_findings = unacknowledged(self.findings(record, new_files), record.confidentiality)
        if open_findings:
            lines = [
                f"  {f.field}: {f.label}: {f.snippet}  [{f.fingerprint}]" for f in open_findings
            ]
            raise ConfidentialityError(
                f"{self.layout.relative(self.layout.record_path(record.id))} was not saved: "
                f"{len(open_findings)} possible identifier(s) of a person:\n" + "\n".join(lines),
                open_findings,
                hint="edit the text, or if it identifies no one, acknowledge each finding "
                "with a reason (cpc306: --acknowledge FINGERPRINT=REASON)",
            )
