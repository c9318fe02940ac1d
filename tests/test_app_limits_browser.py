"""The learner's app in Chromium at its limits and under attack: issue 23.

Big attachments through the evidence form (whole, SHA-256 checked, or refused in words),
a planted notebook asked for from the learner's own logged-in browser, a page on another
origin that tries to drive the app, and the page that says too many pages are open.
Shares the one app every app test uses (``tests/app_server.py``).
"""

from __future__ import annotations

import hashlib
import http.server
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.notebooks.gate import KERNELS_ENV
from cpc306_portfolio.notebooks.preheat_order import POOL_KERNELS

from .app_server import App, running_app
from .browser import chromium, require_browser

pytestmark = pytest.mark.browser

UI_TIMEOUT_MS = 300_000
MB = 1000 * 1000


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
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    yield context
    context.close()


def _open(page: Any, app: App, name: str) -> Any:
    page.goto(app.page_url(name), timeout=UI_TIMEOUT_MS)
    page.locator(".cpc306-page input").first.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    return page.locator(".cpc306-evidence-form")


def _shot(page: Any, app: App, name: str, show: str) -> None:
    page.locator(show).first.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.screenshot(path=str(app.shots / f"{name}.png"))


def _attach(page: Any, form: Any, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        form.locator(".cpc306-upload").click()
    chooser.value.set_files(str(path))


def _fill(form: Any, title: str) -> None:
    form.locator(".cpc306-title input").fill(title)
    form.locator(".cpc306-date input").fill("2026-03-04")
    form.locator(".cpc306-method select").select_option(label="Product / document")
    form.locator(".cpc306-description textarea").fill(
        "The provider's full monthly returns, as sent to the contracts team, kept whole."
    )


def _big_file(folder: Path, name: str, size: int) -> Path:
    path = folder / name
    with path.open("wb") as out:
        for start in range(0, size, 8 * MB):
            out.write(os.urandom(min(8 * MB, size - start)))
    return path


@pytest.mark.parametrize("megabytes", [12, 90])
def test_a_big_attachment_saved_through_the_form_arrives_whole(context, app, tmp_path, megabytes):
    source = _big_file(tmp_path, f"returns-{megabytes}mb.bin", megabytes * MB + 12345)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    page = context.new_page()
    form = _open(page, app, "A2")
    before = open_portfolio(app.folio).evidence_ids()
    _fill(form, f"Monthly returns ({megabytes} MB)")
    _attach(page, form, source)
    form.locator(".cpc306-upload", has_text="(1)").wait_for(timeout=UI_TIMEOUT_MS)
    page.wait_for_timeout(1000)  # the file's message reaches the kernel before Save's click
    form.locator(".cpc306-save").click()
    form.locator(".cpc306-saved").wait_for(timeout=UI_TIMEOUT_MS)
    assert "1 file(s)" in form.locator(".cpc306-saved").inner_text()
    folio = open_portfolio(app.folio)
    (new_id,) = [i for i in folio.evidence_ids() if i not in before]
    (attachment,) = folio.read_evidence(new_id).attachments
    stored = app.folio / "evidence" / attachment.path
    assert attachment.sha256 == digest
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == digest


def test_a_file_over_100_mb_is_refused_in_words_before_save(context, app, tmp_path):
    source = tmp_path / "scan-of-the-whole-file.pdf"
    with source.open("wb") as out:
        out.truncate(120 * MB)  # sparse: the page never reads a file over the limit
    page = context.new_page()
    form = _open(page, app, "A5")
    before = open_portfolio(app.folio).evidence_ids()
    _fill(form, "A scan too big to attach")
    _attach(page, form, source)
    refused = form.locator(".cpc306-file-refused")
    refused.wait_for(timeout=UI_TIMEOUT_MS)
    words = refused.inner_text()
    assert "this file is 120 MB; the limit is 100 MB" in words
    assert "scan-of-the-whole-file.pdf" in words
    _shot(page, app, "attachment-too-large", ".cpc306-file-refused")
    form.locator(".cpc306-save").click()
    form.locator(".cpc306-not-saved").wait_for(timeout=UI_TIMEOUT_MS)
    assert form.locator(".cpc306-saved").count() == 0
    assert open_portfolio(app.folio).evidence_ids() == before
    # Removed, the record saves without it, and says so (no file counted).
    form.locator(".cpc306-remove-files").click()
    form.locator(".cpc306-upload", has_text="(0)").wait_for(timeout=UI_TIMEOUT_MS)
    page.wait_for_timeout(500)
    assert form.locator(".cpc306-file-refused").count() == 0
    form.locator(".cpc306-save").click()
    form.locator(".cpc306-saved").wait_for(timeout=UI_TIMEOUT_MS)
    assert "file(s)" not in form.locator(".cpc306-saved").inner_text()


READ_SIZES = """async () => {
  const part = new Uint8Array(90 * 1000 * 1000);
  const read = (blob) => new Promise((done) => {
    const reader = new FileReader();
    reader.onload = (e) => done(e.target.result.byteLength);
    reader.readAsArrayBuffer(blob);
  });
  // One choice of six files is read in one go, as the FileUpload widget reads it.
  const six = await Promise.all([0, 1, 2, 3, 4, 5].map(() => read(new Blob([part]))));
  const alone = await read(new Blob([part, part]));
  const small = await read(new Blob([new Uint8Array(10)]));
  return {six, alone, small};
}"""


def test_the_page_sends_no_file_past_the_limits_to_the_kernel(context, app):
    # Playwright cannot hand a browser 540 MB of files, so the page's guard is driven
    # directly; the form's words for what it then receives are in test_app_gate.py.
    page = context.new_page()
    _open(page, app, "A6")
    sizes = page.evaluate(READ_SIZES)
    assert sizes["six"] == [90 * MB] * 5 + [0]  # 540 MB together: the sixth is not sent
    assert sizes["alone"] == 0 and sizes["small"] == 10


def test_the_local_opening_page_forwards_to_the_app(context, app, tmp_path):
    from cpc306_portfolio.notebooks.app import opening_page

    page = context.new_page()
    page.goto(opening_page(tmp_path, app.url).as_uri(), timeout=UI_TIMEOUT_MS)
    page.locator(".cpc306-page input").first.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    assert page.url == app.url
    page.locator(".cpc306-nav a[href='A3.ipynb']").first.click()  # the session carries on
    page.locator(".cpc306-evidence-form").wait_for(timeout=UI_TIMEOUT_MS)
    assert page.url == app.page_url("A3", token=False)


def test_a_planted_notebook_is_404_in_the_learners_own_session(context, app):
    page = context.new_page()
    _open(page, app, "00_start_here")  # the session: its cookie is now in this browser
    for path in ("evidence/E001/review.ipynb", "notebooks/../evidence/E001/review.ipynb"):
        response = page.goto(f"{app.base}/voila/render/{path}", timeout=UI_TIMEOUT_MS)
        assert response is not None and response.status == 404
    response = page.goto(app.page_url("A1", token=False), timeout=UI_TIMEOUT_MS)
    assert response is not None and response.status == 200  # the session works without it
    assert not app.ran.exists() or list(app.ran.iterdir()) == []


class _Attacker(http.server.BaseHTTPRequestHandler):
    page = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args: Any) -> None:
        pass


