"""The assessor's whole job in the page, in real Chromium, offline, from ``file://``.

Judge three criteria with the rules of evidence, reload (the work is still there, in this
tab only: nothing in localStorage or IndexedDB), save the draft file, sign it beside the
page with ``cpc306 assess sign``, import it with ``cpc306 assess import --trust`` and check
it with ``cpc306 verify --trust``. A draft written by another local page is never restored.
Screenshots of the panel (desktop and 390 px wide) and of two printed pages are written
for a person to look at, to ``build/screenshots/`` (or ``$CPC306_SCREENSHOTS``).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from cpc306_portfolio import declare, new_key, open_portfolio, render_portfolio

from .browser import chromium
from .conftest import ROOT, SAMPLE, before_assessment, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

RULES = ("Valid", "Authentic", "Current", "Sufficient", "Reliable")
JUDGED = {"A1": "Met", "A2": "Met", "B4": "Not yet met"}


def shots_dir() -> Path:
    folder = Path(os.environ.get("CPC306_SCREENSHOTS") or ROOT / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the sample declared but not yet judged, and its page rendered the real way."""
    base = tmp_path_factory.mktemp("panel")
    folder = base / "sample"
    shutil.copytree(SAMPLE, folder)
    declare(open_portfolio(before_assessment(folder)))
    return folder, render_portfolio(folder, base / "out" / "portfolio.html")


def _offline(browser, **context):
    ctx = browser.new_context(**context)
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    ctx.set_offline(True)
    return ctx


def _judge(page, criterion: str, outcome: str) -> None:
    group = page.get_by_role("radiogroup", name=f"Outcome for {criterion}")
    group.get_by_label(outcome, exact=True).check()
    panel = page.locator(f'.judge[data-criterion="{criterion}"]')
    rules = panel.get_by_role("group", name=f"Rules of evidence for {criterion}")
    for rule in RULES if outcome == "Met" else RULES[:2]:
        rules.get_by_label(rule, exact=True).check()
    methods = panel.get_by_role("group", name=f"Methods sampled for {criterion}")
    methods.get_by_label("Product / document", exact=True).check()
    rules.get_by_label(f"Note on current for {criterion} (optional)").fill("Within 2 years")
    relied = panel.get_by_role("group", name=f"Evidence relied on for {criterion}")
    relied.get_by_role("checkbox").first.check()
    panel.get_by_label(f"Feedback on {criterion}").fill(f"{criterion}: clear.\nSecond line, 5*3*2.")


def _stores(page) -> dict[str, int]:
    """How much the page left in the stores every file:// page shares."""
    return page.evaluate(
        """async () => ({
            local: localStorage.length,
            idb: (await indexedDB.databases()).length,
            session: sessionStorage.length,
        })"""
    )


