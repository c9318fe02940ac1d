"""Everything the report shows, read once from a portfolio folder and arranged for display.

The section templates only lay this out; every lookup (labels, links, statuses) is done
here, so a template never reaches into the unit or the store.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..analysis.coverage_rows import STATUS_LABELS, STATUS_SYMBOLS, CoverageRows, coverage_rows
from ..assessor.appeals import DEFAULT_APPEALS, appeals_wording
from ..assessor.over_mapping import OverMapping, over_mapping
from ..assessor.verification_memo import full_manifest
from ..portfolio.layout import EVIDENCE_DIR, REFLECTIONS_DIR
from ..portfolio.models import ActionPoint, Assessment, Evidence, Manifest, Reflection
from ..portfolio.plan import PlanAction, read_plan
from ..portfolio.reflection import reflection_models
from ..portfolio.responses import (
    Acknowledged,
    CriterionResponses,
    Responses,
    acknowledgement_state,
    read_responses,
)
from ..portfolio.store import Portfolio, open_portfolio
from ..standard import load_standard
from ..standard.model import Standard
from .assessor_view import AssessorView, assessor_view
from .attachments import AttachmentView, view_attachment
from .lending import borrow
from .planning import PlanningView, planning_view
from .signoff import SealsView, seals_of
from .withheld import Withheld, mask_record, mask_responses, open_findings

if TYPE_CHECKING:
    from ..analysis.coverage import Coverage

Record = Evidence | Reflection


def anchor(kind: str, ident: str) -> str:
    """A stable, HTML-safe id for a criterion, record, scope option or knowledge item."""
    return f"{kind}-" + re.sub(r"[^A-Za-z0-9_-]", "-", ident)


@dataclass
class Status:
    key: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.key]

    @property
    def symbol(self) -> str:
        return STATUS_SYMBOLS[self.key]


@dataclass
class ReportData:
    """One portfolio, its unit, coverage and seals, with the helpers templates use."""

    portfolio: Portfolio
    evidence: list[Evidence]
    reflections: list[Reflection]
    assessment: Assessment
    #: The coverage tables as rows (what the sections show; no pandas needed for them).
    rows: CoverageRows
    seals: SealsView
    generated: datetime
    manifest: Manifest
    withheld: Withheld = field(default_factory=Withheld)
    attachments: dict[str, list[AttachmentView]] = field(default_factory=dict)
    #: The assessment plan, progress reviews and witness register (schema 3).
    planning: PlanningView = field(default_factory=PlanningView)
    #: The learner's replies to action points and acknowledgements (``responses.yaml``).
    responses: Responses = field(default_factory=Responses)
    #: The centre's appeals wording (its ``centre.yaml``, given with --trust), or the default.
    appeals: str = DEFAULT_APPEALS

    def responses_for(self, criterion: str) -> CriterionResponses:
        return self.responses.for_criterion(criterion)

    def acknowledgement(self, criterion: str) -> Acknowledged:
        """Whether the learner acknowledged the decision on ``criterion`` as it stands."""
        judgement = self.assessment.judgements[criterion]
        return acknowledgement_state(judgement, self.responses_for(criterion))

    def overdue(self, criterion: str, action: ActionPoint) -> bool:
        """Open, past its date, and not said to be done by the learner."""
        reply = self.responses_for(criterion).actions.get(action.id)
        return (
            not action.closed
            and action.by < self.generated.date()
            and not (reply is not None and reply.done)
        )

    #: The assessor's own observations, discussions and questioning (schema 4).
    assessor: AssessorView = field(default_factory=AssessorView)

    @property
    def changed_records(self) -> dict[str, str]:
        """Record ids changed since sign-off (or, unsigned, since the declaration): why.

        Made once: the sections ask it of every record, some several times.
        """
        cached: dict[str, str] | None = self.__dict__.get("_changed")
        if cached is None:
            cached = self.__dict__["_changed"] = self._changed_records()
        return cached

    def _changed_records(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for seal, what in ((self.seals.declaration, "declared"), (self.seals.signoff, "signed")):
            for path in [*seal.changed, *seal.added]:
                folder, _, rest = path.partition("/")
                if folder in (EVIDENCE_DIR, REFLECTIONS_DIR) and rest:
                    rid = rest.split("/")[0].removesuffix(".yaml")
                    out[rid] = f"changed since it was {what}"
        return out

    @property
    def coverage(self) -> Coverage:
        """The coverage tables as pandas DataFrames, for a notebook that wants them.

        Built on first use: the report itself shows :attr:`rows`, and needs no pandas.
        """
        cached: Coverage | None = self.__dict__.get("_coverage")
        if cached is None:
            from ..analysis.coverage import Coverage, coverage_frames  # pandas: first use

            theirs = self.assessor.records
            records = [*self.records, *theirs.observations, *theirs.discussions]
            cached = self.__dict__["_coverage"] = coverage_frames(self.rows, records, self.standard)
            assert isinstance(cached, Coverage)
        return cached

    @property
    def over_mapping(self) -> OverMapping:
        cached: OverMapping | None = self.__dict__.get("_over")
        if cached is None:
            cached = self.__dict__["_over"] = over_mapping(self.standard, self.records)
        return cached

    @property
    def signed(self) -> bool:
        """Whether the judgements recorded are signed off: valid, unchanged, by a listed key.

        Anything less (no sign-off, no list given, a key not listed, a change since) reads
        "recorded, not signed" wherever a judgement is shown.
        """
        return self.seals.signoff.state == "intact"

    @property
    def unit_outcome(self) -> str:
        """The unit's outcome in words: met, not yet met, or how many criteria are judged."""
        judged = self.assessment.judgements
        total = len(self.standard.criteria)
        done = sum(c in judged for c in self.standard.criteria)
        if self.assessment.outcome == "met":
            return "Met: every criterion judged met"
        unmet = [c for c, j in judged.items() if j.outcome == "not_yet_met"]
        if self.assessment.outcome == "not_yet_met" or (done == total and unmet):
            return f"Not yet met ({done} of {total} criteria judged, {len(unmet)} not yet met)"
        if done == total:
            return f"All {total} criteria judged met; the unit outcome is not yet recorded"
        return f"{done} of {total} criteria judged"

    @property
    def standard(self) -> Standard:
        return self.portfolio.standard

    @property
    def plan_actions(self) -> list[PlanAction]:
        """The learner's development plan (``plan.yaml``), empty if none."""
        return read_plan(self.portfolio).actions

    @property
    def records(self) -> list[Record]:
        return [*self.evidence, *self.reflections]

    @property
    def keep_out(self) -> tuple[str, ...]:
        return tuple(self.portfolio.profile.keep_out)

    def in_order(self, ids: list[str], kind: str) -> list[str]:
        """Criteria, scope options or knowledge items in the unit's order (unknown ones last)."""
        places: dict[str, dict[str, int]] | None = self.__dict__.get("_places")
        if places is None:  # asked three times a record: each position found once
            places = self.__dict__["_places"] = {
                name: {item: n for n, item in enumerate(items)}
                for name, items in (
                    ("criteria", self.standard.criteria),
                    ("scope", self.standard.scope_options),
                    ("knowledge", self.standard.knowledge_ids),
                )
            }
        place = places[kind]
        return sorted(ids, key=lambda i: place.get(i, len(place)))

    def criteria_with_outcome(self, outcome: str) -> list[str]:
        judged = self.assessment.judgements
        return [c for c in self.standard.criteria if c in judged and judged[c].outcome == outcome]

    def criteria_with_status(self, *keys: str) -> list[str]:
        return [c for c in self.standard.criteria if self.status(c).key in keys]

    def status_of(self, key: str) -> Status:
        return Status(key)

    def status(self, criterion: str) -> Status:
        return Status(str(self._criteria_rows[criterion]["status"]))

    def reason(self, criterion: str) -> str:
        """Why the criterion has its status, in a line.

        For a judged criterion only the decision and its date: the judgement's feedback is
        shown once, under the criterion, so the page (and its print) never repeats it.
        """
        judgement = self.assessment.judgements.get(criterion)
        if judgement is not None:
            label = STATUS_LABELS[judgement.outcome].lower()
            return f"judged {label} on {judgement.judged_on:%d %B %Y}"
        return str(self._criteria_rows[criterion]["reason"])

    def testimony_of(self, witness_id: str) -> list[str]:
        """The evidence records that hold a registered witness's statement."""
        return [e.id for e in self.evidence if e.witness and e.witness.register_id == witness_id]

    def records_for(self, criterion: str) -> list[Record]:
        """The records mapped to ``criterion``, in the order of :attr:`records`.

        The sections ask for each criterion several times: the records are gone through
        once for all of them, again only if the lists of records are replaced or grow.
        """
        key = (id(self.evidence), len(self.evidence), id(self.reflections), len(self.reflections))
        known = self.__dict__.get("_records_for")
        if known is None or known[0] != key:
            index: dict[str, list[Record]] = {}
            for record in self.records:
                for mapped in dict.fromkeys(record.criteria):
                    index.setdefault(mapped, []).append(record)
            known = self.__dict__["_records_for"] = (key, index)
        return list(known[1].get(criterion, []))

    def method_label(self, record: Record) -> str:
        return record.method.label if isinstance(record, Evidence) else "Reflective account"

    def scope_label(self, option: str) -> str:
        opt = self.standard.scope_options.get(option)
        if opt is None:
            return option
        category = self.standard.scope_categories[option.partition("/")[0]]
        return f"{category.label}: {opt.label}"

    def knowledge_text(self, item: str) -> str:
        return self.standard.knowledge_ids.get(item, "")

    def stages(self, record: Reflection) -> list[tuple[str, str]]:
        """(stage title, text) in the reflection model's order."""
        model = reflection_models().get(record.model)
        if model is None:
            return list(record.stages.items())
        return [(s.title, record.stages.get(s.id, "")) for s in model.stages]

    def model_name(self, record: Reflection) -> str:
        model = reflection_models().get(record.model)
        return model.name if model else record.model

    def rows_of(self, table: str) -> list[dict[str, object]]:
        """The rows of the ``criteria``, ``scope`` or ``knowledge`` table."""
        rows: list[dict[str, object]] = getattr(self.rows, table)
        return rows

    def missing_knowledge_numbers(self) -> list[str]:
        """Knowledge numbers the unit skips (CPC 306 has no K3 or K9): not gaps."""
        return self.standard.skipped_knowledge_numbers()

    @property
    def _criteria_rows(self) -> dict[str, dict[str, object]]:
        cached: dict[str, dict[str, object]] | None = self.__dict__.get("_rows")
        if cached is None:
            cached = {str(r["criterion"]): r for r in self.rows_of("criteria")}
            self.__dict__["_rows"] = cached
        return cached


