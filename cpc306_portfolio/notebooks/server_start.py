"""The app's server started before its settings are known, so it imports while we prepare.

``cpc306 app`` spends about half a second opening the portfolio and generating its pages,
and the server as long again importing Voilà and Jupyter Server before it can start the
start page's kernel. Done one after the other, those add up on the way to a usable Start
here; :func:`prestart_server` starts the server first, in its own fresh working folder and
Python's safe-path mode, and the server waits on its standard input for the rest.
:func:`hand_settings` gives it Voilà's arguments and the environment (the run's token
included: never on a command line, which every user of the machine can read) once known.
A command that stops before that closes the pipe, and the server ends without serving.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

#: The server's one argument when its settings come on standard input.
SETTINGS_FROM_STDIN = "--settings-from-stdin"
SERVER_MODULE = "cpc306_portfolio.notebooks.serve"
#: A kernel's IPC socket path must fit in about 100 bytes (sun_path: 108 on Linux, 104 on
#: macOS), and Voilà nests ``voila_XXXXXXXX/kernel-<uuid>-ipc-N`` (64 bytes) under its
#: connection folder: so that folder lies directly in /tmp where there is one, not under a
#: long TMPDIR (macOS's is about 50 bytes) or inside our working folder.
_SOCKET_ROOT = "/tmp"


def connection_root() -> Path:
    """A fresh private folder (mode 0700) with a short path, for the kernels' sockets."""
    root = (
        _SOCKET_ROOT if os.path.isdir(_SOCKET_ROOT) and os.access(_SOCKET_ROOT, os.W_OK) else None
    )
    return Path(tempfile.mkdtemp(prefix="cpc306-", dir=root))


def working_folder() -> Path:
    """A fresh folder of the run's own for the server to work in.

    Never the portfolio: Voilà reads ``voila.py`` and ``voila.json`` from its working folder.
    """
    return Path(tempfile.mkdtemp(prefix="cpc306-voila-"))


def safe_python(base: Mapping[str, str]) -> dict[str, str]:
    """``base`` for a Python of ours: safe-path mode, only absolute ``PYTHONPATH`` entries.

    So no server or kernel puts its working folder (or a relative entry) before the
    installed toolkit.
    """
    env = dict(base)
    env.setdefault("PYTHONUNBUFFERED", "1")
    env["PYTHONSAFEPATH"] = "1"
    kept = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and os.path.isabs(p)]
    if kept:
        env["PYTHONPATH"] = os.pathsep.join(kept)
    else:
        env.pop("PYTHONPATH", None)
    return env


@dataclass
class PrestartedServer:
    """A server process waiting for its settings, and the folders made for its run."""

    process: subprocess.Popen[bytes]
    workdir: Path
    connections: Path
    handed: bool = False

    def stop(self) -> None:
        """End it if it was never handed its settings; remove its folders.

        One that was handed them is the app's server, stopped by ``stop_app``: this only
        waits for it.
        """
        if not self.handed and self.process.poll() is None:
            self.process.terminate()  # it serves nothing yet: no kernel to shut down
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        for folder in (self.workdir, self.connections):
            shutil.rmtree(folder, ignore_errors=True)


def prestart(log: IO[bytes] | int | None = None) -> PrestartedServer:
    """Start the server in fresh folders of its run; it imports, then waits for its settings.

    Hand it to ``serve_app`` (or ``start_app``), which sends them; or :meth:`stop` it.
    """
    workdir = working_folder()
    process = subprocess.Popen(
        [sys.executable, "-m", SERVER_MODULE, SETTINGS_FROM_STDIN],
        cwd=str(workdir),
        env=safe_python(os.environ),
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
    )
    return PrestartedServer(process, workdir, connection_root())


def hand_settings(
    server: PrestartedServer, command: Sequence[str], environment: Mapping[str, str]
) -> None:
    """Give a prestarted server Voilà's arguments (``command`` after the module name)."""
    argv = list(command)
    arguments = argv[argv.index(SERVER_MODULE) + 1 :]
    message = json.dumps({"argv": arguments, "env": dict(environment)}) + "\n"
    stdin = server.process.stdin
    assert stdin is not None
    server.handed = True
    try:
        stdin.write(message.encode("utf-8"))
        stdin.close()
    except BrokenPipeError:  # it stopped already: the caller sees its exit code
        pass


def settings_from_stdin() -> dict[str, Any] | None:
    """In the server: the settings the command sends, or None when it sent none (it stopped).

    Standard input is then the null device (kernels inherit it).
    """
    line = sys.stdin.buffer.readline()
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    if not line.strip():
        return None
    given = json.loads(line)
    return {"argv": [str(a) for a in given["argv"]], "env": dict(given["env"])}
