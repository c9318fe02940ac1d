"""On a Dask cluster, each worker renders learners on warm processes of its own.

:class:`WarmRenderers` is a Dask ``WorkerPlugin``: when a worker joins (or is restarted after
a crash) it starts one :class:`~.warm_server.WarmServer` per worker thread, each warming up as
a local pool process does; :func:`render_on_worker` is the task the cluster runs, handing the
learner to an idle warm process. A warm process that dies takes only its own learner with it
(reported as ``worker_lost``) and is replaced. A worker killed outright loses its warm
processes with it (their input closes), and the scheduler gives its learners to the others.
"""

from __future__ import annotations

import queue
import sys
from typing import Any

from distributed import WorkerPlugin, get_worker

from ..errors import RenderError
from .learner import LearnerResult, LearnerTask, lost_worker
from .warm_server import WarmServer

NAME = "cpc306-warm-renderers"


class WarmRenderers(WorkerPlugin):
    """One warm render process per thread of each worker."""

    name = NAME

    def __init__(self) -> None:
        self._idle: queue.SimpleQueue[WarmServer] | None = None
        self._all: list[WarmServer] = []

    def setup(self, worker: Any) -> None:
        self._idle = queue.SimpleQueue()
        for _ in range(max(1, int(worker.state.nthreads))):
            server = WarmServer()
            self._all.append(server)
            self._idle.put(server)

    def teardown(self, worker: Any) -> None:
        for server in self._all:
            server.close()
        self._all.clear()

    def render(self, task: LearnerTask) -> LearnerResult:
        """Render ``task`` on an idle warm process (a thread waits for one)."""
        assert self._idle is not None
        server = self._idle.get()
        try:
            return LearnerResult.from_dict(server.run(task))
        except RenderError as exc:
            self._all.remove(server)
            server = WarmServer()
            self._all.append(server)
            return lost_worker(task, exc)
        finally:
            self._idle.put(server)


def render_on_worker(task: LearnerTask) -> LearnerResult:
    """The cluster's task: on this worker's warm processes (summaries alone stay here).

    Only a summary (or a worker without the plugin) imports the render here: a worker that
    hands learners to its warm processes stays as light as it started.
    """
    plugin = get_worker().plugins.get(NAME)
    if not task.render or not isinstance(plugin, WarmRenderers):
        from .worker import render_learner

        return render_learner(task)
    return plugin.render(task)


def discard_loaded_kernels() -> None:
    """Stop this worker's warm kernels, if it ever started one (run on every worker).

    Importing the kernel machinery just to find none costs a worker a third of a second
    of CPU, so a worker that never loaded it is left alone.
    """
    kernels = sys.modules.get(f"{__package__.rpartition('.')[0]}.execute.kernels")
    if kernels is not None:
        kernels.discard_all_kernels()
