"""`cpc306 app` prints its address once the start page is ready, never before, never never.

The server side (:func:`announce_ready`) with a stand-in for Voilà's kernel manager; the
command side (:func:`wait_ready`, :func:`start_app`) with a few lines of Python for Voilà.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from cpc306_portfolio.notebooks import app, readiness
from cpc306_portfolio.notebooks.app import free_port, start_app, stop_app
from cpc306_portfolio.notebooks.readiness import announce_ready, wait_ready

START = "notebooks/00_start_here.ipynb"


class Manager:
    """Voilà's kernel manager as far as readiness goes: a pool of pre-heated kernels a page."""

    def __init__(self, pools: dict[str, list[Any]]):
        self._pools = pools


async def _kernel(kid: str, render: asyncio.Future[Any]) -> dict[str, Any]:
    await asyncio.sleep(0.05)
    return {"kernel_id": kid, "task": render}


def test_ready_only_once_the_start_pages_kernel_waits_for_its_page(tmp_path):
    ready = tmp_path / "ready"
    waiters: dict[str, object] = {}

    async def scenario() -> list[bool]:
        render = asyncio.get_running_loop().create_future()
        pool = [asyncio.ensure_future(_kernel("k1", render))]
        other = [asyncio.ensure_future(_kernel("k2", render))]
        task = asyncio.ensure_future(
            announce_ready(
                Manager({START: pool, "notebooks/A1.ipynb": other}), START, ready, waiters
            )
        )
        seen = []
        await asyncio.sleep(0.3)
        seen.append(ready.exists())  # started, page still building
        waiters["k2"] = object()  # another page's kernel waiting is not the start page's
        await asyncio.sleep(0.2)
        seen.append(ready.exists())
        waiters["k1"] = object()
        await asyncio.wait_for(task, 5)
        seen.append(ready.exists())
        render.cancel()
        return seen

    assert asyncio.run(scenario()) == [False, False, True]


def test_ready_when_the_start_page_ran_through_without_waiting(tmp_path):
    ready = tmp_path / "ready"

    async def scenario() -> None:
        render = asyncio.get_running_loop().create_future()
        pool = [asyncio.ensure_future(_kernel("k1", render))]
        task = asyncio.ensure_future(announce_ready(Manager({START: pool}), START, ready, {}))
        await asyncio.sleep(0.3)
        assert not ready.exists()
        render.set_result(([], None))
        await asyncio.wait_for(task, 5)

    asyncio.run(scenario())
    assert ready.exists()


def test_ready_at_once_when_the_kernel_cannot_start_or_nothing_is_preheated(tmp_path):
    async def failing() -> dict[str, Any]:
        raise RuntimeError("too many kernels")

    async def scenario(pools: dict[str, list[Any]], ready: Path) -> None:
        pools = {k: [asyncio.ensure_future(f()) for f in v] for k, v in pools.items()}
        await asyncio.wait_for(announce_ready(Manager(pools), START, ready, {}), 5)

    asyncio.run(scenario({START: [failing]}, tmp_path / "failed"))
    asyncio.run(scenario({}, tmp_path / "none"))
    assert (tmp_path / "failed").exists() and (tmp_path / "none").exists()


