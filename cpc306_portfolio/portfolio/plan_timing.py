"""When a planned assessment activity stands: done, moved, overdue, due soon or later.

Both apps (the learner's and the assessor's) show the activities due and done in the same
words, from :func:`activity_timing`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from .planning import AssessmentPlan, PlannedActivity

#: A planned activity is "due" from this many days before its date.
DUE_WITHIN_DAYS = 14

Timing = Literal["done", "moved", "overdue", "due", "later"]

TIMING_LABELS: dict[Timing, str] = {
    "done": "Done",
    "moved": "Moved",
    "overdue": "Due: its date has passed",
    "due": f"Due within {DUE_WITHIN_DAYS} days",
    "later": "Planned",
}


def activity_timing(activity: PlannedActivity, today: date) -> Timing:
    """Where an activity stands on ``today``."""
    if activity.status in ("done", "moved"):
        return activity.status
    if activity.planned_date < today:
        return "overdue"
    if activity.planned_date <= today + timedelta(days=DUE_WITHIN_DAYS):
        return "due"
    return "later"


def activities_due(plan: AssessmentPlan | None, today: date) -> list[PlannedActivity]:
    """Planned activities whose date has passed or falls within :data:`DUE_WITHIN_DAYS`."""
    if plan is None:
        return []
    return [a for a in plan.activities if activity_timing(a, today) in ("overdue", "due")]
