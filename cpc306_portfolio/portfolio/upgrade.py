"""Upgrade a portfolio folder to the schema this version writes, one named step at a time.

Each :class:`UpgradeStep` looks at the folder and the plain data of ``portfolio.yaml``,
says whether it is needed, and applies itself: it may write files of its own (atomically)
and changes the data in place. The driver runs the needed steps in order under the
portfolio's lock, validates the result, and writes ``portfolio.yaml`` once, last, with the
new schema, so an upgrade killed part-way leaves a portfolio that still opens as before and
can be upgraded again. Records (evidence, reflections, assessment) are never rewritten:
they read as they are, and a declaration or sign-off made before still verifies (see
:func:`.manifest.current_manifest`).

To add a step, write its two functions and append it to :data:`UPGRADE_STEPS`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from ..errors import LockError, NotFoundError, Problem, RecordError
from ..files.atomic import atomic_write_text, sha256_file
from ..files.yamlio import dump_yaml, plain_data, read_yaml, validate_tree
from ..standard import Standard, load_standard, same_code
from .keepout import hash_clear_names
from .layout import (
    ASSESSMENT_PLAN_FILE,
    ASSESSOR_DIR,
    EVIDENCE_DIR,
    LOCK_FILE,
    OBSERVATIONS_DIR,
    PROFILE_FILE,
    REVIEWS_DIR,
    UNIT_FILE,
    WITNESSES_DIR,
)
from .models import READABLE_SCHEMAS, SCHEMA, Profile, now
from .profile_file import schema_problem
from .records import LOCK_TIMEOUT
from .unitcopy import write_unit_copy
from .upgrade_observations import migrate_observations, observations_needed

__all__ = [
    "UPGRADE_STEPS",
    "UpgradeContext",
    "UpgradeReport",
    "UpgradeStep",
    "upgrade_portfolio",
]


@dataclass
class UpgradeContext:
    """What a step works on: the folder, the profile's plain data, and the caller's options."""

    root: Path
    data: dict[str, Any]
    standard: Standard | None = None
    adopt_unit: bool = False
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UpgradeStep:
    """One change to a portfolio: ``needed(ctx)``, then ``apply(ctx)`` says what it did."""

    name: str
    description: str
    needed: Callable[[UpgradeContext], bool]
    apply: Callable[[UpgradeContext], str]


@dataclass(frozen=True)
class UpgradeReport:
    """What an upgrade did (or, with ``dry_run``, would do), step by step."""

    root: Path
    schema_before: str
    schema_after: str
    done: tuple[tuple[str, str], ...]
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.done)


def _unit_copy_needed(ctx: UpgradeContext) -> bool:
    return ctx.adopt_unit or not ctx.data.get("unit_sha256")


def _unit_copy_apply(ctx: UpgradeContext) -> str:
    code = str(ctx.data.get("unit", ""))
    path = ctx.root / UNIT_FILE
    if ctx.standard is not None:
        unit, where = ctx.standard, str(ctx.standard.source_path or "the unit given")
    elif path.is_file():
        # A copy already in place (put there by hand, or by an upgrade that was cut short).
        unit, where = load_standard(path), f"the {UNIT_FILE} already in the portfolio"
    elif ctx.adopt_unit:
        raise NotFoundError(
            f"{path}: no unit copy to adopt",
            hint=f"put the unit file there, or give it with: cpc306 --standard FILE upgrade "
            f"{ctx.root}",
        )
    else:
        unit = load_standard(code)
        where = str(unit.source_path or f"the installed unit {unit.code}")
    if not same_code(unit.code, code):
        raise RecordError(
            [
                Problem(
                    str(ctx.root / PROFILE_FILE),
                    f"the portfolio is for unit {code!r} but {where} is {unit.code!r}",
                    field="unit",
                )
            ],
            hint=f"give the unit file for {code} with --standard FILE",
        )
    if path.is_file() and unit.source_path == path.resolve():
        digest, _ = sha256_file(path)
    else:
        digest = write_unit_copy(ctx.root, unit)
    ctx.data["unit_sha256"] = digest
    return f"{UNIT_FILE}: copy of {unit.code} from {where} (sha256 {digest[:12]}…)"


UNIT_COPY = UpgradeStep(
    name="unit-copy",
    description=f"keep a copy of the unit in {UNIT_FILE}, its SHA-256 in {PROFILE_FILE}",
    needed=_unit_copy_needed,
    apply=_unit_copy_apply,
)


def _keep_out_needed(ctx: UpgradeContext) -> bool:
    return bool(ctx.data.get("keep_out"))


def _keep_out_apply(ctx: UpgradeContext) -> str:
    clear = [str(n) for n in ctx.data.get("keep_out") or []]
    hashed, where = hash_clear_names(ctx.root, clear, ctx.data.get("keep_out_hashed"))
    ctx.data["keep_out_hashed"] = hashed
    ctx.data["keep_out"] = []
    declared = " (declare again: the declaration covered the list as it was)"
    return (
        f"{PROFILE_FILE}: {len(clear)} keep-out name(s) now kept only as keyed hashes; "
        f"the key and the names stay on this machine in {where}"
        + (declared if ctx.data.get("declaration") else "")
    )


KEEP_OUT_HASHES = UpgradeStep(
    name="keep-out-hashes",
    description=f"take the keep-out names out of {PROFILE_FILE}: keyed hashes only, the key "
    "in your own config folder",
    needed=_keep_out_needed,
    apply=_keep_out_apply,
)


def _planning_needed(ctx: UpgradeContext) -> bool:
    return str(ctx.data.get("schema", READABLE_SCHEMAS[0])) in READABLE_SCHEMAS[:2]


def _planning_apply(ctx: UpgradeContext) -> str:
    # Schema 3 only adds files (assessment-plan.yaml, reviews/, witnesses/) and optional
    # fields; nothing older means anything different, so nothing is rewritten. A witness
    # already named inside an evidence record stays there, as the learner wrote it.
    inline = sum(
        "\nwitness:" in p.read_text(encoding="utf-8", errors="replace")
        for p in sorted((ctx.root / EVIDENCE_DIR).glob("E*.yaml"))
    )
    told = (
        f"; {inline} evidence record(s) name a witness inline: register each one with "
        "cpc306 witness add to record their status and contact"
        if inline
        else ""
    )
    return (
        f"schema 3 adds {ASSESSMENT_PLAN_FILE}, {REVIEWS_DIR}/ and {WITNESSES_DIR}/; "
        f"no file needed converting{told}"
    )


PLANNING = UpgradeStep(
    name="plans-reviews-witnesses",
    description=f"schema 3: the assessment plan ({ASSESSMENT_PLAN_FILE}), progress reviews "
    f"({REVIEWS_DIR}/) and the witness register ({WITNESSES_DIR}/)",
    needed=_planning_needed,
    apply=_planning_apply,
)


def _assessor_records_needed(ctx: UpgradeContext) -> bool:
    older = str(ctx.data.get("schema", READABLE_SCHEMAS[0])) != SCHEMA
    return older or observations_needed(ctx.root)


def _assessor_records_apply(ctx: UpgradeContext) -> str:
    written = migrate_observations(ctx.root, ctx.data)
    if not written:
        return (
            f"schema 4 adds {ASSESSOR_DIR}/ (the assessor's own records); no file needed converting"
        )
    return (
        f"{len(written)} evidence record(s) the learner made as an observation now link to an "
        f"assessor's observation in {OBSERVATIONS_DIR}/ ({'; '.join(written)}), each marked "
        "as migrated; the learner's records are unchanged. The assessor should read each one "
        "and record their own account with cpc306 assess observe; a sign-off made before "
        "does not cover them (sign again)"
    )


ASSESSOR_RECORDS = UpgradeStep(
    name="assessor-records",
    description=f"schema 4: the assessor's own records ({ASSESSOR_DIR}/); a learner's "
    f"evidence of the method observation gets an assessor's observation marked as migrated",
    needed=_assessor_records_needed,
    apply=_assessor_records_apply,
)

#: The steps, in the order they run. Each must be safe to run again after a partial run.
UPGRADE_STEPS: list[UpgradeStep] = [UNIT_COPY, KEEP_OUT_HASHES, PLANNING, ASSESSOR_RECORDS]


def _read_profile_data(root: Path) -> dict[str, Any]:
    path = root / PROFILE_FILE
    if not path.is_file():
        raise NotFoundError(
            f"{root}: not a portfolio (no {PROFILE_FILE})",
            hint="create one with: cpc306 init FOLDER",
        )
    tree, problems = read_yaml(path)
    if not problems:
        problems = schema_problem(tree, path)
    if not problems and not isinstance(tree, Mapping):
        problems = [Problem(str(path), "expected a mapping of fields at the top level", line=1)]
    if problems:
        raise RecordError(problems, hint=f"fix {PROFILE_FILE} by hand; nothing was changed")
    data: dict[str, Any] = plain_data(tree)
    return data


def upgrade_portfolio(
    path: str | os.PathLike[str],
    standard: Standard | None = None,
    *,
    adopt_unit: bool = False,
    dry_run: bool = False,
    steps: list[UpgradeStep] | None = None,
) -> UpgradeReport:
    """Bring a portfolio to schema :data:`SCHEMA`; return what was done.

    ``standard`` is the unit to copy in (default: a ``unit.yaml`` already there, else the
    unit looked up by the profile's code). ``adopt_unit`` records the ``unit.yaml`` that is
    there now, for a copy that was changed on purpose. Running it again does nothing.
    """
    root = Path(path).expanduser().resolve()
    chosen = UPGRADE_STEPS if steps is None else steps
    lock = FileLock(str(root / LOCK_FILE), timeout=LOCK_TIMEOUT)
    data = _read_profile_data(root)
    before = str(data.get("schema", "cpc306-portfolio/1"))
    if dry_run:
        ctx = UpgradeContext(root, data, standard, adopt_unit)
        planned = tuple((s.name, s.description) for s in chosen if s.needed(ctx))
        if before != SCHEMA:
            planned += (("schema", f"{PROFILE_FILE}: schema {before} -> {SCHEMA}"),)
        return UpgradeReport(root, before, SCHEMA, planned, dry_run=True)
    try:
        with lock:
            data = _read_profile_data(root)
            ctx = UpgradeContext(root, data, standard, adopt_unit)
            done: list[tuple[str, str]] = []
            for step in chosen:
                if step.needed(ctx):
                    done.append((step.name, step.apply(ctx)))
            if before != SCHEMA:
                done.append(("schema", f"{PROFILE_FILE}: schema {before} -> {SCHEMA}"))
            if done:
                ctx.data["schema"] = SCHEMA
                profile, problems = validate_tree(Profile, ctx.data, root / PROFILE_FILE)
                if profile is None:
                    raise RecordError(problems, hint=f"{PROFILE_FILE} was not changed")
                profile = profile.model_copy(update={"modified": now()})
                atomic_write_text(root / PROFILE_FILE, dump_yaml(profile.to_data()))
    except Timeout:
        raise LockError(
            f"{root}: another program has held the portfolio's lock for {LOCK_TIMEOUT:.0f} s",
            hint="close other notebooks or commands writing to it and try again",
        ) from None
    return UpgradeReport(root, before, SCHEMA, tuple(done))
