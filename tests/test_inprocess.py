"""The in-process papermill engine: the outputs a kernel would send, and the same HTML."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import re
import subprocess
import sys
import textwrap

import nbformat
import papermill
import pytest
from nbclient.exceptions import CellTimeoutError
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from papermill.exceptions import PapermillExecutionError

from cpc306_portfolio.execute.engines import FreshKernel
from cpc306_portfolio.execute.inprocess import ENGINE_NAME, register_engine
from cpc306_portfolio.render import render_portfolio

CELLS = [
    "from IPython.display import HTML, display\nx = 40",
    "display(HTML('<b>bold</b>'))\nprint('one')\nprint('two')",
    "x + 2",
    "import sys\nprint('warned', file=sys.stderr)\nNone",
    "",
]


def _notebook(*sources: str) -> nbformat.NotebookNode:
    nb = new_notebook(
        cells=[new_markdown_cell("# A title"), *(new_code_cell(s) for s in sources)],
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "P"}},
    )
    return nb


def _run(nb: nbformat.NotebookNode, engine: str | None, **kwargs) -> nbformat.NotebookNode:
    if engine == ENGINE_NAME:
        register_engine()
    return papermill.execute_notebook(
        nb, None, engine_name=engine, kernel_name="python3", progress_bar=False, **kwargs
    )


def _outputs(nb: nbformat.NotebookNode) -> list[list[dict]]:
    return [c.get("outputs", []) for c in nb.cells if c.cell_type == "code"]


def test_each_kind_of_output_is_what_a_cell_showed():
    out = _outputs(_run(_notebook(*CELLS), ENGINE_NAME))
    assert out[0] == []
    assert out[1] == [
        {
            "output_type": "display_data",
            "data": {
                "text/html": "<b>bold</b>",
                "text/plain": "<IPython.core.display.HTML object>",
            },
            "metadata": {},
        },
        {"output_type": "stream", "name": "stdout", "text": "one\ntwo\n"},
    ]
    assert out[2] == [
        {
            "output_type": "execute_result",
            "data": {"text/plain": "42"},
            "metadata": {},
            "execution_count": 3,
        }
    ]
    assert out[3] == [{"output_type": "stream", "name": "stderr", "text": "warned\n"}]
    assert out[4] == []  # an empty cell is not run, as nbclient skips it


def test_a_failing_cell_stops_the_notebook_as_papermill_reports_it():
    nb = _notebook("y = 1", "raise ValueError('no such record')", "z = 3")
    with pytest.raises(PapermillExecutionError) as info:
        _run(nb, ENGINE_NAME)
    assert info.value.ename == "ValueError" and info.value.evalue == "no such record"
    assert info.value.cell_index == 2  # after the markdown cell and the first code cell


def test_nothing_a_notebook_defined_reaches_the_next():
    _run(_notebook("leftover = 'from the first learner'"), ENGINE_NAME)
    with pytest.raises(PapermillExecutionError, match="NameError"):
        _run(_notebook("leftover"), ENGINE_NAME)


def test_a_cell_past_its_time_is_stopped():
    nb = _notebook("import time\ntime.sleep(30)")
    with pytest.raises(CellTimeoutError):
        _run(nb, ENGINE_NAME, execution_timeout=1)


def test_after_a_notebook_this_process_can_still_spawn_workers():
    # IPython's shell would replace sys.modules["__main__"] with its namespace, a
    # module without __spec__ that breaks multiprocessing's "spawn" (the batch's pool).
    main = sys.modules["__main__"]
    _run(_notebook("1 + 1"), ENGINE_NAME)
    assert sys.modules["__main__"] is main
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        assert pool.submit(abs, -3).result(timeout=60) == 3


def test_inside_another_ipython_shell_the_report_goes_to_a_kernel():
    code = textwrap.dedent(
        """
        from IPython.core.interactiveshell import InteractiveShell
        from cpc306_portfolio.execute.engines import default_engine
        before = default_engine()
        InteractiveShell.instance()
        print(type(before).__name__, type(default_engine()).__name__)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["Direct", "FreshKernel"]


@pytest.mark.kernel
def test_a_kernel_sends_the_same_outputs():
    ours = _outputs(_run(_notebook(*CELLS), ENGINE_NAME))
    theirs = _outputs(_run(_notebook(*CELLS), None))
    assert ours == theirs


@pytest.mark.kernel
def test_the_portfolio_is_byte_for_byte_the_kernels(sample_copy, tmp_path):
    ours = render_portfolio(sample_copy, tmp_path / "ours.html").read_text(encoding="utf-8")
    kernel = render_portfolio(sample_copy, tmp_path / "kernel.html", engine=FreshKernel())
    stamp = re.compile(r"\d{1,2} \w+ \d{4} at \d{2}:\d{2} UTC")  # when each was rendered
    assert stamp.sub("", ours) == stamp.sub("", kernel.read_text(encoding="utf-8"))
