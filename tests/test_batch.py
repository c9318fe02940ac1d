from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from cpc306_portfolio.cli import EXIT_CODES
from cpc306_portfolio.cohort import batch as batch_module
from cpc306_portfolio.cohort import cluster
from cpc306_portfolio.cohort.batch import BatchReport, read_status, run_batch, write_status
from cpc306_portfolio.cohort.folders import find_portfolios, fingerprint_folder
from cpc306_portfolio.cohort.worker import (
    FAILED,
    RENDERED,
    SKIPPED,
    LearnerResult,
    LearnerTask,
    _classify,
    render_learner,
)
from cpc306_portfolio.errors import BatchError, NotFoundError, RenderError, UsageError
from cpc306_portfolio.execute import kernels
from cpc306_portfolio.execute.engines import FreshKernel

from .cohorts import (
    KERNEL_DIES,
    NOTEBOOK_FAILS,
    TOO_SLOW,
    add_broken_yaml,
    add_learner,
    misbehaving_kernels,
    misbehaving_workers,
    require_distributed,
)
from .conftest import run_cli, snapshot


def _snapshots(cohort: Path) -> dict[str, dict[str, bytes]]:
    return {p.name: snapshot(p) for p in sorted(cohort.iterdir())}


# Finding the learners ---------------------------------------------------------------


def test_find_portfolios_reports_folders_that_look_broken(tmp_path):
    cohort = tmp_path / "cohort"
    add_learner(cohort, "b-learner")
    add_learner(cohort, "a-learner")
    (cohort / "no-profile" / "evidence").mkdir(parents=True)
    (cohort / "notes").mkdir()
    (cohort / ".hidden").mkdir()
    (cohort / "out").mkdir()
    (cohort / "readme.txt").write_text("hello")
    entries = find_portfolios(cohort, exclude=cohort / "out")
    assert [(e.key, bool(e.problem)) for e in entries] == [
        ("a-learner", False),
        ("b-learner", False),
        ("no-profile", True),
    ]
    assert "portfolio.yaml" in entries[2].problem


def test_a_single_portfolio_is_not_a_cohort(tmp_path):
    learner = add_learner(tmp_path, "only")
    with pytest.raises(UsageError, match="not a cohort"):
        find_portfolios(learner)
    with pytest.raises(NotFoundError):
        find_portfolios(tmp_path / "missing")


def test_fingerprint_changes_with_any_file_but_not_the_lock(tmp_path):
    learner = add_learner(tmp_path, "one")
    before = fingerprint_folder(learner)
    (learner / ".cpc306.lock").write_text("")
    assert fingerprint_folder(learner) == before
    record = learner / "evidence" / "E001.yaml"
    record.write_text(record.read_text() + "\n")
    assert fingerprint_folder(learner) != before


# One learner, without a kernel --------------------------------------------------------


def test_an_invalid_portfolio_fails_with_reason_and_fix(tmp_path):
    broken = add_broken_yaml(tmp_path)
    task = LearnerTask("broken-yaml", str(broken), str(tmp_path / "x.html"), str(tmp_path))
    result = render_learner(task)
    assert result.outcome == FAILED and result.kind == "invalid"
    assert "portfolio.yaml" in result.reason and "YAML" in result.reason
    assert "cpc306 validate" in result.fix
    assert not (tmp_path / "x.html").exists()


def test_a_folder_that_is_not_a_portfolio_fails_at_once(tmp_path):
    task = LearnerTask("x", str(tmp_path), "", "", problem="x has evidence but no portfolio.yaml")
    result = render_learner(task)
    assert result.kind == "not_a_portfolio" and "cpc306 init" in result.fix


