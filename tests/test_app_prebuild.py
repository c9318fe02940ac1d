"""Issue 28 (speed): pre-heated pages built ahead, shown at once unless stale; a bounded few."""

from __future__ import annotations

import asyncio
import shutil

import ipywidgets as w
import pytest
from ipywidgets.widgets.widget import _instances

from cpc306_portfolio.notebooks.pages import criterion_page
from cpc306_portfolio.notebooks.prebuild import snapshot, when_opened
from cpc306_portfolio.notebooks.preheat_order import (
    POOL_KERNELS,
    PREHEAT_KERNELS,
    pool_depths,
    wanted,
)

from .conftest import SAMPLE


def ready(kid: str) -> asyncio.Future[dict[str, str]]:
    """A pre-heated kernel's pool entry that has started (in the running event loop)."""
    done: asyncio.Future[dict[str, str]] = asyncio.get_running_loop().create_future()
    done.set_result({"kernel_id": kid})
    return done


PAGES = ["s", "A1", "A2", "A3", "A4", "B1", "B2", "export", "plan"]


@pytest.fixture
def folio(tmp_path):
    target = tmp_path / "folio"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("exports"))
    yield target
    w.Widget.close_all()


def test_outside_a_preheated_kernel_the_page_is_built_once_and_nothing_waits(folio, monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    calls: list[str] = []
    page = when_opened(lambda p: calls.append(p) or p, str(folio), wait=lambda: calls.append("w"))
    assert page == str(folio) and calls == [str(folio)]


def test_a_preheated_page_is_built_before_the_wait_and_shown_as_built(folio, monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    order: list[str] = []

    def build(path: str, criterion: str) -> w.Widget:
        order.append("build")
        return criterion_page(path, "", criterion)

    page = when_opened(build, str(folio), "A2", wait=lambda: order.append("wait"))
    assert order == ["build", "wait"]
    assert page.comm is not None  # the very widgets built ahead are the ones shown


def test_a_page_built_ahead_is_built_again_when_the_portfolio_changed(folio, monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    built: list[w.Widget] = []

    def build(path: str, criterion: str) -> w.Widget:
        built.append(criterion_page(path, "", criterion))
        return built[-1]

    def save_elsewhere() -> None:  # another page saves while this one waits
        title = folio / "evidence" / "E001.yaml"
        title.write_text(title.read_text(encoding="utf-8") + "\n", encoding="utf-8")

    page = when_opened(build, str(folio), "A2", wait=save_elsewhere)
    assert len(built) == 2 and page is built[1]
    assert page.comm is not None and page.model_id in _instances


def test_building_a_page_changes_nothing_in_the_folder_it_watches(folio):
    before = snapshot(folio)
    criterion_page(str(folio), "", "A2")
    assert snapshot(folio) == before
    (folio / "evidence" / "E001.yaml").touch()
    assert snapshot(folio) != before


def test_a_page_that_fails_ahead_is_built_again_once_opened(folio, monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    tries: list[int] = []

    def build(path: str) -> str:
        tries.append(1)
        if len(tries) == 1:
            raise OSError("the disk was busy")
        return "page"

    assert when_opened(build, str(folio), wait=lambda: None) == "page"
    assert len(tries) == 2


def test_preheating_is_bounded_and_follows_the_learner():
    assert PREHEAT_KERNELS * 140 < 1024  # MiB: pre-heated kernels stay under 1 GiB in all
    near_a2 = wanted(PAGES, "s", "A2")
    assert near_a2 == ["s", "A3", "A2", "A1", "A4", "B1"]
    assert len(wanted(PAGES, "s", "s", budget=3)) == 3
    assert wanted(PAGES, "s", "plan")[:3] == ["s", "plan", "export"]
    assert wanted(PAGES, "s", "not a page") == PAGES[:PREHEAT_KERNELS]
    assert wanted(PAGES, "s", "A2", budget=0) == []
    # Pages visited lately stay warm ahead of those merely after the one open now.
    assert wanted(PAGES, "s", "A2", recent=["A2", "plan", "export"]) == [
        "s",
        "A3",
        "A2",
        "A1",
        "plan",
        "export",
    ]


def test_the_page_open_start_here_and_the_next_pages_keep_spares_within_the_budget():
    """A reload, a return or the next page finds a ready kernel while Voilà starts the next
    (issue 28): the page open keeps three, Start here and the two pages after it two."""
    assert POOL_KERNELS * 62 < 1024  # MiB once settled (bench/app.py): under 1 GiB in all
    depth = pool_depths(wanted(PAGES, "s", "A2"), "s", "A2", pages=PAGES)
    assert depth == {"s": 2, "A3": 2, "A2": 3, "A1": 1, "A4": 2}
    assert sum(depth.values()) == POOL_KERNELS
    at_home = pool_depths(wanted(PAGES, "s", "s"), "s", "s", pages=PAGES)
    assert at_home == {"s": 3, "A1": 2, "plan": 1, "A2": 2, "A3": 1, "A4": 1}
    assert sum(at_home.values()) == POOL_KERNELS
    # Without the unit's order only the page open and Start here keep spares.
    assert pool_depths(["s", "A3", "A2"], "s", "A2") == {"s": 2, "A3": 1, "A2": 3}
    assert pool_depths(["s", "A3", "A2"], "s", "A2", kernels=3) == {"s": 2, "A3": 1}
    assert pool_depths(["s"], "s", "s", kernels=0) == {}


def test_the_number_of_pages_served_at_once_can_be_lowered_and_is_checked():
    from cpc306_portfolio.errors import UsageError
    from cpc306_portfolio.notebooks.app import voila_command
    from cpc306_portfolio.notebooks.gate import KERNELS_ENV, MAX_KERNELS, max_kernels

    assert max_kernels({}) == MAX_KERNELS == 8
    assert max_kernels({KERNELS_ENV: " 3 "}) == 3
    for bad in ("0", "many", "-2", "65"):
        with pytest.raises(UsageError) as raised:
            max_kernels({KERNELS_ENV: bad})
        assert KERNELS_ENV in str(raised.value) and "whole number from 1 to 64" in raised.value.hint
    command = voila_command(SAMPLE, 8123, kernels=3)
    assert "--CappedKernelManager.max_kernels=3" in command


def test_a_kernel_a_page_took_while_others_were_stopping_is_not_stopped() -> None:
    """The pre-heat loop stops unwanted pages' kernels one by one, awaiting each: a page
    that takes one of them meanwhile keeps it (a stopped page kernel left it Loading for ever)."""
    import asyncio

    from cpc306_portfolio.notebooks.preheat import _stop_unwanted

    async def run() -> list[str]:
        class Manager:
            def __init__(self) -> None:
                self._pools = {"B6": [ready("k-b6")], "B7": [ready("k-b7")], "C1": [ready("k1")]}
                self.stopped: list[str] = []

            async def shutdown_kernel(self, kid: str) -> None:
                self.stopped.append(kid)
                if kid == "k-b6":  # while this one stops, the learner opens B7
                    self._pools["B7"].pop(0)
                await asyncio.sleep(0)

        manager = Manager()
        await _stop_unwanted(manager, {"C1"})
        assert manager._pools["C1"] and not manager._pools["B6"]
        return manager.stopped

    assert asyncio.run(run()) == ["k-b6"]


def test_a_page_no_longer_open_gives_back_its_spare_and_pool_sizes_follow() -> None:
    import asyncio

    from cpc306_portfolio.notebooks.preheat import _stop_unwanted
    from cpc306_portfolio.notebooks.preheat_order import set_pool_sizes

    async def run() -> tuple[list[str], dict[str, list[str]]]:
        class Manager:
            def __init__(self) -> None:
                self._pools = {"A2": [ready("a"), ready("b")], "s": [ready("s1"), ready("s2")]}
                self.stopped: list[str] = []

            async def shutdown_kernel(self, kid: str) -> None:
                self.stopped.append(kid)

        manager = Manager()
        await _stop_unwanted(manager, {"A2", "s"}, {"A2": 1, "s": 2})
        left = {p: [t.result()["kernel_id"] for t in pool] for p, pool in manager._pools.items()}
        return manager.stopped, left

    stopped, left = asyncio.run(run())
    assert stopped == ["b"] and left == {"A2": ["a"], "s": ["s1", "s2"]}

    class Config:
        def __init__(self) -> None:
            default = {"pool_size": 1, "kernel_env_variables": {}}
            self.kernel_pools_config: dict[str, object] = {"default": default, "C6": {}}

    manager = Config()
    set_pool_sizes(manager, {"s": 2, "A2": 1})
    assert manager.kernel_pools_config == {
        "default": {"pool_size": 1, "kernel_env_variables": {}},
        "s": {"pool_size": 2, "kernel_env_variables": {}},
        "A2": {"pool_size": 1, "kernel_env_variables": {}},
    }


def test_every_page_gets_its_first_kernel_before_any_spare_and_a_ready_one_is_taken_first():
    from cpc306_portfolio.notebooks.preheat import fill_order, ready_first

    depth = {"s": 3, "A1": 2, "plan": 1, "A2": 2}
    pools = {"s": ["k"], "A1": [], "A2": ["k", "k"]}
    assert fill_order(depth, pools) == ["A1", "plan", "s"]  # A2 has its two
    assert fill_order({"s": 1}, {"s": ["k"]}) == []

    async def run() -> list[str]:
        starting = asyncio.get_running_loop().create_future()
        pool = [starting, ready("k-ready")]
        ready_first(pool)
        names = ["ready" if t.done() else "starting" for t in pool]
        starting.cancel()
        return names

    assert asyncio.run(run()) == ["ready", "starting"]


def test_voila_starts_one_kernel_only_when_a_page_takes_its_last_and_the_loop_the_rest():
    """Voilà refilled a page's whole pool at once: with spares, two or three kernels importing
    beside the next page the learner opens. Now none while a spare is left, one when the
    last is taken (for the run's first page, once that page has settled); the pre-heat loop
    (delay 0) fills it up."""
    from datetime import UTC, datetime, timedelta
    from types import SimpleNamespace

    from cpc306_portfolio.notebooks.preheat import refill_one_at_a_time

    class Manager:
        fill_delay = 0.05

        def __init__(self) -> None:
            self.kernel_pools_config = {"default": {"pool_size": 1}, "A2": {"pool_size": 3}}
            self._pools: dict[str, list[str]] = {"start": [], "A2": []}
            self.asked: list[tuple[float | None, int]] = []
            # The first page's own kernel, connected to its page and busy building it.
            self._kernels = {"page": SimpleNamespace(execution_state="busy")}
            self._kernels["page"].last_activity = datetime.now(UTC)
            self._kernel_connections = {"page": 1}

        def fill_if_needed(self, delay=None, notebook_name=None, **kwargs):
            size = self.kernel_pools_config.get(notebook_name, {}).get("pool_size", 1)
            self.asked.append((delay, size))
            self._pools[notebook_name] += ["k"] * (size - len(self._pools[notebook_name]))

    async def run() -> None:
        manager = Manager()
        refill_one_at_a_time(manager)
        # The run's first page took its only kernel: none beside it while it is being built.
        manager.fill_if_needed(notebook_name="start", extra_kernel_env_variables={})
        await asyncio.sleep(0.3)
        assert manager.asked == []
        page = manager._kernels["page"]
        page.execution_state, page.last_activity = "idle", datetime.now(UTC) - timedelta(hours=1)
        for _ in range(50):
            if manager.asked:
                break
            await asyncio.sleep(0.05)
        assert manager._pools["start"] == ["k"] and manager.asked == [(0, 1)]
        manager.asked.clear()
        manager._pools["A2"] = ["spare"]
        manager.fill_if_needed(notebook_name="A2", extra_kernel_env_variables={})  # Voilà's call
        assert manager._pools["A2"] == ["spare"] and manager.asked == []  # a spare is left: none
        manager._pools["A2"] = []  # a later page took its last kernel: one, after Voilà's delay
        manager.fill_if_needed(notebook_name="A2", extra_kernel_env_variables={})
        assert manager._pools["A2"] == ["k"] and manager.asked == [(None, 1)]
        assert manager.kernel_pools_config["A2"] == {"pool_size": 3}  # the page still wants 3
        manager.fill_if_needed(delay=0, notebook_name="A2")  # the pre-heat loop's call
        assert manager._pools["A2"] == ["k", "k", "k"]

    asyncio.run(run())
