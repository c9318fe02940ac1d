"""In a pre-heated page kernel: wait until the page is asked for, as Voilà's own helper does.

Voilà's ``voila.utils.wait_for_request`` connects to the server's ``/voila/query/<kernel>``
websocket and waits for the one message that carries the request's details (which it puts
in the environment). Importing it imports the ``voila`` package, and with it Jupyter
Server, JupyterLab Server and nbconvert: about 0.4 s of CPU in every pre-heated kernel,
after its page is built and before it can say it is ready, for a function of twenty lines.
:func:`wait_for_request` does the same with ``websockets`` (what Voilà itself uses), from the
same environment variables Voilà sets for the kernel.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
import warnings

#: Set in a pre-heated kernel's environment (from the request's details) once its page is asked for.
PAGE_ASKED_MARK = "SERVER_SOFTWARE"
PAGE_WAIT_RETRY_SECONDS = 1.0


def query_url() -> str:
    """The server's websocket this kernel waits on (as Voilà composes it)."""
    protocol = os.getenv("VOILA_WS_PROTOCOL", "ws")
    ip = os.getenv("VOILA_APP_IP", "127.0.0.1")
    port = os.getenv("VOILA_APP_PORT", "8866")
    base = os.getenv("VOILA_WS_BASE_URL", os.getenv("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{ip}:{port}{base}voila/query/{os.getenv('VOILA_KERNEL_ID')}"


async def _receive(url: str) -> str | None:
    import websockets

    try:
        async with websockets.connect(url, open_timeout=5) as socket:
            message = await socket.recv()
    except (TimeoutError, ConnectionRefusedError):
        warnings.warn(f"Failed to connect to {url}", stacklevel=2)
        return None
    return message if isinstance(message, str) else message.decode("utf-8")


def wait_for_request() -> None:
    """Block until the page is asked for; then put the request's details in the environment.

    Returns at once outside a pre-heated kernel. The wait runs in a thread of its own: the
    kernel's own event loop is running in this one.
    """
    if os.getenv("VOILA_PREHEAT", "False") == "False":
        return
    received: list[str | None] = []
    url = query_url()

    def inner() -> None:
        loop = asyncio.new_event_loop()
        try:
            received.append(loop.run_until_complete(_receive(url)))
        finally:
            loop.close()

    thread = threading.Thread(target=inner)
    thread.start()
    thread.join()
    if received and received[0] is not None:
        for key, value in json.loads(received[0]).items():
            os.environ[key] = value


def wait_for_page() -> None:
    """In a pre-heated kernel, wait here until the page is requested (no-op otherwise).

    Each page cell imports first, calls this, then reads the portfolio, so a pre-heated
    page shows the portfolio as it is when opened, not as it was when the kernel started.
    """
    if os.getenv("VOILA_PREHEAT", "False") == "False":
        return
    # The wait gives up when its websocket does not open within 5 s (a loaded machine), as
    # Voilà's does, and returns as though the page had been asked for: a page built ahead was
    # then shown as the portfolio was long before. Only the request's details, put in the
    # environment, say the page was really asked for: until then, wait again.
    os.environ.pop(PAGE_ASKED_MARK, None)
    while True:
        wait_for_request()
        if os.environ.get(PAGE_ASKED_MARK):
            return
        time.sleep(PAGE_WAIT_RETRY_SECONDS)