def test_errors_from_the_report_are_classified():
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    def wrapped(cause: BaseException) -> RenderError:
        try:
            raise RenderError("report failed") from cause
        except RenderError as exc:
            return exc

    raised = PapermillExecutionError(3, 7, "ValueError", "ValueError", "bad value", [])
    assert _classify(wrapped(raised), 60) == (
        "notebook_error",
        "the report could not be built: a fault in the toolkit at cell 4 (bad value)",
    )
    assert _classify(wrapped(DeadKernelError("gone")), 60)[0] == "kernel_died"
    assert _classify(wrapped(CellTimeoutError("slow")), 60)[0] == "timeout"
    assert _classify(TimeoutError("watchdog"), 60)[0] == "timeout"
    assert _classify(kernels.KernelStartError("no"), 60)[0] == "kernel_start"
    assert _classify(KeyError("x"), 60) == ("internal", "KeyError: 'x'")


class _FakeManager:
    def __init__(self, fail: bool) -> None:
        self.fail = fail
        self.connection_file = "/nonexistent/k.json"

    async def start_kernel(self, **kwargs):
        if self.fail:
            raise RuntimeError("port in use")

    async def is_alive(self):
        return not self.fail

    async def shutdown_kernel(self, now=False):
        return None

    def cleanup_resources(self):
        return None


def test_a_kernel_that_fails_to_start_is_retried_once(tmp_path, monkeypatch):
    plan = iter([True, False])
    monkeypatch.setattr(
        kernels.WarmKernel, "_new_manager", lambda self, n: _FakeManager(next(plan))
    )
    monkeypatch.setattr(kernels.WarmKernel, "_run_code", lambda self, km, code: None)
    warm = kernels.WarmKernel(tmp_path)
    km = warm.manager("python3")
    assert warm.starts == 2 and not km.fail
    assert asyncio.run(km.is_alive())


def test_a_kernel_that_fails_to_start_twice_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(kernels.WarmKernel, "_new_manager", lambda self, n: _FakeManager(True))
    warm = kernels.WarmKernel(tmp_path)
    with pytest.raises(kernels.KernelStartError, match="did not start twice"):
        warm.manager("python3")
    assert warm.starts == 2


# Skipping unchanged learners ---------------------------------------------------------


def test_unchanged_learners_are_planned_as_skipped(tmp_path):
    cohort, out = tmp_path / "cohort", tmp_path / "out"
    same, changed = add_learner(cohort, "same"), add_learner(cohort, "changed")
    out.mkdir()
    previous = []
    for folder in (same, changed):
        (out / f"{folder.name}.html").write_text("<html></html>")
        previous.append(
            LearnerResult(
                folder.name,
                str(folder),
                RENDERED,
                fingerprint=fingerprint_folder(folder),
                html=f"{folder.name}.html",
                summary={"name": folder.name},
            )
        )
    write_status(out, cohort, previous)
    (changed / "evidence" / "E002.yaml").unlink()
    entries = find_portfolios(cohort)
    tasks, known = batch_module._plan(entries, out, read_status(out), {"socket_dir": str(tmp_path)})
    assert [t.key for t in tasks] == ["changed"]
    assert [(r.key, r.outcome, r.summary) for r in known] == [("same", SKIPPED, {"name": "same"})]
    tasks, known = batch_module._plan(entries, out, {}, {"socket_dir": str(tmp_path)})
    assert sorted(t.key for t in tasks) == ["changed", "same"] and not known


def test_a_status_file_from_another_toolkit_version_is_ignored(tmp_path):
    write_status(tmp_path, tmp_path, [LearnerResult("a", "a", RENDERED, html="a.html")])
    assert set(read_status(tmp_path)) == {"a"}
    data = json.loads((tmp_path / "status.json").read_text())
    data["toolkit"] = "0.0.0"
    (tmp_path / "status.json").write_text(json.dumps(data))
    assert read_status(tmp_path) == {}


def test_output_inside_a_learner_folder_is_refused(tmp_path):
    learner = add_learner(tmp_path / "cohort", "one")
    with pytest.raises(UsageError, match="inside a learner"):
        run_batch(tmp_path / "cohort", learner / "out")


# The command --------------------------------------------------------------------------


def _report(tmp_path: Path, *results: LearnerResult) -> BatchReport:
    return BatchReport(
        list(results), tmp_path, tmp_path / "status.json", tmp_path / "index.html", 1.5
    )