def _settled_kernels(app) -> int:
    """How many kernels run once the app's background pre-heating is done.

    After each page the app pre-heats kernels for a few pages near it, one after another, so
    their number changes for a while; counted before it settles, a pre-heated kernel starting
    later would look like one an attacker started. Settled: no change for 15 s.
    """
    deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
    count, since = len(app.kernels()), time.monotonic()
    while time.monotonic() - since < 15 and time.monotonic() < deadline:
        time.sleep(1)
        if (now := len(app.kernels())) != count:
            count, since = now, time.monotonic()
    return count


def _preheated(pid: int) -> bool:
    """True for a kernel Voilà started ahead of its page (it says so in its environment)."""
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:  # gone since it was listed: not running, so not serving anyone
        return True
    return b"VOILA_PREHEAT=True" in environ


def test_a_page_on_another_origin_cannot_drive_the_app(context, app):
    target = app.base
    _Attacker.page = f"""<!DOCTYPE html><title>cats</title>
<img src="{target}/voila/render/evidence/E001/review.ipynb">
<img src="{target}/voila/render/notebooks/A6.ipynb">
<iframe src="{target}/voila/render/notebooks/A7.ipynb"></iframe>
<script>
fetch("{target}/api/kernels", {{method: "POST", credentials: "include", body: "{{}}"}});
fetch("{target}/voila/render/notebooks/A8.ipynb", {{credentials: "include", mode: "no-cors"}});
try {{ new WebSocket("ws://127.0.0.1:{app.port}/api/kernels/x/channels"); }} catch (e) {{}}
</script>""".encode()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Attacker)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = context.new_page()
        _open(page, app, "00_start_here")  # the learner is logged in, in this browser
        _settled_kernels(app)
        before = set(app.kernels())
        seen: list[tuple[str, int]] = []
        evil = context.new_page()
        evil.on(
            "response",
            lambda r: seen.append((r.url, r.status)) if r.url.startswith(target) else None,
        )
        evil.goto(f"http://127.0.0.1:{server.server_port}/", timeout=UI_TIMEOUT_MS)
        evil.wait_for_timeout(3000)
    finally:
        server.shutdown()
    assert seen, "the attacker's requests never reached the app"
    assert all(status == 403 for _url, status in seen), seen
    # No page of the app started a kernel for it. Background pre-heating may still start one
    # now and then (one after another, each as fast as a loaded machine allows): any kernel
    # new since is one of those, waiting for its page, never a page's own.
    for pid in set(app.kernels()) - before:
        assert _preheated(pid), f"kernel {pid} was started for a page, not pre-heated"
    assert not app.ran.exists() or list(app.ran.iterdir()) == []


