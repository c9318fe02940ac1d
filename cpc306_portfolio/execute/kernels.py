"""A warm kernel per batch worker, and the papermill engine that executes on it.

Starting a kernel and importing pandas and this package in it costs more than running a
learner's report, so each batch worker keeps one kernel and reuses it for the next learner
after clearing its namespace (``%reset -f``): imported modules stay loaded, nothing a
learner's notebook defined survives. A kernel is replaced after any failure and after
``reuse`` learners, so one learner's trouble never reaches the next.

Kernels talk over the IPC transport (Unix sockets named after a connection file in a
per-run folder): many kernels starting at once over TCP collide on ports.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

from jupyter_client import AsyncKernelManager, BlockingKernelClient
from jupyter_core.utils import ensure_async, run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.utils import remove_args

from ..errors import KernelStartError

#: The papermill engine name of the warm kernel (``engines.WorkerKernel`` passes it).
ENGINE_NAME = "cpc306-warm"

#: Seconds between checks that a starting kernel's process is still there.
READY_POLL = 2.0

_counter = itertools.count(1)
_local = threading.local()
#: Every warm kernel of this process, whichever thread made it, for clean-up at exit.
_kernels: list[WarmKernel] = []


def _process_alive(km: AsyncKernelManager) -> bool:
    process = getattr(getattr(km, "provisioner", None), "process", None)
    return process is None or process.poll() is None


class WarmKernel:
    """One kernel kept between learners by one worker thread.

    ``socket_dir`` holds the connection files and IPC sockets; ``reuse`` is how many
    learners one kernel serves before it is replaced (1: a fresh kernel for each).
    """

    def __init__(self, socket_dir: Path, reuse: int = 25, start_timeout: float = 60.0) -> None:
        self.socket_dir = socket_dir
        self.reuse = max(1, reuse)
        self.start_timeout = start_timeout
        self.km: AsyncKernelManager | None = None
        self.kernel_name = ""
        self.served = 0
        self.starts = 0

    def _new_manager(self, kernel_name: str) -> AsyncKernelManager:
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        name = f"k{os.getpid()}-{next(_counter)}"
        return AsyncKernelManager(
            kernel_name=kernel_name,
            transport="ipc",
            connection_file=str(self.socket_dir / f"{name}.json"),
        )

    def _start(self, kernel_name: str) -> AsyncKernelManager:
        """Start a kernel and wait until it answers; retry once on failure."""
        last: BaseException | None = None
        for _attempt in range(2):
            km = self._new_manager(kernel_name)
            self.starts += 1
            try:
                run_sync(km.start_kernel)()
                self._run_code(km, "pass")
                return km
            except Exception as exc:
                last = exc
                _shutdown(km)
        raise KernelStartError(f"the kernel {kernel_name!r} did not start twice: {last}") from last

    def _run_code(self, km: AsyncKernelManager, code: str) -> None:
        client = BlockingKernelClient()
        client.load_connection_info(km.get_connection_info(session=False))
        # No heartbeat: its one-second verdict calls a kernel that is still importing on a
        # loaded machine dead. The kernel's process says whether it is alive instead.
        client.start_channels(hb=False)
        try:
            deadline = time.monotonic() + self.start_timeout
            while True:
                try:
                    client.wait_for_ready(timeout=READY_POLL)
                    break
                except RuntimeError:
                    if not _process_alive(km) or time.monotonic() > deadline:
                        raise
            reply = client.execute_interactive(code, timeout=self.start_timeout, allow_stdin=False)
            if reply["content"].get("status") != "ok":
                raise RuntimeError(f"the kernel could not run {code!r}")
        finally:
            client.stop_channels()

    def manager(self, kernel_name: str) -> AsyncKernelManager:
        """A ready kernel for the next learner: the warm one cleared, or a new one."""
        km = self.km
        if km is not None and (kernel_name != self.kernel_name or self.served >= self.reuse):
            self.discard()
            km = None
        if km is not None:
            try:
                alive = run_sync(km.is_alive)()
                if alive:
                    self._run_code(km, "get_ipython().run_line_magic('reset', '-f')")
            except Exception:
                alive = False
            if not alive:
                self.discard()
                km = None
        if km is None:
            km = self._start(kernel_name)
            self.km, self.kernel_name, self.served = km, kernel_name, 0
        self.served += 1
        return km

    def pid(self) -> int | None:
        """The kernel's process id, for the watchdog that enforces a learner's time limit."""
        provisioner = getattr(self.km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        return getattr(process, "pid", None)

    def kill(self) -> None:
        """Kill the kernel process now (from any thread): the running cell fails at once."""
        pid = self.pid()
        if pid is not None:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    def discard(self) -> None:
        """Shut the kernel down and forget it; the next learner gets a new one."""
        if self.km is not None:
            _shutdown(self.km)
        self.km, self.served = None, 0


async def _stop(km: AsyncKernelManager) -> None:
    with contextlib.suppress(Exception):
        if await km.is_alive():
            await km.shutdown_kernel(now=True)
    with contextlib.suppress(Exception):
        await ensure_async(km.cleanup_resources())


def _shutdown(km: AsyncKernelManager) -> None:
    with contextlib.suppress(Exception):
        run_sync(_stop)(km)
    with contextlib.suppress(OSError):
        Path(km.connection_file).unlink(missing_ok=True)


def warm_kernel(socket_dir: Path, reuse: int, start_timeout: float) -> WarmKernel:
    """The calling thread's warm kernel (one per worker thread), made on first use."""
    kernel: WarmKernel | None = getattr(_local, "kernel", None)
    if kernel is None or kernel.socket_dir != socket_dir:
        if kernel is not None:
            kernel.discard()
            with contextlib.suppress(ValueError):
                _kernels.remove(kernel)
        kernel = WarmKernel(socket_dir, reuse=reuse, start_timeout=start_timeout)
        _local.kernel = kernel
        _kernels.append(kernel)
    kernel.reuse, kernel.start_timeout = max(1, reuse), start_timeout
    return kernel


def discard_all_kernels() -> None:
    """Shut down every warm kernel of this process (at worker exit, or after a Dask run)."""
    while _kernels:
        _kernels.pop().discard()
    _local.kernel = None


class WarmKernelEngine(NBClientEngine):
    """papermill's nbclient engine, executing on this thread's warm kernel.

    The kernel is left running for the next learner; the client's channels are closed.
    """

    @classmethod
    def execute_managed_notebook(  # type: ignore[override]
        cls,
        nb_man: Any,
        kernel_name: str,
        log_output: bool = False,
        stdout_file: Any = None,
        stderr_file: Any = None,
        start_timeout: float = 60,
        execution_timeout: float | None = None,
        **kwargs: Any,
    ) -> Any:
        """Execute ``nb_man``'s notebook on the warm kernel (see :func:`warm_kernel`)."""
        kernel: WarmKernel | None = getattr(_local, "kernel", None)
        if kernel is None:
            raise RuntimeError(f"the {ENGINE_NAME} engine needs warm_kernel() first")
        km = kernel.manager(kernel_name)
        kwargs = remove_args(
            ["input_path", "timeout", "startup_timeout", "km", "kernel_manager_class"], **kwargs
        )
        client = PapermillNotebookClient(
            nb_man,
            km=km,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            **kwargs,
        )
        try:
            return client.execute(cleanup_kc=False)
        finally:
            if client.kc is not None:
                with contextlib.suppress(Exception):
                    client.kc.stop_channels()


def register_engine() -> None:
    """Make ``engine_name="cpc306-warm"`` known to papermill in this process."""
    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