def _python(code: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", code])


def test_waiting_for_ready_ends_when_the_file_appears_or_the_server_stops(tmp_path):
    ready = tmp_path / "ready"
    writer = _python(
        f"import time; time.sleep(1); open({str(ready)!r}, 'w').close(); time.sleep(30)"
    )
    try:
        started = time.monotonic()
        assert wait_ready(ready, writer, timeout=30)
        assert 0.5 < time.monotonic() - started < 20
    finally:
        stop_app(writer)
    quitter = _python("import sys; sys.exit(3)")
    quitter.wait(timeout=30)
    assert not wait_ready(tmp_path / "never", quitter, timeout=30)
    sleeper = _python("import time; time.sleep(30)")
    try:
        started = time.monotonic()
        assert not wait_ready(tmp_path / "never", sleeper, timeout=0.5)
        assert time.monotonic() - started < 10
    finally:
        stop_app(sleeper)


#: Listens at once, says its start page is ready only two seconds later.
SLOW_START = (
    "import json, os, socket, sys, time\n"
    "s = socket.socket()\n"
    "s.bind(('127.0.0.1', int(sys.argv[1])))\n"
    "s.listen()\n"
    "time.sleep(2)\n"
    "open(json.loads(os.environ['CPC306_APP_SETTINGS'])['ready'], 'w').close()\n"
    "time.sleep(60)\n"
)


def test_start_app_returns_once_the_start_page_is_ready(tmp_path, monkeypatch):
    real = subprocess.Popen

    def popen(command, **kwargs):
        port = next(c for c in command if c.startswith("--port=")).split("=")[1]
        return real([sys.executable, "-c", SLOW_START, port], **kwargs)

    monkeypatch.setattr(app.subprocess, "Popen", popen)
    started = time.monotonic()
    process = start_app(tmp_path, free_port(), token="k", pages=[], portfolio=tmp_path)
    try:
        assert time.monotonic() - started > 2  # listening was not enough
        (workdir, _connections) = app._RUN_FOLDERS[process]
        assert (workdir / readiness.READY_FILE).exists()
    finally:
        stop_app(process)
    assert not workdir.exists()  # the ready file goes with the run's folder


class Kernel:
    def __init__(self) -> None:
        from datetime import UTC, datetime

        self.last_activity = datetime.now(UTC)
        self.execution_state = "busy"


class Kernels:
    """The kernel manager as far as settling goes: kernels, their connections, the pools."""

    def __init__(self) -> None:
        self._kernels = {"page": Kernel(), "pooled": Kernel()}
        self._kernel_connections = {"page": 0, "pooled": 0}

    def _pooled(self) -> set[str]:
        return {"pooled"}


def test_more_kernels_wait_until_the_page_served_has_connected_and_gone_quiet():
    from datetime import UTC, datetime, timedelta

    from cpc306_portfolio.notebooks.readiness import page_settled

    manager = Kernels()

    async def scenario() -> list[bool]:
        task = asyncio.ensure_future(page_settled(manager, quiet=0.2, limit=30))
        seen = []
        await asyncio.sleep(0.4)
        seen.append(task.done())  # busy, no browser connected
        manager._kernel_connections["page"] = 1
        await asyncio.sleep(0.4)
        seen.append(task.done())  # connected, still busy
        page = manager._kernels["page"]
        page.execution_state = "idle"
        page.last_activity = datetime.now(UTC) - timedelta(seconds=1)
        await asyncio.wait_for(task, 5)
        seen.append(task.done())
        return seen

    assert asyncio.run(scenario()) == [False, False, True]


def test_settling_is_waited_for_a_bounded_time():
    from cpc306_portfolio.notebooks.readiness import page_settled

    started = time.monotonic()
    asyncio.run(page_settled(Kernels(), limit=0.3))
    assert time.monotonic() - started < 5


def test_the_browser_opens_as_the_server_listens_and_the_address_prints_when_ready(
    tmp_path, monkeypatch
):
    real = subprocess.Popen

    def popen(command, **kwargs):
        port = next(c for c in command if c.startswith("--port=")).split("=")[1]
        code = SLOW_START.replace("time.sleep(60)", "time.sleep(1)")
        return real([sys.executable, "-c", code, port], **kwargs)

    monkeypatch.setattr(app.subprocess, "Popen", popen)
    events: list[tuple[str, float]] = []
    app.serve_pages(
        tmp_path,
        [],
        portfolio=tmp_path,
        echo=lambda line: events.append((line[:4], time.monotonic())),
        opener=lambda uri: events.append(("open", time.monotonic())),
    )
    (opened, at), (url, printed) = events[0], events[1]
    assert opened == "open" and url == "http"
    assert printed - at > 1.5  # the page became ready two seconds after the server listened


def test_a_request_waits_for_its_pages_first_preheated_kernel_still_starting():
    from cpc306_portfolio.notebooks.readiness import first_preheat

    class Voila:
        def __init__(self, data: dict[str, Any]):
            self.notebook_data = data

    async def scenario(data: dict[str, Any]) -> float:
        loop = asyncio.get_running_loop()
        pool = [asyncio.ensure_future(asyncio.sleep(0.5))]
        started = loop.time()
        await first_preheat(Voila(data), START, pool)
        pool[0].cancel()
        return loop.time() - started

    assert asyncio.run(scenario({})) >= 0.4  # waited for the kernel, not started another
    assert asyncio.run(scenario({START: {}})) < 0.3  # a refill: Voilà's own rules apply
