"""The assessor's portfolio in real Chromium: offline, accessible, inert, printable.

Debian's Chromium through Playwright (``tests/browser.py``); in CI a missing browser fails.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from cpc306_portfolio import render_portfolio
from cpc306_portfolio.render import SECTIONS

from .browser import chromium
from .conftest import ROOT
from .test_render import _hostile, page_of

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Extra payloads that would leave a mark if any ran, whatever the CSP says.
MARKERS = [
    "<script>window.__ran = 1</script>",
    '<img src=x onerror="window.__ran = 1">',
    '<svg onload="window.__ran = 1"></svg>',
    '<body onload="window.__ran = 1">',
]


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def sample_html(tmp_path_factory) -> Path:
    """The sample rendered the real way: papermill, then the project's exporter."""
    out = tmp_path_factory.mktemp("render") / "sample-portfolio.html"
    return render_portfolio(ROOT / "evidence", out)


def _only_files(route) -> None:
    """Let the page's own file load; refuse every other request (none should come)."""
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort()


def _offline_page(browser, **context):
    ctx = browser.new_context(**context)
    ctx.route("**/*", _only_files)
    ctx.set_offline(True)
    page = ctx.new_page()
    return ctx, page


def test_the_sample_opens_offline_and_makes_no_request(browser, sample_html):
    ctx, page = _offline_page(browser)
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    try:
        url = sample_html.as_uri()
        # Anything the page would fetch after load has been asked for once the network is idle.
        page.goto(url, wait_until="networkidle")
        assert page.locator("article.criterion").count() == 21
        assert page.locator("#rec-E001").is_visible()
        # The file itself; inline data: images are decoded in place, never fetched.
        assert [r for r in requests if not r.startswith("data:")] == [url]
        assert failed == []
    finally:
        ctx.close()


def test_axe_finds_no_serious_or_critical_violation(browser, sample_html):
    from axe_playwright_python.sync_playwright import Axe

    ctx, page = _offline_page(browser)
    try:
        page.goto(sample_html.as_uri())
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = results.response["violations"]
        serious = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in violations
            if v["impact"] in {"serious", "critical"}
        ]
        assert serious == [], serious
        assert results.response["passes"], "axe ran no rule at all"
    finally:
        ctx.close()


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_payloads_run_nothing_and_raise_no_dialog(browser, tmp_path, monkeypatch, bypass_csp):
    import tests.test_render as t

    monkeypatch.setattr(t, "PAYLOAD", t.PAYLOAD + " " + " ".join(MARKERS))
    html = tmp_path / "hostile.html"
    html.write_text(page_of(_hostile(tmp_path)), encoding="utf-8")
    ctx, page = _offline_page(browser, bypass_csp=bypass_csp)
    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(html.as_uri(), wait_until="networkidle")
        # Every image has loaded or failed, so an onerror payload would have run by now.
        page.wait_for_function("Array.from(document.images).every(i => i.complete)")
        for link in page.locator("a:not([download])").all()[:50]:
            link.click()
        assert dialogs == []
        assert page.evaluate("typeof window.__ran") == "undefined"
        # Our panel's script and its data block, nothing of the learner's.
        assert page.locator("script").count() == 2
        assert page.locator("#assess-panel").is_visible()
        assert [r for r in requests if not r.startswith("data:")] == [html.as_uri()]
        assert "<script>window.__ran = 1</script>" in page.inner_text("body")
    finally:
        ctx.close()


def test_an_attachment_downloads_from_the_file_itself(browser, sample_html):
    ctx, page = _offline_page(browser, accept_downloads=True)
    try:
        page.goto(sample_html.as_uri())
        link = page.locator('a[download="improvement-notice-NBC-ASC-HC-07.pdf"]')
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename == "improvement-notice-NBC-ASC-HC-07.pdf"
        data = Path(download.path()).read_bytes()
        original = ROOT / "evidence/evidence/E012/improvement-notice-NBC-ASC-HC-07.pdf"
        assert data == original.read_bytes()
    finally:
        ctx.close()


def test_it_prints_to_pdf_with_each_section_on_new_pages(browser, sample_html):
    ctx, page = _offline_page(browser)
    try:
        page.goto(sample_html.as_uri())
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        ctx.close()
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= len(SECTIONS)
    # NFKC undoes the ligatures of the PDF's text ("ﬂ" in "Reflective").
    texts = [unicodedata.normalize("NFKC", p.extract_text() or "").lstrip() for p in reader.pages]
    # The running footer (page number, learner, unit, fingerprint) is read first: drop it.
    texts = [re.sub(r"^Page \d+ of \d+[^\n]*\n", "", t) for t in texts]
    # every section after the cover starts at the top of a page of its own
    starts = {h: [n for n, text in enumerate(texts) if text.startswith(h)] for _, h in SECTIONS[1:]}
    assert all(pages for pages in starts.values()), starts
    # In order: each section's first page-top after the one before (a table caption such
    # as the scope category "Evidence" can also head a page).
    firsts: list[int] = []
    for pages in starts.values():
        later = [n for n in pages if not firsts or n > firsts[-1]]
        assert later, starts
        firsts.append(later[0])
    assert firsts[0] > 0, starts


def test_each_judgements_feedback_prints_once(browser, sample_html):
    """The print once held each judgement's feedback three times (issue 25)."""
    from cpc306_portfolio import open_portfolio

    ctx, page = _offline_page(browser)
    try:
        page.goto(sample_html.as_uri())
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        ctx.close()

    def squeezed(text: str) -> str:
        return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text))

    printed = squeezed("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))
    assessment = open_portfolio(ROOT / "evidence").read_assessment()
    assert assessment.judgements
    for crit, judgement in assessment.judgements.items():
        text = squeezed(judgement.feedback)
        # A fragment that no page break can split in two places at once.
        assert printed.count(text[5:45]) == 1, crit
