"""A page kernel's process started before it is needed, so the first page opens sooner.

A page kernel spends about half a second importing (ipykernel, IPython, ipywidgets, the
toolkit's pages) before it can build its page. The app's server used to start the start
page's kernel only once it listened, so those imports came after the server's own (Voilà,
Jupyter Server), one after the other, while the machine's second core sat idle. Now the
server's first step (:mod:`.serve`) starts one such process, which imports everything a
page kernel needs and then waits on its standard input; the first kernel the server
launches is that process (:class:`~.warm_provisioner.WarmProvisioner`), handed the
kernel's arguments, environment and working folder, and it runs ipykernel exactly as
``python -m ipykernel_launcher`` would.

Only a launch that is exactly the standard one (the command ``python -m ipykernel_launcher
-f CONNECTION``, nothing redirected, the environment the process started with but for what
a page reads only as it runs: :func:`same_environment`) is handed over; anything else
starts a kernel as before. The process waiting is the
server's own child, in a session of its own as every kernel is, and ends with the server
(its standard input closes) if it was never used.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from typing import Any

WARM_MODULE = "cpc306_portfolio.notebooks.warm_kernel"
#: Its provisioner's name (the entry point in pyproject.toml), the app server's default.
PROVISIONER = "cpc306-warm-kernel"
#: The prefix of the toolkit's own environment variables.
OWN_SETTINGS = "CPC306_"
#: What a kernel's launch may set that the process started ahead lacked: read only once a
#: page runs (the toolkit's settings, Voilà's, the template's path), never on import.
SET_AT_LAUNCH = (OWN_SETTINGS, "VOILA_", "JUPYTER_PATH")
#: The launcher every page kernel's command names (the Python kernel's own spec).
LAUNCHER = "ipykernel_launcher"
#: A page kernel's command line names one of these (a kernel started as usual, or ahead).
KERNEL_MARKS = (LAUNCHER, WARM_MODULE)
#: What a page kernel imports anyway, imported ahead in the process that waits.
IMPORTS = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipywidgets",
    "cpc306_portfolio.notebooks.pages",
    "cpc306_portfolio.notebooks.prebuild",
    "websockets.asyncio.client",
    "yaml",
    "phonenumbers",
)
#: The kernel's settings are one line on a pipe: larger than a pipe holds, the server would
#: wait for the process to finish importing; such a launch starts a kernel as before.
MAX_SETTINGS_BYTES = 60_000
#: What a launch may carry besides the environment and working folder and still be handed over.
_PLAIN_KEYWORDS = frozenset({"env", "cwd", "kernel_id", "extra_arguments"})

_waiting: list[tuple[subprocess.Popen[bytes], dict[str, str]]] = []


def same_environment(started_with: Mapping[str, str], launch: Mapping[str, str]) -> bool:
    """True if a process started with ``started_with`` may run a kernel launched with ``launch``.

    Python reads some variables as it starts (``PYTHON*``), and some modules as they are
    imported (ipykernel takes ``JPY_PARENT_PID`` then): every variable must be the same on
    both sides, but for those the page reads only as it runs (:data:`SET_AT_LAUNCH`).
    """
    names = set(started_with) | set(launch)
    return all(
        started_with.get(name) == launch.get(name)
        for name in names
        if not str(name).startswith(SET_AT_LAUNCH)
    )


def start_warm(env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start a process that imports what a page kernel needs, then waits to become one.

    It starts with ``env`` (default: this process's) without the toolkit's own settings
    (``CPC306_*``, the run's key among them: a process's first environment stays readable
    in ``/proc`` after it changes); the kernel's whole environment comes with the launch.
    """
    given = os.environ if env is None else env
    environment = {k: v for k, v in given.items() if not k.startswith(OWN_SETTINGS)}
    environment["JPY_PARENT_PID"] = str(os.getpid())  # its parent, as a kernel's launch says
    process = subprocess.Popen(
        [sys.executable, "-m", WARM_MODULE],
        stdin=subprocess.PIPE,
        env=environment,
        start_new_session=True,  # as jupyter_client starts every kernel
    )
    if not _waiting:
        atexit.register(stop_waiting)
    _waiting.append((process, environment))
    return process


def stop_waiting() -> None:
    """End the processes started ahead that no kernel launch took."""
    while _waiting:
        _end(_waiting.pop()[0])


def connection_file(cmd: Sequence[str]) -> str | None:
    """The connection file of a standard kernel command; None for any other command."""
    parts = list(cmd)
    if len(parts) == 5 and parts[:4] == [sys.executable, "-m", LAUNCHER, "-f"]:
        return parts[4]
    return None


def take(cmd: Sequence[str], launch: Mapping[str, Any]) -> subprocess.Popen[bytes] | None:
    """Hand one waiting process the kernel launch ``cmd`` with ``launch``'s keywords.

    Returns the process, now the kernel; None when there is none waiting or the launch is
    not a standard one (the caller then starts the kernel itself).
    """
    path = connection_file(cmd)
    extra = {k for k, v in launch.items() if k not in _PLAIN_KEYWORDS and v is not None}
    if path is None or extra or launch.get("extra_arguments") or not _waiting:
        return None
    process, started_with = _waiting.pop(0)
    env = dict(launch.get("env") or os.environ)
    env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launch_kernel sets it
    message = json.dumps(
        {"argv": ["-f", path], "env": env, "cwd": str(launch.get("cwd") or os.getcwd())}
    ).encode("utf-8")
    usable = same_environment(started_with, env) and len(message) <= MAX_SETTINGS_BYTES
    if process.poll() is not None or not usable:
        _end(process)
        return None
    assert process.stdin is not None
    try:
        process.stdin.write(message + b"\n")
        process.stdin.flush()
    except OSError:  # it stopped meanwhile
        _end(process)
        return None
    return process  # its standard input stays open, as a kernel's does (jupyter_client's PIPE)


def _end(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started ahead that will not be a kernel."""
    if process.poll() is None:
        process.kill()
    process.wait()
    if process.stdin is not None:
        process.stdin.close()


def main() -> None:
    """In the process started ahead: import, wait for the kernel's settings, run the kernel."""
    import importlib
    import importlib.util

    for name in IMPORTS:
        try:
            importlib.import_module(name)
        except Exception:  # imported again by the page, which then shows what is wrong
            continue
    line = sys.stdin.buffer.readline()
    if not line.strip():
        return  # the server stopped, or started its kernels itself
    given = json.loads(line)
    os.chdir(given["cwd"])
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in given["env"].items()})
    spec = importlib.util.find_spec(LAUNCHER)
    sys.argv = [spec.origin if spec and spec.origin else LAUNCHER, *map(str, given["argv"])]
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()  # what launch_new_instance does, with one step between
    app.initialize()
    _registered_as_if_imported_now()
    app.start()


def _registered_as_if_imported_now() -> None:
    """What the modules imported ahead do as they are imported in a running kernel.

    ipywidgets registers its comm targets on import only when a kernel runs: imported
    before this one existed, it registered none, and the page's widgets then came one by
    one, slowly, instead of in one reply.
    """
    import ipywidgets

    ipywidgets.register_comm_target()


if __name__ == "__main__":
    main()
