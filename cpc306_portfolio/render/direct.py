"""The report notebook's cells called directly: the page without papermill, IPython or nbconvert.

Every code cell of ``templates/render/report.ipynb`` is one this module knows: the
parameters, the set-up that loads the report, and one ``display(HTML(render_section(...)))``
per section. :func:`report_sections_of_notebook` reads which sections, in which order; the
:class:`~cpc306_portfolio.execute.engines.Direct` engine then calls the same functions in
this process and hands the page template (:mod:`.page_template`) the outputs the notebook
would have shown, so the page is byte-for-byte the in-process engine's (a test compares
them). Should the notebook hold a cell this module does not know, it returns None and the
render runs the notebook with papermill as before.

Most of the cost of a one-shot ``cpc306 render`` was importing papermill, IPython, nbformat
and nbconvert; none is imported here.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import RenderError
from ..execute.alarm import alarm
from ..execute.failures import notebook_failure
from ..files.templates import template_path
from ..portfolio.store import Portfolio

#: The set-up cell of the report notebook, as the direct path knows it.
SETUP = (
    "from IPython.display import HTML, display\n\n"
    "from cpc306_portfolio.render import load_report, render_section\n\n"
    "report = load_report(portfolio, trust=trust or None, standard=standard or None)"
)
_SECTION_CELL = re.compile(r'display\(HTML\(render_section\("([a-z_]+)", report\)\)\)')
#: What IPython's ``HTML`` object gives as its plain text (kept for a faithful output).
HTML_PLAIN = "<IPython.core.display.HTML object>"


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return ("".join(source) if isinstance(source, list) else str(source)).strip()


@cache
def report_sections_of_notebook(notebook: Path | None = None) -> tuple[str, ...] | None:
    """The sections the report notebook shows, in order; None if it has a cell not known here."""
    path = notebook or template_path("render", "report.ipynb")
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    sections: list[str] = []
    setup = False
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = _source(cell)
        if "parameters" in cell.get("metadata", {}).get("tags", []) and not setup:
            continue
        if source == SETUP and not setup and not sections:
            setup = True
            continue
        match = _SECTION_CELL.fullmatch(source)
        if not setup or match is None:
            return None
        sections.append(match.group(1))
    return tuple(sections) if setup else None


class _StepTimeout(BaseException):
    """A step ran past its time limit (raised by the alarm, caught in this module)."""


def _failed(root: Path, step: str, exc: BaseException, limit: float | None) -> RenderError:
    hint = f"check the portfolio with: cpc306 validate {root}"
    if isinstance(exc, _StepTimeout):
        error = RenderError(
            f"{root}: the report timed out ({step} took longer than {limit:g} seconds)",
            hint="give it longer (cpc306 render --timeout SECONDS, or execution_timeout=) "
            "or check the machine is not overloaded",
        )
        error.kind = "timeout"
        return error
    # The kind a failing cell of the notebook is, so a batch reports it the same way.
    error = RenderError(
        f"{root}: {notebook_failure(type(exc).__name__, str(exc), step)}", hint=hint
    )
    error.kind = "notebook_error"
    return error


def direct_notebook(
    folio: Portfolio,
    sections: tuple[str, ...],
    *,
    trust: str | None,
    time_limit: float | None,
) -> dict[str, Any]:
    """The executed report (title and outputs, as plain data) for the page template.

    Each step (loading the report, then each section) may take ``time_limit`` seconds, as
    each cell may on the other engines. Raises :class:`RenderError` in plain words.
    """
    from .data import load_report
    from .sections import render_section

    root = folio.root
    step = "loading the portfolio"
    try:
        with alarm(time_limit, _StepTimeout):
            report = load_report(folio, trust=trust or None)
        cells = []
        for name in sections:
            step = f"the {name} section"
            with alarm(time_limit, _StepTimeout):
                html = render_section(name, report)
            data = {"text/plain": HTML_PLAIN, "text/html": html}
            output = {"output_type": "display_data", "data": data, "metadata": {}}
            cells.append({"cell_type": "code", "metadata": {}, "outputs": [output]})
    except (Exception, _StepTimeout) as exc:
        raise _failed(root, step, exc, time_limit) from exc
    title = f"{folio.standard.code} portfolio: {folio.profile.learner.name}"
    return {"metadata": {"title": title}, "cells": cells}
