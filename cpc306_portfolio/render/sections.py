"""The report's sections as safe HTML, built with Jinja2 with autoescaping on.

Every value printed by a section template is escaped, and every plain string also has
the names the learner must keep out withheld (through Jinja's ``finalize``), so a
template cannot forget either. Learner text goes through :func:`.richtext.plain` (shown
as typed), a field declared Markdown through :func:`.richtext.rich`; both arrive as
``Markup`` already escaped or sanitised.
"""

from __future__ import annotations

import os
from contextlib import suppress
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket
from markupsafe import Markup

from ..files.templates import template_path
from ..portfolio.store import Portfolio
from ..standard.methods import AssessmentMethod
from .attachments import MAX_EMBED_BYTES
from .data import ReportData, anchor, load_report
from .panel import panel_block
from .record import assessment_record
from .richtext import plain, rich, withhold

#: (section id, heading) in the order the report shows them.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("cover", "Portfolio"),
    ("glance", "Coverage at a glance"),
    ("criteria", "Performance criteria, judgements and feedback"),
    ("scope", "Scope coverage"),
    ("knowledge", "Knowledge coverage"),
    ("evidence", "Evidence"),
    ("reflections", "Reflective accounts"),
    ("record", "Unit assessment record"),
    ("signoff", "Assessment and sign-off"),
    ("keywords", "Key words and concepts"),
)

#: The five rules of evidence (VACSR) as the page names and explains them.
RULES_OF_EVIDENCE_LABELS: tuple[tuple[str, str, str], ...] = (
    ("valid", "Valid", "relevant to this criterion"),
    ("authentic", "Authentic", "the learner's own work"),
    ("current", "Current", "recent enough to show competence now"),
    ("sufficient", "Sufficient", "enough to show the criterion consistently"),
    ("reliable", "Reliable", "another assessor would judge it the same"),
)

_KEEP_OUT: ContextVar[tuple[str, ...]] = ContextVar("keep_out", default=())


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        names = _KEEP_OUT.get()
        # Every string the page shows comes here: with no names to keep out, nothing to do.
        if not names or value.startswith("data:"):
            return value  # (data: base64 of an attachment: no names to find, and large)
        return withhold(value, names)
    return value


def _rich(text: str) -> Markup:
    return rich(text or "", _KEEP_OUT.get())


def _plain(text: str) -> Markup:
    return plain(text or "", _KEEP_OUT.get())


def _size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


def css_string(text: str) -> Markup:
    """A quoted CSS string with every character but letters and digits escaped.

    Used for the printed running footer, whose text (the learner's name) must not be
    able to end the string or the ``<style>`` element it sits in.
    """
    body = "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06x}" for c in text)
    return Markup(f'"{body}"')


def template_dir() -> Path:
    """The folder of the section templates (``templates/render/sections`` in the repository)."""
    return template_path("render", "sections")


class _QuietCache(FileSystemBytecodeCache):
    """Jinja's compiled templates kept between runs; a folder that cannot be used is skipped.

    Only the project's own templates are cached (no learner's words). Jinja checks each
    entry against its template's source and its own version before using it.
    """

    def load_bytecode(self, bucket: Bucket) -> None:
        with suppress(OSError, EOFError, ValueError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "cpc306" / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return _QuietCache(str(folder))


@cache
def environment() -> Environment:
    """The Jinja2 environment of the section templates (built once per process)."""
    env = Environment(
        bytecode_cache=_bytecode_cache(),
        loader=FileSystemLoader(template_dir()),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["rich"] = _rich
    env.filters["plain"] = _plain
    env.filters["size"] = _size
    env.globals["anchor"] = anchor
    env.globals["max_embed"] = MAX_EMBED_BYTES
    env.globals["panel_block"] = panel_block
    env.globals["assessment_record"] = assessment_record
    env.globals["css_string"] = css_string
    env.globals["rules_of_evidence"] = RULES_OF_EVIDENCE_LABELS
    env.globals["assessment_methods"] = [(m.value, m.label) for m in AssessmentMethod]
    return env


def compile_templates() -> None:
    """Compile every section template now (a process that forks learners does it once)."""
    env = environment()
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)


def render_section(section: str, data: ReportData) -> str:
    """The HTML of one section (see :data:`SECTIONS`).

    The knowledge section of a unit with no knowledge specification is empty: the report
    says nothing about knowledge rather than show an empty table.
    """
    if section == "knowledge" and not data.standard.has_knowledge:
        return ""
    headings = dict(SECTIONS)
    return render_template(
        f"{section}.html.j2", data, section=section, heading=headings[section], sections=SECTIONS
    )


def render_template(name: str, data: ReportData, **values: Any) -> str:
    """One template of this folder rendered for ``data`` (``d``), its keep-out names withheld."""
    template = environment().get_template(name)
    token = _KEEP_OUT.set(data.keep_out)
    try:
        return template.render(d=data, **values)
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
