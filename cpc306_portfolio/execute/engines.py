"""The engine choice: what runs a notebook, in this process, in a fork of it, or on a kernel.

An engine is a small value that ``render.render_portfolio(engine=...)`` takes; the render
asks it four things and is the same code whatever the answer:

- :meth:`Engine.options`: the papermill options that select it (``engine_name``...);
- :meth:`Engine.running`: a context around one execution (the warm kernel's watchdog);
- :meth:`Engine.finish`: what to set right in the executed notebook (the warm kernel's
  execution counts, which run on between learners);
- :meth:`Engine.run`: where the whole job (execute, export, write) runs: here, or in a
  forked child;

and :attr:`Engine.shares_memory`: whether the notebook runs in this process's memory, so an
object this process holds (the portfolio it opened) can be handed to it instead of read
again. A kernel is another process and shares nothing: it reads what it needs itself.

Nothing heavy is imported until an engine is used: choosing one costs nothing.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ..errors import RenderError
from .failures import classify_failure

#: What a failure in a forked child becomes: ``(kind, reason)``, sent to the parent.
Classify = Callable[[BaseException], tuple[str, str]]


class Engine:
    """Runs one notebook here, on the caller's thread, with papermill's default options."""

    #: Whether the notebook runs in this process's memory (objects can be handed to it).
    shares_memory: ClassVar[bool] = False
    #: Seconds the notebook may take: the whole of it where the engine stops it from outside
    #: (``Forked``, ``WorkerKernel``), and each cell (the render's default cell limit).
    #: None: the caller's cell limit alone.
    time_limit: float | None = None

    def options(self) -> dict[str, Any]:
        """The papermill options that select this engine."""
        return {}

    @contextmanager
    def running(self) -> Iterator[None]:
        """Around one ``papermill.execute_notebook`` call."""
        yield

    def finish(self, notebook: Any) -> None:
        """Set right what this engine leaves different in an executed notebook."""

    def run(self, work: Callable[[], None]) -> None:
        """Run the whole job (execute, export, write) where this engine runs it."""
        work()


@dataclass(frozen=True)
class InProcess(Engine):
    """Runs the notebook on this process's own IPython shell (:mod:`.inprocess`): no kernel.

    Only where no other IPython shell lives here (not inside Jupyter): see
    :func:`default_engine`. A cell's limit is enforced with ``SIGALRM`` on the main thread.
    """

    shares_memory: ClassVar[bool] = True
    time_limit: float | None = None

    def options(self) -> dict[str, Any]:
        from .inprocess import ENGINE_NAME, register_engine

        register_engine()
        return {"engine_name": ENGINE_NAME}


@dataclass(frozen=True)
class Direct(InProcess):
    """The report's own functions called here: the page of :class:`InProcess`, faster.

    No kernel, papermill or nbconvert: see :mod:`cpc306_portfolio.render.direct`.

    Only ``render_portfolio`` takes the direct path, and only while every code cell of the
    report notebook is one it knows; otherwise (and for ``execute_report``, which returns
    the executed notebook) it runs the notebook as :class:`InProcess` does. IPython's
    profile startup scripts are not run. The default outside Jupyter (:func:`default_engine`).
    """


@dataclass(frozen=True)
class Forked(Direct):
    """A child forked from this warm process runs the job there, as :class:`Direct` does.

    The child calls the report's functions and renders the page template itself (the
    page :class:`InProcess` writes, without papermill, IPython or nbconvert in each
    child); where the report notebook holds a cell the direct path does not know, the
    child runs it on its in-process shell.

    A child that fails, crashes or runs past ``time_limit`` is one failed job: the parent
    raises :class:`~cpc306_portfolio.errors.ForkedFailure` (with the kind ``classify`` gave
    the child's exception, or ``kernel_died``) or :class:`TimeoutError`, and goes on. Needs
    ``os.fork`` and no other thread in this process (:func:`.forked.usable`).
    """

    time_limit: float = 300.0
    #: ``(kind, reason)`` of an exception raised in the child (default: :func:`classify_failure`).
    classify: Classify | None = None

    def run(self, work: Callable[[], None]) -> None:
        from .forked import run_forked, usable

        if not usable():
            raise RenderError(
                "cannot fork this process: it has other threads, or no os.fork",
                hint="use engine=InProcess() or engine=WorkerKernel(...) here",
            )
        limit = self.time_limit
        classify = self.classify or (lambda exc: classify_failure(exc, limit))
        run_forked(work, classify, limit)


@dataclass(frozen=True)
class FreshKernel(Engine):
    """A new kernel for this notebook, shut down after it (papermill's nbclient engine).

    The kernel is another process: it opens the portfolio again from its folder.
    """

    time_limit: float | None = None
    start_timeout: float = 60.0

    def options(self) -> dict[str, Any]:
        return {"engine_name": "nbclient", "start_timeout": self.start_timeout}


@dataclass(frozen=True)
class WorkerKernel(Engine):
    """The batch worker's warm kernel (:mod:`.kernels`), one per thread, reused.

    A watchdog kills the kernel when ``time_limit`` passes, so a notebook stuck anywhere
    (not only inside one cell) ends; that is raised as :class:`TimeoutError`. After any
    failure the kernel is discarded, and the next notebook gets a new one. The kernel is
    another process: it opens the portfolio again from its folder.
    """

    socket_dir: Path
    time_limit: float = 300.0
    #: How many notebooks one kernel runs before it is replaced.
    reuse: int = 25
    start_timeout: float = 60.0

    def options(self) -> dict[str, Any]:
        from .kernels import ENGINE_NAME, register_engine

        register_engine()
        return {"engine_name": ENGINE_NAME, "start_timeout": self.start_timeout}

    @contextmanager
    def running(self) -> Iterator[None]:
        from .kernels import warm_kernel

        kernel = warm_kernel(Path(self.socket_dir), self.reuse, self.start_timeout)
        fired = threading.Event()

        def stop() -> None:
            fired.set()
            kernel.kill()

        watchdog = threading.Timer(self.time_limit, stop)
        watchdog.daemon = True
        watchdog.start()
        try:
            yield
        except BaseException as exc:
            kernel.discard()
            if fired.is_set():
                raise TimeoutError(f"past the time limit of {self.time_limit:g} s") from exc
            raise
        finally:
            watchdog.cancel()

    def finish(self, notebook: Any) -> None:
        renumber(notebook)


def renumber(notebook: Any) -> None:
    """Execution counts from 1, as if the kernel were fresh (a warm kernel counts on)."""
    count = 0
    for cell in notebook.cells:
        if cell.get("cell_type") == "code" and cell.get("execution_count") is not None:
            count += 1
            cell["execution_count"] = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count


def default_engine() -> Engine:
    """The direct engine where this process can host the report, else a fresh kernel.

    Inside Jupyter an IPython shell already lives here, and the notebook's own shell must
    not be borrowed. Where IPython's shell was never imported there is none, and IPython
    is not imported to find that out.
    """
    if "IPython.core.interactiveshell" not in sys.modules:
        return Direct()
    from .inprocess import usable

    return Direct() if usable() else FreshKernel()
