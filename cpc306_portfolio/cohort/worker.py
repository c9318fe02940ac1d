"""One learner of a cohort batch: the task a worker runs, and what it hands back.

:func:`render_learner` is the one task function the local process pool and a Dask cluster
both run. It never raises: every failure comes back as a :class:`LearnerResult` with the
reason and a plain-English fix, so one broken learner never stops the others. The report
itself is rendered by ``render.render_portfolio`` from the portfolio the worker opened and
validated, on a fork of the warm worker or on its warm kernel (``execute.engines``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..assessor.verification_memo import verified_once
from ..errors import NotFoundError, PortfolioError, RecordError, StandardError
from ..execute import forked
from ..execute.engines import Engine, Forked, WorkerKernel
from ..execute.failures import classify_failure
from ..files.regular import read_bytes
from ..files.yamlio import MAX_YAML_BYTES, parse_yaml, read_yaml
from ..portfolio.layout import PROFILE_FILE, UNIT_FILE
from ..portfolio.store import Portfolio, open_portfolio
from ..standard import load_standard
from .learner import (
    FAILED,
    FIXES,
    RENDERED,
    SKIPPED,
    LearnerResult,
    LearnerTask,
    fix_for,
    lost_worker,
)
from .summary import learner_summary

__all__ = [
    "FAILED",
    "FIXES",
    "RENDERED",
    "SKIPPED",
    "LearnerResult",
    "LearnerTask",
    "fix_for",
    "learner_summary",
    "lost_worker",
    "render_learner",
]


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
    """Validate, summarise and render one learner; every failure becomes a result.

    The learner's declaration and sign-off are verified once, for the summary, and the
    page shows that verification (:func:`~cpc306_portfolio.assessor.verification.verified_once`).
    """
    with verified_once():
        return _render_learner(task)


def _render_learner(task: LearnerTask) -> LearnerResult:
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
