"""The kernel client Voilà runs each page's cells with: ready as soon as the kernel is.

jupyter_client's ``wait_for_ready`` asks the kernel for its info and, once the reply came
and IOPub delivered a message, reads IOPub on until it has been silent for 0.2 s. Every
page's kernel waited those 0.2 s before its first cell ran, the start page's as the app
starts among them (measured: kernel_info answered at 1.21 s, the first cell asked for at
1.42 s). :class:`PageKernelClient` stops reading once IOPub has delivered the kernel's
idle status for that request, the last message the request makes: IOPub is then
connected, and the request's messages read, as before. When IOPub delivers nothing (not
connected yet), it asks again, as jupyter_client does.

The app's server makes it its kernels' client (``--KernelManager.client_factory``).
"""

from __future__ import annotations

import math
import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient

#: The longest silence on IOPub before what came is taken as all there is (jupyter_client's).
IOPUB_QUIET = 0.2
#: How long one kernel_info request waits for its reply before it is asked again.
REPLY_WAIT = 1.0


class PageKernelClient(AsyncKernelClient):  # type: ignore[misc]
    """jupyter_client's asynchronous client, without the 0.2 s wait once the kernel answered."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Return once the kernel answered its info request and IOPub is connected."""
        deadline = time.monotonic() + (math.inf if timeout is None else timeout)
        while True:
            asked = self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=REPLY_WAIT)
            except Empty:
                reply = None
            answered = reply is not None and reply["msg_type"] == "kernel_info_reply"
            if answered and await self._iopub_connected(asked):
                self._handle_kernel_info_reply(reply)
                return
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    async def _iopub_connected(self, asked: str) -> bool:
        """Read IOPub up to the idle status of request ``asked``; False if nothing came."""
        came = False
        while True:
            try:
                message: dict[str, Any] = await self.iopub_channel.get_msg(timeout=IOPUB_QUIET)
            except Empty:
                return came
            came = True
            idle = message["msg_type"] == "status" and (
                message["content"].get("execution_state") == "idle"
            )
            if idle and message["parent_header"].get("msg_id") == asked:
                return True
