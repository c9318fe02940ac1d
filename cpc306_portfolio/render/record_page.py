"""The unit assessment record as a page of its own: ``cpc306 assess record``.

One self-contained HTML file under the same rules as the portfolio's page: the
Content-Security-Policy of :mod:`.csp` with no script at all, nothing from the network, every
text escaped (the section templates' environment, keep-out names withheld), and print CSS
for A4. Its content is :func:`.record.assessment_record` laid out by the same macro as the
portfolio's "Unit assessment record" section.
"""

from __future__ import annotations

import os
from pathlib import Path

from markupsafe import Markup

from ..files.atomic import atomic_write_text
from ..files.templates import template_path
from ..portfolio.store import Portfolio
from .csp import CSP
from .data import load_report
from .record import assessment_record
from .report import output_target
from .sections import render_template

PAGE_TEMPLATE = "record_page.html.j2"
STYLESHEETS = ("report.css", "record.css")

Pathish = str | os.PathLike[str]


def record_css() -> Markup:
    """The page's stylesheet: the portfolio's, then the record's (the project's own files)."""
    folder = template_path("render", "nbconvert", "cpc306", "static")
    return Markup("\n".join((folder / name).read_text(encoding="utf-8") for name in STYLESHEETS))


def assessment_record_html(portfolio: Portfolio | Pathish, *, trust: Pathish | None = None) -> str:
    """The unit assessment record of ``portfolio`` as one HTML page (nothing is written).

    ``trust`` is the centre's list of its assessors' keys: the sign-off reads verified only
    against it.
    """
    data = load_report(portfolio, trust=trust or None)
    return render_template(
        PAGE_TEMPLATE, data, parts=assessment_record(data), csp=CSP, css=record_css()
    )


def write_assessment_record(
    portfolio: Portfolio | Pathish, output: Pathish, *, trust: Pathish | None = None
) -> Path:
    """Write the unit assessment record of ``portfolio`` to ``output``; returns the path.

    The file is written atomically, outside the portfolio folder (or in its ``exports/``).
    """
    root = portfolio.root if isinstance(portfolio, Portfolio) else Path(portfolio).resolve()
    target = output_target(root, output, "record.html")
    atomic_write_text(target, assessment_record_html(portfolio, trust=trust))
    return target
