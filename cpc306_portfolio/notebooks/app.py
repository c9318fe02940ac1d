"""The learner's app: the toolkit's pages served by Voilà on 127.0.0.1, with no code shown.

Voilà runs each page's notebook when it is opened, so every page arrives already run. The
pages are generated afresh at every start into a folder of the user's cache
(:func:`app_folder`), never read from the portfolio: a notebook someone planted or edited
in a portfolio folder is never served. The server (:mod:`.server`) answers only this
run's token, only on 127.0.0.1, only the generated pages and the learner's built HTML,
and caps its kernels; kernels run in Python's safe-path mode, so nothing beside a
notebook is imported in place of the toolkit. The template ``cpc306`` is Voilà's ``lab``
template without the Font Awesome stylesheet it links from a CDN, without the cells that
explain JupyterLab, and with the app's own stylesheet. Nothing loads from another machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO

from ..errors import UsageError
from ..files.templates import template_path
from ..portfolio.layout import EXPORTS_DIR
from ..portfolio.store import Portfolio
from .gate import MAX_KERNELS, SETTINGS_ENV, TOKEN_ENV, max_kernels
from .generate import PORTFOLIO_ENV, START_NOTEBOOK, template_names, write_notebooks
from .opening import opening_page, stop_on_hangup
from .page_cache import generation_key, stamped_pages, write_stamp
from .page_request import wait_for_page as wait_for_page  # what each page cell calls
from .readiness import READY_FILE, wait_listening, wait_ready
from .server_start import (
    SERVER_MODULE,
    PrestartedServer,
    connection_root,
    hand_settings,
    safe_python,
    working_folder,
)
from .warm_kernel import PROVISIONER as WARM_PROVISIONER

HOST = "127.0.0.1"
#: Where the app's pages are generated (default: the user's cache folder, ``cpc306/app``).
HOME_ENV = "CPC306_APP_HOME"
TEMPLATE = "cpc306"
NOTEBOOKS_DIR = "notebooks"
#: A page kernel (about 120 MB) with no page connected is stopped after this many idle
#: seconds; a kernel whose page is open is never culled (cull_connected stays False).
CULL_IDLE_SECONDS = 120
#: After a cell's reply, the longest wait for the rest of its output (nbclient's default is 4
#: s, and then the output is silently dropped: under load a page then came without its form
#: and stayed "Loading…"). As long as the page's own "taking much longer" message.
IOPUB_WAIT_SECONDS = 60
#: The page Voilà pre-heats (imports done, page built ahead) as it starts: the home page.
#: The server pre-heats a bounded few more later, near each page opened (:mod:`.server`).
PREHEATED = (f"{NOTEBOOKS_DIR}/{START_NOTEBOOK}",)
#: Seconds at least before Voilà starts a new pre-heated kernel for a page that took its last
#: one (and not before that page has settled: a kernel starting sooner would slow it).
REFILL_DELAY = 1.5
#: Where Voilà's own temporary files go inside the run's folder (removed when it stops).
CONNECTIONS_ARG = "--Voila.connection_dir_root="
#: Each running server's temporary folder, removed by :func:`stop_app`.
_RUN_FOLDERS: weakref.WeakKeyDictionary[subprocess.Popen[bytes], tuple[Path, ...]] = (
    weakref.WeakKeyDictionary()
)


def template_root() -> Path:
    """The folder to put on ``JUPYTER_PATH`` so Voilà finds the ``cpc306`` template."""
    return template_path("app")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def new_token() -> str:
    """A fresh key for one run of the app (a restart prints a new address)."""
    return secrets.token_urlsafe(32)


def app_url(port: int, page: str = START_NOTEBOOK, token: str = "") -> str:
    """The address of one page of the app (with the run's token, for the first visit)."""
    url = f"http://{HOST}:{port}/voila/render/{NOTEBOOKS_DIR}/{page}"
    return f"{url}?token={token}" if token else url


def app_folder(portfolio: Path, kind: str = "app") -> Path:
    """Where the app's pages for one portfolio are generated: the user's cache, per portfolio.

    Never inside the portfolio (a folder the learner hands to others, and one anyone may
    have written), so nothing a portfolio carries can become one of the app's pages.
    ``kind`` keeps the assessor's workspace (``assess``) apart from a learner's app.
    """
    import platformdirs

    home = Path(os.environ.get(HOME_ENV) or platformdirs.user_cache_dir("cpc306", False))
    root = portfolio.resolve()
    digest = hashlib.sha256(str(root).encode("utf-8")).hexdigest()[:16]
    folder = home.expanduser().resolve() / kind / digest
    if folder.is_relative_to(root):
        raise UsageError(
            f"{folder}: the app's pages would be inside the portfolio {root}",
            hint=f"set {HOME_ENV} to a folder outside it",
        )
    return folder


def fresh_pages_folder(folder: Path) -> Path:
    """``folder/notebooks``, with anything else in ``folder`` removed; private to the user."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)  # the portfolio's pages and path: the user's alone
    for stray in folder.iterdir():
        if stray.name != NOTEBOOKS_DIR:
            shutil.rmtree(stray) if stray.is_dir() and not stray.is_symlink() else stray.unlink()
    return folder / NOTEBOOKS_DIR


def remove_strays(pages: Path, written: set[str]) -> list[str]:
    """Remove from ``pages`` whatever is not in ``written``; the pages' paths, as served."""
    for stray in pages.iterdir():
        if stray.name not in written:
            shutil.rmtree(stray) if stray.is_dir() and not stray.is_symlink() else stray.unlink()
    return [f"{NOTEBOOKS_DIR}/{name}" for name in sorted(written)]


def write_app_pages(folder: Path, folio: Portfolio) -> list[str]:
    """Generate the portfolio's pages into ``folder/notebooks`` afresh; return their paths.

    Anything else in ``folder`` (a page from an older unit, a file someone put there) is
    removed, so the server's folder holds exactly what the toolkit generates now. Pages
    that are exactly as generated last time from the same inputs are kept (:mod:`.page_cache`).
    """
    pages = fresh_pages_folder(folder)
    path = folio.root.resolve().as_posix()
    key = generation_key(folio.standard, path, template_names())
    kept = stamped_pages(pages, key)
    if kept is not None:
        return [f"{NOTEBOOKS_DIR}/{name}" for name in kept]
    report = write_notebooks(pages, folio.standard, portfolio_path=path, overwrite_changed=True)
    written = {p.name for p in [*report, *report.unchanged, *report.skipped]}
    served = remove_strays(pages, written)
    write_stamp(pages, key, written)
    return served


def voila_command(
    root: Path, port: int, extra: Sequence[str] = (), kernels: int = MAX_KERNELS
) -> list[str]:
    """The command that serves the app's folder with Voilà (behind our gate) on 127.0.0.1."""
    return [
        sys.executable,
        "-m",
        SERVER_MODULE,
        str(root),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={HOST}",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        "--theme=light",
        "--show_tracebacks=False",
        # IPC: no TCP ports to collide on, and no "running over TCP without encryption" line.
        "--KernelManager.transport=ipc",
        "--preheat_kernel=True",
        # Voilà's own refill of a page that took its last pre-heated kernel (see
        # preheat.refill_one_at_a_time): no sooner, and once the page has settled.
        f"--VoilaKernelManager.fill_delay={REFILL_DELAY}",
        "--VoilaConfiguration.multi_kernel_manager_class="
        "cpc306_portfolio.notebooks.server.CappedKernelManager",
        f"--CappedKernelManager.max_kernels={kernels}",
        # The first kernel is a process that imported as the server did (.warm_kernel).
        f"--KernelProvisionerFactory.default_provisioner_name={WARM_PROVISIONER}",
        # A page's cells run as soon as its kernel answers (.page_client).
        "--KernelManager.client_factory=cpc306_portfolio.notebooks.page_client.PageKernelClient",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        f"--VoilaExecutor.iopub_timeout={IOPUB_WAIT_SECONDS}",
        "--MappingKernelManager.cull_interval=60",
        *extra,
    ]


def voila_config(preheated: Sequence[str] = PREHEATED) -> dict[str, object]:
    """What ``voila.json`` in Voilà's working folder says: pre-heat only the ``preheated`` pages."""
    # Voilà matches this against absolute paths at start-up and relative ones later.
    deny = "^(?!(.*/)?(" + "|".join(re.escape(p) for p in preheated) + ")$).*"
    return {"VoilaKernelManager": {"preheat_denylist": [deny]}}


def app_environment(
    base: Mapping[str, str] | None = None,
    *,
    token: str = "",
    pages: Sequence[str] = (),
    exports: Path | None = None,
    portfolio: Path | None = None,
    start: str = f"{NOTEBOOKS_DIR}/{START_NOTEBOOK}",
    settings: Mapping[str, object] | None = None,
) -> dict[str, str]:
    """The environment Voilà (and so every page kernel) runs in.

    Our template first on ``JUPYTER_PATH``; Python's safe-path mode, so no kernel puts its
    working folder (or a relative ``PYTHONPATH`` entry) before the installed toolkit; the
    run's token and settings for :mod:`.server`, which takes the token out again before any
    kernel starts.
    """
    env = safe_python(os.environ if base is None else base)
    paths = [str(template_root()), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    if portfolio is not None:
        env[PORTFOLIO_ENV] = str(portfolio.resolve())
    if token:
        env[TOKEN_ENV] = token
    ours = {"pages": list(pages), "start": start, "exports": str(exports or "")}
    env[SETTINGS_ENV] = json.dumps({**ours, **(settings or {})})
    return env


def start_app(
    root: Path,
    port: int,
    *,
    token: str,
    pages: Sequence[str],
    portfolio: Path | None,
    log: IO[bytes] | int | None = None,
    env: Mapping[str, str] | None = None,
    extra: Sequence[str] = (),
    start: str = f"{NOTEBOOKS_DIR}/{START_NOTEBOOK}",
    settings: Mapping[str, object] | None = None,
    listening: Callable[[], object] | None = None,
    server: PrestartedServer | None = None,
) -> subprocess.Popen[bytes]:
    """Start the app's server on its folder; return once its start page is ready to show.

    ``server``: one :func:`~.server_start.prestart` gave (it imported while the caller
    prepared).

    ``listening`` is called as soon as the server listens (the browser is opened then: a
    request that comes before the page is ready waits for its pre-heated kernel).

    That is, once the start page's pre-heated kernel has built it (:mod:`.readiness`), or
    after :data:`~.readiness.READY_WAIT` seconds at most. The caller stops the server.
    Voilà reads ``voila.json`` and ``voila.py`` from its working folder: it runs in a fresh
    folder of ours, never in the portfolio (a ``voila.py`` there would run as code).
    """
    kernels = max_kernels(os.environ if env is None else env)
    workdir = server.workdir if server else working_folder()
    preheated = (start,)
    (workdir / "voila.json").write_text(json.dumps(voila_config(preheated)), encoding="utf-8")
    # Voilà's connection files go in a folder of this run's own, removed with it.
    connections = server.connections if server else connection_root()
    extra = [f"{CONNECTIONS_ARG}{connections}", *extra]
    environment = app_environment(
        env,
        token=token,
        pages=pages,
        exports=portfolio / EXPORTS_DIR if portfolio else None,
        portfolio=portfolio,
        start=start,
        settings={**(settings or {}), "ready": str(workdir / READY_FILE)},
    )
    command = voila_command(root, port, extra, kernels)
    if server is not None:
        process = server.process
        hand_settings(server, command, environment)
    else:
        process = subprocess.Popen(
            command,
            cwd=str(workdir),
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT if log is not None else None,
        )
    _RUN_FOLDERS[process] = (workdir, connections)
    try:
        wait_listening(port, process)
        if listening is not None:
            listening()
        wait_ready(workdir / READY_FILE, process)
    except BaseException:
        stop_app(process)
        raise
    return process


def stop_app(process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """Stop Voilà (and its page kernels) as Ctrl-C would; kill it if it will not stop.

    Then remove the run's temporary folder (Voilà's working and connection files).
    """
    if process.poll() is None:
        process.terminate()  # Voilà handles SIGTERM like SIGINT: it shuts its kernels down
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
    _remove_run_folder(process)


def _remove_run_folder(process: subprocess.Popen[bytes]) -> None:
    for folder in _RUN_FOLDERS.pop(process, ()):
        shutil.rmtree(folder, ignore_errors=True)


def serve_app(
    folio: Portfolio,
    *,
    port: int | None = None,
    open_browser: bool = True,
    echo: Callable[[str], None] = print,
    log: IO[bytes] | None = None,
    env: Mapping[str, str] | None = None,
    opener: Callable[[str], object] | None = None,
    server: PrestartedServer | None = None,
) -> int:
    """Generate the pages, serve them until Ctrl-C; print the URL first. 0 on a clean stop.

    ``server``: one :func:`~.server_start.prestart` gave (it imported meanwhile).
    """
    folder = app_folder(folio.root)
    pages = write_app_pages(folder, folio)
    return serve_pages(
        folder,
        pages,
        portfolio=folio.root,
        port=port,
        open_browser=open_browser,
        echo=echo,
        log=log,
        env=env,
        opener=opener,
        server=server,
    )


def serve_pages(
    folder: Path,
    pages: Sequence[str],
    *,
    start: str = START_NOTEBOOK,
    portfolio: Path | None = None,
    settings: Mapping[str, object] | None = None,
    label: str = "your portfolio",
    port: int | None = None,
    open_browser: bool = True,
    echo: Callable[[str], None] = print,
    log: IO[bytes] | None = None,
    env: Mapping[str, str] | None = None,
    opener: Callable[[str], object] | None = None,
    server: PrestartedServer | None = None,
) -> int:
    """Serve generated ``pages`` (``start`` first) behind the gate until Ctrl-C; 0 on a clean stop.

    The learner's app and the assessor's workspace both run through here.
    """
    port = port or free_port()
    token = new_token()
    restore_signals = stop_on_hangup()
    url = app_url(port, start, token=token)
    if opener is None:
        import webbrowser

        opener = webbrowser.open
    browser = opener if open_browser else None
    try:
        process = start_app(
            folder,
            port,
            token=token,
            pages=pages,
            portfolio=portfolio,
            log=log,
            env=env,
            start=f"{NOTEBOOKS_DIR}/{start}",
            settings=settings,
            listening=(lambda: browser(opening_page(folder, url, label).as_uri()))
            if browser
            else None,
            server=server,
        )
        return _until_stopped(process, url, echo)
    except KeyboardInterrupt:  # while Voilà was starting (start_app stopped it)
        echo("Stopping…")
        return 0
    finally:
        restore_signals()


def _until_stopped(process: subprocess.Popen[bytes], url: str, echo: Callable[[str], None]) -> int:
    """Print the address, wait for Voilà or Ctrl-C, then stop Voilà."""
    echo(url)
    try:
        echo(
            "Open that address in your web browser if it did not open; it carries this run's "
            "key, so keep it to yourself. Ctrl-C here stops the app."
        )
        while process.poll() is None:
            time.sleep(0.5)
        return int(process.returncode or 0)
    except KeyboardInterrupt:
        echo("Stopping…")
        return 0
    finally:
        stop_app(process)
