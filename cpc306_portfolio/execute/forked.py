"""Work run in a fork of this warm process: a kernel's isolation at a fork's price.

A batch worker process imports papermill, nbconvert, IPython and this package once and
warms up (``render.warmup``). For each learner it then forks (:func:`run_forked`): the
child runs the report notebook in its own copy of that warm process (the in-process engine,
:mod:`.inprocess`), writes the HTML and exits. Nothing one learner's notebook does reaches
the next, since the next starts from the parent again; a child that crashes, exits or runs
past the time limit is one failed learner, and the worker goes on.

Forking needs ``os.fork`` and a parent with no other threads (a fork copies only the
calling thread, and a lock another thread held stays held in the child). The local pool's
workers are such processes; elsewhere (Windows, a Dask worker) :func:`usable` is False
and the batch keeps its warm kernels (:mod:`.kernels`).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import threading
import time
from collections.abc import Callable

from ..errors import ForkedFailure

#: Exit code of a child whose report failed in an expected way (the reason is on the pipe).
_FAILED = 3

#: How much of a failure report the parent reads from the pipe.
_LIMIT = 1 << 16

__all__ = ["ForkedFailure", "run_forked", "usable"]


def usable() -> bool:
    """True where learners can be forked from this process safely."""
    return hasattr(os, "fork") and threading.active_count() == 1


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def run_forked(
    work: Callable[[], None],
    classify: Callable[[BaseException], tuple[str, str]],
    time_limit: float,
) -> None:
    """Run ``work`` in a child of this process; raise what went wrong there.

    ``classify`` turns an exception raised in the child into ``(kind, reason)``; it is
    raised here as :class:`ForkedFailure`. A child still running after ``time_limit``
    seconds is killed (:class:`TimeoutError`); one that dies is a ``kernel_died``
    failure, as a kernel's death is.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into the parent's code
        os.close(read_end)
        code = 0
        try:
            work()
        except BaseException as exc:
            code = _FAILED
            try:
                kind, reason = classify(exc)
                os.write(write_end, json.dumps([kind, reason]).encode()[:_LIMIT])
            except BaseException:
                code = 4
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        message = _read_until(read_end, pid, time.monotonic() + time_limit)
    finally:
        os.close(read_end)
    _pid, status = os.waitpid(pid, 0)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == _FAILED and message:
        kind, reason = json.loads(message)
        raise ForkedFailure(reason, kind=kind)
    how = (
        f"signal {os.WTERMSIG(status)}"
        if os.WIFSIGNALED(status)
        else f"exit code {os.WEXITSTATUS(status)}"
    )
    raise ForkedFailure(
        f"the process running the report died ({how})",
        hint="check the memory free on this machine, then run again",
        kind="kernel_died",
    )


def _read_until(fd: int, pid: int, deadline: float) -> bytes:
    """What the child writes before it closes the pipe; kill it at the deadline."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            _kill(pid)
            os.waitpid(pid, 0)
            raise TimeoutError("past the time limit")
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, _LIMIT)
        if not chunk:  # the child closed its end: it has exited or is exiting
            return b"".join(chunks)
        chunks.append(chunk)
