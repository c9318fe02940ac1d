"""The learner's notebooks: generated from templates for the loaded unit, and opened in Lab.

:func:`write_notebooks` injects each template's parameters with papermill's prepare-only
mode (nothing is executed) and writes clean notebooks: no outputs, no execution counts,
no papermill run metadata, stable cell ids, so the same unit and portfolio path always
give the same bytes (under one Python: a notebook names the version, as JupyterLab would
on opening it). Each notebook carries a hash of its generated cells; a notebook whose
cells no longer match that hash was changed by the learner and is never overwritten
unless asked. Running a notebook (outputs, execution counts) is not a change.

:func:`open_for_notebook` is what every notebook calls right after its parameters: it
honours ``CPC306_PORTFOLIO`` (tests point the committed notebooks at a temporary copy of
the sample this way) and ``CPC306_STANDARD`` (a unit file the ``cpc306 lab`` command was
given).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import NotFoundError, UsageError
from ..files.templates import template_path
from ..portfolio.layout import PROFILE_FILE
from ..portfolio.store import Portfolio, open_portfolio
from ..standard import Standard, load_standard
from .opening import run_until_stopped

PORTFOLIO_ENV = "CPC306_PORTFOLIO"
STANDARD_ENV = "CPC306_STANDARD"
START_NOTEBOOK = "00_start_here.ipynb"
#: Generated notebook name -> template name, in the order a learner meets them.
#: ``criterion`` templates are written once per criterion of the loaded unit.
FIXED_NOTEBOOKS = {
    "00_start_here": "00_start_here",
    "knowledge": "knowledge",
    "reflection": "reflection",
    "plan": "plan",
    "assessment_plan": "assessment_plan",
    "export": "export",
}
CRITERION_TEMPLATE = "criterion"
#: The assessor's notebook is not one of a learner's: judging and signing happen in the
#: assessor's own install (``cpc306 assess``), never in a notebook the learner's folder holds.
ASSESSOR_TEMPLATE = "assess"
META_KEY = "cpc306"


def template_names() -> list[str]:
    """Every notebook template this module uses (files ``templates/notebooks/<name>.ipynb``)."""
    return [*FIXED_NOTEBOOKS.values(), CRITERION_TEMPLATE, ASSESSOR_TEMPLATE]


def notebook_names(standard: Standard) -> list[str]:
    """The file names :func:`write_notebooks` writes for a unit, in order."""
    names = [START_NOTEBOOK, *(f"{c}.ipynb" for c in standard.criteria)]
    return names + [f"{n}.ipynb" for n in _fixed(standard) if n != "00_start_here"]


def _fixed(standard: Standard) -> dict[str, str]:
    """The fixed notebooks a unit has: no knowledge page for a unit with no knowledge."""
    return {n: t for n, t in FIXED_NOTEBOOKS.items() if n != "knowledge" or standard.has_knowledge}


#: The title of each fixed page (a criterion's page is titled with its id and words).
TITLES = {
    "00_start_here": "Start here: your portfolio",
    "knowledge": "What you need to know",
    "reflection": "Reflective accounts",
    "plan": "Your development plan",
    "assessment_plan": "Assessment plan and reviews",
    "export": "Sign your declaration and build your portfolio",
    "assess": "For the assessor: judge and sign off",
}
TITLE_MARK = "$TITLE"


@dataclass(frozen=True)
class _Plan:
    name: str
    template: str
    parameters: dict[str, str]
    title: str = ""


def _plans(standard: Standard, portfolio_path: str) -> list[_Plan]:
    common = {"portfolio": portfolio_path, "unit": standard.code}
    out = [_Plan(START_NOTEBOOK, "00_start_here", common, TITLES["00_start_here"])]
    out += [
        _Plan(
            f"{c.id}.ipynb", CRITERION_TEMPLATE, {**common, "criterion": c.id}, f"{c.id}: {c.text}"
        )
        for c in standard.criteria.values()
    ]
    out += [
        _Plan(f"{name}.ipynb", template, common, TITLES.get(name, ""))
        for name, template in _fixed(standard).items()
        if name != "00_start_here"
    ]
    return out


class NotebookReport(list[Path]):
    """The notebooks written (the list itself), and those left alone.

    ``unchanged`` were already exactly as generated; ``skipped`` were changed by the
    learner and kept as they are.
    """

    def __init__(self) -> None:
        super().__init__()
        self.unchanged: list[Path] = []
        self.skipped: list[Path] = []


def content_hash(nb: Mapping[str, Any]) -> str:
    """SHA-256 of what a learner can change: each cell's type, source and tags."""
    cells = [
        [
            cell["cell_type"],
            "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"],
            list(cell.get("metadata", {}).get("tags", [])),
        ]
        for cell in nb["cells"]
    ]
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode()).hexdigest()


