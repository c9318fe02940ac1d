"""The assessor's workspace: ``cpc306 assess app FOLDER`` served as the learner's app is.

The same machinery as :mod:`.app` (Voilà behind :mod:`.gate` on 127.0.0.1, a token per run,
only generated pages served, kernels capped and in Python's safe-path mode), over pages of
the assessor's own: generated from one template into the assessor's cache (never into a
learner's folder), one notebook per page kind. Which learner and criterion a page shows
comes from its address (``?learner=KEY&criterion=A2``), checked against the caseload the
command found (each page's ``caseload`` parameter); nothing in a learner's folder is run
or imported, only read as data through the library.

A page kind is one entry of :data:`PAGES` and one function in :mod:`.assessor_pages`: the
assessor's own records, action points and the unit assessment record are added that way.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

from .app import app_folder, fresh_pages_folder, remove_strays, serve_pages
from .generate import generate_notebook

COMMAND = "cpc306 assess app"
#: The template every page of the workspace is generated from (one ``page`` parameter).
TEMPLATE = "assessor/workspace"
#: Page kind -> its title. The first is the start page.
PAGES: dict[str, str] = {
    "caseload": "Your caseload",
    "learner": "Learner",
    "criterion": "Criterion",
    "plan": "Assessment plan, reviews and witnesses",
    "signoff": "Sign-off",
    "records": "Your own records",
}
START = "caseload"


def workspace_folder(caseload: Path) -> Path:
    """Where the workspace's pages for a caseload are generated: the assessor's cache."""
    # Every portfolio of the caseload is inside it: none can hold the pages either.
    return app_folder(caseload, kind="assess")


def caseload_parameter(folders: Mapping[str, Path]) -> str:
    """The pages' ``caseload`` parameter: learner key -> folder, as JSON."""
    return json.dumps({key: str(path) for key, path in folders.items()}, sort_keys=True)


def read_caseload_parameter(text: str) -> dict[str, Path]:
    """The learner folders a page's ``caseload`` parameter names."""
    return {str(k): Path(v) for k, v in json.loads(text or "{}").items()}


def write_workspace_pages(
    folder: Path, folders: Mapping[str, Path], key: str = "", trust: str = "", records: str = ""
) -> list[str]:
    """Generate every page kind into ``folder/notebooks`` afresh; return their served paths.

    ``folders`` is the caseload (learner key -> portfolio folder) the command found.
    """
    pages = fresh_pages_folder(folder)
    pages.mkdir(exist_ok=True)
    written = set()
    for kind, title in PAGES.items():
        parameters = {
            "page": kind,
            "caseload": caseload_parameter(folders),
            "key": key,
            "trust": trust,
            "records": records,
        }
        text = generate_notebook(TEMPLATE, parameters, title=title)
        path = pages / f"{kind}.ipynb"
        tmp = path.with_name(f".{path.name}.cpc306-tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        written.add(path.name)
    return remove_strays(pages, written)


def serve_workspace(
    caseload: Path,
    folders: Mapping[str, Path],
    *,
    key: str = "",
    trust: str = "",
    records: str = "",
    port: int | None = None,
    open_browser: bool = True,
    echo: Callable[[str], None] = print,
    log: IO[bytes] | None = None,
    env: Mapping[str, str] | None = None,
    opener: Callable[[str], object] | None = None,
) -> int:
    """Generate the workspace's pages and serve them until Ctrl-C (URL printed first).

    ``records`` is the assessor's own folder the unit assessment records are written to.
    """
    folder = workspace_folder(caseload)
    pages = write_workspace_pages(folder, folders, key, trust, records)
    settings = {
        "command": COMMAND,
        "portfolios": {k: str(p) for k, p in folders.items()},
        "records": records,
    }
    return serve_pages(
        folder,
        pages,
        start=f"{START}.ipynb",
        settings=settings,
        label="your caseload",
        port=port,
        open_browser=open_browser,
        echo=echo,
        log=log,
        env=env,
        opener=opener,
    )
