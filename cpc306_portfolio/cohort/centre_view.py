"""What the dashboard shows of the centre folder: plan progress, open actions, countersigning.

Read-only, and never in the way: a centre folder that cannot be read gives the dashboard a
line saying why (file, line, field), and the cohort's tables are written all the same.
"""

from __future__ import annotations

import copy
import dataclasses
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..centre.folder import CENTRE_FILE, default_centre, open_centre
from ..centre.models import Action
from ..centre.practice import waiting_for_countersignature
from ..centre.qa import PlanLine, open_actions, plan_progress
from ..errors import PortfolioError
from .worker import LearnerResult


@dataclass
class CentreView:
    """The centre's quality assurance as the dashboard shows it."""

    folder: str
    lines: list[PlanLine] = field(default_factory=list)
    actions: list[tuple[Action, str]] = field(default_factory=list)
    #: (learner folder, learner name, trainee, criteria waiting for a countersignature)
    waiting: list[tuple[str, str, str, list[str]]] = field(default_factory=list)
    problem: str = ""

    @property
    def done(self) -> int:
        return sum(1 for line in self.lines if line.report is not None)

    @property
    def overdue(self) -> int:
        return sum(1 for line in self.lines if line.overdue)

    @property
    def actions_by_owner(self) -> list[tuple[str, int]]:
        counts = Counter(a.owner or "the centre" for a, _ in self.actions)
        return sorted(counts.items(), key=lambda pair: pair[0].lower())


def centre_for(
    cohort: str | os.PathLike[str], centre: str | os.PathLike[str] | None
) -> Path | None:
    """The centre folder a batch shows: the one given, else ``centre/`` beside the cohort.

    Without ``centre`` and with no ``centre/`` beside the cohort, there is none (and no
    centre section); a folder given that is not a centre folder is an error, found before
    anything is written.
    """
    if centre is not None:
        return open_centre(centre).root
    found = default_centre(cohort)
    return found if (found / CENTRE_FILE).is_file() else None


def centre_view(
    centre: Path, results: Sequence[LearnerResult], today: date | None = None
) -> CentreView:
    """The plan against what was done, open actions, and trainees' decisions waiting."""
    view = CentreView(str(centre))
    try:
        folder = open_centre(centre)
        view.lines = plan_progress(folder, today)
        view.actions = open_actions(folder)
        summaries = {r.key: r.summary for r in results if r.summary}
        names = {r.key: r.name for r in results}
        for key, criteria in sorted(waiting_for_countersignature(folder, summaries).items()):
            trainee = str(summaries[key].get("assessor", ""))
            view.waiting.append((key, names.get(key, ""), trainee, criteria))
    except PortfolioError as exc:
        view.problem = str(exc)
    return view


def as_the_centre_counts(centre: Path, results: Sequence[LearnerResult]) -> list[LearnerResult]:
    """The results as the centre counts them: a trainee's "met" only once countersigned.

    Each criterion a trainee assessor judged met that no qualified assessor has countersigned
    reads "ready" (a decision is waiting) in the dashboard, its tables, its workbook and the
    IQA sample, and the learner is not complete. The learner's own files, their page and
    ``status.json`` keep what the assessor recorded; the centre section lists what waits.
    """
    try:
        folder = open_centre(centre)
        summaries = {r.key: r.summary for r in results if r.summary}
        waiting = waiting_for_countersignature(folder, summaries)
    except PortfolioError:
        return list(results)  # the centre section says why the folder cannot be read
    out: list[LearnerResult] = []
    for result in results:
        held_back = set(waiting.get(result.key, ()))
        if not held_back or not result.summary:
            out.append(result)
            continue
        summary = copy.deepcopy(result.summary)
        held = 0
        for criterion in summary.get("criteria", []):
            if criterion.get("criterion") in held_back and criterion.get("status") == "met":
                criterion["status"] = "ready"
                criterion["countersignature"] = "waiting"
                held += 1
        progress = summary.get("progress") or {}
        if held and progress:
            progress["criteria_met"] = progress.get("criteria_met", 0) - held
            progress["criteria_ready"] = progress.get("criteria_ready", 0) + held
        summary["complete"] = False
        summary["ready"] = True
        out.append(dataclasses.replace(result, summary=summary))
    return out
