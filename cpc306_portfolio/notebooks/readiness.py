"""When a starting app can be used: its server listens, and its start page is ready to show.

``cpc306 app`` prints its address only when the start page would open at once. Printed as
soon as the server listened, the first request came before the start page's pre-heated
kernel had even started: Voilà then started a second kernel for it, and the two, importing
side by side on a laptop's two cores, took seconds longer than one alone (measured here:
5.4 s to a usable Start here on a quiet machine).

The server (:mod:`.server`) runs :func:`announce_ready` as it starts: once the start page's
pre-heated kernel has built the page and waits for it to be asked for (or has run its page
through, or could not start), it creates the file the settings name under ``ready``. The
command waits for that file with :func:`wait_ready`, then prints the address.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from ..errors import PortfolioError

HOST = "127.0.0.1"
#: The file, in the server's own working folder, that says the start page is ready.
READY_FILE = "start-page-ready"
#: The longest wait for the start page before the address is printed anyway (the page then
#: starts a kernel of its own when asked for).
READY_WAIT = 60.0
#: How often the server looks whether the start page's kernel waits for its page, and the
#: command whether the server said so (each look costs microseconds; each wait adds half
#: of this, on average, to the start).
POLL_SECONDS = 0.01


def _stopped_while_starting(process: subprocess.Popen[bytes]) -> PortfolioError:
    return PortfolioError(
        f"Voilà stopped while starting (exit code {process.returncode})",
        hint="read its log for the reason",
    )


def wait_listening(port: int, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Wait until something accepts connections on the port; raise if Voilà exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise _stopped_while_starting(process)
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.05)
    raise PortfolioError(f"Voilà did not listen on {HOST}:{port} within {timeout:.0f} s")


def wait_ready(ready: Path, process: subprocess.Popen[bytes], timeout: float = READY_WAIT) -> bool:
    """Wait until the server says its start page is ready; False if it did not in time.

    A server that exits meanwhile is not waited for (the caller sees its exit code).
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready.exists():
            return True
        if process.poll() is not None:
            return False
        time.sleep(POLL_SECONDS)
    return False


async def announce_ready(manager: Any, start: str, ready: Path, waiters: Any | None = None) -> None:
    """In the server: create ``ready`` once the start page ``start`` can be shown at once.

    That is when its pre-heated kernel waits for the page to be asked for (its id among
    Voilà's ``waiters``, default: those of its query route), or has run the whole page (a
    page that does not wait), or could not start at all; with no pre-heated kernel, at once.
    """
    if waiters is None:
        from voila.request_info_handler import RequestInfoSocketHandler

        waiters = RequestInfoSocketHandler._waiters
    try:
        pool = getattr(manager, "_pools", {}).get(start) or []
        if pool:
            content = await asyncio.shield(pool[0])
            kernel, render = content["kernel_id"], content["task"]
            while kernel not in waiters and not render.done():
                await asyncio.sleep(POLL_SECONDS)
    except Exception:
        pass
    finally:
        with contextlib.suppress(OSError):
            ready.touch()


#: Pre-heating more kernels waits until the page just served has settled: its widgets
#: connected and its kernel quiet for this long; at most :data:`SETTLE_WAIT` seconds.
QUIET_SECONDS = 1.0
SETTLE_WAIT = 10.0
SETTLE_POLL_SECONDS = 0.1


async def page_settled(
    manager: Any, quiet: float = QUIET_SECONDS, limit: float = SETTLE_WAIT
) -> None:
    """Return once the page last served looks usable, or after ``limit`` seconds.

    That page's kernel is the most recently active one not waiting in a pool; the page is
    usable once the browser's widgets have connected to it (a websocket) and it has been
    idle for ``quiet`` seconds. Kernels started earlier took the two cores from the browser
    while it built the page (measured here: 4.0 s to a usable Start here alone, 7.7 s with
    two kernels starting beside it, on a loaded machine).
    """
    from datetime import UTC, datetime

    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while loop.time() < deadline:
        pooled = manager._pooled() if hasattr(manager, "_pooled") else set()
        kernels = {k: v for k, v in dict(manager._kernels).items() if k not in pooled}
        if kernels:
            newest = max(kernels, key=lambda k: kernels[k].last_activity)
            kernel = kernels[newest]
            quiet_for = (datetime.now(UTC) - kernel.last_activity).total_seconds()
            connected = manager._kernel_connections.get(newest, 0) > 0
            if connected and quiet_for >= quiet and kernel.execution_state == "idle":
                return
        await asyncio.sleep(SETTLE_POLL_SECONDS)


async def first_preheat(manager: Any, path: str, pool: list[Any]) -> None:
    """Wait for a page's first pre-heated kernel if it is still starting.

    Voilà uses a pre-heated kernel only once one has started for that page; a request that
    came sooner (the browser opened as the server started, a page asked for while its
    kernel was starting) got a second kernel, started beside the first on the same cores.
    """
    if pool and path not in getattr(manager, "notebook_data", {}):
        with contextlib.suppress(Exception):  # one that failed is dropped by the caller
            await asyncio.shield(pool[0])
