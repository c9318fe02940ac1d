"""The learner's development plan (``plan.yaml``): what to develop, how, and by when.

The unit asks for one (CPC 306 B7, K17, K18). Its actions start as the "action plan" /
"now what" stages of the learner's reflective accounts (stages marked ``plan`` in the
reflection models); the learner edits them and adds their own. Written atomically under
the portfolio's lock, like every record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from pydantic import Field, ValidationError

from ..errors import RecordError
from ..files.atomic import atomic_write_text
from ..files.yamlio import dump_yaml, load_model, validation_problems
from .layout import PLAN_FILE
from .models import Reflection, Text, _File, _Strict, now
from .reflection import reflection_models

if TYPE_CHECKING:
    from .folio import Portfolio


class PlanAction(_Strict):
    """One thing to develop: what, how, by when, and the reflective account it came from."""

    what: Text
    how: str = ""
    by_when: date | None = None
    source: str = Field(default="", description="id of the reflective account it came from")
    done: bool = False


class DevelopmentPlan(_File):
    """``plan.yaml``: the learner's development plan."""

    actions: list[PlanAction] = Field(default_factory=list)
    modified: datetime = Field(default_factory=now)


def read_plan(portfolio: Portfolio) -> DevelopmentPlan:
    """The portfolio's plan, or an empty one when there is none yet."""
    path = portfolio.root / PLAN_FILE
    if not path.is_file():
        return DevelopmentPlan()
    plan, problems = load_model(DevelopmentPlan, path)
    if plan is None:
        raise RecordError(problems, hint="fix plan.yaml by hand; it was not changed")
    return plan


def save_plan(
    portfolio: Portfolio, actions: Sequence[dict[str, object] | PlanAction]
) -> DevelopmentPlan:
    """Replace the plan's actions (validated first: on any problem nothing is written)."""
    path = portfolio.root / PLAN_FILE
    try:
        plan = DevelopmentPlan(
            actions=[
                a if isinstance(a, PlanAction) else PlanAction.model_validate(a) for a in actions
            ]
        )
    except ValidationError as exc:
        raise RecordError(
            validation_problems(exc, None, path), hint="nothing was written"
        ) from None
    with portfolio.locked():
        atomic_write_text(path, dump_yaml(plan.to_data()))
    return plan


def plan_suggestions(plan: DevelopmentPlan, reflections: Sequence[Reflection]) -> list[PlanAction]:
    """Actions in reflective accounts' plan stages that the plan does not hold yet."""
    taken = {a.source for a in plan.actions if a.source}
    models = reflection_models()
    out = []
    for r in reflections:
        model = models.get(r.model)
        if model is None or r.id in taken:
            continue
        for stage in model.stages:
            text = r.stages.get(stage.id, "").strip()
            if stage.plan and text:
                out.append(PlanAction(what=text, source=r.id))
    return out


def plan_with_suggestions(
    plan: DevelopmentPlan, reflections: Sequence[Reflection]
) -> list[PlanAction]:
    """The plan's actions followed by those still waiting in reflective accounts."""
    return [*plan.actions, *plan_suggestions(plan, reflections)]
