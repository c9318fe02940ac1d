"""The learner's app around Voilà, without Voilà: its command, its settings, start and stop.

A few lines of Python stand in for Voilà where a process is needed; `test_app_browser.py`
runs the real thing in Chromium.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cpc306_portfolio import PortfolioError
from cpc306_portfolio.notebooks import app
from cpc306_portfolio.notebooks.app import (
    CULL_IDLE_SECONDS,
    HOME_ENV,
    HOST,
    PREHEATED,
    app_environment,
    app_url,
    free_port,
    serve_app,
    start_app,
    stop_app,
    template_root,
    voila_command,
    voila_config,
    wait_for_page,
    wait_listening,
)
from cpc306_portfolio.notebooks.server import EXPORT_PATTERN

#: Listens on the port given as argv[1] and says its start page is ready, until stopped:
#: Voilà as far as start_app can tell.
LISTENER = (
    "import json, os, socket, sys, time\n"
    "s = socket.socket()\n"
    "s.bind(('127.0.0.1', int(sys.argv[1])))\n"
    "s.listen()\n"
    "ready = json.loads(os.environ.get('CPC306_APP_SETTINGS', '{}')).get('ready')\n"
    "if ready:\n"
    "    open(ready, 'w').close()\n"
    "time.sleep(60)\n"
)
#: Ignores SIGTERM, as a stuck server would.
STUBBORN = "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(60)\n"


def _python(code: str, *args: str, **kwargs) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", code, *args], **kwargs)


def test_the_address_names_the_page_under_notebooks_on_127_0_0_1():
    assert app_url(8866) == "http://127.0.0.1:8866/voila/render/notebooks/00_start_here.ipynb"
    assert app_url(9000, "A2.ipynb").endswith(":9000/voila/render/notebooks/A2.ipynb")


def test_a_free_port_can_be_bound_at_once():
    port = free_port()
    assert 0 < port < 65536
    import socket

    with socket.socket() as s:
        s.bind((HOST, port))


def test_voila_serves_only_built_portfolios_on_the_loopback_with_no_tracebacks(tmp_path):
    command = voila_command(tmp_path, 8123, ["--debug"])
    # Voilà behind the app's gate (notebooks/server.py), in its own process, which first
    # starts the process its first page kernel will be (notebooks/serve.py).
    assert command[:4] == [sys.executable, "-m", "cpc306_portfolio.notebooks.serve", str(tmp_path)]
    assert "--KernelProvisionerFactory.default_provisioner_name=cpc306-warm-kernel" in command
    assert "--port=8123" in command and "--Voila.ip=127.0.0.1" in command
    assert "--Voila.port_retries=0" in command  # a taken port is an error, not another port
    assert "--show_tracebacks=False" in command and "--template=cpc306" in command
    assert f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}" in command
    # The file route serves the portfolio's exports/ folder, built pages only, one level.
    pattern = re.compile(EXPORT_PATTERN)
    assert pattern.fullmatch("sample-portfolio.html")
    for refused in ("E001.yaml", "sub/x.html", "portfolio.yaml", "x.htm"):
        assert not pattern.fullmatch(refused), refused
    assert command[-1] == "--debug"  # extra arguments come last, so they win


def test_only_the_home_page_is_preheated():
    (deny,) = voila_config()["VoilaKernelManager"]["preheat_denylist"]  # type: ignore[index]
    pattern = re.compile(deny)
    assert PREHEATED == ("notebooks/00_start_here.ipynb",)
    for path in ("notebooks/00_start_here.ipynb", "/srv/folio/notebooks/00_start_here.ipynb"):
        assert not pattern.match(path), path  # not denied: pre-heated
    for path in ("notebooks/A1.ipynb", "/srv/folio/notebooks/export.ipynb", "00_start_here"):
        assert pattern.match(path), path


def test_the_template_comes_first_on_jupyter_path_and_the_rest_is_kept():
    env = app_environment({"JUPYTER_PATH": os.pathsep.join(["/a", "", "/b"]), "HOME": "/h"})
    assert env["JUPYTER_PATH"].split(os.pathsep) == [str(template_root()), "/a", "/b"]
    assert env["HOME"] == "/h" and env["PYTHONUNBUFFERED"] == "1"
    assert app_environment({"PYTHONUNBUFFERED": "0"})["PYTHONUNBUFFERED"] == "0"
    assert app_environment({})["JUPYTER_PATH"] == str(template_root())


def test_the_template_folder_holds_the_cpc306_voila_template():
    root = template_root()
    assert (root / "voila" / "templates" / "cpc306").is_dir()


def test_a_page_waits_only_in_a_preheated_kernel(monkeypatch):
    called = []
    from cpc306_portfolio.notebooks import page_request

    def asked() -> None:
        called.append(True)
        os.environ["SERVER_SOFTWARE"] = "voila"  # what Voilà sets when the page is asked for

    monkeypatch.setenv("SERVER_SOFTWARE", "")  # restored after the test
    monkeypatch.setattr(page_request, "wait_for_request", asked)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    wait_for_page()
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    wait_for_page()
    assert called == []
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    wait_for_page()
    assert called == [True]


def test_a_preheated_page_waits_on_when_voila_gives_up_waiting(monkeypatch):
    """Voilà's wait returns with nothing after 5 s when its websocket did not open (a loaded
    machine): the page was not asked for, so the kernel waits again, until it is."""
    calls = []

    def wait_for_request() -> None:
        calls.append(True)
        if len(calls) == 3:  # the third try gets the request
            os.environ["SERVER_SOFTWARE"] = "voila/0.5.13"

    from cpc306_portfolio.notebooks import page_request

    monkeypatch.setattr(page_request, "wait_for_request", wait_for_request)
    monkeypatch.setattr(page_request, "PAGE_WAIT_RETRY_SECONDS", 0.0)
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("SERVER_SOFTWARE", "left from an earlier request")
    wait_for_page()
    assert len(calls) == 3


def test_waiting_ends_when_the_port_listens():
    port = free_port()
    process = _python(LISTENER, str(port))
    try:
        wait_listening(port, process, timeout=30)
        assert process.poll() is None
    finally:
        stop_app(process)
    assert process.returncode is not None


def test_voila_exiting_while_starting_is_an_error_with_its_exit_code():
    process = _python("import sys; sys.exit(3)")
    process.wait(timeout=30)
    with pytest.raises(PortfolioError, match=r"stopped while starting \(exit code 3\)") as caught:
        wait_listening(free_port(), process, timeout=30)
    assert caught.value.hint == "read its log for the reason"


def test_a_port_that_never_listens_is_an_error_after_the_timeout():
    process = _python("import time; time.sleep(30)")
    try:
        started = time.monotonic()
        with pytest.raises(PortfolioError, match=r"did not listen on 127\.0\.0\.1:\d+ within 1 s"):
            wait_listening(free_port(), process, timeout=1)
        assert time.monotonic() - started < 10
    finally:
        stop_app(process)


def test_stopping_a_stopped_app_does_nothing():
    process = _python("pass")
    process.wait(timeout=30)
    stop_app(process)
    assert process.returncode == 0


def test_an_app_that_ignores_the_stop_signal_is_killed():
    process = _python(STUBBORN)
    time.sleep(0.5)  # let it install its handler
    stop_app(process, timeout=1)
    assert process.returncode == -9


def _fake_voila(monkeypatch, code: str = LISTENER) -> list[dict]:
    """Make start_app run ``code`` (with the port) instead of Voilà; record how it ran."""
    runs: list[dict] = []
    real = subprocess.Popen

    def popen(command, **kwargs):
        runs.append({"command": command, **kwargs})
        port = next(c for c in command if c.startswith("--port=")).split("=")[1]
        return real([sys.executable, "-c", code, port], **kwargs)

    monkeypatch.setattr(app.subprocess, "Popen", popen)
    return runs


def test_start_app_runs_voila_in_a_fresh_folder_never_the_portfolio(tmp_path, monkeypatch):
    runs = _fake_voila(monkeypatch)
    port = free_port()
    folio = tmp_path / "folio"
    folio.mkdir()
    (folio / "voila.py").write_text("raise SystemExit('a voila.py in the portfolio ran')\n")
    process = start_app(
        folio, port, token="k", pages=[], portfolio=folio, env={"JUPYTER_PATH": "/theirs"}
    )
    try:
        (run,) = runs
        workdir = Path(run["cwd"])
        assert workdir != folio and workdir.name.startswith("cpc306-voila-")
        assert json.loads((workdir / "voila.json").read_text()) == voila_config()
        # Voilà's connection files go in a folder of the run's own with a short path (a
        # kernel's socket path must fit in about 100 bytes), which stopping removes too.
        (connections,) = [
            Path(arg.partition("=")[2])
            for arg in run["command"]
            if arg.startswith("--Voila.connection_dir_root=")
        ]
        assert run["command"] == voila_command(
            folio, port, [f"--Voila.connection_dir_root={connections}"]
        )
        assert connections.is_dir() and len(str(connections)) + 64 < 100
        assert run["env"]["JUPYTER_PATH"].endswith(os.pathsep + "/theirs")
        assert run["stderr"] is None  # no log given: Voilà writes to the terminal
    finally:
        stop_app(process)
    assert not workdir.exists() and not connections.exists()


def test_start_app_stops_voila_and_raises_when_it_dies_while_starting(tmp_path, monkeypatch):
    _fake_voila(monkeypatch, "import sys; sys.exit(7)")
    with pytest.raises(PortfolioError, match="exit code 7"):
        start_app(tmp_path, free_port(), token="k", pages=[], portfolio=tmp_path)


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """The app's pages go to a throwaway cache folder, never the user's own."""
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _forwards_to(uri: str) -> str:
    """The address a local opening page (``file://...``) forwards the browser to."""
    text = Path(uri.removeprefix("file://")).read_text()
    return text.split("url=", 1)[1].split('"', 1)[0]


def test_serve_app_prints_the_address_opens_it_and_returns_voilas_exit_code(
    portfolio, cache, monkeypatch
):
    _fake_voila(monkeypatch, LISTENER.replace("time.sleep(60)", "time.sleep(1)"))
    said, opened = [], []
    code = serve_app(portfolio, port=free_port(), echo=said.append, opener=opened.append)
    assert code == 0
    assert said[0].startswith("http://127.0.0.1:") and "?token=" in said[0]
    (uri,) = opened
    assert uri.startswith("file://") and _forwards_to(uri) == said[0]
    assert "Ctrl-C here stops the app" in said[1]


def test_serve_app_without_a_browser_opens_nothing(portfolio, cache, monkeypatch):
    _fake_voila(monkeypatch, LISTENER.replace("time.sleep(60)", "time.sleep(1)\nsys.exit(4)"))
    opened = []
    code = serve_app(portfolio, open_browser=False, echo=lambda _: None, opener=opened.append)
    assert code == 4 and opened == []


def test_ctrl_c_stops_the_app_cleanly(portfolio, cache, monkeypatch):
    _fake_voila(monkeypatch)
    said: list[str] = []
    processes = []
    real_stop = app.stop_app

    def stop(process, *args):
        processes.append(process)
        real_stop(process, *args)

    def interrupt(url):
        raise KeyboardInterrupt

    monkeypatch.setattr(app, "stop_app", stop)
    assert serve_app(portfolio, echo=said.append, opener=interrupt) == 0
    assert said[-1] == "Stopping…"
    (process,) = processes
    assert process.poll() is not None  # Voilà was stopped, not left running


def test_serve_app_opens_the_system_browser_when_no_opener_is_given(portfolio, cache, monkeypatch):
    _fake_voila(monkeypatch, LISTENER.replace("time.sleep(60)", "time.sleep(1)"))
    opened = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    said: list[str] = []
    assert serve_app(portfolio, echo=said.append) == 0
    assert [_forwards_to(uri) for uri in opened] == [said[0]]
