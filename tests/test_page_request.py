"""A pre-heated page waits for its request as Voilà's helper does, without importing Voilà."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading

import pytest

from cpc306_portfolio.notebooks.app import free_port
from cpc306_portfolio.notebooks.page_request import query_url, wait_for_request


def test_the_query_address_is_voilas(monkeypatch):
    monkeypatch.setenv("VOILA_APP_PORT", "8123")
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
    monkeypatch.setenv("VOILA_SERVER_URL", "/base/")
    monkeypatch.delenv("VOILA_WS_BASE_URL", raising=False)
    monkeypatch.delenv("VOILA_APP_IP", raising=False)
    assert query_url() == "ws://127.0.0.1:8123/base/voila/query/k-1"


def test_outside_a_preheated_kernel_nothing_waits(monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("VOILA_APP_PORT", "1")  # nothing listens there: it would fail
    wait_for_request()


def test_the_request_details_arrive_in_the_environment(monkeypatch):
    import websockets

    port = free_port()
    asked: list[str] = []
    started = threading.Event()

    async def answer(socket) -> None:
        asked.append(socket.request.path)
        await socket.send(json.dumps({"QUERY_STRING": "a=1", "SERVER_PORT": str(port)}))

    async def serve() -> None:
        async with websockets.serve(answer, "127.0.0.1", port):
            started.set()
            await asyncio.Future()

    thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
    thread.start()
    assert started.wait(30)
    for name, value in {
        "VOILA_PREHEAT": "True",
        "VOILA_APP_PORT": str(port),
        "VOILA_KERNEL_ID": "kid",
        "VOILA_SERVER_URL": "/",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    wait_for_request()
    assert asked == ["/voila/query/kid"]
    assert os.environ["QUERY_STRING"] == "a=1"


@pytest.mark.parametrize("module", ["cpc306_portfolio.notebooks.app"])
def test_waiting_imports_no_voila(module):
    code = f"import {module}, sys\nprint('voila' in sys.modules, 'jupyter_server' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
