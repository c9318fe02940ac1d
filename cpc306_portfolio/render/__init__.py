"""The assessor's portfolio: one offline HTML file, built with papermill and nbconvert.

``report_sections`` builds each section as safe HTML (no kernel needed);
``execute_report`` runs the parameterised report notebook that displays them;
``export_html`` turns the executed notebook into the page with the project's template;
``render_portfolio`` does both and writes the file: the one path every caller takes (the
CLI, the learner's export, the batch), with ``engine=`` choosing what runs the notebook
(:mod:`cpc306_portfolio.execute`). Outside Jupyter the default engine takes the direct
path (:mod:`.direct`, :mod:`.page_template`): the notebook's own functions called here and
its nbconvert template rendered with Jinja2, the same page without importing papermill,
IPython or nbconvert. ``warmup`` readies a batch worker to fork learners.

Names are imported on first use: nbconvert, papermill and pandas take seconds to import,
and ``import cpc306_portfolio`` hands ``render_portfolio`` on without paying for them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .data import ReportData, load_report
    from .exporter import export_html
    from .record import RECORD_PARTS, assessment_record
    from .record_page import assessment_record_html, write_assessment_record
    from .report import execute_report, render_portfolio
    from .sections import SECTIONS, render_section, report_sections

_WHERE = {
    "RECORD_PARTS": ".record",
    "SECTIONS": ".sections",
    "ReportData": ".data",
    "assessment_record": ".record",
    "assessment_record_html": ".record_page",
    "execute_report": ".report",
    "export_html": ".exporter",
    "load_report": ".data",
    "render_portfolio": ".report",
    "render_section": ".sections",
    "report_sections": ".sections",
    "write_assessment_record": ".record_page",
}

__all__ = [
    "RECORD_PARTS",
    "SECTIONS",
    "ReportData",
    "assessment_record",
    "assessment_record_html",
    "execute_report",
    "export_html",
    "load_report",
    "render_portfolio",
    "render_section",
    "report_sections",
    "write_assessment_record",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_WHERE[name], __name__), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
