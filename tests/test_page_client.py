"""The page kernels' client (notebooks/page_client.py): ready once IOPub has delivered the
kernel's idle status for its info request, not after 0.2 s more of silence; asking again
while IOPub delivers nothing, as jupyter_client does."""

from __future__ import annotations

import asyncio
from queue import Empty
from typing import Any

from jupyter_client.manager import AsyncKernelManager

from cpc306_portfolio.notebooks.page_client import PageKernelClient


class Channel:
    """A channel that hands out the messages queued on it, then says Empty."""

    def __init__(self) -> None:
        self.queued: list[dict[str, Any]] = []
        self.waits: list[float | None] = []

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
        self.waits.append(timeout)
        if not self.queued:
            raise Empty
        return self.queued.pop(0)


def _status(state: str, parent: str) -> dict[str, Any]:
    return {
        "msg_type": "status",
        "content": {"execution_state": state},
        "parent_header": {"msg_id": parent},
    }


def _client(iopub_after: int) -> tuple[PageKernelClient, Channel, Channel, list[str]]:
    """A client whose kernel answers every info request, IOPub from request ``iopub_after``."""
    client = PageKernelClient()
    shell, iopub = Channel(), Channel()
    client._shell_channel, client._iopub_channel = shell, iopub
    asked: list[str] = []

    def kernel_info() -> str:
        msg_id = f"info-{len(asked)}"
        asked.append(msg_id)
        reply = {"protocol_version": "5.3"}
        shell.queued.append({"msg_type": "kernel_info_reply", "content": reply})
        if len(asked) > iopub_after:  # IOPub connected: the request's busy and idle come
            iopub.queued += [_status("busy", msg_id), _status("idle", msg_id)]
        return msg_id

    async def alive() -> bool:
        return True

    client.kernel_info = kernel_info  # type: ignore[method-assign]
    client.is_alive = alive  # type: ignore[method-assign]
    return client, shell, iopub, asked


def test_ready_once_the_request_is_idle_with_nothing_left_to_wait_for():
    client, _shell, iopub, asked = _client(iopub_after=0)
    asyncio.run(client.wait_for_ready(timeout=5))
    assert asked == ["info-0"]
    assert iopub.queued == []  # the request's messages read, as before
    assert len(iopub.waits) == 2  # busy, idle: no wait for a silence after them


def test_asks_again_while_iopub_delivers_nothing():
    client, _shell, iopub, asked = _client(iopub_after=2)
    asyncio.run(client.wait_for_ready(timeout=5))
    assert asked == ["info-0", "info-1", "info-2"]
    assert iopub.queued == []


def test_a_real_kernel_runs_code_once_ready():
    async def run() -> str:
        manager = AsyncKernelManager(client_factory=PageKernelClient)
        await manager.start_kernel()
        client = manager.client()
        assert isinstance(client, PageKernelClient)
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            msg_id = client.execute("print(6 * 7)")
            while True:
                message = await client.get_iopub_msg(timeout=30)
                if message["parent_header"].get("msg_id") != msg_id:
                    continue  # another request's message
                if message["msg_type"] == "stream":
                    return str(message["content"]["text"])
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)

    assert asyncio.run(run()).strip() == "42"
