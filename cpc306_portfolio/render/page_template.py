"""The page's nbconvert template rendered with Jinja2 directly: nbconvert is not imported.

``cpc306 render`` spends most of its time importing nbconvert (with nbformat's validator,
BeautifulSoup, mistune and their kin) for one template. This module renders the same
template (``templates/render/nbconvert/cpc306/index.html.j2``, which extends nbconvert's
``display_priority.j2`` and ``null.j2``) as :mod:`.exporter` configures nbconvert to: the
same search path, the same ``loopcontrols`` extension, no autoescaping, the same
``resources`` (content filter, ``include_css``) and the same choice among an output's
types. A test holds its page byte-for-byte to nbconvert's on the sample and on outputs of
every type the template handles.

It takes a plain notebook (dicts and lists, as ``json.load`` gives). The compiled
templates are kept in the user's cache (:func:`.sections._bytecode_cache`), keyed by each
template's source, so a changed template is compiled again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, Template
from markupsafe import Markup

from ..errors import NotFoundError
from ..files.templates import template_path
from .csp import content_security_policy
from .panel import panel_script

#: The page template's folder under :func:`template_basedir`.
TEMPLATE_NAME = "cpc306"

#: nbconvert's ``HTMLExporter.display_data_priority``: the first of these an output has wins.
DISPLAY_PRIORITY = (
    "application/vnd.jupyter.widget-view+json",
    "application/javascript",
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "text/vnd.mermaid",
    "text/latex",
    "image/png",
    "image/jpeg",
    "text/plain",
)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: What :func:`.exporter.exporter` excludes (input, prompts, markdown, raw, unknown cells).
CONTENT_FILTER = {
    "include_code": True,
    "include_markdown": False,
    "include_raw": False,
    "include_unknown": False,
    "include_input": False,
    "include_output": True,
    "include_output_stdin": True,
    "include_input_prompt": False,
    "include_output_prompt": False,
    "no_prompt": True,
}


def template_basedir() -> Path:
    """The folder holding the project's nbconvert templates (``templates/render/nbconvert``)."""
    return template_path("render", "nbconvert")


def nbconvert_template_dirs() -> list[Path]:
    """Nbconvert's own template folders (where ``base/null.j2`` is), in its search order."""
    from jupyter_core.paths import jupyter_path

    found = [Path(p) for p in jupyter_path("nbconvert", "templates")]
    found = [p for p in found if (p / "base" / "null.j2").is_file()]
    if not found:
        raise NotFoundError(
            "nbconvert's base templates (base/null.j2) are not installed",
            "reinstall the toolkit with its dependencies (pip install --force-reinstall "
            "cpc306-portfolio)",
        )
    return found


def _data_type(data: Mapping[str, Any]) -> list[str]:
    """Nbconvert's ``filter_data_type``: the preferred type of an output, as a list of one.

    A widget view is skipped: the report never stores widget state (see ``execute_report``).
    """
    for kind in DISPLAY_PRIORITY:
        if kind in data and kind != WIDGET_VIEW:
            return [kind]
    return []


@cache
def environment() -> Environment:
    """The Jinja2 environment nbconvert would build for the page template (built once)."""
    from .sections import _bytecode_cache

    own = template_basedir() / TEMPLATE_NAME
    bases = nbconvert_template_dirs()
    paths = [str(own), *(str(b / "base") for b in bases), *(str(b) for b in bases)]
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(paths)]),
        extensions=["jinja2.ext.loopcontrols"],
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["filter_data_type"] = _data_type
    return env


@cache
def page_template() -> Template:
    """The compiled page template."""
    return environment().get_template("index.html.j2")


def _include_css(name: str) -> Markup:
    env = environment()
    assert env.loader is not None
    source = env.loader.get_source(env, name)[0]
    # nbconvert's ``include_css``, character for character (our own CSS, not learner text).
    return Markup(f'<style type="text/css">\n{source}</style>')


def render_page(notebook: Mapping[str, Any]) -> str:
    """The offline HTML of an executed report notebook given as plain data."""
    return "".join(page_chunks(notebook))


def page_chunks(notebook: Mapping[str, Any]) -> Iterator[str]:
    """:func:`render_page` in the pieces the template makes, to be written as they come.

    A big portfolio's page is tens of megabytes: written piece by piece, it is never held
    whole as text and again as bytes.
    """
    script = panel_script()
    resources = {
        "csp": content_security_policy(script),
        "panel_script": script,
        "include_css": _include_css,
        "global_content_filter": CONTENT_FILTER,
        "raw_mimetypes": [],
        "output_mimetype": "text/html",
    }
    started = False
    for chunk in page_template().generate(nb=notebook, resources=resources):
        if not started:  # the page starts at its first character, as nbconvert's does
            chunk = chunk.lstrip("\r\n")
            started = bool(chunk)
        if chunk:
            yield chunk
