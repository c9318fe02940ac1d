"""Assessor practice: observations of assessors at work, and countersigning a trainee.

A trainee assessor's "met" counts only once a qualified assessor on the register
countersigns it: :func:`countersign` records which criteria of which learner, after
checking that the trainee judged them met; :func:`waiting_for_countersignature` says, for a
cohort's summaries, which trainee decisions still wait (the dashboard shows them).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .folder import COUNTERSIGN_DIR, OBSERVATIONS_DIR, REGISTER_FILE, Centre, open_centre
from .models import Countersignature, Observation, Role, Status
from .qa import new_actions, next_id
from .register import find_person


def observe(
    centre_path: str | os.PathLike[str],
    *,
    assessor: str,
    by: str,
    day: date,
    activity: str,
    notes: str,
    learner: str = "",
    actions: Sequence[tuple[str, date]] = (),
) -> Observation:
    """Record an IQA's observation of an assessor's practice, with feedback and actions."""
    centre = open_centre(centre_path)
    where = str(centre.path(REGISTER_FILE))
    with centre.locked():
        register = centre.register
        seen = find_person(register, assessor, f"{where}: --assessor")
        iqa = find_person(register, by, f"{where}: --by")
        if iqa.role != Role.IQA or not iqa.active:
            raise UsageError(
                f"--by: {iqa.name} is not an active IQA on the centre's register",
                hint="an observation of practice is made by an internal quality assurer",
            )
        record = Observation(
            id=next_id("O", [o.id for o in centre.records(Observation, OBSERVATIONS_DIR)]),
            assessor=seen.name,
            by=iqa.name,
            date=day,
            activity=activity,
            learner=learner,
            notes=notes,
            actions=new_actions(centre, actions, seen.name),
        )
        centre.write(f"{OBSERVATIONS_DIR}/{record.id}.yaml", record)
    return record


def countersign(
    centre_path: str | os.PathLike[str],
    learner_folder: str | os.PathLike[str],
    *,
    by: str,
    criteria: Sequence[str],
    note: str = "",
    day: date | None = None,
) -> Countersignature:
    """Countersign a trainee's "met" decisions on ``criteria`` of one learner.

    Refused unless the learner's assessor is a trainee on the register, ``by`` is a
    qualified, active assessor, and the trainee judged every criterion named as met.
    """
    from ..portfolio.store import open_portfolio

    folio = open_portfolio(learner_folder, readonly=True)
    trainee_name = folio.profile.assessor.name
    judgements = folio.read_assessment().judgements
    centre = open_centre(centre_path)
    where = str(centre.path(REGISTER_FILE))
    with centre.locked():
        register = centre.register
        trainee = find_person(register, trainee_name, f"{learner_folder}/portfolio.yaml: assessor")
        if trainee.status != Status.TRAINEE:
            raise UsageError(
                f"{where}: {trainee.name} is a qualified assessor: nothing to countersign",
                hint="only a trainee's decisions wait for a countersignature",
            )
        signer = find_person(register, by, f"{where}: --by")
        if signer.status != Status.QUALIFIED or not signer.active or signer.name == trainee.name:
            raise UsageError(
                f"--by: {signer.name} is not a qualified, active assessor",
                hint=f"the register names {trainee.countersigner or 'no one'} to countersign",
            )
        not_met = [c for c in criteria if getattr(judgements.get(c), "outcome", "") != "met"]
        if not_met or not criteria:
            raise UsageError(
                f"{learner_folder}/assessment.yaml: criteria: {', '.join(not_met) or 'none'} "
                f"not judged met by {trainee.name}",
                hint="countersign only criteria the trainee has judged met",
            )
        record = Countersignature(
            id=next_id("C", [c.id for c in centre.records(Countersignature, COUNTERSIGN_DIR)]),
            learner=Path(learner_folder).resolve().name,
            trainee=trainee.name,
            by=signer.name,
            date=day or date.today(),
            criteria=list(criteria),
            note=note,
        )
        centre.write(f"{COUNTERSIGN_DIR}/{record.id}.yaml", record)
    return record


def waiting_for_countersignature(
    centre: Centre, summaries: Mapping[str, Mapping[str, Any]]
) -> dict[str, list[str]]:
    """Per learner whose assessor is a trainee: the "met" criteria not yet countersigned."""
    trainees = {
        p.name for p in centre.register.assessors if p.status == Status.TRAINEE and p.active
    }
    signed: set[tuple[str, str]] = {
        (c.learner, criterion)
        for c in centre.records(Countersignature, COUNTERSIGN_DIR)
        for criterion in c.criteria
    }
    out: dict[str, list[str]] = {}
    for key, s in summaries.items():
        if s.get("assessor") not in trainees:
            continue
        waiting = [
            str(c["criterion"])
            for c in s.get("criteria", [])
            if c.get("status") == "met" and (key, c["criterion"]) not in signed
        ]
        if waiting:
            out[key] = waiting
    return out
