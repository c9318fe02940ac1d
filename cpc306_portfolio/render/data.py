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

from ..analysis.coverage import STATUS_LABELS, STATUS_SYMBOLS, Coverage, compute_coverage
from ..portfolio.models import Assessment, Evidence, Reflection
from ..portfolio.plan import PlanAction, read_plan
from ..portfolio.reflection import reflection_models
from ..portfolio.store import Portfolio, open_portfolio
from ..standard import load_standard
from ..standard.model import Standard
from .attachments import AttachmentView, view_attachment
from .signoff import SealsView, seals_of

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
    coverage: Coverage
    seals: SealsView
    generated: datetime
    attachments: dict[str, list[AttachmentView]] = field(default_factory=dict)

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

    def status_of(self, key: str) -> Status:
        return Status(key)

    def status(self, criterion: str) -> Status:
        return Status(str(self._criteria_rows[criterion]["status"]))

    def reason(self, criterion: str) -> str:
        return str(self._criteria_rows[criterion]["reason"])

    def records_for(self, criterion: str) -> list[Record]:
        return [r for r in self.records if criterion in r.criteria]

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
        frame = getattr(self.coverage, table)
        return list(frame.to_dict("records"))

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
    """
    folio = (
        portfolio
        if isinstance(portfolio, Portfolio)
        else open_portfolio(
            Path(portfolio),
            standard=load_standard(standard) if standard else None,
            readonly=True,
        )
    )
    evidence = folio.evidence()
    reflections = folio.reflections()
    assessment = folio.read_assessment()
    data = ReportData(
        portfolio=folio,
        evidence=evidence,
        reflections=reflections,
        assessment=assessment,
        coverage=compute_coverage(folio.standard, evidence, reflections, assessment),
        seals=seals_of(folio, trust=trust),
        generated=datetime.now(UTC).replace(microsecond=0),
    )
    names = data.keep_out
    for record in evidence:
        data.attachments[record.id] = [
            view_attachment(att, folio.attachment_path(att), names) for att in record.attachments
        ]
    return data