def test_cli_batch_passes_its_options_and_exits_with_the_failures(tmp_path, monkeypatch):
    calls = []
    bad = LearnerResult("zed", "/c/zed", FAILED, kind="invalid", reason="bad YAML", fix="fix it")
    good = LearnerResult("amy", "/c/amy", RENDERED, html="amy.html")

    def fake_run_batch(cohort, output, **kwargs):
        calls.append((cohort, output, kwargs))
        return _report(tmp_path, good, bad)

    monkeypatch.setattr(batch_module, "run_batch", fake_run_batch)
    argv = ["--standard", "unit.yaml", "batch", "COHORT", "-o", "OUT", "--workers", "3"]
    argv += ["--timeout", "42", "--force", "--quiet-days", "14", "--iqa-rate", "25"]
    argv += ["--iqa-seed", "99"]
    out = run_cli(*argv, code=BatchError.exit_code)
    assert BatchError.exit_code == 8
    assert 8 in EXIT_CODES
    (cohort, output, kwargs) = calls[0]
    assert (cohort, output) == ("COHORT", "OUT")
    assert kwargs["workers"] == 3 and kwargs["time_limit"] == 42 and kwargs["force"] is True
    assert kwargs["scheduler"] is None and kwargs["standard"] == "unit.yaml"
    assert kwargs["quiet_days"] == 14 and kwargs["iqa_rate"] == 0.25 and kwargs["iqa_seed"] == 99
    assert kwargs["render"] is True
    assert "1 rendered, 0 unchanged, 1 failed" in out
    assert "zed: bad YAML" in out and "fix: fix it" in out


def test_cli_batch_exits_0_when_every_learner_succeeds(tmp_path, monkeypatch):
    good = LearnerResult("amy", "/c/amy", RENDERED, html="amy.html")
    calls = []

    def fake_run_batch(cohort, output, **kwargs):
        calls.append(kwargs)
        return _report(tmp_path, good)

    monkeypatch.setattr(batch_module, "run_batch", fake_run_batch)
    run_cli("batch", "C", "-o", "O", "--scheduler", "tcp://h:8786")
    assert calls[0]["scheduler"] == "tcp://h:8786" and calls[0]["workers"] is None


def test_workers_beside_a_scheduler_is_an_error_before_anything_is_written(tmp_path):
    add_learner(tmp_path / "cohort", "amy")
    with pytest.raises(UsageError, match="--workers cannot be used with --scheduler"):
        run_batch(tmp_path / "cohort", tmp_path / "out", workers=2, scheduler="tcp://h:1")
    assert not (tmp_path / "out").exists()


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_fails_fast_and_writes_nothing(tmp_path):
    require_distributed()
    add_learner(tmp_path / "cohort", "amy")
    out = tmp_path / "out"
    address = f"tcp://127.0.0.1:{_unused_port()}"
    cpc306 = [sys.executable, "-m", "cpc306_portfolio.cli"]
    started = time.monotonic()
    # The bound is the behaviour asked for (an answer within 10 s), not a benchmark.
    done = subprocess.run(
        [*cpc306, "batch", str(tmp_path / "cohort"), "-o", str(out), "--scheduler", address],
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert time.monotonic() - started < 10
    assert done.returncode == UsageError.exit_code, done.stderr
    assert f"cannot reach the Dask scheduler at {address}" in done.stderr
    assert "left" not in done.stderr  # no progress bar was drawn
    assert not out.exists()


def test_a_lost_worker_is_noticed_once():
    workers = iter([{"tcp://a", "tcp://b"}, {"tcp://a", "tcp://b", "tcp://c"}, {"tcp://c"}])
    watch = cluster.WorkerWatch(lambda: next(workers))
    assert watch.check() == []
    assert watch.check() == ["tcp://a", "tcp://b"]
    assert watch.lost == ["tcp://a", "tcp://b"]


def test_fixes_name_the_folder_relative_to_the_cohort(tmp_path):
    cohort = tmp_path / "cohort-2026"
    add_broken_yaml(cohort)
    tasks, _ = batch_module._plan(find_portfolios(cohort), tmp_path, {}, {"socket_dir": ""})
    (task,) = tasks
    result = render_learner(task)
    assert "cpc306 validate cohort-2026/broken-yaml" in result.fix
    assert str(tmp_path) not in result.fix and str(tmp_path) not in result.reason
    assert all(str(tmp_path) not in p for p in result.problems)


# Whole batches with kernels ---------------------------------------------------------


@pytest.fixture
def misbehaving(tmp_path, monkeypatch):
    # On warm kernels and in the workers' forked children alike.
    monkeypatch.setenv("IPYTHONDIR", str(misbehaving_kernels(tmp_path)))
    site = str(misbehaving_workers(tmp_path))
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [site, os.environ.get("PYTHONPATH")]))
    )


