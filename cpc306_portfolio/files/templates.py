"""Where the toolkit's templates are: one function, so every part asks the same way.

The repository's top-level ``templates/`` is installed inside the package as
``cpc306_portfolio.templates`` (see ``package-dir`` in ``pyproject.toml``), one folder per
part of the package that owns what is in it. Paths, not ``importlib.resources``
traversables, are handed out: nbconvert, Voilà (through ``JUPYTER_PATH``), papermill and
Jinja's ``FileSystemLoader`` all need real folders and files.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Literal, get_args

from ..errors import NotFoundError

#: The package the ``templates/`` folder is installed as.
TEMPLATES_PACKAGE = "cpc306_portfolio.templates"

#: The parts that own templates, each a folder of ``templates/``:
#: ``render`` the report notebook, its nbconvert template, section templates and panel script;
#: ``notebooks`` the learner's page notebooks and their views; ``app`` the Voilà template of
#: the learner's app; ``dashboard`` the cohort dashboard's page and script.
Owner = Literal["render", "notebooks", "app", "dashboard"]
OWNERS: tuple[Owner, ...] = get_args(Owner)

_REINSTALL = (
    "the toolkit's install is incomplete: reinstall it (pip install --force-reinstall "
    "cpc306-portfolio), or from a clone run pip install -e ."
)


@cache
def templates_root() -> Path:
    """The installed ``templates/`` folder (the repository's own in an editable install)."""
    root = files(TEMPLATES_PACKAGE)
    if not isinstance(root, Path) or not root.is_dir():
        # A zip or another loader: nbconvert and Voilà could not read templates from it.
        raise NotFoundError(f"the toolkit's templates are not a folder on disk: {root}", _REINSTALL)
    return root


def template_path(owner: Owner, *parts: str) -> Path:
    """The template file or folder ``parts`` of ``owner``, e.g. ``("render", "report.ipynb")``.

    Raises :class:`~cpc306_portfolio.errors.NotFoundError` naming the path when it does
    not exist, rather than leaving nbconvert or Jinja to fail later with a vaguer error.
    """
    if owner not in OWNERS:
        raise NotFoundError(
            f"no template owner {owner!r}", hint=f"choose one of: {', '.join(OWNERS)}"
        )
    path = templates_root().joinpath(owner, *parts)
    if not path.exists():
        raise NotFoundError(f"template missing: {path}", _REINSTALL)
    return path
