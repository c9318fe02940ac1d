"""The unit assessment record, written from the workspace into the assessor's own folder.

The learner page's button calls :func:`~cpc306_portfolio.render.record_page.write_assessment_record`
(what ``cpc306 assess record`` calls) with a file in the assessor's output folder (``cpc306 assess
app --output-dir``; never inside a portfolio of the caseload), one folder per learner key. The
route ``/cpc306/record/<learner>`` hands that file back for viewing and printing: found by the
learner's key only (never a path from the address), read without following a link, served as
HTML under the record's own Content-Security-Policy (the record has no script), ``nosniff``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import tornado.web

from ..errors import PortfolioError, UsageError
from ..files.regular import read_bytes
from ..render.csp import CSP

if TYPE_CHECKING:
    from ..portfolio.store import Portfolio

ROUTE = r"/cpc306/record/([0-9a-f]{12})"
FILE_NAME = "unit-assessment-record.html"
RECORDS_ENV = "CPC306_RECORDS_DIR"
#: Largest record handed back (a CPC 306 record is tens of kilobytes).
MAX_BYTES = 20 * 1024 * 1024


def default_output_dir() -> Path:
    """Where records go when ``--output-dir`` is not given: the assessor's own data folder.

    Under ``CPC306_APP_HOME`` when that is set (as the workspace's pages are), otherwise the
    platform's data folder for cpc306 (``~/.local/share/cpc306`` on Linux).
    """
    from .app import HOME_ENV

    home = os.environ.get(HOME_ENV)
    if home:
        return Path(home).expanduser().resolve() / "assessment-records"
    import platformdirs

    return Path(platformdirs.user_data_dir("cpc306", False)) / "assessment-records"


def check_output_dir(folder: Path, portfolios: Mapping[str, Path]) -> Path:
    """``folder`` resolved; refused when it is inside a portfolio of the caseload."""
    target = folder.expanduser().resolve()
    for root in portfolios.values():
        root = root.resolve()
        if target == root or root in target.parents:
            raise UsageError(
                f"--output-dir {target} is inside the learner's portfolio {root}",
                hint="give a folder of your own, outside every portfolio of the caseload",
            )
    return target


def record_href(learner: str) -> str:
    """The address (relative to the app's root) of a learner's written record."""
    return f"/cpc306/record/{learner}"


def record_file(output_dir: str | Path, learner: str) -> Path:
    """Where a learner's record is written in the assessor's output folder."""
    return Path(output_dir) / learner / FILE_NAME


def write_record(folio: Portfolio, output_dir: str | Path, learner: str, trust: str = "") -> Path:
    """Write the learner's unit assessment record into the output folder; return its path."""
    # Imported here: the app's server imports this module for its route, and starts faster
    # without the portfolio's models and the renderer (only a page kernel writes records).
    from ..render.record_page import write_assessment_record

    if not str(output_dir):
        raise UsageError("no output folder for records", hint="start with --output-dir FOLDER")
    target = record_file(output_dir, learner)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return write_assessment_record(folio, target, trust=trust or None)


def record_headers() -> dict[str, str]:
    """The response headers of a served record: its own CSP, never sniffed, never cached."""
    return {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
    }


class RecordHandler(tornado.web.RequestHandler):
    """The unit assessment record last written for one learner of the caseload."""

    def get(self, learner: str) -> None:
        folder = str(self.settings.get("cpc306_records", ""))
        if not folder or learner not in self.settings.get("cpc306_portfolios", {}):
            raise tornado.web.HTTPError(404)
        try:
            data = read_bytes(record_file(folder, learner), Path(folder), MAX_BYTES)
        except (OSError, PortfolioError):
            raise tornado.web.HTTPError(404) from None
        if len(data) > MAX_BYTES:
            raise tornado.web.HTTPError(413)
        for header, value in record_headers().items():
            self.set_header(header, value)
        self.finish(data)
