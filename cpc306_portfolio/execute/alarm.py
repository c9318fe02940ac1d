"""A time limit on a block of code run on the main thread, with ``SIGALRM``.

Elsewhere (another thread, a platform without ``setitimer``) the block runs without one,
and the caller's watchdog is the limit.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def alarm(seconds: float | None, error: type[BaseException]) -> Iterator[None]:
    """Raise ``error`` inside the block if it runs longer than ``seconds`` (None: no limit).

    ``error`` is the caller's own private ``BaseException`` (no ``except Exception`` in the
    block catches it), caught by the caller and turned into one of the toolkit's errors.
    """
    if (
        not seconds
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def ring(signum: int, frame: Any) -> None:
        raise error

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