@pytest.mark.kernel
def test_batch_renders_the_good_records_the_bad_and_changes_no_learner(
    tmp_path, misbehaving, monkeypatch
):
    cohort, out = tmp_path / "cohort", tmp_path / "out"
    # This run's kernel sockets in a folder of its own: other runs on the machine share /tmp.
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    add_learner(cohort, "amy", name="Amy Able", assessor="Priya Castellan")
    add_learner(cohort, "ben", name="Ben Bold", assessor="Sam Second", drop=10)
    add_learner(cohort, "cat", name="Cat Cole", assessor="Priya Castellan", drop=4)
    add_learner(cohort, "dan", name="Dan Dee", assessor="Sam Second", drop=2)
    add_broken_yaml(cohort)
    add_learner(cohort, NOTEBOOK_FAILS, name="Nora Notebook")
    add_learner(cohort, KERNEL_DIES, name="Kim Kernel")
    before = _snapshots(cohort)

    report = run_batch(cohort, out, workers=2, time_limit=120)

    assert sorted(r.key for r in report.rendered) == ["amy", "ben", "cat", "dan"]
    kinds = {r.key: r.kind for r in report.failed}
    assert kinds == {
        "broken-yaml": "invalid",
        NOTEBOOK_FAILS: "notebook_error",
        KERNEL_DIES: "kernel_died",
    }
    for key in ("amy", "ben", "cat", "dan"):
        html = (out / f"{key}.html").read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in html
    assert not (out / "broken-yaml.html").exists()
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    learners = status["learners"]
    assert status["counts"] == {"rendered": 4, "skipped": 0, "failed": 3}
    assert "forced failure for the test" in learners[NOTEBOOK_FAILS]["reason"]
    for key in ("broken-yaml", NOTEBOOK_FAILS, KERNEL_DIES):
        assert learners[key]["reason"] and learners[key]["fix"]
    assert learners["amy"]["html"] == "amy.html" and learners["amy"]["seconds"] > 0
    assert len(learners["amy"]["fingerprint"]) == 64
    page = (out / "index.html").read_text(encoding="utf-8")
    for key in ("broken-yaml", NOTEBOOK_FAILS, KERNEL_DIES):
        assert key in page
    assert _snapshots(cohort) == before
    assert not list((tmp_path / "tmp").glob("cpc306-ipc-*/k*.json"))

    # Second run: unchanged learners are skipped; a changed one is rendered again.
    (cohort / "dan" / "evidence" / "E001.yaml").unlink()
    # Its attachments go with it: a folder with no record is an orphan validate reports.
    shutil.rmtree(cohort / "dan" / "evidence" / "E001", ignore_errors=True)
    amy_written = (out / "amy.html").stat().st_mtime_ns
    again = run_batch(cohort, out, workers=1, time_limit=120)
    outcomes = {r.key: r.outcome for r in again.results}
    assert outcomes["amy"] == outcomes["ben"] == outcomes["cat"] == SKIPPED
    assert outcomes["dan"] == RENDERED
    assert len(again.failed) == 3
    assert (out / "amy.html").stat().st_mtime_ns == amy_written
    assert "amy" in (out / "cohort.csv").read_text(encoding="utf-8")


