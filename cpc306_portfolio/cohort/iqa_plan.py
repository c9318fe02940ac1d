"""The centre's IQA plan drawn from a cohort: every learner read, then the weighted draw.

Each learner is read and summarised in this process, as the batch's workers do with
``--dashboard-only`` (no kernel, no HTML); learners whose portfolio cannot be read cannot be
sampled, and are returned so the command can say who they are.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from ..assessor.iqa import DEFAULT_RATE
from ..centre.folder import default_centre
from ..centre.models import IqaPlan
from ..centre.qa import make_plan
from ..errors import UsageError
from .folders import find_portfolios
from .worker import LearnerResult, LearnerTask, render_learner


def summarise_cohort(cohort: str | os.PathLike[str]) -> list[LearnerResult]:
    """Every learner of ``cohort`` read and summarised (failed ones say why)."""
    root = Path(cohort).expanduser().resolve()
    entries = find_portfolios(root)
    if not entries:
        raise UsageError(
            f"{root}: no learner portfolios found",
            hint="a cohort folder holds one folder per learner, each with its portfolio.yaml",
        )
    return [
        render_learner(
            LearnerTask(
                e.key,
                str(e.path),
                "",
                "",
                problem=e.problem,
                render=False,
                display=f"{root.name}/{e.key}",
            )
        )
        for e in entries
    ]


def plan_cohort(
    cohort: str | os.PathLike[str],
    centre: str | os.PathLike[str] | None = None,
    *,
    interim: date,
    summative: date,
    rate: float = DEFAULT_RATE,
    seed: int | None = None,
    today: date | None = None,
    replace: bool = False,
) -> tuple[IqaPlan, list[LearnerResult]]:
    """Draw and keep the centre's IQA plan for ``cohort``; return it and the failed learners.

    ``centre`` defaults to ``centre/`` beside the cohort; ``replace`` draws a new plan over
    an existing one (which is kept).
    """
    if not 0 < rate <= 1:
        raise UsageError("--rate must be above 0 and at most 100 (per cent)")
    results = summarise_cohort(cohort)
    summaries = {r.key: r.summary for r in results if r.summary}
    plan = make_plan(
        centre or default_centre(cohort),
        str(Path(cohort).expanduser().resolve().name),
        summaries,
        interim=interim,
        summative=summative,
        rate=rate,
        seed=seed,
        today=today,
        replace=replace,
    )
    return plan, [r for r in results if r.failed]
