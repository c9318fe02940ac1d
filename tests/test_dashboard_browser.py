"""The cohort dashboard in real Chromium: a 50-learner batch, and a 200-learner page to look at.

The 50 learners go through ``run_batch`` (every portfolio read, validated and summarised
by the batch's worker processes; ``render=False`` leaves out each learner's HTML, which
the kernel tests cover). Everything asserted is recomputed from ``status.json``.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio.cohort.batch import run_batch
from cpc306_portfolio.cohort.dashboard import write_dashboard
from cpc306_portfolio.cohort.worker import FAILED, RENDERED, LearnerResult

from .browser import chromium
from .cohorts import ASSESSORS, BROKEN, FIRST, LAST, build_cohort
from .conftest import ROOT

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: Where the 200-learner screenshot is written for a person to look at (git ignores out/).
SCREENSHOT = ROOT / "out" / "screenshots" / "dashboard-200.png"


@pytest.fixture(scope="module")
def batch50(tmp_path_factory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("fifty")
    cohort = build_cohort(root, 50)
    report = run_batch(cohort, root / "out", render=False, workers=2, iqa_seed=5)
    status = json.loads(report.status_path.read_text(encoding="utf-8"))
    return report.dashboard_path, status


def _axe(page: Any) -> list[Any]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def _visible_folders(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "table[data-heat] tbody tr:not([hidden]) th .note", "els => els.map(e => e.textContent)"
    )


def test_fifty_learners_with_twins_and_two_broken(batch50):
    page_path, status = batch50
    learners = status["learners"]
    assert len(learners) == 50
    names = [v["name"] for v in learners.values() if v["name"]]
    assert len(names) - len(set(names)) >= 6  # learners who share a name with another
    read = [v for v in learners.values() if v["summary"]]
    today = date.today()
    quiet = {
        k
        for k, v in learners.items()
        if v["summary"]
        and (today - date.fromisoformat(v["summary"]["last_activity"])).days > 28
        and not v["summary"]["complete"]
    }
    assert quiet and len(quiet) < len(read)

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(page_path.as_uri())
        assert requests == [page_path.as_uri()] and errors == []

        rows = page.locator("table[data-heat] tbody tr")
        assert rows.count() == 50
        # Twins are told apart by their folder, on every row.
        assert sorted(_visible_folders(page)) == sorted(learners)
        failures = page.locator("#failures tbody tr")
        assert failures.count() == 2
        for folder in BROKEN:
            row = failures.filter(has_text=f"folder {folder}")
            assert row.count() == 1
            assert learners[folder]["reason"] in row.inner_text().replace("\n", " ")
            assert str(ROOT) not in row.inner_text() and "/tmp/" not in row.inner_text()
            assert page.locator("table[data-heat] tbody tr", has_text=folder).count() == 1

        # Column totals: the page's footer against counts recomputed from status.json.
        criteria = [c["criterion"] for c in read[0]["summary"]["criteria"]]
        for status_id in ("met", "ready", "in_progress", "not_yet_met", "not_started"):
            cells = page.locator(f"tfoot tr[data-total='{status_id}'] td").all_inner_texts()
            expected = [
                sum(
                    1
                    for v in read
                    for c in v["summary"]["criteria"]
                    if c["criterion"] == crit and c["status"] == status_id
                )
                for crit in criteria
            ]
            assert [int(c) for c in cells] == expected, status_id
        assert f"of {len(read)} read" in page.locator("tfoot").inner_text()

        # Sort by progress: the rows come in order, most first.
        page.select_option("#f-sort", "progress")
        shown = page.eval_on_selector_all(
            "table[data-heat] tbody tr", "els => els.map(e => Number(e.dataset.progress))"
        )
        assert shown == sorted(shown, reverse=True) and len(shown) == 50
        assert shown[0] > shown[-1]

        # The quiet filter shows exactly the quiet learners.
        page.check("#f-quiet")
        assert set(_visible_folders(page)) == quiet
        assert page.locator("#f-count").inner_text() == f"Showing {len(quiet)} of 50 learners"
        page.uncheck("#f-quiet")
        page.fill("#f-search", "learner-007")
        assert _visible_folders(page) == ["learner-007"]
        page.fill("#f-search", "")

        assert _axe(page) == []
        page.set_viewport_size({"width": 390, "height": 844})
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 390, f"the page is {overflow} px wide at 390 px"
        page.emulate_media(media="print")
        # The heat map prints on a landscape A4 page (277 mm wide inside its margins).
        page.set_viewport_size({"width": 1040, "height": 735})
        printed = page.evaluate("document.documentElement.scrollWidth")
        assert printed <= 1040, f"the printed page is {printed} px wide"
        assert page.pdf(format="A4")[:4] == b"%PDF"
        assert requests == [page_path.as_uri()]


def test_without_scripts_the_page_reads_the_same(batch50):
    page_path, _ = batch50
    with chromium() as browser:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(page_path.as_uri())
        assert page.locator("#controls").is_hidden()  # no controls that would do nothing
        assert page.locator("table[data-heat] tbody tr:visible").count() == 50
        assert _visible_folders(page)[0] == "learner-001"


def _two_hundred(template: dict[str, Any]) -> list[LearnerResult]:
    """200 learners' results, varied from one real summary (the page is what is shown)."""
    rng = random.Random(200)
    statuses = ["not_started", "in_progress", "ready", "met", "not_yet_met"]
    out = []
    for i in range(198):
        s = copy.deepcopy(template)
        s["name"] = f"{FIRST[i % len(FIRST)]} {LAST[rng.randrange(len(LAST))]}"
        s["assessor"] = ASSESSORS[i % len(ASSESSORS)]
        s["assessors"] = [s["assessor"]]
        s["last_activity"] = (date.today() - timedelta(days=rng.randint(0, 90))).isoformat()
        level = rng.random()
        for c in s["criteria"]:
            c["status"] = rng.choices(statuses, [1 - level, 1, level * 2, level, 0.1])[0]
            c["items"] = 0 if c["status"] == "not_started" else rng.randint(1, 5)
        counts = {st: sum(c["status"] == st for c in s["criteria"]) for st in statuses}
        total = len(s["criteria"])
        s["progress"] = dict(
            s["progress"],
            **{f"criteria_{st}": n for st, n in counts.items()},
            percent_ready=round(100 * (counts["ready"] + counts["met"]) / total, 1),
        )
        s["ready"] = counts["ready"] > 0 and counts["ready"] + counts["met"] == total
        s["complete"] = counts["met"] == total
        key = f"learner-{i + 1:03d}"
        out.append(LearnerResult(key, key, RENDERED, html=f"{key}.html", summary=s))
    for key in ("zz-broken-one", "zz-broken-two"):
        out.append(
            LearnerResult(key, key, FAILED, kind="invalid", reason="portfolio.yaml is not YAML")
        )
    return out


def test_two_hundred_learners_screenshot(batch50, tmp_path):
    _, status = batch50
    template = next(v["summary"] for v in status["learners"].values() if v["summary"])
    page_path = write_dashboard(tmp_path, _two_hundred(template), iqa_seed=9)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(page_path.as_uri())
        assert page.locator("table[data-heat] tbody tr").count() == 200
        page.screenshot(path=str(SCREENSHOT), full_page=True)
        height = page.evaluate("document.documentElement.scrollHeight")
    # The heat map scrolls inside its own box, so 200 learners do not make a 20,000 px page.
    assert height < 6000, height
    assert SCREENSHOT.stat().st_size > 10_000