@pytest.mark.kernel
def test_a_learner_past_the_time_limit_is_stopped(tmp_path, misbehaving):
    cohort = tmp_path / "cohort"
    add_learner(cohort, TOO_SLOW, name="Tom Slow")
    report = run_batch(cohort, tmp_path / "out", workers=1, time_limit=10)
    (result,) = report.results
    assert result.kind == "timeout", result.reason
    assert "10 s" in result.reason and "--timeout" in result.fix
    assert result.seconds < 90


@pytest.mark.kernel
def test_batch_runs_on_a_dask_cluster(tmp_path):
    distributed = require_distributed()
    cohort, out = tmp_path / "cohort", tmp_path / "out"
    add_learner(cohort, "amy", name="Amy Able")
    add_learner(cohort, "ben", name="Ben Bold", drop=5)
    add_broken_yaml(cohort)
    before = _snapshots(cohort)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        report = run_batch(cohort, out, scheduler=cluster.scheduler_address, time_limit=120)
    assert sorted(r.key for r in report.rendered) == ["amy", "ben"]
    assert report.events == []
    assert [r.kind for r in report.failed] == ["invalid"]
    assert (out / "amy.html").is_file() and (out / "index.html").is_file()
    assert _snapshots(cohort) == before


@pytest.mark.kernel
def test_a_warm_kernel_renders_exactly_what_a_fresh_one_does(tmp_path):
    from cpc306_portfolio.render import render_portfolio

    cohort, out = tmp_path / "cohort", tmp_path / "out"
    add_learner(cohort, "a-first", name="Ann First", drop=3)
    second = add_learner(cohort, "b-second", name="Bea Second", drop=8)
    report = run_batch(cohort, out, workers=1, time_limit=120)
    assert len(report.rendered) == 2
    fresh_kernel = render_portfolio(second, tmp_path / "fresh.html", engine=FreshKernel())
    fresh = fresh_kernel.read_text(encoding="utf-8")
    warm = (out / "b-second.html").read_text(encoding="utf-8")
    stamp = re.compile(r"\d{1,2} \w+ \d{4} at \d{2}:\d{2} UTC")  # when each was rendered
    assert stamp.sub("", warm) == stamp.sub("", fresh)
    assert "Ann First" not in warm
    assert "Warm-up" not in warm  # the made-up portfolio the worker warmed up on


class _KillOneWorker:
    """A progress sink that kills one of the cluster's worker processes mid-run."""

    def __init__(self, cluster) -> None:
        self.cluster = cluster
        self.notes: list[str] = []
        self.seen = 0

    def start(self, total: int) -> None:
        pass

    def advance(self, result: LearnerResult) -> None:
        self.seen += 1
        if self.seen == 2:
            import os
            import signal

            nanny = next(iter(self.cluster.workers.values()))
            os.kill(nanny.process.process.pid, signal.SIGKILL)

    def note(self, message: str) -> None:
        self.notes.append(message)

    def finish(self) -> None:
        pass


@pytest.mark.kernel  # no kernel, but a cluster of processes: as slow, so kept out of quick runs
def test_a_worker_lost_on_the_cluster_is_reported_and_no_learner_is_lost(tmp_path):
    distributed = require_distributed()
    cohort = tmp_path / "cohort"
    for i in range(24):
        add_learner(cohort, f"l{i:02d}", name=f"Learner {i}", drop=i % 10)
    out = tmp_path / "out"
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        progress = _KillOneWorker(cluster)
        report = run_batch(
            cohort, out, scheduler=cluster.scheduler_address, render=False, progress=progress
        )
    assert sorted(r.key for r in report.results) == [f"l{i:02d}" for i in range(24)]
    assert not report.failed, [r.reason for r in report.failed]
    (event,) = report.events
    assert event["event"] == "worker_lost" and event["worker"].startswith("tcp://")
    assert progress.notes == [event["message"]]
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    assert status["events"] == [event]
