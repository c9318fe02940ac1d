"""Where a portfolio stands: its records read once, and its coverage against its unit.

:func:`portfolio_status` is what ``cpc306 status``, the cohort batch's learner summary and
the learner's pages all ask for. It reads every record once and gives the coverage rows
(no pandas needed to show them); :attr:`PortfolioStatus.coverage` makes the pandas tables
only for whoever asks for them (a notebook, a chart).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..portfolio.models import Assessment, Evidence, Reflection
from ..standard.model import Standard
from .coverage_rows import CoverageRows, Progress, coverage_rows
from .rules import Gap, Record

if TYPE_CHECKING:
    from ..portfolio.assessor_evidence import AssessorRecords
    from ..portfolio.store import Portfolio
    from .coverage import Coverage


@dataclass
class PortfolioStatus:
    """One portfolio's records and their coverage of its unit, as of ``today``."""

    standard: Standard
    evidence: list[Evidence]
    reflections: list[Reflection]
    assessment: Assessment
    #: The coverage tables as rows (criteria, scope, knowledge), the gaps and progress.
    rows: CoverageRows
    today: date | None = None
    #: The assessor's own records (observations, discussions, questioning).
    assessor: AssessorRecords | None = None
    _coverage: Coverage | None = field(default=None, repr=False)

    @property
    def progress(self) -> Progress:
        return self.rows.progress

    @property
    def gaps(self) -> list[Gap]:
        return self.rows.gaps

    @property
    def coverage(self) -> Coverage:
        """The coverage as pandas tables (made on first use, from the same rows)."""
        if self._coverage is None:
            from .coverage import coverage_frames

            records: list[Record] = [*self.evidence, *self.reflections]
            if self.assessor is not None:
                records += [*self.assessor.observations, *self.assessor.discussions]
            self._coverage = coverage_frames(self.rows, records, self.standard)
        return self._coverage


def portfolio_status(portfolio: Portfolio, today: date | None = None) -> PortfolioStatus:
    """Read every record of an open portfolio once, and its coverage of its own unit.

    ``today`` (default: the current date) anchors the unit's currency window. Raises
    :class:`~cpc306_portfolio.errors.PortfolioInvalidError` listing every bad file.
    """
    evidence, reflections = portfolio.evidence(), portfolio.reflections()
    assessment = portfolio.read_assessment()
    from ..portfolio.assessor_evidence import read_assessor_records

    assessor = read_assessor_records(portfolio)
    rows = coverage_rows(portfolio.standard, evidence, reflections, assessment, today, assessor)
    return PortfolioStatus(
        portfolio.standard, evidence, reflections, assessment, rows, today, assessor=assessor
    )


def coverage_of(portfolio: Portfolio, today: date | None = None) -> Coverage:
    """The coverage tables of an open portfolio against its own unit (reads every record)."""
    return portfolio_status(portfolio, today).coverage
