"""The EQA pack's front page in real Chromium: offline, accessible, every link inside the pack."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date

import pytest

from cpc306_portfolio.centre.register import add_assessor
from cpc306_portfolio.cohort.eqa_pack import eqa_pack
from cpc306_portfolio.cohort.iqa_plan import plan_cohort

from .browser import chromium
from .conftest import ROOT, SAMPLE

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def test_the_pack_opens_offline_and_passes_the_accessibility_check(tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    cohort = tmp_path / "cohort"
    shutil.copytree(SAMPLE, cohort / "jordan")
    centre = tmp_path / "centre"
    add_assessor(
        centre,
        name="Priya Castellan",
        role="assessor",
        status="qualified",
        key_file=ROOT / "demo-keys" / "demo-assessor.key.pub",
    )
    add_assessor(  # the IQA whose demo key sealed the sample's IQA sample
        centre,
        name="Ruth Halvorsen",
        role="iqa",
        status="qualified",
        key_file=ROOT / "demo-keys" / "demo-iqa.key.pub",
    )
    plan_cohort(cohort, interim=date(2027, 1, 15), summative=date(2027, 6, 30), seed=1)
    report = eqa_pack(cohort, tmp_path / "pack.zip")
    assert report.verified == {"jordan": True}
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        pack.extractall(unpacked)
    index = unpacked / "index.html"
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(index.as_uri())
        assert requests == [index.as_uri()]
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        inside = [h for h in hrefs if not h.startswith(index.as_uri() + "#")]
        assert inside and all(h.startswith(unpacked.as_uri()) for h in inside), inside
        for href in inside:
            target = href.removeprefix(unpacked.as_uri() + "/")
            assert target.endswith("/") or (unpacked / target).is_file(), href
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        serious = [
            v for v in result.response["violations"] if v["impact"] in ("serious", "critical")
        ]
        assert serious == []
        portfolio = page.locator("#portfolios").get_by_role("link", name="portfolios/jordan.html")
        assert portfolio.count() == 1
        assert "OK" in page.locator("#portfolios tbody tr").first.inner_text()
