"""The cohort batch: every learner's report rendered, then the dashboard.

:func:`run_batch` finds the portfolios in a cohort folder, skips learners whose files have
not changed since their last render, runs :func:`~.worker.render_learner` for the rest in
a ``spawn`` process pool (or on a Dask cluster), records every outcome in
``OUT/status.json`` and writes the cohort dashboard. A failing learner is recorded with its
reason and fix; the batch goes on. Nothing in any learner's folder is written.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import json
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..errors import UsageError
from ..files.atomic import atomic_write_text
from ..version import __version__
from .centre_view import centre_for
from .cluster import connect, lost_worker, run_on_cluster
from .folders import CohortEntry, Stamped, find_portfolios, fingerprint_with_stamps
from .progress import RichProgress
from .rows import DEFAULT_QUIET_DAYS
from .summary import trust_list
from .worker import (
    FAILED,
    RENDERED,
    SKIPPED,
    LearnerResult,
    LearnerTask,
    render_learner,
)

__all__ = ["BatchProgress", "BatchReport", "RichProgress", "read_status", "run_batch"]

STATUS_FILE = "status.json"
STATUS_FORMAT = "cpc306-batch-status/1"
FINGERPRINT_METHOD = "sha256 of every file in the portfolio folder"
DEFAULT_TIME_LIMIT = 300.0
#: Seconds between saves of status.json while a batch runs.
STATUS_EVERY = 5.0


class BatchProgress(Protocol):
    """What :func:`run_batch` reports as it goes (the CLI shows a progress bar)."""

    def start(self, total: int) -> None: ...

    def advance(self, result: LearnerResult) -> None: ...

    def finish(self) -> None: ...


@dataclass
class BatchReport:
    """The outcome of one batch run, in cohort order."""

    results: list[LearnerResult]
    output: Path
    status_path: Path
    dashboard_path: Path
    seconds: float
    events: list[dict[str, str]] = dataclasses.field(default_factory=list)

    @property
    def failed(self) -> list[LearnerResult]:
        return [r for r in self.results if r.failed]

    @property
    def rendered(self) -> list[LearnerResult]:
        return [r for r in self.results if r.outcome == RENDERED]

    @property
    def skipped(self) -> list[LearnerResult]:
        return [r for r in self.results if r.outcome == SKIPPED]

    @property
    def ok(self) -> bool:
        return not self.failed


def _version() -> str:
    return __version__


def read_status(output: Path, *, any_version: bool = False) -> dict[str, LearnerResult]:
    """The learners recorded by the last run in ``output`` (empty if none or unreadable).

    A status written by another toolkit version reads as empty (a new toolkit may render
    differently, so everyone is rendered again) unless ``any_version`` is set, as it is for
    the dashboard's "since the last run".
    """
    path = output / STATUS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != STATUS_FORMAT:
        return {}
    if data.get("toolkit") != _version() and not any_version:
        return {}
    learners = data.get("learners", {})
    out = {}
    for key, value in learners.items() if isinstance(learners, dict) else ():
        with contextlib.suppress(TypeError):
            out[key] = LearnerResult.from_dict(value)
    return out


def write_status(
    output: Path,
    cohort: Path,
    results: Iterable[LearnerResult],
    events: Iterable[dict[str, str]] = (),
) -> Path:
    """Write ``status.json`` atomically: every learner's outcome, reason, fix and timing.

    ``events`` are what happened to the run itself (a Dask worker lost, say).
    """
    results = list(results)
    data = {
        "format": STATUS_FORMAT,
        "toolkit": _version(),
        "cohort": str(cohort),
        "fingerprint": FINGERPRINT_METHOD,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "counts": {
            outcome: sum(1 for r in results if r.outcome == outcome)
            for outcome in (RENDERED, SKIPPED, FAILED)
        },
        "events": list(events),
        "learners": {r.key: r.as_dict() for r in results},
    }
    path = output / STATUS_FILE
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path


def _unchanged(
    fingerprint: str, before: LearnerResult | None, output: Path, trust_list: str = ""
) -> bool:
    # A page rendered against another list (or none) says other things about its sign-off.
    return (
        before is not None
        and before.outcome in (RENDERED, SKIPPED)
        and (before.summary or {}).get("trust_fingerprint", "") == trust_list
        and before.fingerprint == fingerprint
        and bool(before.html)
        and (output / before.html).is_file()
    )


#: The file stamps behind each learner's fingerprint, kept beside the status for the next
#: run (a cache only: a missing, old or unreadable one means every file is read again).
STAMPS_FILE = ".cpc306-fingerprints.json"


def read_stamps(output: Path) -> dict[str, dict[str, Stamped]]:
    """The stamps the last run of this toolkit version left in ``output`` (or none)."""
    try:
        data = json.loads((output / STAMPS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _version():
        return {}
    learners = data.get("learners")
    return learners if isinstance(learners, dict) else {}


def write_stamps(output: Path, stamps: dict[str, dict[str, Stamped]]) -> None:
    data = {"version": _version(), "learners": stamps}
    atomic_write_text(output / STAMPS_FILE, json.dumps(data, separators=(",", ":")) + "\n")


def _plan(
    entries: list[CohortEntry],
    output: Path,
    previous: dict[str, LearnerResult],
    task_options: dict[str, Any],
    stamps: dict[str, dict[str, Stamped]] | None = None,
) -> tuple[list[LearnerTask], list[LearnerResult]]:
    """Tasks for the learners to render, and results known already.

    Those are learners unchanged since their last render (skipped) and folders that are
    not readable portfolios at all (failed at once, without starting a worker).
    ``stamps`` (learner to file stamps) is read for unchanged files and updated.
    """
    stamps = {} if stamps is None else stamps
    tasks: list[LearnerTask] = []
    known: list[LearnerResult] = []
    for entry in entries:
        # Fixes name the folder as the trainer sees it, never the server's absolute path.
        shown = f"{entry.path.parent.name}/{entry.key}"
        fingerprint = ""
        if not entry.problem:
            remembered = stamps.get(entry.key)
            fingerprint, stamps[entry.key] = fingerprint_with_stamps(
                entry.path, remembered if isinstance(remembered, dict) else {}
            )
        before = previous.get(entry.key)
        if entry.problem:
            known.append(
                render_learner(
                    LearnerTask(
                        entry.key, str(entry.path), "", "", problem=entry.problem, display=shown
                    )
                )
            )
            continue
        if _unchanged(fingerprint, before, output, str(task_options.get("trust_fingerprint", ""))):
            assert before is not None
            known.append(
                dataclasses.replace(
                    before, outcome=SKIPPED, seconds=0.0, reason="unchanged since its last render"
                )
            )
            continue
        tasks.append(
            LearnerTask(
                key=entry.key,
                portfolio=str(entry.path),
                html=str(output / f"{entry.key}.html"),
                fingerprint=fingerprint,
                display=shown,
                **task_options,
            )
        )
    return tasks, known


def _init_worker() -> None:
    """Run once in each pool process: its warm kernels' clean-up at exit.

    Where learners can be forked from this process, it is also warmed up to fork them.
    """
    from ..execute import forked
    from ..execute.kernels import discard_all_kernels
    from ..render.warmup import warm_up
    from . import worker

    atexit.register(discard_all_kernels)
    if forked.usable():
        warm_up()
        worker.FORKING = forked.usable()  # still no thread after warming up


def _run_local(tasks: list[LearnerTask], workers: int) -> Iterator[LearnerResult]:
    # spawn, not fork: a forked child inherits zmq sockets and event loops it must not use.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker
    ) as pool:
        futures: dict[Future[LearnerResult], LearnerTask] = {
            pool.submit(render_learner, task): task for task in tasks
        }
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # BrokenProcessPool and friends
                yield lost_worker(futures[future], exc)


def run_batch(
    cohort: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    workers: int | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    scheduler: str | None = None,
    force: bool = False,
    reuse: int = 25,
    progress: BatchProgress | None = None,
    standard: str | None = None,
    render: bool = True,
    quiet_days: int = DEFAULT_QUIET_DAYS,
    iqa_rate: float = 0.10,
    iqa_seed: int | None = None,
    centre: str | os.PathLike[str] | None = None,
    trust: str | os.PathLike[str] | None = None,
) -> BatchReport:
    """Render every learner in ``cohort`` into ``output`` and write the cohort dashboard.

    ``workers`` defaults to one per core; ``time_limit`` is per learner, in seconds;
    ``scheduler`` is a Dask scheduler address (the local process pool when ``None``; the
    cluster's own workers then decide the parallelism, so ``workers`` with it is an
    error); ``force`` renders learners whose portfolio has not changed; ``reuse`` is how
    many learners one warm kernel serves before it is replaced; ``standard`` (a unit code
    or file) overrides the unit each portfolio names; ``render=False`` reads and
    summarises every learner but writes no portfolio HTML (the dashboard alone);
    ``quiet_days``, ``iqa_rate`` and ``iqa_seed`` go to the dashboard and its IQA sample;
    ``centre`` (default: ``centre/`` beside the cohort, if there is one) is the centre folder
    whose IQA plan, actions and countersigning the dashboard shows.
    ``trust`` is the centre's list: every page and summary is checked against it, so
    "signed" means valid, unchanged and by a listed key (without it, nothing is signed).

    Everything that can be checked is checked before the output folder is created: a
    scheduler that does not answer fails within seconds and writes nothing.

    The local pool spawns processes, so a script that calls this must guard its top level
    with ``if __name__ == "__main__":`` (each worker imports the main module again).
    """
    started = time.monotonic()
    cohort_path = Path(cohort).expanduser().resolve()
    out = Path(output).expanduser().resolve()
    entries = find_portfolios(cohort_path, exclude=out)
    if not entries:
        raise UsageError(
            f"{cohort_path}: no learner portfolios found",
            hint="a cohort folder holds one folder per learner, each with its portfolio.yaml",
        )
    inside = [e for e in entries if e.path == out or e.path in out.parents]
    if out == cohort_path or inside:
        raise UsageError(
            f"{out}: the output folder must not be the cohort or inside a learner's folder",
            hint="give another folder with -o, e.g. a sibling of the cohort",
        )
    if time_limit <= 0 or (workers is not None and workers < 1):
        raise UsageError("--timeout and --workers must be positive")
    if scheduler and workers is not None:
        raise UsageError(
            "--workers cannot be used with --scheduler",
            hint="the cluster's workers decide how many learners run at once: start more "
            "with `dask worker`, or leave out --scheduler to use --workers on this machine",
        )
    if not 0 < iqa_rate <= 1:
        raise UsageError("--iqa-rate must be above 0 and at most 1 (e.g. 0.1 for 10 %)")
    if quiet_days < 1:
        raise UsageError("--quiet-days must be at least 1")
    centre_folder = centre_for(cohort_path, centre)
    trust_path, trust_fingerprint = trust_list(trust)
    client = connect(scheduler) if scheduler else None
    try:
        out.mkdir(parents=True, exist_ok=True)
    except BaseException:
        if client is not None:
            client.close()
        raise
    socket_dir = Path(tempfile.mkdtemp(prefix="cpc306-ipc-"))
    options: dict[str, Any] = {
        "socket_dir": str(socket_dir),
        "time_limit": float(time_limit),
        "reuse": reuse,
        "standard": standard or "",
        "render": render,
        "trust": trust_path,
        "trust_fingerprint": trust_fingerprint,
    }
    last_run = read_status(out, any_version=True)
    previous = {} if force or not render else read_status(out)
    stamps = read_stamps(out)
    tasks, done = _plan(entries, out, previous, options, stamps)
    events: list[dict[str, str]] = []

    def note(event: dict[str, str]) -> None:
        events.append(event)
        if progress is not None and hasattr(progress, "note"):
            progress.note(event["message"])

    if progress:
        progress.start(len(entries))
        for result in done:
            progress.advance(result)
    try:
        if client is not None:
            runner = run_on_cluster(client, tasks, note) if tasks else iter(())
            if not tasks:
                client.close()
        else:
            runner = _run_local(tasks, min(workers or os.cpu_count() or 1, len(tasks) or 1))
        saved = time.monotonic()
        for result in runner if tasks else ():
            done.append(result)
            if progress:
                progress.advance(result)
            if time.monotonic() - saved > STATUS_EVERY:
                # An interrupted batch keeps what it finished: the next run skips it.
                finished = {r.key for r in done}
                pending = [r for k, r in previous.items() if k not in finished]
                write_status(out, cohort_path, [*done, *pending], events)
                saved = time.monotonic()
    finally:
        shutil.rmtree(socket_dir, ignore_errors=True)
        if progress:
            progress.finish()
    order = {e.key: i for i, e in enumerate(entries)}
    done.sort(key=lambda r: order.get(r.key, len(order)))
    status_path = write_status(out, cohort_path, done, events)
    write_stamps(out, {e.key: stamps[e.key] for e in entries if e.key in stamps})
    from .dashboard import write_dashboard

    dashboard_path = write_dashboard(
        out,
        done,
        previous=last_run if last_run else None,
        quiet_days=quiet_days,
        iqa_rate=iqa_rate,
        iqa_seed=iqa_seed,
        centre=centre_folder,
    )
    return BatchReport(done, out, status_path, dashboard_path, time.monotonic() - started, events)


def failure_lines(results: Iterable[LearnerResult]) -> list[str]:
    """One paragraph per failed learner: folder, reason and fix (for the CLI and logs)."""
    return [f"{r.key}: {r.reason}\n    fix: {r.fix}" for r in results if r.failed]
