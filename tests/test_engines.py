"""The engines render_portfolio takes: each failure of each engine is one classified failure."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import cpc306_portfolio.render as render
import cpc306_portfolio.render.data as render_data
from cpc306_portfolio.cohort import worker
from cpc306_portfolio.cohort.worker import LearnerTask
from cpc306_portfolio.errors import ForkedFailure, RenderError, UsageError
from cpc306_portfolio.execute import forked, kernels
from cpc306_portfolio.execute.engines import (
    Forked,
    FreshKernel,
    InProcess,
    WorkerKernel,
    renumber,
)
from cpc306_portfolio.execute.failures import classify_failure
from cpc306_portfolio.render import render_portfolio

from .cohorts import TOO_SLOW, add_learner, misbehaving_kernels

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@pytest.fixture
def may_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork from this test process even if an idle thread of another test lives on in it.

    A batch worker is a fresh spawned process that may fork; this one may hold threads
    other tests left behind (Dask's offload thread outlives its cluster). None runs now.
    """
    monkeypatch.setattr(forked, "usable", lambda: hasattr(os, "fork"))


@pytest.fixture
def report_does(monkeypatch: pytest.MonkeyPatch):
    """Make the report's first call into the package do something else.

    The in-process shell and a forked child share this process's modules, so the notebook's
    ``from cpc306_portfolio.render import load_report`` finds the replacement, and so does
    the direct path a forked child takes (``render.data.load_report``).
    """

    def replace(action) -> None:
        monkeypatch.setattr(render, "load_report", lambda *args, **kwargs: action())
        monkeypatch.setattr(render_data, "load_report", lambda *args, **kwargs: action())

    return replace


@needs_fork
def test_a_notebook_that_fails_in_a_forked_child_is_a_notebook_error(
    sample_copy, tmp_path, may_fork, report_does
):
    def fail() -> None:
        raise LookupError("no such criterion Z9")

    report_does(fail)
    out = tmp_path / "page.html"
    with pytest.raises(ForkedFailure) as info:
        render_portfolio(sample_copy, out, engine=Forked(60))
    assert info.value.kind == "notebook_error"
    assert "(no such criterion Z9)" in info.value.reason
    assert "LookupError" not in info.value.reason
    assert isinstance(info.value, RenderError)
    assert not out.exists()


@needs_fork
def test_a_forked_child_that_dies_is_a_dead_kernel_and_the_parent_goes_on(
    sample_copy, tmp_path, may_fork, report_does, monkeypatch
):
    report_does(lambda: os._exit(9))
    with pytest.raises(ForkedFailure, match="exit code 9") as info:
        render_portfolio(sample_copy, tmp_path / "dead.html", engine=Forked(60))
    assert info.value.kind == "kernel_died" and info.value.hint
    monkeypatch.undo()  # the real report again, for the next learner
    monkeypatch.setattr(forked, "usable", lambda: hasattr(os, "fork"))
    page = render_portfolio(sample_copy, tmp_path / "next.html", engine=Forked(60))
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@needs_fork
def test_a_forked_child_past_its_time_limit_is_stopped(
    sample_copy, tmp_path, may_fork, report_does
):
    report_does(lambda: time.sleep(60))
    started = time.monotonic()
    # The child's own cell limit and the parent's kill are both the time limit: either may
    # stop it first, and either is a timeout.
    with pytest.raises((TimeoutError, ForkedFailure)) as info:
        render_portfolio(sample_copy, tmp_path / "slow.html", engine=Forked(time_limit=3))
    assert time.monotonic() - started < 30
    kind, reason = classify_failure(info.value, 3)
    assert kind == "timeout" and "3 s" in reason


