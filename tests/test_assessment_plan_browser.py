"""The "Assessment plan and reviews" page in the learner's app, in Debian's Chromium.

Shares the one app the other app tests use (``learner_app``): the plan and review are
added to its portfolio here, before the page is opened (a page reads the portfolio when it
opens). Screenshots at 1280 and 390 px go to the app's screenshot folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.portfolio.assessment_plan import (
    add_activity,
    agreement_states,
    read_assessment_plan,
)
from cpc306_portfolio.portfolio.kinds import REVIEW
from cpc306_portfolio.portfolio.reviews import add_review

from .app_server import App
from .browser import chromium, require_browser
from .planning_data import ACTIVITY

pytestmark = pytest.mark.browser

UI_TIMEOUT_MS = 180_000
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def app(learner_app: App) -> App:
    require_browser()
    folio = open_portfolio(learner_app.folio)
    if read_assessment_plan(folio) is None:
        soon = (date.today() + timedelta(days=3)).isoformat()
        add_activity(folio, {**ACTIVITY, "planned_date": soon})
    if not folio.records.all(REVIEW):
        add_review(
            folio,
            on="2026-01-20",
            progress="Element A is well under way.",
            targets=[("Chair the B4 meeting", "2026-03-01")],
            next_review="2026-04-01",
        )
    return learner_app


@pytest.fixture(scope="module")
def browser(app: App) -> Iterator[Any]:
    with chromium() as b:
        yield b


def _open(browser: Any, app: App, width: int) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(app.base) else outside.append(r.url))
    page.goto(app.page_url("assessment_plan"), timeout=UI_TIMEOUT_MS)
    page.locator(".cpc306-live-assessment-plan .cpc306-activity").first.wait_for(
        timeout=UI_TIMEOUT_MS
    )
    return context, outside


def _full_shot(page: Any, app: App, name: str, width: int) -> None:
    # Voilà's page scrolls inside itself: measure what it holds, not the document.
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('body, body *')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": width, "height": min(max(height, 900), 8000)})
    page.screenshot(path=str(app.shots / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": width, "height": 900})


def test_the_page_opens_shows_the_plan_and_the_learner_agrees_it(browser, app):
    from axe_playwright_python.sync_playwright import Axe

    context, outside = _open(browser, app, 1280)
    page = context.pages[0]
    plan = page.locator(".cpc306-live-assessment-plan")
    assert "Observe the contract review meeting" in plan.inner_text()
    assert "Due now (1)" in plan.inner_text()
    assert "Chair the B4 meeting" in page.locator(".cpc306-review").first.inner_text()
    assert page.locator(".cpc306-nav a[href='assessment_plan.ipynb']").count() == 1
    assert "import " not in page.inner_text("body")
    _full_shot(page, app, "assessment-plan-1280", 1280)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    bad = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert bad == []
    page.locator(".cpc306-agree-plan").click()
    page.locator(".cpc306-agree-plan-status .cpc306-saved").wait_for(timeout=UI_TIMEOUT_MS)
    plan_now = read_assessment_plan(open_portfolio(app.folio))
    assert agreement_states(plan_now)["learner"] == "agreed"
    context.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"

    narrow, outside = _open(browser, app, 390)
    page = narrow.pages[0]
    assert "You agreed this plan as it stands" in page.inner_text("body")
    wide = page.evaluate("document.documentElement.scrollWidth")
    _full_shot(page, app, "assessment-plan-390", 390)
    narrow.close()
    assert outside == []
    assert wide <= 420, f"the page is {wide} px wide at 390 px"
