"""nbval runs these notebooks against a temporary copy of the sample, never evidence/ itself.

Every notebook opens its portfolio through ``open_for_notebook``, which honours
``CPC306_PORTFOLIO``; the kernels nbval starts inherit it from this process.

A parameters cell only assigns names, so as it stands it cannot fail. Under nbval it runs
with :data:`PARAMETER_CHECK` after it, in the same kernel (the notebook on disk is not
changed, and no output is stored): the parameters must name what the notebook is for (its
``cpc306`` metadata), the ``portfolio`` parameter must find the sample as JupyterLab would,
and the portfolio the page opens must be this run's copy.
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parent.parent / "evidence"
_state: dict[str, str] = {}

PARAMETER_CHECK = """

def _check_parameters(unit_for, criterion_for):
    import os
    from pathlib import Path

    from cpc306_portfolio.notebooks.generate import open_for_notebook

    given = globals()
    assert given["unit"] == unit_for, f"unit = {given['unit']!r}, but the page is for {unit_for}"
    assert given.get("criterion") == criterion_for, f"criterion = {given.get('criterion')!r}"
    # Opened in JupyterLab from its own folder, the parameter finds the portfolio.
    assert (Path(given["portfolio"]) / "portfolio.yaml").is_file(), given["portfolio"]
    folio = open_for_notebook(given["portfolio"], given["unit"])
    copy = Path(os.environ["CPC306_PORTFOLIO"]).resolve()
    assert copy.parent.name.startswith("cpc306-nbval-"), copy
    assert folio.root.resolve() == copy, f"the page opens {folio.root}, not this run's copy"
    assert folio.standard.code == unit_for
    assert criterion_for is None or criterion_for in folio.standard.criteria
"""


def _with_parameter_check(item: pytest.Item) -> None:
    """Run :data:`PARAMETER_CHECK` after the parameters cell ``item`` (an nbval cell)."""
    cell = getattr(item, "cell", None)
    if cell is None or "parameters" not in cell.metadata.get("tags", []):
        return
    meta = item.parent.nb.metadata.get("cpc306", {})  # type: ignore[attr-defined]
    checked = copy.deepcopy(cell)
    call = f"_check_parameters({meta.get('unit')!r}, {meta.get('criterion')!r})"
    checked.source = f"{cell.source}{PARAMETER_CHECK}\n{call}\ndel _check_parameters\n"
    item.cell = checked  # type: ignore[attr-defined]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each notebook cell starts (or uses) a kernel: ``-m "not kernel"`` leaves them out.

    A parameters cell also checks what it names (:data:`PARAMETER_CHECK`).
    """
    for item in items:
        if Path(str(item.fspath)).suffix == ".ipynb":
            item.add_marker(pytest.mark.kernel)
            _with_parameter_check(item)


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