def test_the_forked_engine_refuses_a_process_it_cannot_fork(sample_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(forked, "usable", lambda: False)
    with pytest.raises(RenderError, match="cannot fork") as info:
        render_portfolio(sample_copy, tmp_path / "page.html", engine=Forked(60))
    assert "InProcess()" in info.value.hint
    assert not (tmp_path / "page.html").exists()


def test_engine_name_is_refused_with_the_engines_to_choose_from(sample_copy, tmp_path):
    with pytest.raises(UsageError, match="engine=") as info:
        render_portfolio(sample_copy, tmp_path / "page.html", engine_name="nbclient")
    assert "FreshKernel()" in info.value.hint


def test_the_batch_forks_from_a_warm_worker_and_else_uses_its_warm_kernel(monkeypatch, tmp_path):
    task = LearnerTask("a", "/x/a", "/out/a.html", str(tmp_path), time_limit=42, reuse=7)
    monkeypatch.setattr(forked, "usable", lambda: True)
    monkeypatch.setattr(worker, "FORKING", True)
    engine = worker._engine(task)
    assert isinstance(engine, Forked) and engine.time_limit == 42
    assert engine.classify is not None
    assert engine.classify(TimeoutError())[0] == "timeout"
    monkeypatch.setattr(forked, "usable", lambda: False)  # a thread appeared: no forking
    assert worker._engine(task) == WorkerKernel(
        socket_dir=tmp_path, time_limit=42, reuse=7, start_timeout=60.0
    )
    monkeypatch.setattr(worker, "FORKING", False)
    assert isinstance(worker._engine(task), WorkerKernel)


def test_only_engines_in_this_process_share_its_memory():
    assert InProcess().shares_memory and Forked().shares_memory
    assert not FreshKernel().shares_memory and not WorkerKernel(Path("/tmp")).shares_memory


def test_choosing_an_engine_imports_nothing_heavy():
    code = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from cpc306_portfolio.execute.engines import Forked, FreshKernel, WorkerKernel
        Forked(10), FreshKernel(), WorkerKernel(Path("/tmp"))
        print(sorted(m for m in ("papermill", "nbclient", "IPython", "jupyter_client")
                     if m in sys.modules))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_warm_kernels_counts_are_numbered_as_a_fresh_kernels():
    nb: nbformat.NotebookNode = new_notebook(
        cells=[
            new_markdown_cell("# Title"),
            new_code_cell("x = 1", execution_count=41),
            new_code_cell("", execution_count=None),  # not run: no count
            new_code_cell("x", execution_count=42),
        ]
    )
    nb.cells[3].outputs = [
        nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=42)
    ]
    renumber(nb)
    assert [c.get("execution_count") for c in nb.cells] == [None, 1, None, 2]
    assert nb.cells[3].outputs[0]["execution_count"] == 2


@pytest.mark.kernel
def test_the_warm_kernel_past_its_time_limit_is_killed_and_the_next_learner_gets_a_new_one(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("IPYTHONDIR", str(misbehaving_kernels(tmp_path)))
    cohort = tmp_path / "cohort"
    slow = add_learner(cohort, TOO_SLOW, name="Tom Slow")
    good = add_learner(cohort, "good", name="Gail Good", drop=12)
    engine = WorkerKernel(socket_dir=tmp_path / "ipc", time_limit=15, reuse=5)
    try:
        started = time.monotonic()
        # The cell's limit (nbclient) and the watchdog's kill are both the time limit:
        # either may stop it first, and either is a timeout.
        with pytest.raises((TimeoutError, RenderError)) as info:
            render_portfolio(slow, tmp_path / "slow.html", engine=engine)
        assert time.monotonic() - started < 90
        assert classify_failure(info.value, 15)[0] == "timeout"
        page = render_portfolio(good, tmp_path / "good.html", engine=engine)
        assert "Gail Good" in page.read_text(encoding="utf-8")
        kernel = kernels.warm_kernel(tmp_path / "ipc", 5, 60.0)
        # The stopped kernel was replaced, not reused: this one has served one learner.
        assert kernel.starts >= 2 and kernel.served == 1
    finally:
        kernels.discard_all_kernels()
    assert not list((tmp_path / "ipc").glob("k*.json"))
