"""`cpc306 app` starts its server first, so Voilà imports while the portfolio is opened.

The server waits on its standard input for its arguments and environment (the run's token
among them, never on a command line); a command that stops before sending them leaves no
server and no folder behind.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cpc306_portfolio.notebooks import server_start
from cpc306_portfolio.notebooks.app import voila_command
from cpc306_portfolio.notebooks.server_start import (
    SERVER_MODULE,
    SETTINGS_FROM_STDIN,
    PrestartedServer,
    prestart,
)

from .conftest import run_cli


def test_a_server_whose_input_closes_ends_without_serving_or_a_traceback():
    process = subprocess.Popen(
        [sys.executable, "-m", SERVER_MODULE, SETTINGS_FROM_STDIN],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    out, _ = process.communicate(b"", timeout=120)
    assert process.returncode == 0, out
    assert b"Traceback" not in out and b"Voila" not in out


def test_a_prestarted_server_carries_no_setting_on_its_command_line_and_stops_clean():
    server = prestart()
    try:
        assert server.process.args[-3:] == ["-m", SERVER_MODULE, SETTINGS_FROM_STDIN]
        assert server.workdir.is_dir() and server.connections.is_dir()
    finally:
        server.stop()
    assert server.process.returncode is not None
    assert not server.workdir.exists() and not server.connections.exists()


def test_the_settings_sent_are_voilas_arguments_and_the_whole_environment(tmp_path: Path):
    class Pipe:
        def __init__(self) -> None:
            self.sent = b""
            self.closed = False

        def write(self, data: bytes) -> None:
            self.sent += data

        def close(self) -> None:
            self.closed = True

    class Process:
        stdin = Pipe()

    server = PrestartedServer(Process(), tmp_path, tmp_path)  # type: ignore[arg-type]
    command = voila_command(tmp_path, 8123)
    server_start.hand_settings(server, command, {"CPC306_TOKEN": "secret", "A": "b"})
    import json

    sent = json.loads(Process.stdin.sent)
    assert sent["argv"] == command[3:] and sent["argv"][0] == str(tmp_path)
    assert sent["env"] == {"CPC306_TOKEN": "secret", "A": "b"}
    assert Process.stdin.closed and server.handed


def test_app_on_a_folder_that_is_no_portfolio_stops_the_server_it_started(
    tmp_path: Path, monkeypatch
):
    started: list[PrestartedServer] = []

    def recorded(log=None) -> PrestartedServer:
        started.append(prestart(log))
        return started[-1]

    monkeypatch.setattr(server_start, "prestart", recorded)
    out = run_cli("app", tmp_path / "nothing here", "--no-browser", code=3)
    assert "not a portfolio" in out
    (server,) = started
    assert server.process.poll() is not None  # stopped, not left running
    assert not server.workdir.exists() and not server.connections.exists()
