"""The learner's app on a phone-sized screen and from the keyboard, in Debian's Chromium.

Through the shared app (``learner_app``): at 390 px no page scrolls sideways, the page
script warns before unsaved text is lost and tells the other open tabs about a save,
the skip link reaches the form, and axe-core finds nothing serious or moderate.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cpc306_portfolio import open_portfolio

from .app_server import App
from .browser import chromium, require_browser

pytestmark = pytest.mark.browser

UI_TIMEOUT_MS = 180_000
PHONE = {"width": 390, "height": 844}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
READY = ".cpc306-page .cpc306-live"

#: Every element that scrolls sideways (its content wider than its box).
SIDEWAYS = """() => {
  const out = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) out.push(`page ${root.scrollWidth}px`);
  for (const e of document.querySelectorAll('body *')) {
    const style = getComputedStyle(e);
    if (['auto', 'scroll'].includes(style.overflowX) && e.scrollWidth > e.clientWidth + 1) {
      out.push(`${e.className} ${e.scrollWidth}px in ${e.clientWidth}px`);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def app(learner_app: App) -> App:
    require_browser()
    return learner_app


@pytest.fixture(scope="module")
def browser(app: App) -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE)
    yield context
    context.close()


def _open(page: Any, app: App, name: str) -> None:
    page.goto(app.page_url(name), timeout=UI_TIMEOUT_MS)
    page.locator(READY).first.wait_for(timeout=UI_TIMEOUT_MS)
    page.wait_for_timeout(300)  # let the widgets lay themselves out


def _shot(page: Any, app: App, name: str) -> None:
    """The whole page at 390 px (it scrolls inside itself: grow the window to fit it)."""
    height = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('*')).map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": 390, "height": min(height + 40, 12_000)})
    page.screenshot(path=str(app.shots / f"phone-{name}.png"))
    page.set_viewport_size(PHONE)


def _axe(page: Any) -> list[Any]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.response["passes"], "axe ran no rule at all"
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"moderate", "serious", "critical"}
    ]


@pytest.mark.parametrize("name", ["00_start_here", "A2"])
def test_a_page_fits_a_phone_passes_axe_and_shows_no_spinner_text(context, app, name):
    page = context.new_page()
    _open(page, app, name)
    assert page.evaluate(SIDEWAYS) == []
    _shot(page, app, name)
    text = page.inner_text("body")
    assert "Executing" not in text and "Ctrl" not in text and "⌘" not in text
    assert page.locator("#loading").count() == 0  # the quiet "Loading…" is gone
    assert _axe(page) == []


def test_the_skip_link_puts_the_focus_in_the_first_form(context, app):
    page = context.new_page()
    _open(page, app, "A2")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "cpc306-skip"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert float(outline.removesuffix("px")) >= 2
    page.keyboard.press("Enter")
    inside = "!!document.activeElement.closest('.cpc306-form')"
    assert page.evaluate(inside)
    assert page.evaluate("document.activeElement.tagName") in {"INPUT", "SELECT", "TEXTAREA"}


def test_leaving_with_unsaved_text_asks_first(context, app):
    page = context.new_page()
    _open(page, app, "reflection")
    leave = """() => { const e = new Event('beforeunload', {cancelable: true});
                       window.dispatchEvent(e); return e.defaultPrevented; }"""
    assert page.evaluate(leave) is False  # nothing typed: leave freely
    title = page.locator(".cpc306-reflection-form .cpc306-title input")
    title.fill("Half a thought about the provider")
    assert page.evaluate(leave) is True
    assert page.evaluate("window.cpc306Unsaved()") == 1
    title.fill("")  # back to what it held: nothing to lose
    assert page.evaluate(leave) is False


def test_a_save_in_one_tab_refreshes_the_other(context, app):
    home = context.new_page()
    _open(home, app, "00_start_here")
    before = home.inner_text(".cpc306-nav-summary")
    count = len(open_portfolio(app.folio).evidence_ids())
    assert f"{count} items" in before
    criterion = context.new_page()
    _open(criterion, app, "A4")
    form = criterion.locator(".cpc306-evidence-form")
    form.locator(".cpc306-title input").fill("Notes from the contract review meeting")
    form.locator(".cpc306-date input").fill("2026-03-05")
    form.locator(".cpc306-method select").select_option(label="Product / document")
    form.locator(".cpc306-description textarea").fill(
        "I wrote up the review and listed each action the provider agreed to."
    )
    criterion.wait_for_timeout(400)
    form.locator(".cpc306-save").click()
    form.locator(".cpc306-saved").wait_for(timeout=UI_TIMEOUT_MS)
    leave = """() => { const e = new Event('beforeunload', {cancelable: true});
                       window.dispatchEvent(e); return e.defaultPrevented; }"""
    assert criterion.evaluate(leave) is False  # saved: nothing left to lose
    home.locator(".cpc306-nav-summary", has_text=f"{count + 1} items").wait_for(
        timeout=UI_TIMEOUT_MS
    )
