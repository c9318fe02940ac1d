"""The report's sections as safe HTML, built with Jinja2 with autoescaping on.

Every value printed by a section template is escaped, and every plain string also has
the names the learner must keep out withheld (through Jinja's ``finalize``), so a
template cannot forget either. Rich text goes through :func:`.richtext.rich` and arrives
as ``Markup`` already sanitised.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..portfolio.store import Portfolio
from .data import ReportData, anchor, load_report
from .richtext import rich, withhold

#: (section id, heading) in the order the report shows them.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("cover", "Portfolio"),
    ("glance", "Coverage at a glance"),
    ("criteria", "Performance criteria, judgements and feedback"),
    ("scope", "Scope coverage"),
    ("knowledge", "Knowledge coverage"),
    ("evidence", "Evidence"),
    ("reflections", "Reflective accounts"),
    ("signoff", "Assessment and sign-off"),
    ("keywords", "Key words and concepts"),
)

_KEEP_OUT: ContextVar[tuple[str, ...]] = ContextVar("keep_out", default=())


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        if value.startswith("data:"):
            return value  # base64 of an attachment: no names to find, and large
        return withhold(value, _KEEP_OUT.get())
    return value


def _rich(text: str) -> Markup:
    return rich(text or "", _KEEP_OUT.get())


def _size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


def template_dir() -> Path:
    """The folder of the section templates (``templates/sections`` in the repository)."""
    return Path(str(files("cpc306_portfolio.templates").joinpath("sections")))


@cache
def environment() -> Environment:
    """The Jinja2 environment of the section templates (built once per process)."""
    env = Environment(
        loader=FileSystemLoader(template_dir()),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["rich"] = _rich
    env.filters["size"] = _size
    env.globals["anchor"] = anchor
    return env


def render_section(section: str, data: ReportData) -> str:
    """The HTML of one section (see :data:`SECTIONS`)."""
    headings = dict(SECTIONS)
    template = environment().get_template(f"{section}.html.j2")
    token = _KEEP_OUT.set(data.keep_out)
    try:
        return template.render(
            d=data,
            section=section,
            heading=headings[section],
            sections=SECTIONS,
        )
    finally:
        _KEEP_OUT.reset(token)


def report_sections(
    portfolio: Portfolio | str | os.PathLike[str],
    *,
    trust: str | os.PathLike[str] | None = None,
) -> list[tuple[str, str]]:
    """(section id, safe HTML) for every section of the report, in order; writes nothing."""
    data = load_report(portfolio, trust=trust or None)
    return [(section, render_section(section, data)) for section, _ in SECTIONS]
