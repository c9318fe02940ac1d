"""What starting a local app needs beside its server: an opening page, stopping on hang-up."""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def opening_page(folder: Path, url: str, label: str = "your portfolio") -> Path:
    """A private local page that forwards the browser to ``url``.

    The browser is opened on this file rather than on the address itself, which would put
    this run's key on the browser's command line, where every user of the machine can
    read it (JupyterLab does the same).
    """
    page = folder / "open.html"
    page.unlink(missing_ok=True)
    link = html.escape(url, quote=True)
    fd = os.open(page, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0;url={link}">'
            f"<title>{html.escape(label.capitalize())}</title>"
            f'</head><body><p><a href="{link}">Open {html.escape(label)}</a></p></body></html>'
        )
    return page


def stop_on_hangup() -> Callable[[], None]:
    """Treat SIGTERM and SIGHUP (a closed terminal) as Ctrl-C.

    So the server and its kernels stop with the command instead of serving on, orphaned,
    with this run's key.

    Returns what puts the previous handlers back.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    wanted = [getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    before = {sig: signal.signal(sig, stop) for sig in wanted}

    def restore() -> None:
        for sig, handler in before.items():
            signal.signal(sig, handler)

    return restore


def run_until_stopped(command: Sequence[str], **popen: Any) -> int:
    """Run ``command`` and wait for it; on Ctrl-C, SIGTERM or SIGHUP stop it cleanly first.

    The child gets SIGTERM (a Jupyter server then shuts its kernels down) and 20 seconds
    before it is killed: a stop signal sent to this process alone never leaves the server
    serving on with its token. Returns the child's exit code.
    """
    import subprocess

    process = subprocess.Popen(list(command), **popen)
    restore = stop_on_hangup()
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            return process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()
    finally:
        restore()
