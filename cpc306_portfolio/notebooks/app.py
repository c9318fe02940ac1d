"""The learner's app: the portfolio's notebooks served by Voilà on 127.0.0.1, with no code shown.

Voilà runs each page's notebook when it is opened, so every page arrives already run. It
serves the portfolio folder (pages under ``notebooks/``, the learner's built HTML under
``exports/`` and nothing else) with the project's template ``cpc306``: Voilà's ``lab``
template without the Font Awesome stylesheet it links from a CDN, without the cells that
explain JupyterLab, and with the app's own stylesheet. Nothing loads from another machine.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO

from ..errors import PortfolioError
from ..files.templates import template_path
from .generate import START_NOTEBOOK

HOST = "127.0.0.1"
TEMPLATE = "cpc306"
NOTEBOOKS_DIR = "notebooks"
#: A page kernel (about 120 MB) with no page connected is stopped after this many idle
#: seconds; a kernel whose page is open is never culled (cull_connected stays False).
CULL_IDLE_SECONDS = 120
#: Pages whose kernel Voilà starts (and whose imports it runs) before anyone asks: the home
#: page only, as every pre-heated kernel holds its memory while it waits.
PREHEATED = (f"{NOTEBOOKS_DIR}/{START_NOTEBOOK}",)


def wait_for_page() -> None:
    """In a pre-heated kernel, wait here until the page is requested (no-op otherwise).

    Each page cell imports first, calls this, then reads the portfolio, so a pre-heated
    page shows the portfolio as it is when opened, not as it was when the kernel started.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    from voila.utils import wait_for_request

    wait_for_request()


def template_root() -> Path:
    """The folder to put on ``JUPYTER_PATH`` so Voilà finds the ``cpc306`` template."""
    return template_path("app")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def app_url(port: int, page: str = START_NOTEBOOK) -> str:
    """The address of one page of the app."""
    return f"http://{HOST}:{port}/voila/render/{NOTEBOOKS_DIR}/{page}"


def voila_command(root: Path, port: int, extra: Sequence[str] = ()) -> list[str]:
    """The command that serves a portfolio folder's notebooks with Voilà on 127.0.0.1."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(root),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={HOST}",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        "--theme=light",
        "--show_tracebacks=False",
        # Only the learner's built portfolios, never an attachment or a record.
        "--VoilaConfiguration.file_allowlist=exports/[^/]+\\.html",
        # IPC: no TCP ports to collide on, and no "running over TCP without encryption" line.
        "--KernelManager.transport=ipc",
        "--preheat_kernel=True",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        "--MappingKernelManager.cull_interval=60",
        *extra,
    ]


def voila_config() -> dict[str, object]:
    """What ``voila.json`` in Voilà's working folder says: pre-heat only the PREHEATED pages."""
    # Voilà matches this against absolute paths at start-up and relative ones later.
    deny = "^(?!(.*/)?(" + "|".join(re.escape(p) for p in PREHEATED) + ")$).*"
    return {"VoilaKernelManager": {"preheat_denylist": [deny]}}


def app_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment Voilà runs in: our template first on ``JUPYTER_PATH``."""
    env = dict(os.environ if base is None else base)
    paths = [str(template_root()), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def wait_listening(port: int, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Wait until something accepts connections on the port; raise if Voilà exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PortfolioError(
                f"Voilà stopped while starting (exit code {process.returncode})",
                hint="read its log for the reason",
            )
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.1)
    raise PortfolioError(f"Voilà did not listen on {HOST}:{port} within {timeout:.0f} s")


def start_app(
    root: Path,
    port: int,
    *,
    log: IO[bytes] | int | None = None,
    env: Mapping[str, str] | None = None,
    extra: Sequence[str] = (),
) -> subprocess.Popen[bytes]:
    """Start Voilà on a portfolio folder and return once it listens (the caller stops it).

    Voilà reads ``voila.json`` and ``voila.py`` from its working folder: it runs in a fresh
    folder of ours, never in the portfolio (a ``voila.py`` there would run as code).
    """
    workdir = Path(tempfile.mkdtemp(prefix="cpc306-voila-"))
    (workdir / "voila.json").write_text(json.dumps(voila_config()), encoding="utf-8")
    process = subprocess.Popen(
        voila_command(root, port, extra),
        cwd=str(workdir),
        env=app_environment(env),
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
    )
    try:
        wait_listening(port, process)
    except BaseException:
        stop_app(process)
        raise
    return process


def stop_app(process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """Stop Voilà (and its page kernels) as Ctrl-C would; kill it if it will not stop."""
    if process.poll() is not None:
        return
    process.terminate()  # Voilà handles SIGTERM like SIGINT: it shuts its kernels down
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def serve_app(
    root: Path,
    *,
    port: int | None = None,
    open_browser: bool = True,
    echo: Callable[[str], None] = print,
    log: IO[bytes] | None = None,
    env: Mapping[str, str] | None = None,
    opener: Callable[[str], object] | None = None,
) -> int:
    """Serve the app until Ctrl-C; print its URL first. Returns 0 on a clean stop."""
    port = port or free_port()
    process = start_app(root, port, log=log, env=env)
    url = app_url(port)
    echo(url)
    try:
        if open_browser:
            if opener is None:
                import webbrowser

                opener = webbrowser.open
            opener(url)
        echo("Open that address in your web browser if it did not open. Ctrl-C here stops it.")
        while process.poll() is None:
            time.sleep(0.5)
        return int(process.returncode or 0)
    except KeyboardInterrupt:
        echo("Stopping…")
        return 0
    finally:
        stop_app(process)
