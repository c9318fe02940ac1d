"""The dashboard's search and sticky header in real Chromium (accents, scrolling sideways)."""

from __future__ import annotations

import copy
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.cohort.dashboard import write_dashboard
from cpc306_portfolio.cohort.worker import RENDERED, LearnerResult, learner_summary

from .browser import chromium
from .cohorts import add_learner
from .conftest import ROOT

pytestmark = pytest.mark.browser

#: Six Zoës as centres type them: accents composed and decomposed, any case.
ZOES = [
    "Zoë Campbell",
    "ZOË HARGREAVES",
    "Zoé Lindqvist",
    "Zoe Marlowe",
    "zoë wren",
    unicodedata.normalize("NFD", "Zoë Okafor"),
]
OTHERS = ["Chloë Campbell", "Zola Adeyemi", "Joe Zeller"]
SCREENSHOT = ROOT / "out" / "screenshots" / "dashboard-search.png"


@pytest.fixture(scope="module")
def page_path(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("zoes")
    base = learner_summary(open_portfolio(add_learner(root / "cohort", "base")))
    results = []
    for i, name in enumerate(ZOES + OTHERS):
        s: dict[str, Any] = copy.deepcopy(base)
        s.update(name=name, assessor="Dana Whitfield" if i % 2 else "Priya Castellan")
        s["assessors"] = [s["assessor"]]
        key = f"learner-{i + 1:02d}"
        results.append(LearnerResult(key, key, RENDERED, html=f"{key}.html", summary=s))
    out = root / "out"
    out.mkdir()
    return write_dashboard(out, results, iqa_seed=1)


def _shown(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "table[data-heat] tbody tr:not([hidden]) th a", "els => els.map(e => e.textContent)"
    )


def test_search_ignores_case_and_accents(page_path):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(page_path.as_uri())
        for query in ("zoe", "ZOE", "Zoë", "zoé"):
            page.fill("#f-search", query)
            shown = _shown(page)
            assert len(shown) == 6, (query, shown)
            assert {unicodedata.normalize("NFC", s) for s in shown} == {
                unicodedata.normalize("NFC", z) for z in ZOES
            }
        page.fill("#f-search", "chloe campbell")
        assert _shown(page) == ["Chloë Campbell"]
        page.fill("#f-search", "whitfield")
        assert len(_shown(page)) == 4


def test_the_assessor_header_stays_over_its_column_when_scrolled_sideways(page_path):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 700, "height": 800})
        page.goto(page_path.as_uri())
        wrap = page.locator(".heat-wrap").first
        wrap.evaluate("el => { el.scrollLeft = 400; }")
        header = page.locator("table.heat thead th", has_text="Learner and folder").first
        name_cell = page.locator("table.heat tbody th").first
        assessor = page.locator("table.heat thead th", has_text="Assessor").first
        h, n, a = header.bounding_box(), name_cell.bounding_box(), assessor.bounding_box()
        assert h and n and a
        # The learners' header sits over the learners' column, which stays put ...
        assert abs(h["x"] - n["x"]) < 1 and abs(h["width"] - n["width"]) < 1
        # ... and the Assessor header, scrolled with its own column, is never drawn over it.
        top = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).textContent",
            [n["x"] + n["width"] / 2, h["y"] + h["height"] / 2],
        )
        assert "Learner and folder" in top
        assert a["x"] + a["width"] <= n["x"] or a["x"] >= n["x"] + n["width"]
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.fill("#f-search", "zoe")
        page.screenshot(path=str(SCREENSHOT), full_page=False)