#: The Python version a kernel of this interpreter reports (ipykernel's ``language_info``).
PYTHON_VERSION = sys.version.split()[0]


@cache
def _template(template: str) -> tuple[str, frozenset[str]]:
    """A template's text and the parameters its ``parameters`` cell declares."""
    import papermill

    source = template_path("notebooks", f"{template}.ipynb")
    declared = frozenset(papermill.inspect_notebook(str(source)))
    return source.read_text(encoding="utf-8"), declared


def _clean(nb: Any, template: str, parameters: Mapping[str, str], title: str = "") -> Any:
    """Drop papermill's run metadata and outputs; give every cell a stable id; set the title.

    The values papermill injects replace the template's defaults in the one ``parameters``
    cell (a page for A2 never shows ``criterion = "A1"``): the only code a reader opens.
    """
    nb.metadata.pop("papermill", None)
    # JupyterLab writes the kernel's language_info into a notebook as the kernel starts: one
    # without the Python version showed as changed (the unsaved dot) the moment it opened.
    # The kernel ``cpc306 lab`` starts is this Python (:func:`launch_lab`).
    nb.metadata.setdefault("language_info", {})["version"] = PYTHON_VERSION
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    if injected:
        lines = [ln for ln in injected[0].source.splitlines() if ln and not ln.startswith("#")]
        for cell in nb.cells:
            if "parameters" in cell.metadata.get("tags", []):
                cell.source = "\n".join(lines)
                cell.metadata.setdefault("jupyter", {})["source_hidden"] = True  # lab: folded
        nb.cells = [c for c in nb.cells if c is not injected[0]]
    if title:
        nb.metadata["title"] = title
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and title:
            cell.source = cell.source.replace(TITLE_MARK, title)
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if not cell.metadata.get("tags", True):
            del cell.metadata["tags"]  # papermill adds an empty list to every cell
        if not cell.get("id"):
            cell["id"] = f"cell-{index}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata[META_KEY] = {"template": template, **dict(sorted(parameters.items()))}
    nb.metadata[META_KEY]["generated_sha256"] = content_hash(nb)
    return nb


def unit_words(standard: Standard) -> dict[str, str]:
    """The unit's sector words, for the ``{{ name }}`` marks in the templates' text."""
    terms = standard.terms
    return {
        "protected_people": terms.protected_people,
        "keep_out_hint": terms.keep_out_hint,
        "identifier_examples": terms.identifiers_text,
    }


def _worded(nb: Any, words: Mapping[str, str]) -> None:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for name, value in words.items():
                cell.source = cell.source.replace(f"{{{{ {name} }}}}", value)


def generate_notebook(
    template: str,
    parameters: Mapping[str, str],
    words: Mapping[str, str] | None = None,
    title: str = "",
) -> str:
    """The text of one generated notebook (as written to disk).

    ``words`` fill the ``{{ name }}`` marks in the template's text (see :func:`unit_words`).
    """
    import nbformat
    import papermill

    logging.getLogger("papermill").setLevel(logging.WARNING)
    text, declared = _template(template)
    wanted = {k: v for k, v in parameters.items() if k in declared}
    nb = papermill.execute_notebook(
        nbformat.reads(text, as_version=4),
        None,
        parameters=wanted,
        prepare_only=True,
        progress_bar=False,
    )
    _worded(nb, words or {})
    return nbformat.writes(_clean(nb, template, wanted, title)) + "\n"