def load_report(
    portfolio: Portfolio | str | os.PathLike[str],
    *,
    trust: str | os.PathLike[str] | None = None,
    standard: str | os.PathLike[str] | None = None,
) -> ReportData:
    """Read a portfolio (and verify its seals) for the report; nothing is written.

    ``standard`` (a unit file or code) overrides the portfolio's own copy of its unit.
    Given a folder, the portfolio a render in this process has lent for that folder and
    unit (:mod:`.lending`) is used rather than opened again; on a kernel nothing is lent,
    and the folder is opened here.
    """
    folio = (
        portfolio
        if isinstance(portfolio, Portfolio)
        else borrow(portfolio, standard)
        or open_portfolio(
            Path(portfolio),
            standard=load_standard(standard) if standard else None,
            readonly=True,
        )
    )
    withheld = open_findings(folio)
    evidence = [mask_record(r, withheld) for r in folio.evidence()]
    reflections = [mask_record(r, withheld) for r in folio.reflections()]
    assessment = folio.read_assessment()
    assessor = assessor_view(folio, withheld)
    data = ReportData(
        portfolio=folio,
        evidence=evidence,
        reflections=reflections,
        assessment=assessment,
        rows=coverage_rows(
            folio.standard, evidence, reflections, assessment, assessor=assessor.records
        ),
        assessor=assessor,
        seals=seals_of(folio, trust=trust),
        generated=datetime.now(UTC).replace(microsecond=0),
        manifest=full_manifest(folio),
        withheld=withheld,
        planning=planning_view(folio, withheld),
        responses=mask_responses(read_responses(folio), withheld),
        appeals=appeals_wording(trust),
    )
    names = data.keep_out
    for record in evidence:
        data.attachments[record.id] = [
            view_attachment(
                att,
                folio.attachment_path(att),
                names,
                withheld.for_field(record.id, f"attachment:{att.path.split('/', 1)[1]}"),
                folio.root,
            )
            for att in record.attachments
        ]
    return data
