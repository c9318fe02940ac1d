"""Reading ``assessment-plan.yaml``: the plan and every problem in it, against the unit.

Apart from :mod:`.assessment_plan` (which changes the plan) so that ``validate`` can read
it with nothing but the record store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


def plan_problems(
    store: RecordStore, evidence: Mapping[str, tuple[Any, list[Problem]]] | None = None
) -> list[Problem]:
    """What ``validate`` reports about the plan and the links between records (schema 3).

    The plan's own problems; a done activity naming a record that is not there; an
    evidence record naming a witness who is not on the register. Each record is read as
    ``validate`` reads it anyway (the store keeps what a file gave while it is unchanged);
    ``evidence``: what ``validate`` has just read of each evidence record, by id.
    """
    plan, problems = read_plan_file(store)
    by_prefix = {kind.prefix: kind for kind in store.kinds}
    path = str(store.layout.assessment_plan_path)
    for i, activity in enumerate(plan.activities if plan else []):
        kind = by_prefix.get(activity.record[:1])
        if activity.record and (kind is None or activity.record not in store.layout.ids(kind)):
            problems.append(
                Problem(
                    path,
                    f"{activity.id} is done with {activity.record}, which is not in the portfolio",
                    field=f"activities[{i}].record",
                    hint="name the record the activity produced (E001, R002 ...)",
                )
            )
    witness_kind = by_prefix.get("W")
    registered = set(store.layout.ids(witness_kind)) if witness_kind else set()
    evidence_kind = by_prefix.get("E")
    ids = list(evidence) if evidence is not None else []
    if evidence is None and evidence_kind:
        ids = store.layout.ids(evidence_kind)
    for record_id in ids:
        if evidence is not None:
            record, found = evidence[record_id]
        else:
            record, found = store.peek(evidence_kind, record_id)  # type: ignore[arg-type]
        register_id = record.witness.register_id if record and record.witness else None
        if not found and register_id and register_id not in registered:
            problems.append(
                Problem(
                    str(store.layout.record_path(record_id)),
                    f"its witness {register_id} is not on the witness register",
                    field="witness.register_id",
                    hint="register the witness again (cpc306 witness add), or restore "
                    f"witnesses/{register_id}.yaml",
                )
            )
    return problems
