"""The assessor's records in the rendered page, in Chromium: labelled, linked, accessible."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpc306_portfolio import open_portfolio, render_portfolio
from cpc306_portfolio.assessor.records import observe, question

from .browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def test_an_observation_shows_under_a2_and_in_its_own_section(sample_copy: Path, tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    folio = open_portfolio(sample_copy)
    observe(
        folio,
        on="2026-05-02",
        criteria=["A2"],
        narrative="Jordan weighed each risk <img src=x onerror=alert(1)>.",
    )
    question(folio, "K1-Q1", answer="The Equality Act 2010 and the PSED.", outcome="met")
    page_path = render_portfolio(sample_copy, tmp_path / "page.html")
    with chromium() as browser:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(page_path.as_uri())
        a2 = page.locator("#crit-A2")
        assert "Assessor's own records" in a2.inner_text()
        assert "O001 observation by Priya Castellan" in a2.inner_text()
        a2.locator('a[href="#rec-O001"]').click()
        record = page.locator("#rec-O001")
        assert record.is_visible()
        assert record.locator("h4").inner_text().startswith("Assessor's record O001")
        assert "<img src=x onerror=alert(1)>" in record.inner_text()
        assert page.locator("#section-assessor-records h2").inner_text() == "Assessor's records"
        assert "Met" in page.locator("#rec-Q001").inner_text()
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        serious = [
            v["id"]
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == []
        assert dialogs == []
