"""One learner's task and result: plain data, light to import.

A Dask worker unpickles every :class:`LearnerTask` it is given and pickles every
:class:`LearnerResult` back, so these live apart from :mod:`.worker` (which imports the
portfolio, the unit and the render): a worker that only hands learners to its warm render
processes (:mod:`.dask_plugin`) never pays for those imports.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

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
