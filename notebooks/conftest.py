"""nbval runs these notebooks against a temporary copy of the sample, never evidence/ itself.

Every notebook opens its portfolio through ``open_for_notebook``, which honours
``CPC306_PORTFOLIO``; the kernels nbval starts inherit it from this process.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parent.parent / "evidence"
_state: dict[str, str] = {}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each notebook cell starts (or uses) a kernel: ``-m "not kernel"`` leaves them out."""
    for item in items:
        if Path(str(item.fspath)).suffix == ".ipynb":
            item.add_marker(pytest.mark.kernel)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before the first notebook cell runs, point every kernel at a copy of the sample."""
    if "folder" in _state or Path(str(item.fspath)).suffix != ".ipynb":
        return
    folder = tempfile.mkdtemp(prefix="cpc306-nbval-")
    shutil.copytree(SAMPLE, Path(folder) / "evidence")
    _state["folder"] = folder
    _state["previous"] = os.environ.get("CPC306_PORTFOLIO", "")
    os.environ["CPC306_PORTFOLIO"] = str(Path(folder) / "evidence")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Remove the copy and restore the environment."""
    folder = _state.pop("folder", None)
    if folder is None:
        return
    previous = _state.pop("previous", "")
    if previous:
        os.environ["CPC306_PORTFOLIO"] = previous
    else:
        os.environ.pop("CPC306_PORTFOLIO", None)
    shutil.rmtree(folder, ignore_errors=True)
