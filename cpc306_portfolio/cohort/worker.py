"""One learner of a cohort batch: the task a worker runs, and what it hands back.

:func:`render_learner` is the one task function the local process pool and a Dask cluster
both run. It never raises: every failure comes back as a :class:`LearnerResult` with the
reason and a plain-English fix, so one broken learner never stops the others. The report
itself is rendered by ``render.render_portfolio`` from the portfolio the worker opened and
validated, on a fork of the warm worker or on its warm kernel (``execute.engines``).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import NotFoundError, PortfolioError, RecordError, StandardError
from ..execute import forked
from ..execute.engines import Engine, Forked, WorkerKernel
from ..execute.failures import classify_failure
from ..files.regular import read_bytes
from ..files.yamlio import MAX_YAML_BYTES, parse_yaml, read_yaml
from ..portfolio.layout import PROFILE_FILE, UNIT_FILE
from ..portfolio.store import Portfolio, open_portfolio
from ..standard import load_standard
from .summary import learner_summary

RENDERED, SKIPPED, FAILED = "rendered", "skipped", "failed"

#: Kinds of failure, each with the fix a trainer can act on (``{folder}`` is filled in).
FIXES: dict[str, str] = {
    "not_a_portfolio": "Put the learner's portfolio.yaml back in {folder} (or create one with "
    "`cpc306 init {folder}`), or move the folder out of the cohort.",
    "invalid": "Ask the learner to fix the files listed (`cpc306 validate {folder}` shows every "
    "problem with its file, line and field), then run the batch again.",
    "notebook_error": "Run `cpc306 validate {folder}` and `cpc306 status {folder}`; if both are "
    "clean, the report notebook has a bug: send status.json to whoever maintains it.",
    "timeout": "Run again with a longer --timeout, or check {folder} for very large attachments.",
    "kernel_died": "The kernel crashed or ran out of memory: run again with fewer --workers, and "
    "check {folder} for very large attachments.",
    "kernel_start": "Check that ipykernel is installed where cpc306 runs "
    "(`python -m ipykernel install --user`) and that the temporary folder is writable; "
    "then run the batch again.",
    "unit_not_found": "The portfolio keeps no copy of its unit (it was made before portfolios "
    "did) and this toolkit has no unit with its code: copy the unit in with `cpc306 --standard "
    "UNIT.yaml upgrade {folder}`, or give it to the whole batch with `cpc306 --standard "
    "UNIT.yaml batch ...`.",
    "unit_invalid": "The unit this portfolio uses cannot be loaded: fix or restore the unit "
    "file named above, then run the batch again.",
    "render_error": "Run `cpc306 validate {folder}`; then follow the message above.",
    "worker_lost": "A worker process stopped unexpectedly: run the batch again (finished "
    "learners are skipped); if it recurs, run with --workers 1.",
    "internal": "This is a bug in cpc306: send status.json to whoever maintains it.",
}


@dataclass(frozen=True)
class LearnerTask:
    """Everything a worker needs for one learner; plain data, so it pickles."""

    key: str
    portfolio: str
    html: str
    socket_dir: str
    fingerprint: str = ""
    problem: str = ""
    time_limit: float = 300.0
    start_timeout: float = 60.0
    reuse: int = 25
    #: How the folder is named in reasons and fixes (relative to the cohort's parent).
    display: str = ""
    #: A unit code or file that overrides the one the portfolio names (``--standard``).
    standard: str = ""
    #: False: summarise only (the dashboard without each learner's HTML).
    render: bool = True
    #: The centre's trust list (a path) every page and summary is checked against, and its
    #: fingerprint ("" for none).
    trust: str = ""
    trust_fingerprint: str = ""

    @property
    def shown(self) -> str:
        return self.display or self.portfolio


@dataclass
class LearnerResult:
    """What happened to one learner; written to ``status.json`` as it is."""

    key: str
    portfolio: str
    outcome: str
    kind: str = ""
    reason: str = ""
    fix: str = ""
    seconds: float = 0.0
    fingerprint: str = ""
    html: str = ""
    rendered_at: str = ""
    summary: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    #: The learner's name and assessor when known, even if the portfolio failed.
    name: str = ""
    assessor: str = ""

    @property
    def failed(self) -> bool:
        return self.outcome == FAILED

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LearnerResult:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


def fix_for(kind: str, folder: str) -> str:
    """The plain-English fix for a kind of failure in one learner's folder."""
    return FIXES.get(kind, FIXES["internal"]).format(folder=folder)


