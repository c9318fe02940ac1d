"""The unit assessment record in real Chromium: offline, accessible, and on at most 3 A4 pages.

Debian's Chromium through Playwright (``tests/browser.py``), one browser for the module; in
CI a missing browser fails.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from cpc306_portfolio import open_portfolio, write_assessment_record
from cpc306_portfolio.render.record import brief

from .browser import chromium
from .conftest import ROOT
from .test_render_browser import AXE_TAGS, _offline_page

pytestmark = [pytest.mark.browser]

TRUST = ROOT / "demo-keys" / "demo-trust-list.txt"

#: The most pages CPC 306's sample record may print on (issue 25).
MOST_PAGES = 3


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def record_html(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("record") / "record.html"
    return write_assessment_record(ROOT / "evidence", out, trust=TRUST)


def _squeezed(text: str) -> str:
    """Letters and digits only: the PDF's text breaks lines and joins ligatures its own way."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text))


def test_the_sample_record_prints_on_at_most_three_a4_pages(browser, record_html):
    ctx, page = _offline_page(browser)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(record_html.as_uri(), wait_until="networkidle")
        assert page.locator("table.record-decisions tbody tr").count() == 21
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        ctx.close()
    assert requests == [record_html.as_uri()]
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= MOST_PAGES, len(reader.pages)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4 in points
    pages = [_squeezed(p.extract_text() or "") for p in reader.pages]
    whole = "".join(pages)
    assessment = open_portfolio(ROOT / "evidence").read_assessment()
    for crit, judgement in assessment.judgements.items():
        shown = _squeezed(brief(judgement.feedback).text)
        # Each criterion's row is on one page: its feedback starts and ends on the same page.
        start = [n for n, text in enumerate(pages) if shown[:40] in text]
        end = [n for n, text in enumerate(pages) if shown[-40:] in text]
        assert start and start == end, (crit, start, end)
    for last in ("Signoff", "Internalqualityassurance", "AssessmentdecisionsconfirmedNotes"):
        assert last in whole


def test_the_record_page_passes_axe(browser, record_html):
    from axe_playwright_python.sync_playwright import Axe

    ctx, page = _offline_page(browser)
    try:
        page.goto(record_html.as_uri())
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        serious = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        assert serious == [], serious
        assert results.response["passes"], "axe ran no rule at all"
    finally:
        ctx.close()
