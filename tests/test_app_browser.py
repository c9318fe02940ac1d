"""The learner's app end to end: `cpc306 app` on a copy of the sample, in Debian's Chromium.

One app (Voilà, shared with the other app tests: see ``tests/app_server.py``) and one
browser serve every test here. Screenshots go to the folder the first test prints
(``CPC306_SCREENSHOTS`` to choose it), so a person can look at them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.portfolio.plan import read_plan

from .app_server import App
from .browser import chromium, require_browser

pytestmark = pytest.mark.browser

UI_TIMEOUT_MS = 180_000
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
POSTCODE = "SW1A 1AA"
LONG = "I checked the provider's records against the contract and wrote down each gap I found."


@pytest.fixture(scope="module")
def app(learner_app: App) -> App:
    require_browser()
    assert learner_app.url.startswith("http://127.0.0.1:")
    assert re.search(r"/00_start_here\.ipynb\?token=[\w-]{40,}$", learner_app.url)
    return learner_app


@pytest.fixture(scope="module")
def browser(app: App) -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Any, app: App) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    p = context.new_page()
    outside: list[str] = []
    p.on("request", lambda r: None if r.url.startswith(app.base) else outside.append(r.url))
    yield p
    context.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"


def _open(page: Any, app: App, name: str) -> float:
    """Open a page; return the seconds until its first form control can be used."""
    started = time.monotonic()
    page.goto(app.page_url(name), timeout=UI_TIMEOUT_MS)
    page.locator(".cpc306-page").first.wait_for(timeout=UI_TIMEOUT_MS)
    first = page.locator(".cpc306-page input, .cpc306-page select, .cpc306-page textarea").first
    first.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    assert first.is_enabled()
    return time.monotonic() - started


def _shot(page: Any, app: App, name: str, show: str = "") -> None:
    if show:  # Voilà's page scrolls inside itself: show the part that matters
        page.locator(show).first.scroll_into_view_if_needed()
        page.locator(show).first.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(app.shots / f"{name}.png"))
        return
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 1280, "height": min(max(height, 1000), 6000)})
    page.screenshot(path=str(app.shots / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 1000})


def _no_code(page: Any) -> None:
    assert page.locator(".jp-InputArea-editor:visible, .cm-editor:visible").count() == 0
    assert "open_for_notebook" not in page.inner_text("body")
    assert "import " not in page.inner_text("body")


def _axe(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert bad == []
    assert results.response["passes"], "axe ran no rule at all"


def _wait_idle(page: Any) -> None:
    # ipywidgets sends a value after the kernel is idle: give the comm a moment to settle.
    page.wait_for_timeout(400)


def test_home_page_shows_no_code_and_passes_axe(page, app):
    seconds = _open(page, app, "00_start_here")
    print(f"\nhome page: first form control usable {seconds:.2f} s after goto")
    _no_code(page)
    assert "Element A" in page.inner_text(".cpc306-live-progress")
    assert page.locator(".cpc306-nav a[href='A2.ipynb']").count() == 1
    _shot(page, app, "home")
    _axe(page)


def test_a_postcode_is_caught_then_acknowledged_and_the_page_updates(page, app):
    seconds = _open(page, app, "A2")
    print(f"\ncriterion page: first form control usable {seconds:.2f} s after goto")
    _no_code(page)
    _shot(page, app, "criterion-before")
    _axe(page)
    before = open_portfolio(app.folio).evidence_ids()
    form = page.locator(".cpc306-evidence-form")
    mapped = page.locator(".cpc306-live-mapped")
    assert "Risk log kept at the provider" not in mapped.inner_text()
    summary_before = page.locator(".cpc306-nav-summary").inner_text()

    form.locator(".cpc306-title input").fill("Risk log kept at the provider's office")
    form.locator(".cpc306-date input").fill("2026-03-04")
    form.locator(".cpc306-method select").select_option(label="Product / document")
    form.locator(".cpc306-description textarea").fill(
        f"I reviewed the risk log at the office at {POSTCODE} and rated each risk."
    )
    _wait_idle(page)
    form.locator(".cpc306-save").click()
    form.locator(".cpc306-finding-here").wait_for(timeout=UI_TIMEOUT_MS)
    beside = form.locator(".cpc306-error-description").inner_text()
    assert "might identify a person" in beside
    assert open_portfolio(app.folio).evidence_ids() == before  # nothing saved

    form.locator(".cpc306-ack input").check()
    form.locator(".cpc306-ack-reason input").fill("the provider's head office, not a person")
    _wait_idle(page)
    form.locator(".cpc306-save").click()
    form.locator(".cpc306-saved").wait_for(timeout=UI_TIMEOUT_MS)
    (new_id,) = [i for i in open_portfolio(app.folio).evidence_ids() if i not in before]
    page.locator(".cpc306-live-mapped", has_text=new_id).wait_for(timeout=UI_TIMEOUT_MS)
    record = open_portfolio(app.folio).read_evidence(new_id)
    assert record.confidentiality and record.criteria == ["A2"]
    summary_after = page.locator(".cpc306-nav-summary").inner_text()
    assert summary_after != summary_before and f"{len(before) + 1} items" in summary_after
    _shot(page, app, "criterion-after", show=".cpc306-live-gaps")


def test_every_form_control_is_reached_from_the_keyboard(page, app):
    _open(page, app, "A5")
    form = page.locator(".cpc306-evidence-form")
    controls = form.locator("input:visible, select:visible, textarea:visible, button:visible")
    wanted = {
        controls.nth(i).evaluate("e => e.outerHTML.slice(0, 120)") for i in range(controls.count())
    }
    form.locator(".cpc306-record select").focus()
    reached = set()
    for _ in range(controls.count() * 2):  # each tick box is a stop of its own
        html = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
        reached.add(html)
        if wanted <= reached:
            break
        page.keyboard.press("Tab")
    assert wanted - reached == set()
    # Use the form with the keyboard alone: type a title, choose a method, press Save.
    form.locator(".cpc306-title input").focus()
    page.keyboard.type("Typed from the keyboard")
    form.locator(".cpc306-method select").focus()
    page.keyboard.press("ArrowDown")
    _wait_idle(page)
    form.locator(".cpc306-save").focus()
    page.keyboard.press("Enter")
    form.locator(".cpc306-not-saved").wait_for(timeout=UI_TIMEOUT_MS)  # no date yet
    said = form.locator(".cpc306-error-date").inner_text()
    assert "the date is missing" in said and "None" not in form.inner_text()
    assert form.locator(".cpc306-title input").input_value() == "Typed from the keyboard"


def test_a_reflection_with_an_empty_stage_is_named_then_saved_as_a_draft(page, app):
    _open(page, app, "reflection")
    form = page.locator(".cpc306-reflection-form")
    form.locator(".cpc306-title input").fill("After the improvement notice")
    form.locator(".cpc306-date input").fill("2026-06-10")
    form.locator(".cpc306-reflection-model select").select_option(
        label='Driscoll\'s "What?" model (1994)'
    )
    form.locator(".cpc306-stage-what textarea").wait_for(timeout=UI_TIMEOUT_MS)
    form.locator(".cpc306-stage-what textarea").fill(LONG)
    form.locator(".cpc306-stage-now_what textarea").fill(
        "Learn the contract's default clauses before the next review with the provider."
    )
    _shot(page, app, "reflection-form")
    before = open_portfolio(app.folio).reflection_ids()
    _wait_idle(page)
    form.locator(".cpc306-save").click()
    form.locator(".cpc306-error-stages\\.so_what", has_text="is empty").wait_for(
        timeout=UI_TIMEOUT_MS
    )
    assert open_portfolio(app.folio).reflection_ids() == before
    form.locator(".cpc306-draft input").check()
    _wait_idle(page)
    form.locator(".cpc306-save").click()
    form.locator(".cpc306-saved").wait_for(timeout=UI_TIMEOUT_MS)
    (new_id,) = [i for i in open_portfolio(app.folio).reflection_ids() if i not in before]
    assert open_portfolio(app.folio).read_reflection(new_id).draft
    page.locator(".cpc306-account-list", has_text=new_id).wait_for(timeout=UI_TIMEOUT_MS)


def test_the_development_plan_is_edited_and_saved(page, app):
    _open(page, app, "plan")
    form = page.locator(".cpc306-plan-form")
    last = form.locator(".cpc306-plan-row").last
    last.locator(".cpc306-plan-what textarea").fill("Negotiate a remedial action plan myself")
    last.locator(".cpc306-plan-how input").fill("Shadow the contracts manager at two reviews")
    last.locator(".cpc306-plan-when input").fill("2026-12-31")
    _wait_idle(page)
    form.locator(".cpc306-save").click()
    form.locator(".cpc306-saved").wait_for(timeout=UI_TIMEOUT_MS)
    whats = [a.what for a in read_plan(open_portfolio(app.folio)).actions]
    assert "Negotiate a remedial action plan myself" in whats
    page.locator(".cpc306-live-plan-view", has_text="Shadow the contracts manager").wait_for(
        timeout=UI_TIMEOUT_MS
    )


def test_export_page_asks_for_the_declaration_first_and_passes_axe(page, app):
    _open(page, app, "export")
    _no_code(page)
    text = page.inner_text(".cpc306-export")
    assert text.index("Declare") < text.index("Build")
    # The sample is complete, and what the tests above added is acknowledged (the postcode)
    # or maps to no criterion (the draft reflection): the page says nothing waits. The
    # warnings themselves are tested without a browser (test_panels.py).
    readiness = page.inner_text(".cpc306-readiness").strip()
    assert readiness == "✔ Every criterion is ready and no warning waits."
    _shot(page, app, "export")
    _axe(page)
    for label in ("Sign my declaration", "Build my portfolio"):
        button = page.get_by_role("button", name=label)
        fits = button.evaluate("b => b.scrollWidth <= b.clientWidth")
        assert fits, f"{label!r} is cut off"
