"""Learners forked from a warm worker: each outcome of the child reaches the parent."""

from __future__ import annotations

import os
import pickle
import sys
import time

import pytest

from cpc306_portfolio.errors import PortfolioError, RenderError
from cpc306_portfolio.execute.forked import ForkedFailure, run_forked

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _classify(exc: BaseException) -> tuple[str, str]:
    return "notebook_error", f"{type(exc).__name__}: {exc}"


def test_work_done_in_the_child_is_seen_by_the_parent(tmp_path):
    target = tmp_path / "out.html"
    run_forked(lambda: target.write_text("page"), _classify, 30)
    assert target.read_text() == "page"


def test_nothing_the_child_changes_in_memory_reaches_the_parent():
    seen: list[str] = []
    run_forked(lambda: seen.append("child"), _classify, 30)
    assert seen == []


def test_an_error_in_the_child_comes_back_classified():
    def fail() -> None:
        raise ValueError("no such criterion Z9")

    with pytest.raises(ForkedFailure) as info:
        run_forked(fail, _classify, 30)
    assert info.value.kind == "notebook_error"
    assert info.value.reason == "ValueError: no such criterion Z9"


def test_a_failure_in_the_child_is_one_of_the_package_errors_and_pickles():
    with pytest.raises(ForkedFailure) as info:
        run_forked(lambda: os._exit(9), _classify, 30)
    assert isinstance(info.value, RenderError) and isinstance(info.value, PortfolioError)
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is ForkedFailure
    assert (again.kind, again.reason, again.hint) == (
        "kernel_died",
        info.value.reason,
        info.value.hint,
    )
    assert "exit code 9" in again.reason and again.hint


def test_a_child_that_exits_or_crashes_is_a_dead_kernel():
    with pytest.raises(ForkedFailure, match="exit code 9") as info:
        run_forked(lambda: os._exit(9), _classify, 30)
    assert info.value.kind == "kernel_died"
    with pytest.raises(ForkedFailure, match="signal 9"):
        run_forked(lambda: os.kill(os.getpid(), 9), _classify, 30)


def test_a_child_past_the_time_limit_is_killed():
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        run_forked(lambda: time.sleep(60), _classify, 1)
    assert time.monotonic() - started < 30


def test_the_parent_goes_on_after_a_failed_child(tmp_path):
    with pytest.raises(ForkedFailure):
        run_forked(lambda: sys.exit(5), _classify, 30)
    target = tmp_path / "next.html"
    run_forked(lambda: target.write_text("next learner"), _classify, 30)
    assert target.read_text() == "next learner"


def test_warming_up_renders_a_made_up_portfolio_and_leaves_nothing_behind(tmp_path, monkeypatch):
    # warm_up() itself also freezes the heap, which a worker wants and a test run does not;
    # its render is prime, run here in a child so this process is left as it was.
    import tempfile

    from cpc306_portfolio.render import warmup

    config = tmp_path / "config"
    config.mkdir()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("CPC306_CONFIG_DIR", str(config))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    run_forked(warmup.prime, _classify, 120)
    assert list(config.iterdir()) == []  # no keep-out key was made in the user's folder
    assert list(scratch.iterdir()) == []  # the made-up portfolio is gone