def learner_changed(path: Path) -> bool:
    """True if a notebook's cells differ from the hash stored when it was generated."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        stored = nb["metadata"][META_KEY]["generated_sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return True  # not ours, or unreadable: leave it alone
    return bool(stored != content_hash(nb))


def write_notebooks(
    folder: str | os.PathLike[str],
    standard: Standard,
    *,
    portfolio_path: str,
    overwrite_changed: bool = False,
) -> NotebookReport:
    """Write the learner's notebooks for ``standard`` into ``folder``.

    ``portfolio_path`` is what each notebook's ``portfolio`` parameter says: best relative
    to ``folder`` (``".."`` for a portfolio's own ``notebooks/``), so the folder can move.
    A notebook the learner changed is skipped (listed in ``.skipped``) unless
    ``overwrite_changed``. Returns the notebooks written, as a :class:`NotebookReport`.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    report = NotebookReport()
    words = unit_words(standard)
    for plan in _plans(standard, portfolio_path):
        text = generate_notebook(plan.template, plan.parameters, words, plan.title)
        path = target / plan.name
        if path.exists():
            if path.read_text(encoding="utf-8") == text:
                report.unchanged.append(path)
                continue
            if learner_changed(path) and not overwrite_changed:
                report.skipped.append(path)
                continue
        tmp = path.with_name(f".{path.name}.cpc306-tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        report.append(path)
    return report


def not_generated(folder: Path, standard: Standard, kept: Sequence[Path] = ()) -> list[Path]:
    """What in a notebooks folder the toolkit did not write, right after :func:`write_notebooks`.

    ``kept`` is that call's ``skipped`` (notebooks changed by hand, left as they are):
    every other notebook of the unit now holds exactly what the toolkit generates (its
    stored hash is never trusted: a notebook anyone wrote can carry a matching one). Add
    any other file or folder. ``cpc306 lab`` names these and asks before it opens.
    """
    ours = set(notebook_names(standard))
    others = {
        path
        for path in Path(folder).iterdir()
        if path.name not in ours
        and path.name != ".ipynb_checkpoints"
        and not path.name.endswith(".cpc306-tmp")
    }
    return sorted(others | set(kept))


def relative_portfolio_path(folder: Path, portfolio: Path) -> str:
    """The portfolio as seen from the notebooks' folder: relative where possible."""
    try:
        rel = os.path.relpath(portfolio.resolve(), folder.resolve())
    except ValueError:  # another drive on Windows
        return portfolio.resolve().as_posix()
    return Path(rel).as_posix()


def portfolio_location(portfolio: str) -> Path:
    """Where a notebook's portfolio is: ``CPC306_PORTFOLIO`` if set, else the parameter."""
    return Path(os.environ.get(PORTFOLIO_ENV) or portfolio).expanduser()


def _norm(code: str) -> str:
    return re.sub(r"[^a-z0-9]", "", code.lower())


def open_for_notebook(portfolio: str, unit: str = "") -> Portfolio:
    """Open a notebook's portfolio; called right after the parameters cell."""
    path = portfolio_location(portfolio)
    if not (path / PROFILE_FILE).is_file():
        raise NotFoundError(
            f"{path.resolve()}: no portfolio here yet",
            hint=f"fill in and save the form in {START_NOTEBOOK}, or run: cpc306 init {path}",
        )
    source = os.environ.get(STANDARD_ENV)
    folio = open_portfolio(path, standard=load_standard(source) if source else None)
    if unit and _norm(folio.standard.code) != _norm(unit):
        raise UsageError(
            f"these notebooks were written for {unit}, but the portfolio is for "
            f"{folio.standard.code}",
            hint=f"write its own notebooks: cpc306 notebooks {path}",
        )
    return folio


def lab_command(folder: Path, open_first: str = START_NOTEBOOK) -> list[str]:
    """The command that starts JupyterLab on a folder of notebooks."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers run as root; a laptop never needs it
    return [*command, open_first]


def launch_lab(
    folder: Path,
    *,
    env: Mapping[str, str] | None = None,
    run: Callable[..., int] = run_until_stopped,
    extra: Sequence[str] = (),
) -> int:
    """Start JupyterLab on ``folder`` and wait until it stops; returns its exit code.

    In Python's safe-path mode: ``python -m`` would otherwise put the folder (its working
    folder) first on the server's ``sys.path``, and every kernel's, so a ``json.py`` or a
    ``cpc306_portfolio/`` beside the notebooks would run in place of the real one.
    """
    environ = {**os.environ, **(env or {}), "PYTHONSAFEPATH": "1"}
    return run([*lab_command(folder), *extra], cwd=str(folder), env=environ)
