"""Internal quality assurance: the sampling plan, IQA reports, actions, standardisation.

The plan is fixed in advance from the batch's weighted draw (its seed kept, so the same
portfolios on the same day give the same plan); a report is accepted only for a learner the
plan names, from an IQA on the register, and, when a key is given, signed with that IQA's
registered key. Every action has a due date and an id (``A001`` ...) unique in the centre,
and stays open until closed with ``cpc306 iqa action CENTRE A001 --done``.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..assessor.iqa import DEFAULT_RATE, iqa_sample
from ..assessor.signing import key_fingerprint, load_private_key, public_key_b64
from ..errors import NotFoundError, SigningError, UsageError
from .folder import (
    MEETINGS_DIR,
    OBSERVATIONS_DIR,
    PLAN_FILE,
    PLANS_DIR,
    REPORTS_DIR,
    Centre,
    open_centre,
)
from .models import (
    Action,
    IqaPlan,
    IqaReport,
    Observation,
    PlannedSample,
    Register,
    Role,
    Signature,
    Stage,
    Standardisation,
)
from .register import find_person


def parse_action(text: str, where: str = "--action") -> tuple[str, date]:
    """``TEXT=YYYY-MM-DD`` as (text, due date); an action without a date is refused."""
    what, sep, due = text.rpartition("=")
    try:
        day = date.fromisoformat(due.strip()) if sep else None
    except ValueError:
        day = None
    if day is None or not what.strip():
        raise UsageError(
            f"{where}: {text!r} has no due date",
            hint="write each action as TEXT=YYYY-MM-DD, e.g. --action 'Recheck B3=2027-01-15'",
        )
    return what.strip(), day


def make_plan(
    centre_path: str | os.PathLike[str],
    cohort: str,
    summaries: Mapping[str, Mapping[str, Any]],
    *,
    interim: date,
    summative: date,
    rate: float = DEFAULT_RATE,
    seed: int | None = None,
    today: date | None = None,
    replace: bool = False,
) -> IqaPlan:
    """Draw the sample and fix it as the centre's IQA plan (a new plan replaces the old).

    A learner whose criteria are all ready or met is sampled at the summative date; anyone
    still working, at the interim date. Criteria are those with evidence mapped to them.
    An existing plan is replaced only with ``replace``, and then kept in ``iqa/plans/``.
    """
    if interim > summative:
        raise UsageError(
            f"--interim {interim} is after --summative {summative}",
            hint="interim sampling comes first, during the programme",
        )
    if not summaries:
        raise UsageError(
            f"{cohort}: no learner's portfolio could be read, so there is no one to sample",
            hint="run `cpc306 batch` and fix the failures it lists first",
        )
    sample = iqa_sample(summaries, rate=rate, seed=seed, today=today)
    planned = []
    for picked in sample.learners:
        s = summaries[picked.key]
        stage = Stage.SUMMATIVE if s.get("ready") or s.get("complete") else Stage.INTERIM
        planned.append(
            PlannedSample(
                learner=picked.key,
                name=picked.name,
                assessor=picked.assessor,
                unit=picked.unit,
                stage=stage,
                due=summative if stage == Stage.SUMMATIVE else interim,
                criteria=[c["criterion"] for c in s.get("criteria", []) if c.get("items")],
                methods=list(s.get("methods", [])),
                why=picked.reason,
            )
        )
    plan = IqaPlan(
        cohort=cohort,
        seed=sample.seed,
        rate=rate,
        interim=interim,
        summative=summative,
        samples=planned,
    )
    centre = open_centre(centre_path, create=True)
    with centre.locked():
        old = centre.read(IqaPlan, PLAN_FILE)
        if old is not None:
            if not replace:
                raise UsageError(
                    f"{centre.path(PLAN_FILE)}: the centre already has a plan, made "
                    f"{old.made:%Y-%m-%d} with seed {old.seed}",
                    hint="a plan is fixed in advance: to draw a new one give --replace "
                    f"(the old one is kept in {PLANS_DIR}/)",
                )
            # The plan reports were made against is kept, never overwritten.
            centre.write(f"{PLANS_DIR}/plan-{old.made:%Y%m%dT%H%M%SZ}.yaml", old)
        centre.write(PLAN_FILE, plan)
    return plan


def next_id(prefix: str, used: Sequence[str]) -> str:
    numbers = [int(u[1:]) for u in used if u[1:].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _actions(centre: Centre) -> list[tuple[Action, str]]:
    """Every action in the centre with the file it is recorded in."""
    out = []
    for report in centre.records(IqaReport, REPORTS_DIR):
        out += [(a, f"{REPORTS_DIR}/{report.id}.yaml") for a in report.actions]
    for meeting in centre.records(Standardisation, MEETINGS_DIR):
        out += [(a, f"{MEETINGS_DIR}/{meeting.id}.yaml") for a in meeting.actions]
    for seen in centre.records(Observation, OBSERVATIONS_DIR):
        out += [(a, f"{OBSERVATIONS_DIR}/{seen.id}.yaml") for a in seen.actions]
    return out


def new_actions(centre: Centre, actions: Sequence[tuple[str, date]], owner: str) -> list[Action]:
    used = [a.id for a, _ in _actions(centre)]
    out = []
    for text, due in actions:
        action = Action(id=next_id("A", used), text=text, due=due, owner=owner)
        used.append(action.id)
        out.append(action)
    return out


def report_text(report: IqaReport) -> str:
    """The canonical text a report's signature covers.

    Everything but the signature and when each action was closed: closing an action later
    is tracking, not a change to what the IQA judged and signed.
    """
    data = report.model_dump(mode="json", by_alias=True, exclude={"signature"})
    for action in data["actions"]:
        action.pop("done_on", None)
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def report_signed(report: IqaReport, register: Register) -> bool:
    """Whether the report carries a valid signature by the key the register holds for its IQA.

    The register is the centre's word on whose key is whose; the key in the report is not
    believed about itself.
    """
    if report.signature is None:
        return False
    try:
        person = find_person(register, report.by, "report")
    except NotFoundError:
        return False
    if person.public_key != report.signature.public_key:
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(person.public_key))
        key.verify(base64.b64decode(report.signature.value), report_text(report).encode())
    except (InvalidSignature, ValueError):
        return False
    return True


def add_report(
    centre_path: str | os.PathLike[str],
    learner: str,
    *,
    by: str,
    decision: str,
    feedback: str,
    actions: Sequence[tuple[str, date]] = (),
    key: str | os.PathLike[str] | None = None,
    passphrase: str | None = None,
) -> IqaReport:
    """Record an IQA's report on one planned learner (``learner``: their folder's name)."""
    centre = open_centre(centre_path)
    private = load_private_key(key, passphrase) if key else None
    with centre.locked():
        plan = centre.read(IqaPlan, PLAN_FILE)
        if plan is None:
            raise NotFoundError(
                f"{centre.path(PLAN_FILE)}: the centre has no IQA plan yet",
                hint="make one first: cpc306 iqa plan COHORT --interim DATE --summative DATE",
            )
        reports = centre.records(IqaReport, REPORTS_DIR)
        done = {(r.learner, r.stage) for r in reports}
        mine = [s for s in plan.samples if s.learner == learner]
        if not mine:
            planned = ", ".join(s.learner for s in plan.samples)
            raise UsageError(
                f"{centre.path(PLAN_FILE)}: {learner!r} is not in the IQA plan",
                hint=f"report on a planned learner ({planned}), or make a new plan",
            )
        sample = next((s for s in mine if (s.learner, s.stage) not in done), mine[-1])
        iqa = find_person(centre.register, by, f"{centre.path('assessors.yaml')}: --by")
        if iqa.role != Role.IQA or not iqa.active:
            raise UsageError(
                f"--by: {iqa.name} is not an active IQA on the centre's register",
                hint="the report is made by an internal quality assurer (role iqa)",
            )
        report = IqaReport(
            id=next_id("Q", [r.id for r in reports]),
            learner=learner,
            assessor=sample.assessor,
            stage=sample.stage,
            by=iqa.name,
            decision=decision,  # type: ignore[arg-type]
            feedback=feedback,
            actions=new_actions(centre, actions, sample.assessor),
        )
        if private is not None:
            public = public_key_b64(private)
            if public != iqa.public_key:
                raise SigningError(
                    f"--key: this key is not the one the register holds for {iqa.name}",
                    hint="sign with your own key, the one whose .pub the register was given",
                )
            value = base64.b64encode(private.sign(report_text(report).encode())).decode()
            report.signature = Signature(
                public_key=public, fingerprint=key_fingerprint(public), value=value
            )
        centre.write(f"{REPORTS_DIR}/{report.id}.yaml", report)
    return report


def close_action(
    centre_path: str | os.PathLike[str], action_id: str, *, day: date | None = None
) -> Action:
    """Mark an action done (today unless ``day``), in whichever record holds it."""
    centre = open_centre(centre_path)
    with centre.locked():
        records: list[tuple[IqaReport | Standardisation | Observation, str]] = [
            *((r, REPORTS_DIR) for r in centre.records(IqaReport, REPORTS_DIR)),
            *((m, MEETINGS_DIR) for m in centre.records(Standardisation, MEETINGS_DIR)),
            *((o, OBSERVATIONS_DIR) for o in centre.records(Observation, OBSERVATIONS_DIR)),
        ]
        for record, folder in records:
            for action in record.actions:
                if action.id == action_id:
                    action.done_on = day or date.today()
                    centre.write(f"{folder}/{record.id}.yaml", record)
                    return action
    known = ", ".join(a.id for a, _ in _actions(centre)) or "none yet"
    raise NotFoundError(
        f"{centre.root}: no action {action_id!r}", hint=f"the centre's actions: {known}"
    )


def add_standardisation(
    centre_path: str | os.PathLike[str],
    *,
    day: date,
    topic: str,
    attendees: Sequence[str],
    notes: str,
    actions: Sequence[tuple[str, date]] = (),
) -> Standardisation:
    """Record one standardisation meeting, its attendees, notes and actions."""
    if not attendees:
        raise UsageError("--attendee: a standardisation record names who attended")
    centre = open_centre(centre_path, create=True)
    with centre.locked():
        meetings = centre.records(Standardisation, MEETINGS_DIR)
        meeting = Standardisation(
            id=next_id("S", [m.id for m in meetings]),
            date=day,
            topic=topic,
            attendees=list(attendees),
            notes=notes,
            actions=new_actions(centre, actions, ""),
        )
        centre.write(f"{MEETINGS_DIR}/{meeting.id}.yaml", meeting)
    return meeting


@dataclass(frozen=True)
class PlanLine:
    """One planned sample against what was done: its report, if any, and whether late."""

    sample: PlannedSample
    report: IqaReport | None
    overdue: bool


def plan_progress(centre: Centre, today: date | None = None) -> list[PlanLine]:
    """The plan, line by line, against the reports made."""
    plan = centre.read(IqaPlan, PLAN_FILE)
    if plan is None:
        return []
    day = today or date.today()
    reports = {(r.learner, r.stage): r for r in centre.records(IqaReport, REPORTS_DIR)}
    return [
        PlanLine(
            s,
            reports.get((s.learner, s.stage)),
            (s.learner, s.stage) not in reports and s.due < day,
        )
        for s in plan.samples
    ]


def open_actions(centre: Centre) -> list[tuple[Action, str]]:
    """Actions not yet done, oldest due first, with where each is recorded."""
    return sorted(
        ((a, where) for a, where in _actions(centre) if a.done_on is None),
        key=lambda pair: (pair[0].due, pair[0].id),
    )


def centre_path_for(learner_folder: str | os.PathLike[str]) -> Path:
    """The default centre of a learner's folder: ``centre/`` beside their cohort."""
    return Path(learner_folder).expanduser().resolve().parent.parent / "centre"