def lost_worker(task: LearnerTask, exc: BaseException) -> LearnerResult:
    """The result for a learner whose worker stopped under it."""
    return LearnerResult(
        key=task.key,
        portfolio=task.portfolio,
        outcome=FAILED,
        kind="worker_lost",
        reason=f"the worker running this learner stopped: {type(exc).__name__}: {exc}",
        fix=fix_for("worker_lost", task.shown),
        fingerprint=task.fingerprint,
    )


def _failure(
    task: LearnerTask, kind: str, reason: str, started: float, **extra: Any
) -> LearnerResult:
    if "problems" in extra:
        extra["problems"] = [_relative(task, p) for p in extra["problems"]]
    if not extra.get("assessor") and not task.problem:
        name, extra["assessor"] = _who(task.portfolio)
        extra["name"] = extra.get("name") or name
    return LearnerResult(
        key=task.key,
        portfolio=task.portfolio,
        outcome=FAILED,
        kind=kind,
        reason=_relative(task, reason),
        fix=fix_for(kind, task.shown),
        seconds=round(time.monotonic() - started, 3),
        fingerprint=task.fingerprint,
        **extra,
    )


def _named(tree: Any, *keys: str) -> str:
    for key in keys:
        tree = tree.get(key) if isinstance(tree, dict) else None
    return tree.strip() if isinstance(tree, str) else ""


def _who(folder: str) -> tuple[str, str]:
    """The learner's and the assessor's names as ``portfolio.yaml`` gives them, if it can.

    A failed learner still belongs to an assessor's caseload: the dashboard counts them
    there, not under "Not known". A file broken further down (a trailing line half-typed)
    is read up to the line where the YAML breaks; nothing after it is guessed at.
    """
    root = Path(folder)
    path = root / PROFILE_FILE
    tree, problems = read_yaml(path, root)
    line = problems[0].line if problems else None
    if line and line > 1 and "YAML" in problems[0].message:
        try:  # read_yaml read it (no link, not too large): only its YAML is broken
            text = read_bytes(path, root, limit=MAX_YAML_BYTES).decode("utf-8", "replace")
        except (OSError, PortfolioError):
            return "", ""
        lines = text.splitlines(True)
        # The parser notices a break up to a few lines after it (an unclosed bracket at the
        # end of the file): step back line by line, a few at most, until the rest reads.
        for end in range(min(line, len(lines)) - 1, max(line - 6, 0), -1):
            tree, problems = parse_yaml("".join(lines[:end]), path)
            if not problems:
                break
    return _named(tree, "learner", "name"), _named(tree, "assessor", "name")


def _relative(task: LearnerTask, text: str) -> str:
    """``text`` with the learner's absolute folder written as the cohort-relative one."""
    if not task.display:
        return text
    return text.replace(task.portfolio, task.display)


@dataclass(frozen=True)
class _Unreadable:
    """Why a portfolio cannot be opened or is invalid (and the learner's name if known)."""

    kind: str
    reason: str
    problems: list[str]
    name: str = ""
    #: A fix that fits this case better than the kind's usual one (the library's hint).
    fix: str = ""


