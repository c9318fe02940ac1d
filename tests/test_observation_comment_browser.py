"""The "Your comment" box under an assessor's observation, in `cpc306 app` in Chromium.

An app of its own (not the shared one): the observation added here would change what the
other app tests count on A2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.assessor.records import observe
from cpc306_portfolio.portfolio.kinds import OBSERVATION

from .app_server import running_app
from .browser import chromium, require_browser

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

UI_TIMEOUT_MS = 180_000
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def test_the_learner_comments_on_an_observation_from_the_criterion_page(tmp_path: Path):
    from axe_playwright_python.sync_playwright import Axe

    require_browser()
    with running_app(tmp_path) as app:
        observe(open_portfolio(app.folio), on="2026-05-02", criteria=["A2"], narrative="Seen.")
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(app.page_url("A2"), timeout=UI_TIMEOUT_MS)
            form = page.locator(".cpc306-observation-comment-form")
            form.wait_for(timeout=UI_TIMEOUT_MS)
            box = page.get_by_label("Your comment")
            assert "Your comment on O001" in form.inner_text()
            page.wait_for_timeout(1000)  # the kernel settles before the first value goes
            box.fill("The family of 943 476 5919 agreed.")
            page.wait_for_timeout(400)
            form.get_by_role("button", name="Save comment").click()
            form.locator(".cpc306-not-saved").wait_for(timeout=UI_TIMEOUT_MS)
            assert "NHS number" in form.inner_text() and "943 476 5919" not in form.inner_text()
            assert box.input_value() == "The family of 943 476 5919 agreed."
            assert not open_portfolio(app.folio).records.get(OBSERVATION, "O001").learner_comment
            box.fill("I agree; the manager asked for it in writing.")
            page.wait_for_timeout(400)
            form.get_by_role("button", name="Save comment").click()
            form.locator(".cpc306-saved").wait_for(timeout=UI_TIMEOUT_MS)
            records = page.locator(".cpc306-live-assessor-records")
            records.get_by_text("the manager asked for it in writing").wait_for(
                timeout=UI_TIMEOUT_MS
            )
            saved = open_portfolio(app.folio).records.get(OBSERVATION, "O001")
            assert saved.learner_comment == "I agree; the manager asked for it in writing."
            page.screenshot(path=str(app.shots / "observation-comment.png"), full_page=True)
            results = Axe().run(
                page,
                context={"include": [[".cpc306-assessor-records-panel"]]},
                options={"runOnly": {"type": "tag", "values": AXE_TAGS}},
            )
            bad = [
                v["id"]
                for v in results.response["violations"]
                if v["impact"] in {"serious", "critical"}
            ]
            assert bad == [] and results.response["passes"]
