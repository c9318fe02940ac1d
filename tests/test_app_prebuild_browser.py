"""A page built ahead in a pre-heated kernel, then made stale by a change, still opens (issue 28).

The app builds a pre-heated page while its kernel waits; a change to the portfolio meanwhile
makes the kernel build the page again when it is opened. That path once left the page empty
(widgets closed before the page connected): this opens A2, lets its next kernel pre-heat,
changes the portfolio, and opens A2 again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from .app_server import App
from .browser import chromium, require_browser

pytestmark = pytest.mark.browser

UI_TIMEOUT_MS = 300_000
FORM = ".cpc306-page input"


@pytest.fixture(scope="module")
def app(learner_app: App) -> App:
    require_browser()
    return learner_app


@pytest.fixture
def page(app: App) -> Iterator[Any]:
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        yield context.new_page()
        context.close()


def _settle(app: App) -> None:
    """Until the app's kernels stop changing in number for 10 s (pre-heating done)."""
    deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
    count, since = len(app.kernels()), time.monotonic()
    while time.monotonic() - since < 10 and time.monotonic() < deadline:
        time.sleep(1)
        if (now := len(app.kernels())) != count:
            count, since = now, time.monotonic()


def test_a_page_built_ahead_and_then_made_stale_opens_with_its_form(page, app):
    page.goto(app.page_url("A2"), timeout=UI_TIMEOUT_MS)
    page.locator(FORM).first.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    _settle(app)  # A2's next kernel is pre-heated and has built its page
    (app.folio / "portfolio.yaml").touch()  # as a save in another tab would
    page.goto(app.page_url("A2", token=False), timeout=UI_TIMEOUT_MS)
    page.locator(FORM).first.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    assert page.locator(".cpc306-evidence-form").count() == 1
