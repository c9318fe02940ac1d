"""A warm render process for a Dask worker: what a local pool process is, behind a pipe.

A Dask worker runs tasks on threads, so it cannot fork a learner from itself safely (a fork
copies one thread, and a lock another thread holds stays held). Each worker therefore starts
one of these per thread (:mod:`.dask_plugin`): a single-threaded process that warms up exactly
as a local pool process does (``render.warmup``: in-process engine, templates and exporter
built, a made-up portfolio rendered once), then forks a child per learner. So a learner on the
cluster costs what it costs locally, with the same isolation: nothing one learner's notebook
does reaches the next.

The protocol is the worker's own: a length-prefixed pickle of a ``LearnerTask`` on standard
input, a length-prefixed pickle of the ``LearnerResult``'s fields back on standard output. It
ends when its input closes, which is also what happens when its worker dies.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import struct
import subprocess
import sys
import time
from typing import IO, Any

from ..errors import RenderError

_HEADER = struct.Struct("!Q")
#: Seconds a warm process may take to warm up, on top of a learner's own time limit.
WARM_UP_S = 120.0


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return bytes(data)


def _send(stream: IO[bytes], obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    (size,) = _HEADER.unpack(_read_exactly(stream, _HEADER.size))
    return pickle.loads(_read_exactly(stream, size))  # from our own parent process only


class WarmServer:
    """The worker's handle on one warm process."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.warm = False

    def run(self, task: Any) -> dict[str, Any]:
        """The fields of ``task``'s ``LearnerResult``.

        Raises :class:`RenderError` if the process died or stopped answering in time.
        """
        assert self.process.stdin is not None and self.process.stdout is not None
        limit = task.time_limit + 60.0 + (0.0 if self.warm else WARM_UP_S)
        try:
            _send(self.process.stdin, task)
            ready, _, _ = select.select([self.process.stdout], [], [], limit)
            if not ready:
                raise RenderError(f"the warm render process gave no answer within {limit:g} s")
            result = _receive(self.process.stdout)
        except (OSError, EOFError, pickle.UnpicklingError, struct.error) as exc:
            self.close()
            raise RenderError(f"the warm render process stopped ({exc or 'no output'})") from exc
        except RenderError:
            self.close()
            raise
        self.warm = True
        return result

    def close(self) -> None:
        """Stop the process (closing its input ends it; a stuck one is killed)."""
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _serve() -> int:
    # Our answers go out on a private copy of stdout; anything else printed goes to stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    tasks = sys.stdin.buffer
    from ..execute import forked
    from ..render.warmup import warm_up
    from . import worker

    if forked.usable():
        warm_up()
        worker.FORKING = forked.usable()
    while True:
        select.select([tasks], [], [])
        try:
            task = _receive(tasks)
        except EOFError:
            return 0
        started = time.monotonic()
        result = worker.render_learner(task)
        if not result.seconds:
            result.seconds = round(time.monotonic() - started, 3)
        _send(out, result.as_dict())


if __name__ == "__main__":
    sys.exit(_serve())