def test_judge_reload_save_sign_import_verify(browser, rendered, tmp_path):
    folder, html = rendered
    key = new_key(tmp_path / "keys" / "assessor", comment="Priya Castellan")
    ctx = _offline(browser, accept_downloads=True, viewport={"width": 1200, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page = ctx.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(html.as_uri(), wait_until="load")
        assert page.locator("input[type=file]#signing-key").count() == 0
        assert page.get_by_role("button", name="Save draft file").is_visible()
        # A bare met is refused in the page, naming what is missing.
        page.get_by_role("radiogroup", name="Outcome for B1").get_by_label(
            "Met", exact=True
        ).check()
        page.get_by_role("button", name="Save draft file").click()
        assert "B1 is judged met without" in page.locator("#panel-status").inner_text()
        page.get_by_role("button", name="Discard draft").click()
        for criterion, outcome in JUDGED.items():
            _judge(page, criterion, outcome)
        page.get_by_label("Overall feedback to the learner").fill("Good start; see B4.")
        assert _stores(page) == {"local": 0, "idb": 0, "session": 1}
        page.reload(wait_until="load")

        # The work survives a reload of this tab (sessionStorage), and only that.
        for criterion, outcome in JUDGED.items():
            group = page.get_by_role("radiogroup", name=f"Outcome for {criterion}")
            assert group.get_by_label(outcome, exact=True).is_checked()
        assert page.get_by_label("Feedback on B4").input_value().startswith("B4: clear.\n")
        assert page.locator("#panel-progress").inner_text().startswith("3 of 21 criteria judged")
        assert _stores(page)["local"] == 0 and _stores(page)["idb"] == 0

        page.locator(".judge[data-criterion='A1']").scroll_into_view_if_needed()
        page.locator(".judge[data-criterion='A1']").screenshot(
            path=shots_dir() / "panel-criterion-desktop.png"
        )
        page.locator("#assess-panel").screenshot(path=shots_dir() / "panel-signoff-desktop.png")
        with page.expect_download() as info:
            page.get_by_role("button", name="Save draft file").click()
        download = info.value
        assert download.suggested_filename.startswith("assessment-jordan-ashby-draft-")
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        assert [r for r in requests if not r.startswith(("data:", "blob:"))] == [html.as_uri()] * 2
        assert errors == []
    finally:
        ctx.close()

    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["signoff"] is None and data["base"]
    a1 = data["assessment"]["judgements"]["A1"]
    assert a1["rules"]["current"] == {"met": True, "note": "Within 2 years"}
    assert a1["methods_sampled"] == ["product"]

    trust = ("--trust", str(key.public_path))
    signed = tmp_path / "signed.json"
    run_cli("assess", "sign", saved, "--page", html, "--key", key.private_path, "-o", signed)
    out = run_cli("assess", "import", str(folder), str(signed), *trust)
    assert "INTERIM sign-off" in out
    judgements = open_portfolio(folder).read_assessment().judgements
    assert {c: j.outcome for c, j in judgements.items()} == {
        "A1": "met",
        "A2": "met",
        "B4": "not_yet_met",
    }
    out = run_cli("verify", str(folder), *trust)
    assert "Interim sign-off by Priya Castellan" in out and "OK" in out
    run_cli("verify", str(folder), code=7)  # without the centre's keys: not verified


def test_a_draft_written_by_another_page_is_never_restored(browser, rendered, tmp_path):
    _, html = rendered
    other = tmp_path / "another-learner.html"
    shutil.copyfile(html, other)  # an honest page at another path: another file
    ctx = _offline(browser)
    try:
        page = ctx.new_page()
        page.goto(other.as_uri(), wait_until="load")
        _judge(page, "A1", "Met")
        # A crafted page may also write anything it likes into every store it can reach:
        # here it plants its draft under every name, as if made in the real page.
        real = html.as_uri().removeprefix("file://")
        page.evaluate(
            """(real) => { localStorage.setItem('cpc306-assessment:x', '{}');
                 for (const k of Object.keys(sessionStorage)) {
                   const saved = JSON.parse(sessionStorage.getItem(k));
                   saved.binding = saved.binding.replace(location.pathname, real);
                   sessionStorage.setItem(k, JSON.stringify(saved)); } }""",
            real,
        )
        page.goto(html.as_uri(), wait_until="load")  # the same tab
        group = page.get_by_role("radiogroup", name="Outcome for A1")
        assert not group.get_by_label("Met", exact=True).is_checked()
        assert "restored" not in page.locator("#panel-status").inner_text()
    finally:
        ctx.close()


def test_the_panel_at_390_pixels(browser, rendered):
    _, html = rendered
    ctx = _offline(browser, viewport={"width": 390, "height": 844})
    try:
        page = ctx.new_page()
        page.goto(html.as_uri(), wait_until="load")
        panel = page.locator(".judge[data-criterion='A3']")
        panel.scroll_into_view_if_needed()
        box = panel.bounding_box()
        assert box is not None and box["width"] <= 390
        # Nothing but the tables' own boxes scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # Viewport shots: an element shot taller than the viewport never settles here.
        for selector, name in (
            (".judge[data-criterion='A3']", "criterion"),
            ("#assess-panel", "signoff"),
        ):
            page.locator(selector).evaluate("e => e.scrollIntoView()")
            page.screenshot(path=shots_dir() / f"panel-{name}-390px.png")
    finally:
        ctx.close()


def test_print_hides_the_panel_and_numbers_its_pages(browser, rendered):
    _, html = rendered
    ctx = _offline(browser)
    try:
        page = ctx.new_page()
        page.goto(html.as_uri(), wait_until="load")
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        ctx.close()
    pdf_path = shots_dir() / "printed.pdf"
    pdf_path.write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    texts = [p.extract_text() or "" for p in reader.pages]
    total = len(reader.pages)
    assert all(f"Page {n} of {total}" in t for n, t in enumerate(texts, start=1))
    assert all("Jordan Ashby" in t and "CPC 306" in t for t in texts)
    joined = "\n".join(texts)
    assert "Save draft file" not in joined and "Rules of evidence for" not in joined
    # No near-empty page in Coverage at a glance (the grid used to spill a few rows).
    bodies = [re.sub(r"^Page \d+ of \d+[^\n]*\n", "", t) for t in texts]
    first = next(n for n, t in enumerate(bodies) if t.startswith("Coverage at a glance"))
    end = next(n for n, t in enumerate(bodies) if t.startswith("Performance criteria"))
    assert all(len(t) > 300 for t in bodies[first:end]), [len(t) for t in bodies[first:end]]
    ctx = browser.new_context(viewport={"width": 900, "height": 1250})
    try:
        for number in (1, 2):
            viewer = ctx.new_page()  # a fresh viewer per page: it reads #page only on load
            viewer.goto(f"{pdf_path.as_uri()}#page={number}")
            viewer.wait_for_timeout(3000)
            viewer.screenshot(path=shots_dir() / f"printed-page-{number}.png")
    finally:
        ctx.close()
