"""The first page kernel is a process started ahead (notebooks/warm_kernel.py), and it is a
kernel like any other once launched: same answers, same widgets, same stop."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from cpc306_portfolio.notebooks import warm_kernel
from cpc306_portfolio.notebooks.warm_kernel import (
    PROVISIONER,
    connection_file,
    same_environment,
    start_warm,
    take,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="reads /proc")

#: What the kernel says of itself once a page's imports ran: the same in a kernel started
#: ahead as in one started as usual.
PROBE = """
import json, os, sys, comm
import ipywidgets
import cpc306_portfolio.notebooks.pages
from ipykernel.kernelapp import IPKernelApp
app = IPKernelApp.instance()
print(json.dumps({
    "cwd": os.getcwd(),
    "marker": os.environ.get("CPC306_WARM_TEST"),
    "parent": app.parent_handle,
    "targets": sorted(comm.get_comm_manager().targets),
    "argv": sys.argv[1:],
    "main": sys.modules["__main__"].__class__.__name__,
}))
"""


def test_only_the_standard_kernel_command_is_handed_over():
    standard = [sys.executable, "-m", "ipykernel_launcher", "-f", "/tmp/k.json"]
    assert connection_file(standard) == "/tmp/k.json"
    assert connection_file([*standard, "--debug"]) is None
    assert connection_file(["python", *standard[1:]]) is None  # another interpreter
    assert connection_file([sys.executable, "-m", "other_kernel", "-f", "/tmp/k.json"]) is None


def test_an_environment_differing_in_what_is_read_at_start_is_not_handed_over():
    base = {"PATH": "/bin", "PYTHONSAFEPATH": "1", "JPY_PARENT_PID": "10"}
    later = {**base, "CPC306_PORTFOLIO": "/p", "VOILA_PREHEAT": "True", "JUPYTER_PATH": "/t"}
    assert same_environment(base, later)  # only what a page reads as it runs was added
    assert not same_environment(base, {**later, "PYTHONSAFEPATH": "0"})
    assert not same_environment(base, {**later, "PYTHONPATH": "/elsewhere"})
    assert not same_environment(base, {**later, "JPY_PARENT_PID": "11"})  # read on import
    assert not same_environment(base, {k: v for k, v in later.items() if k != "PATH"})


def _environ(pid: int) -> dict[str, str]:
    """A process's first environment (empty for a moment while it is still being started)."""
    deadline = time.monotonic() + 10
    while not (raw := Path(f"/proc/{pid}/environ").read_bytes()) and time.monotonic() < deadline:
        time.sleep(0.01)
    return dict(item.decode().split("=", 1) for item in raw.split(b"\0") if b"=" in item)


def test_it_starts_without_the_toolkit_settings_and_names_its_parent(monkeypatch):
    monkeypatch.setenv("CPC306_APP_TOKEN", "secret-key")
    process = start_warm()
    try:
        env = _environ(process.pid)
        assert "CPC306_APP_TOKEN" not in env and not any(k.startswith("CPC306_") for k in env)
        assert env["JPY_PARENT_PID"] == str(os.getpid())
    finally:
        warm_kernel.stop_waiting()
    assert process.returncode is not None  # ended with the server, never a kernel


def _spec_folder(tmp_path: Path) -> Path:
    """A Python kernel spec whose kernels this provisioner launches."""
    folder = tmp_path / "kernels" / "warm"
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3",
        "language": "python",
        "metadata": {"kernel_provisioner": {"provisioner_name": PROVISIONER}},
    }
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return tmp_path / "kernels"


def _probe(manager: KernelManager) -> dict:
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        out: list[str] = []

        def keep(msg: dict) -> None:
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])

        reply = client.execute_interactive(PROBE, timeout=60, output_hook=keep)
        assert reply["content"]["status"] == "ok", reply["content"]
        return dict(json.loads("".join(out)))
    finally:
        client.stop_channels()


def _launch(tmp_path: Path, name: str, cwd: Path) -> KernelManager:
    specs = KernelSpecManager(kernel_dirs=[str(_spec_folder(tmp_path))])
    manager = KernelManager(kernel_name=name, kernel_spec_manager=specs)
    env = {**os.environ, "CPC306_WARM_TEST": "launched", "JPY_PARENT_PID": str(os.getpid())}
    manager.start_kernel(env=env, cwd=str(cwd))
    return manager


def test_a_kernel_started_ahead_answers_as_one_started_as_usual(tmp_path, monkeypatch):
    monkeypatch.delenv("CPC306_WARM_TEST", raising=False)
    monkeypatch.setenv("JPY_PARENT_PID", str(os.getpid()))
    pages = tmp_path / "pages"
    pages.mkdir()
    warm = start_warm()
    ahead = _launch(tmp_path, "warm", pages)
    try:
        assert ahead.provisioner.process is warm  # the process started ahead is the kernel
        seen = _probe(ahead)
        # The kernel a page would otherwise get (none waits now), started as usual.
        usual = _launch(tmp_path, "warm", pages)
        try:
            assert usual.provisioner.process is not warm
            assert "ipykernel_launcher" in " ".join(usual.provisioner.process.args)
            expected = _probe(usual)
        finally:
            usual.shutdown_kernel(now=False)
    finally:
        ahead.shutdown_kernel(now=False)
        warm_kernel.stop_waiting()
    seen["argv"][-1] = expected["argv"][-1] = "CONNECTION"  # each its own file
    assert seen == expected
    assert seen["cwd"] == str(pages) and seen["marker"] == "launched"
    assert seen["parent"] == os.getpid()  # it stops when its server does
    assert {"jupyter.widget", "jupyter.widget.control"} <= set(seen["targets"])
    assert warm.returncode is not None  # stopped with its kernel


def test_a_launch_in_another_python_setting_starts_a_kernel_as_usual(tmp_path, monkeypatch):
    warm = start_warm()
    cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", str(tmp_path / "k.json")]
    other = {**os.environ, "JPY_PARENT_PID": str(os.getpid()), "PYTHONHASHSEED": "7"}
    try:
        assert take(cmd, {"env": other, "cwd": str(tmp_path)}) is None
        warm.wait(timeout=10)  # it cannot become that kernel: ended, not left waiting
        assert take(cmd, {"env": other}) is None  # and none waits any more
        warm2 = start_warm()
        assert take([*cmd, "--debug"], {"env": other}) is None  # not a standard command
        assert warm2.poll() is None  # still waiting for a launch it can take
    finally:
        warm_kernel.stop_waiting()
