"""Run the report notebook and write the assessor's portfolio as one HTML file.

The same parameterised notebook (``templates/render/report.ipynb``) serves ``cpc306 render``, the
learner's export and the cohort batch, and :func:`render_portfolio` is the one path that
runs it and writes the page, whatever engine runs it (:mod:`cpc306_portfolio.execute`):
this process, a warm forked worker, or a kernel. So what a trainer renders is what a
learner renders.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RenderError, UsageError
from ..execute.engines import Engine, default_engine
from ..execute.failures import notebook_failure
from ..files.atomic import atomic_write_chunks, atomic_write_text
from ..files.templates import template_path
from ..portfolio.layout import EVIDENCE_DIR, EXPORTS_DIR
from ..portfolio.store import Portfolio, open_portfolio
from ..standard import Standard, unit_text
from .lending import lend

if TYPE_CHECKING:
    import nbformat

REPORT_NOTEBOOK = "report.ipynb"

Pathish = str | os.PathLike[str]

#: The folder inside a portfolio for the HTML the learner builds (not in any manifest).


def _resolve(path: Portfolio | Pathish) -> Path:
    if isinstance(path, Portfolio):
        return path.root
    return Path(path).expanduser().resolve()


def _opened(portfolio: Portfolio | Path, standard: Standard | None) -> Portfolio:
    # Opening it here fails fast, in this process, with the package's own errors.
    if isinstance(portfolio, Portfolio):
        return portfolio
    return open_portfolio(portfolio, standard=standard, readonly=True)


def _no_engine_name(papermill_kwargs: dict[str, Any]) -> None:
    if "engine_name" in papermill_kwargs:
        raise UsageError(
            "the report's engine is chosen with engine=, not engine_name=",
            hint="pass engine=InProcess(), FreshKernel() or another engine of "
            "cpc306_portfolio.execute.engines",
        )


def execute_report(
    portfolio: Portfolio | Pathish,
    *,
    engine: Engine | None = None,
    trust: Pathish | None = None,
    standard: Standard | None = None,
    **papermill_kwargs: Any,
) -> nbformat.NotebookNode:
    """The report notebook executed for one portfolio, here (nothing is written to disk).

    The step of :func:`render_portfolio` that runs the notebook: call that to write a page.
    The kernel opens the portfolio with the unit this process opened it with: its own
    ``unit.yaml``, or ``standard`` (or the unit of an open ``Portfolio``) when given. On an
    engine that shares this process's memory the notebook borrows the open portfolio
    (:mod:`.lending`) rather than reading the folder again.

    ``engine`` (default :func:`~cpc306_portfolio.execute.engines.default_engine`) chooses
    what runs it; ``papermill_kwargs`` go to :func:`papermill.execute_notebook` (and on to
    nbclient): ``execution_timeout``, ``progress_bar``...
    Raises :class:`~cpc306_portfolio.errors.RenderError` when the notebook fails.
    """
    # Imported here: papermill and nbclient take seconds to import, and ``import
    # cpc306_portfolio`` (every notebook, every CLI command) should not pay for them.
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    _no_engine_name(papermill_kwargs)
    engine = engine or default_engine()
    root = _resolve(portfolio)
    folio = _opened(portfolio if isinstance(portfolio, Portfolio) else root, standard)
    title = f"{folio.standard.code} portfolio: {folio.profile.learner.name}"
    parameters = {"portfolio": str(root), "trust": str(_resolve(trust)) if trust else ""}
    options: dict[str, Any] = {
        "kernel_name": "python3",
        "progress_bar": False,
        "log_output": False,
        # Widget state would pull the widget manager from a CDN into the export.
        "store_widget_state": False,
        **engine.options(),
    }
    options.update(papermill_kwargs)
    with ExitStack() as stack:
        unit_file = folio.standard.source_path
        if unit_file is None:  # a unit built in code: hand it to the kernel as a file
            unit_file = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "unit.yaml"
            unit_file.write_text(unit_text(folio.standard), encoding="utf-8")
        parameters["standard"] = str(unit_file)
        if engine.shares_memory:
            stack.enter_context(lend(folio, unit_file))
        source = template_path("render", REPORT_NOTEBOOK)
        with engine.running():
            try:
                notebook = papermill.execute_notebook(
                    str(source), None, parameters=parameters, **options
                )
            except PapermillExecutionError as exc:
                where = f"cell {exc.exec_count} of the report notebook"
                raise RenderError(
                    f"{root}: {notebook_failure(exc.ename, exc.evalue, where)}",
                    hint=f"check the portfolio with: cpc306 validate {root}",
                ) from exc
            except CellTimeoutError as exc:
                raise RenderError(
                    f"{root}: the report notebook timed out ({exc})",
                    hint="give it longer (cpc306 render --timeout SECONDS, or "
                    "execution_timeout=) or check the machine is not overloaded",
                ) from exc
            except DeadKernelError as exc:
                raise RenderError(
                    f"{root}: the report's kernel died ({exc})",
                    hint="check the memory free on this machine, then render again",
                ) from exc
    engine.finish(notebook)
    notebook.metadata["title"] = title
    return notebook


#: Seconds a report cell may take: a floor, plus time for every megabyte of attachments
#: (read, hashed, extracted and embedded), so a large portfolio is not cut off half-way.
BASE_TIMEOUT = 600
SECONDS_PER_MB = 2


def time_limit(root: Path) -> int:
    """The time limit for one cell of the report on this portfolio, scaled with its size."""
    total = 0
    for folder, _dirs, names in os.walk(root / EVIDENCE_DIR):
        for name in names:
            with suppress(OSError):
                total += os.lstat(os.path.join(folder, name)).st_size
    # nbclient takes whole seconds.
    return BASE_TIMEOUT + SECONDS_PER_MB * -(-total // 1_000_000)


def output_target(root: Path, output: Pathish, example: str) -> Path:
    """Where to write a page of the portfolio at ``root``: outside it, or in its ``exports/``.

    Raises :class:`~cpc306_portfolio.errors.UsageError` for a place inside the portfolio
    (a manifest would cover the page) or a folder.
    """
    target = _resolve(output)
    in_exports = target.parent == root / EXPORTS_DIR  # the learner's own builds, in no manifest
    if (target == root or root in target.parents) and not in_exports:
        raise UsageError(
            f"{target} is inside the portfolio folder {root}",
            hint=f"write the HTML outside the portfolio, e.g. -o {example}",
        )
    if target.is_dir():
        raise UsageError(f"{target} is a folder", hint="give the name of the HTML file to write")
    return target


def render_portfolio(
    portfolio: Portfolio | Pathish,
    output: Pathish,
    *,
    engine: Engine | None = None,
    trust: Pathish | None = None,
    standard: Standard | None = None,
    progress: bool = False,
    **papermill_kwargs: Any,
) -> Path:
    """Write the assessor's portfolio of ``portfolio`` to ``output`` (one offline HTML file).

    Executes the report notebook with papermill (``progress`` shows a bar over its cells),
    exports it with the project's nbconvert template and writes the file atomically: the
    one place that does, whatever runs it. ``engine`` (from :mod:`cpc306_portfolio.execute`)
    chooses what runs the notebook: this process, calling the report's functions and
    rendering the page template itself (``Direct``, the default outside Jupyter: see
    :mod:`.direct`), this process's IPython shell (``InProcess``), a child forked from it
    (``Forked``: the whole job runs there), a new kernel (``FreshKernel``, the default
    inside Jupyter) or a batch worker's warm kernel (``WorkerKernel``). Given an open,
    validated ``Portfolio``, the direct, in-process and forked
    engines hand that object to the notebook: nothing is read from the folder again.

    A cell may take ``execution_timeout`` seconds: by default the engine's time limit, or
    one scaled with the attachments' size (:func:`time_limit`). Nothing is written inside
    the portfolio folder, except directly in its ``exports/`` folder (which no manifest
    covers). Returns the path written. The unit is the portfolio's own copy unless
    ``standard`` is given.
    """
    root = _resolve(portfolio)
    target = output_target(root, output, "portfolio.html")
    _no_engine_name(papermill_kwargs)

    engine = engine or default_engine()
    papermill_kwargs.setdefault("progress_bar", progress)
    papermill_kwargs.setdefault("execution_timeout", engine.time_limit or time_limit(root))
    # Opened here, before any fork: it fails fast, in this process, with the package's own
    # errors, and the in-process engines hand this very object to the notebook.
    folio = _opened(portfolio if isinstance(portfolio, Portfolio) else root, standard)

    def work() -> None:
        chunks = _direct_page(folio, engine, trust, papermill_kwargs)
        if chunks is not None:
            atomic_write_chunks(target, chunks)
            return
        from .exporter import export_html

        notebook = execute_report(folio, engine=engine, trust=trust, **papermill_kwargs)
        atomic_write_text(target, export_html(notebook))

    engine.run(work)
    return target


#: The options the direct engine honours; given any other papermill option, the notebook
#: runs with papermill (which is what the caller asked of it).
DIRECT_OPTIONS = frozenset({"execution_timeout", "progress_bar"})


def _direct_page(
    folio: Portfolio, engine: Engine, trust: Pathish | None, options: dict[str, Any]
) -> Iterator[str] | None:
    """The page by the direct engine (:mod:`.direct`), in pieces; None where it does not apply.

    The report's sections are made (and any failure raised) before the first piece.
    """
    from ..execute.engines import Direct

    if not isinstance(engine, Direct) or not set(options) <= DIRECT_OPTIONS:
        return None
    limit = options.get("execution_timeout")
    from .direct import direct_notebook, report_sections_of_notebook

    sections = report_sections_of_notebook()
    if sections is None:
        return None
    from .page_template import page_chunks

    trusted = str(_resolve(trust)) if trust else None
    return page_chunks(direct_notebook(folio, sections, trust=trusted, time_limit=limit))
