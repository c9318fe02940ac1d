"""Every learner page of the app, one load each, at 390 px in Debian's Chromium.

Through the shared app (``learner_app``, a copy of the sample): each page the app serves
(Start here, every criterion, knowledge, reflection, plan, assessment plan, export) fits a
phone with no sideways scroll, axe-core finds nothing moderate, serious or critical, and
the page's text shows no internal id, path, timestamp offset, model key or Python word, no
text box spills over the field below it, and every column heading starts with a capital.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from cpc306_portfolio.notebooks.generate import notebook_names
from cpc306_portfolio.standard import load_standard

from .app_server import App
from .browser import chromium, require_browser
from .test_app_phone_browser import PHONE, SIDEWAYS, UI_TIMEOUT_MS, _axe

pytestmark = pytest.mark.browser

#: Past the page's own 60 s "taking much longer" message.
STUCK_MS = 75_000

PAGES = [name.removesuffix(".ipynb") for name in notebook_names(load_standard())]

#: What must never reach a learner's page, each with what it would be.
INTERNAL = {
    "a timestamp's offset": r"\+00:00|\d\d:\d\d:\d\dZ?\b",
    # (an attachment's own name, "review.ipynb" say, is the learner's word: not matched)
    "a record file or a folder path": r"\.\./|\b[\w-]+\.ya?ml\b|/(?:root|tmp|home|notebooks)/",
    "a model key or internal id": r"\b[a-z]+(?:_[a-z]+)+\b|\b[a-z]+/[a-z_]+\b",
    "a Python word": r"\b(?:None|True|False|Traceback|NaN|nan)\b",
    "a notebook's spinner": r"Executing|Kernel",
    "a desktop-only instruction": r"Ctrl|⌘|right-click",
}
#: Words a learner may well see that look like the above: the unit's own "and/or".
ALLOWED = re.compile(r"\band/or\b|\bday/month/year\b|\bProduct / document\b")


#: Column headings that do not start with a capital (the unit writes them in sentence case).
LOWER_HEADINGS = """() => [...document.querySelectorAll('.cpc306-page th')]
  .map(t => t.textContent.trim()).filter(t => t && !/^[A-Z0-9]/.test(t))"""
#: Text boxes that spill out of their field over the next one (the box's height was its
#: label's and its own together once the label went above it at phone width).
SPILLING = """() => [...document.querySelectorAll('.cpc306-page .widget-textarea')]
  .filter(f => f.offsetParent !== null).flatMap(f => {
    const box = f.querySelector('textarea');
    if (!box) { return []; }
    const over = box.getBoundingClientRect().bottom - f.getBoundingClientRect().bottom;
    const label = (f.querySelector('label') || {}).textContent || '(no label)';
    return over > 1 ? [label + ': ' + Math.round(over) + ' px below its field'] : [];
  })"""


@pytest.fixture(scope="module")
def app(learner_app: App) -> App:
    require_browser()
    return learner_app


@pytest.fixture(scope="module")
def phone(app: App) -> Iterator[Any]:
    with chromium() as browser:
        context = browser.new_context(viewport=PHONE)
        yield context
        context.close()


def _internal(text: str) -> list[str]:
    text = ALLOWED.sub(" ", text)
    found = []
    for what, pattern in INTERNAL.items():
        for hit in re.finditer(pattern, text):
            around = text[max(0, hit.start() - 40) : hit.end() + 40].replace("\n", " ")
            found.append(f"{what}: {hit.group()!r} in …{around}…")
    return found


@pytest.mark.parametrize("name", PAGES)
def test_every_page_fits_a_phone_passes_axe_and_shows_no_internal_word(phone, app, name):
    page = phone.new_page()
    try:
        page.goto(app.page_url(name), timeout=UI_TIMEOUT_MS)
        live = page.locator(".cpc306-page .cpc306-live").first
        try:
            live.wait_for(timeout=STUCK_MS)
        except PlaywrightTimeout:
            # A page stuck loading is a known, rare hang under load (issue 28's notes): the
            # page then tells the learner to reload, as this does once; the hang is reported
            # as a warning so it stays visible, and a second hang fails the test.
            warnings.warn(
                f"{name} was stuck loading for {STUCK_MS / 1000:g} s; reloaded. The app's log "
                f"ends:\n{app.log_tail()}",
                stacklevel=1,
            )
            page.reload(timeout=UI_TIMEOUT_MS)
            try:
                live.wait_for(timeout=UI_TIMEOUT_MS)
            except PlaywrightTimeout:
                pytest.fail(
                    f"{name} was stuck loading twice. The app's log ends:\n{app.log_tail()}"
                )
        page.wait_for_timeout(300)  # let the widgets lay themselves out
        assert page.evaluate(SIDEWAYS) == []
        assert page.evaluate(SPILLING) == []
        assert page.evaluate(LOWER_HEADINGS) == []
        assert _internal(page.evaluate("document.body.innerText")) == []
        assert _axe(page) == []
    finally:
        page.close()
