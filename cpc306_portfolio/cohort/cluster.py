"""Learners on a Dask cluster: reach the scheduler first, then watch for lost workers.

:func:`connect` is called before the batch writes anything or shows a bar, so an
unreachable scheduler fails fast and leaves no output folder. :func:`run_on_cluster`
submits every learner and yields results as they finish; when a worker leaves the
cluster mid-run (killed, crashed, out of memory) it says so through ``note`` (the scheduler
gives that worker's learners to the others). Each worker renders on warm processes of its
own (:mod:`.dask_plugin`), as the local pool does, so a learner costs the same CPU there.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from ..errors import UsageError
from .learner import LearnerResult, LearnerTask, lost_worker

#: Seconds to wait for a Dask scheduler to answer before giving up.
SCHEDULER_TIMEOUT = 8.0
#: Seconds for the plain TCP check that something listens at the address at all.
REACH_TIMEOUT = 3.0
#: Seconds between looks at the cluster's workers while learners run.
WATCH_EVERY = 1.0


def _unreachable(address: str, why: str) -> UsageError:
    return UsageError(
        f"cannot reach the Dask scheduler at {address}: {why}",
        hint="check the address (tcp://HOST:8786) and that `dask scheduler` is running there; "
        "nothing was written",
    )


def _reachable(address: str) -> None:
    """Fail at once when nothing listens at a tcp:// or tls:// address."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme not in ("tcp", "tls"):
        return
    try:
        port = parts.port or 8786
    except ValueError:
        raise _unreachable(address, "the port is not a number") from None
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", port), REACH_TIMEOUT):
            pass
    except OSError as exc:
        raise _unreachable(address, exc.strerror or str(exc)) from None


def connect(address: str) -> Any:
    """A Dask ``Client`` for ``address``, or a :class:`UsageError` within seconds."""
    _reachable(address)  # before importing distributed, which alone takes seconds
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(
            "--scheduler needs Dask's distributed package",
            hint="pip install 'cpc306-portfolio[cluster]'",
        ) from None
    try:
        return Client(address, timeout=f"{SCHEDULER_TIMEOUT}s")
    except (OSError, TimeoutError) as exc:
        raise _unreachable(address, str(exc)) from None


class WorkerWatch:
    """Remembers the cluster's workers and says which have left since the last look."""

    def __init__(self, workers: Callable[[], set[str]]) -> None:
        self._workers = workers
        self.seen = workers()
        self.lost: list[str] = []

    def check(self) -> list[str]:
        """Workers gone since the last check (new workers are only remembered)."""
        try:
            now = self._workers()
        except Exception:  # the scheduler is busy or going away: look again later
            return []
        gone = sorted(self.seen - now)
        self.seen = now
        self.lost += gone
        return gone


def _worker_addresses(client: Any) -> set[str]:
    return set(client.scheduler_info().get("workers", {}))


def run_on_cluster(
    client: Any, tasks: list[LearnerTask], note: Callable[[dict[str, str]], None]
) -> Iterator[LearnerResult]:
    """Run every task on the cluster; ``note`` hears of each worker lost on the way.

    The client is closed at the end, whatever happens.
    """
    from distributed import wait

    from .dask_plugin import WarmRenderers, discard_loaded_kernels, render_on_worker

    try:
        if any(t.render for t in tasks):
            client.register_plugin(WarmRenderers())
        futures = {
            client.submit(
                render_on_worker, task, key=f"cpc306-{task.key}-{time.time_ns()}", pure=False
            ): task
            for task in tasks
        }
        watch = WorkerWatch(lambda: _worker_addresses(client))
        pending = set(futures)
        while pending:
            with contextlib.suppress(TimeoutError):
                wait(list(pending), timeout=WATCH_EVERY, return_when="FIRST_COMPLETED")
            for worker in watch.check():
                note(
                    {
                        "event": "worker_lost",
                        "worker": worker,
                        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        "message": f"worker {worker} left the cluster; the scheduler gives "
                        "its learners to the other workers",
                    }
                )
            for future in [f for f in pending if f.done()]:
                pending.discard(future)
                try:
                    yield future.result()
                except Exception as exc:  # KilledWorker, a cancelled future...
                    yield lost_worker(futures[future], exc)
        if any(t.render for t in tasks):  # only rendering starts kernels
            with contextlib.suppress(Exception):
                client.run(discard_loaded_kernels)
    finally:
        if any(t.render for t in tasks):  # stops the warm processes: the cluster is shared
            with contextlib.suppress(Exception):
                client.unregister_worker_plugin(WarmRenderers.name)
        client.close()