def _open_valid(task: LearnerTask) -> Portfolio | _Unreadable:
    """The opened, valid portfolio, or why it cannot be used."""
    try:
        standard = load_standard(task.standard) if task.standard else None
    except StandardError as exc:
        return _Unreadable("unit_invalid", f"the unit given with --standard is broken: {exc}", [])
    except PortfolioError as exc:
        return _Unreadable("unit_not_found", f"the unit given with --standard: {exc.message}", [])
    try:
        portfolio = open_portfolio(task.portfolio, standard, readonly=True)
    except StandardError as exc:
        problems = [str(p) for p in exc.problems]
        first = problems[0] if problems else str(exc)
        return _Unreadable("unit_invalid", f"its unit cannot be loaded: {first}", problems)
    except NotFoundError as exc:
        if UNIT_FILE in exc.message:  # the copy it records is gone
            why = f"its copy of its unit is missing: {exc.message}"
            return _Unreadable("unit_not_found", why, [], fix=exc.hint)
        if "unit standard" in exc.message:  # no copy, and no unit with its code here
            return _Unreadable("unit_not_found", f"its unit cannot be found: {exc.message}", [])
        return _Unreadable("invalid", f"the portfolio cannot be read: {exc.message}", [])
    except RecordError as exc:
        problems = [str(p) for p in exc.problems]
        first = problems[0] if problems else str(exc)
        if any(Path(p.path).name == UNIT_FILE for p in exc.problems):
            why = f"its copy of its unit cannot be used: {first}"
            return _Unreadable("unit_invalid", why, problems, fix=exc.hint)
        return _Unreadable("invalid", f"the portfolio cannot be read: {first}", problems)
    except PortfolioError as exc:
        return _Unreadable("invalid", f"the portfolio cannot be read: {exc.message}", [])
    problems = [str(p) for p in portfolio.validate()]
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return _Unreadable(
            "invalid",
            f"the portfolio is invalid: {problems[0]}{more}",
            problems,
            portfolio.profile.learner.name,
        )
    return portfolio


def _classify(exc: BaseException, time_limit: float) -> tuple[str, str]:
    """(kind, reason) for an exception raised while rendering one learner's report.

    The kinds are :func:`~cpc306_portfolio.execute.failures.classify_failure`'s, each with
    its fix in :data:`FIXES`.
    """
    return classify_failure(exc, time_limit)


#: Set in a local pool's worker once it is warmed up: learners are forked from it.
FORKING = False


def _engine(task: LearnerTask) -> Engine:
    """A fork of this warm worker where it can, else this worker's warm kernel."""
    if FORKING and forked.usable():
        return Forked(
            time_limit=task.time_limit, classify=lambda exc: _classify(exc, task.time_limit)
        )
    return WorkerKernel(
        socket_dir=Path(task.socket_dir),
        time_limit=task.time_limit,
        reuse=task.reuse,
        start_timeout=task.start_timeout,
    )


def _render(task: LearnerTask, portfolio: Portfolio) -> None:
    """Render one learner's report from the portfolio this worker opened and validated."""
    from ..render import render_portfolio

    render_portfolio(portfolio, task.html, engine=_engine(task), trust=task.trust or None)


def render_learner(task: LearnerTask) -> LearnerResult:
    """Validate, summarise and render one learner; every failure becomes a result."""
    started = time.monotonic()
    if task.problem:
        return _failure(task, "not_a_portfolio", task.problem, started)
    try:
        portfolio = _open_valid(task)
        if isinstance(portfolio, _Unreadable):
            why = portfolio
            result = _failure(
                task, why.kind, why.reason, started, problems=why.problems, name=why.name
            )
            if why.fix:
                result.fix = _relative(task, why.fix)
            return result
        summary = learner_summary(portfolio, task.trust or None, task.trust_fingerprint)
    except Exception as exc:
        kind, reason = _classify(exc, task.time_limit)
        return _failure(task, kind, reason, started)
    who = {"name": summary["name"], "assessor": summary["assessor"]}
    if task.render:
        try:
            _render(task, portfolio)
        except Exception as exc:
            kind, reason = _classify(exc, task.time_limit)
            return _failure(task, kind, reason, started, summary=summary, **who)
    return LearnerResult(
        key=task.key,
        portfolio=task.portfolio,
        outcome=RENDERED,
        seconds=round(time.monotonic() - started, 3),
        fingerprint=task.fingerprint,
        html=Path(task.html).name if task.render else "",
        rendered_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        summary=summary,
        **who,
    )
