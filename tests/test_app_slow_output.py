"""A page's output that reaches the server late is waited for, never dropped (issue 28).

Under load (a full test run, CPU busy) a page sometimes stayed "Loading…" for ever: Voilà's
log said "Timeout waiting for IOPub output". Voilà runs each cell with nbclient, which, once
a cell's reply has come, waits only ``iopub_timeout`` seconds (4 by default) for the rest of
the cell's output and then drops it without a word: the page's form, displayed by the cell,
never reached the page. Here a real kernel runs a cell through Voilà's own executor,
configured from the app's own command line, while the server side is made to read the
cell's output 5 s late (as a starved server does): the output must still be there.
"""

from __future__ import annotations

import asyncio
from typing import Any

import nbformat
from jupyter_client.manager import AsyncKernelManager
from traitlets.config.loader import KVArgParseConfigLoader
from voila.execute import VoilaExecutor

from cpc306_portfolio.notebooks.app import voila_command

#: Longer than nbclient's default wait (4 s): what a loaded server took here.
LATE_SECONDS = 5.0


def _app_config(tmp_path: Any) -> Any:
    """The executor's settings as the app's server is given them on its command line."""
    ours = [a for a in voila_command(tmp_path, 8123) if a.startswith("--VoilaExecutor.")]
    return KVArgParseConfigLoader(ours).load_config()


async def _run_late(config: Any) -> list[Any]:
    cell = nbformat.v4.new_code_cell('from IPython.display import display\ndisplay("the form")')
    nb = nbformat.v4.new_notebook(
        cells=[cell],
        metadata={
            "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}
        },
    )
    km = AsyncKernelManager(kernel_name="python3")
    await km.start_kernel()
    try:
        executor = VoilaExecutor(nb, km=km, config=config)
        executor.kc = await executor.async_start_new_kernel_client()
        get_msg = executor.kc.iopub_channel.get_msg

        async def late(*args: Any, **kwargs: Any) -> Any:
            msg = await get_msg(*args, **kwargs)
            if msg["msg_type"] == "display_data":
                await asyncio.sleep(LATE_SECONDS)  # the server was busy elsewhere
            return msg

        executor.kc.iopub_channel.get_msg = late
        done = await executor.execute_cell(cell, None, 0, store_history=False)
        executor.kc.stop_channels()
        return list(done.outputs)
    finally:
        await km.shutdown_kernel(now=True)


def test_a_page_output_read_late_by_a_busy_server_still_reaches_the_page(tmp_path):
    outputs = asyncio.run(_run_late(_app_config(tmp_path)))
    shown = [o for o in outputs if o.get("output_type") == "display_data"]
    assert [o["data"]["text/plain"] for o in shown] == ["'the form'"]
