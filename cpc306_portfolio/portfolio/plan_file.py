"""Reading ``assessment-plan.yaml``: the plan and every problem in it, against the unit.

Apart from :mod:`.assessment_plan` (which changes the plan) so that ``validate`` can read
it with nothing but the record store.
"""

from __future__ import annotations

from ..errors import Problem
from ..files.yamlio import read_yaml, validate_tree
from .planning import AssessmentPlan
from .profile_file import schema_problem
from .records import RecordStore
from .unit_checks import check_mappings


def read_plan_file(store: RecordStore) -> tuple[AssessmentPlan | None, list[Problem]]:
    """The assessment plan (None when there is none yet) and its problems."""
    path = store.layout.assessment_plan_path
    if not path.exists() and not path.is_symlink():
        return None, []
    tree, problems = read_yaml(path, store.layout.root)
    if not problems:
        problems = schema_problem(tree, path)
    if problems:
        return None, problems
    plan, problems = validate_tree(AssessmentPlan, tree, path)
    if plan is None:
        return None, problems
    out: list[Problem] = []
    for i, activity in enumerate(plan.activities):
        for p in check_mappings(activity.model_dump(), store.standard, str(path)):
            out.append(Problem(p.path, p.message, field=f"activities[{i}].{p.field}", hint=p.hint))
    return plan, out


def plan_problems(store: RecordStore) -> list[Problem]:
    """What ``validate`` reports about the assessment plan (nothing when there is none)."""
    return read_plan_file(store)[1]
