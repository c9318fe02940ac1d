"""The nbconvert exporter of the assessor's portfolio, with the project's own template.

The template (``templates/render/nbconvert/cpc306``) loads nothing from the network and carries
one script, the assessment panel's (see :mod:`.panel`), allowed by its SHA-256 alone.
The exporter is built once per process: building one costs several times more than
using it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import nbformat
from nbconvert.exporters import HTMLExporter, TemplateExporter

from .csp import content_security_policy
from .page_template import TEMPLATE_NAME, template_basedir
from .panel import panel_script


class ReportExporter(HTMLExporter):
    """``HTMLExporter`` without its BeautifulSoup pass over the finished page.

    That pass re-parses and re-serialises the whole document to add ``alt`` text and
    ``tabindex`` to JupyterLab's cells: our sections give every image its alt text and use
    none of those cells, and on a portfolio with 50 MB of attachments it is the slowest
    step of the export. The page is exactly what the template wrote.
    """

    def from_notebook_node(  # type: ignore[override]
        self, nb: nbformat.NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)  # type: ignore[no-any-return]


@cache
def exporter() -> ReportExporter:
    """The one exporter of this process (configured for the report, reused)."""
    return ReportExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(template_basedir())],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=True,
        exclude_raw=True,
        exclude_unknown=True,
        embed_images=True,
    )


def export_html(notebook: nbformat.NotebookNode) -> str:
    """The offline HTML of an executed report notebook (the notebook is not changed)."""
    script = panel_script()
    html, _ = exporter().from_notebook_node(
        notebook, resources={"csp": content_security_policy(script), "panel_script": script}
    )
    return html
