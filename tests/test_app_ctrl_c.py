"""Ctrl-C in the terminal stops `cpc306 app` and leaves nothing in the temporary folder.

A terminal's Ctrl-C sends SIGINT to the whole foreground process group: the command, the
Voilà server it started and the page kernels. The test starts the command in a group of
its own (with a temporary folder of its own), opens the home page once so a kernel runs it,
then sends SIGINT to the group as the terminal would.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cpc306_portfolio.notebooks.app import free_port

from .conftest import SAMPLE

pytestmark = pytest.mark.kernel

START_TIMEOUT = 180.0


def _group(pgid: int) -> list[int]:
    """The processes still in a process group."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(child) for child in (task / "children").read_text().split()]
    return out


def _connection_root(cli: int) -> Path:
    """The kernels' connection folder of the app (it lies in /tmp).

    The server gets its arguments on its standard input, and its first kernel is a process
    started ahead (notebooks/warm_kernel.py), so no command line need name it; the sockets
    the app's kernels listen on lie in it: ``<root>/voila_<x>/kernel-<id>-ipc-N``.
    """
    inodes = set()
    for server in _children(cli):
        for kernel in _children(server):
            for fd in Path(f"/proc/{kernel}/fd").iterdir():
                with contextlib.suppress(OSError):
                    link = os.readlink(fd)
                    if link.startswith("socket:["):
                        inodes.add(link[len("socket:[") : -1])
    for line in Path("/proc/net/unix").read_text().splitlines()[1:]:
        fields = line.split()
        if len(fields) == 8 and fields[6] in inodes and "/kernel-" in fields[7]:
            found = Path(fields[7]).parent.parent
            if found.name.startswith("cpc306-"):
                return found
    raise AssertionError("no kernel of the app listens in its connection folder")


@pytest.mark.skipif(sys.platform == "win32", reason="a terminal's Ctrl-C is POSIX here")
def test_ctrl_c_stops_the_app_and_leaves_nothing_in_the_temporary_folder(tmp_path):
    folio = tmp_path / "folio"
    shutil.copytree(SAMPLE, folio)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "CPC306_APP_HOME": str(tmp_path / "cache")}
    env.update(JUPYTER_DATA_DIR=str(tmp_path / "data"), JUPYTER_CONFIG_DIR=str(tmp_path))
    env.pop("CPC306_PORTFOLIO", None)
    command = [sys.executable, "-m", "cpc306_portfolio.cli", "app", str(folio), "--no-browser"]
    command += ["--port", str(free_port())]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env=env, start_new_session=True
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        with urllib.request.urlopen(url, timeout=START_TIMEOUT) as response:
            assert response.status == 200
        connections = _connection_root(process.pid)
        assert connections.is_dir() and any(tmp.iterdir())  # the run's folders exist now
        os.killpg(process.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C
        rest, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    assert process.returncode == 0
    assert "Traceback" not in rest and "Stopping" in rest
    deadline = time.monotonic() + 20  # the kernels may take a moment after the server
    while _group(process.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _group(process.pid) == [], "a process of the app outlived Ctrl-C"
    assert sorted(p.name for p in tmp.iterdir()) == []
    assert not connections.exists()