@pytest.fixture(scope="module")
def small_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """An app of its own that serves at most 2 pages at once (``CPC306_APP_KERNELS``).

    The limit at work is the same as at the default of 8, reached with 3 pages instead of 9:
    fast, and no page waits behind eight kernels starting on a loaded machine.
    """
    require_browser()
    with running_app(tmp_path_factory.mktemp("small-app"), {KERNELS_ENV: "2"}) as small:
        yield small


def test_too_many_pages_get_a_page_that_says_so(context, small_app):
    app = small_app
    pages = []
    for name in ["A1", "A2", "A3"]:
        page = context.new_page()
        response = page.goto(app.page_url(name), timeout=UI_TIMEOUT_MS)
        assert response is not None
        if response.status == 503:
            break
        page.locator(".cpc306-page input").first.wait_for(timeout=UI_TIMEOUT_MS)
        pages.append(page)
    else:
        pytest.fail(f"{len(pages)} pages open and no limit reached")
    assert len(pages) == 2  # the limit, exactly: every page before it opened
    # At most 2 kernels serve pages; besides them a bounded few wait, pre-heated.
    assert len(app.kernels()) <= 2 + POOL_KERNELS  # spares included
    assert page.title() == "Too many pages are open"
    assert "Close a tab you no longer need" in page.inner_text("body")
    page.screenshot(path=str(app.shots / "too-many-pages.png"))
    pages[0].close(run_before_unload=True)  # its kernel goes (or waits, idle, to be culled)
    page.wait_for_timeout(1000)
    response = page.goto(app.page_url(name), timeout=UI_TIMEOUT_MS)
    assert response is not None and response.status == 200
    page.locator(".cpc306-page input").first.wait_for(timeout=UI_TIMEOUT_MS)
