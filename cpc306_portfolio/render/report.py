"""Run the report notebook with papermill and write the assessor's portfolio as one HTML file.

The same parameterised notebook (``templates/report.ipynb``) serves ``cpc306 render`` and
the cohort batch, so what a trainer renders is what a learner renders.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RenderError, UsageError
from ..files.atomic import atomic_write_text
from ..portfolio.store import Portfolio, open_portfolio

if TYPE_CHECKING:
    import nbformat

REPORT_NOTEBOOK = "report.ipynb"

Pathish = str | os.PathLike[str]

#: The folder inside a portfolio for the HTML the learner builds (not in any manifest).
EXPORTS_DIR = "exports"


def _resolve(path: Portfolio | Pathish) -> Path:
    if isinstance(path, Portfolio):
        return path.root
    return Path(path).expanduser().resolve()


def _title(portfolio: Portfolio | Path) -> str:
    # Opening it here fails fast, in this process, with the package's own errors.
    folio = (
        portfolio if isinstance(portfolio, Portfolio) else open_portfolio(portfolio, readonly=True)
    )
    return f"{folio.standard.code} portfolio: {folio.profile.learner.name}"


def execute_report(
    portfolio: Portfolio | Pathish, *, trust: Pathish | None = None, **papermill_kwargs: Any
) -> nbformat.NotebookNode:
    """The report notebook executed for one portfolio (nothing is written to disk).

    ``papermill_kwargs`` go to :func:`papermill.execute_notebook` (and on to nbclient):
    ``engine_name``, ``config``, ``execution_timeout``, ``start_timeout``, ``progress_bar``...
    Raises :class:`~cpc306_portfolio.errors.RenderError` when the notebook fails.
    """
    # Imported here: papermill and nbclient take seconds to import, and ``import
    # cpc306_portfolio`` (every notebook, every CLI command) should not pay for them.
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    root = _resolve(portfolio)
    title = _title(portfolio if isinstance(portfolio, Portfolio) else root)
    parameters = {"portfolio": str(root), "trust": str(_resolve(trust)) if trust else ""}
    options: dict[str, Any] = {
        "kernel_name": "python3",
        "progress_bar": False,
        "log_output": False,
        # Widget state would pull the widget manager from a CDN into the export.
        "store_widget_state": False,
    }
    options.update(papermill_kwargs)
    with ExitStack() as stack:
        source = stack.enter_context(
            as_file(files("cpc306_portfolio.templates").joinpath(REPORT_NOTEBOOK))
        )
        try:
            notebook = papermill.execute_notebook(
                str(source), None, parameters=parameters, **options
            )
        except PapermillExecutionError as exc:
            raise RenderError(
                f"{root}: the report notebook failed in cell {exc.exec_count}: "
                f"{exc.ename}: {exc.evalue}",
                hint=f"check the portfolio with: cpc306 validate {root}",
            ) from exc
        except CellTimeoutError as exc:
            raise RenderError(
                f"{root}: the report notebook timed out ({exc})",
                hint="give it longer (execution_timeout) or check the machine is not overloaded",
            ) from exc
        except DeadKernelError as exc:
            raise RenderError(
                f"{root}: the report's kernel died ({exc})",
                hint="check the memory free on this machine, then render again",
            ) from exc
    notebook.metadata["title"] = title
    return notebook


def render_portfolio(
    portfolio: Portfolio | Pathish,
    output: Pathish,
    *,
    trust: Pathish | None = None,
    progress: bool = False,
    **papermill_kwargs: Any,
) -> Path:
    """Write the assessor's portfolio of ``portfolio`` to ``output`` (one offline HTML file).

    Executes the report notebook with papermill (``progress`` shows a bar over its cells),
    exports it with the project's nbconvert template and writes the file atomically.
    Nothing is written inside the portfolio folder, except directly in its ``exports/``
    folder (which no manifest covers). Returns the path written.
    """
    root = _resolve(portfolio)
    target = _resolve(output)
    in_exports = target.parent == root / EXPORTS_DIR  # the learner's own builds, in no manifest
    if (target == root or root in target.parents) and not in_exports:
        raise UsageError(
            f"{target} is inside the portfolio folder {root}",
            hint="write the HTML outside the portfolio, e.g. -o portfolio.html",
        )
    if target.is_dir():
        raise UsageError(f"{target} is a folder", hint="give the name of the HTML file to write")
    from .exporter import export_html

    papermill_kwargs.setdefault("progress_bar", progress)
    notebook = execute_report(root, trust=trust, **papermill_kwargs)
    atomic_write_text(target, export_html(notebook))
    return target
