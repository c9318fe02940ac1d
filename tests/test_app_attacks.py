"""The learner's app tried as an attacker would, over plain HTTP (no browser): issue 23.

The app is the one every app test shares (``tests/app_server.py``): a copy of the sample
with a notebook planted among the attachments, and a package and an edited notebook
planted in ``notebooks/``. Planted code that ran would leave a file in ``app.ran``.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cpc306_portfolio.notebooks.gate import MAX_KERNELS

from .app_server import App

pytestmark = pytest.mark.kernel

RENDER = "/voila/render"
PLANTED = "evidence/E001/review.ipynb"


@pytest.fixture(scope="module")
def app(learner_app: App) -> App:
    return learner_app


def request(
    app: App,
    path: str,
    *,
    method: str = "GET",
    token: bool = True,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> tuple[int, dict[str, str], str]:
    """Status, headers and text of one request (the token in the address unless told not)."""
    url = app.base + path
    if token:
        url += ("&" if "?" in url else "?") + f"token={app.token}"
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=body)
    try:
        with urllib.request.urlopen(req, timeout=180) as response:
            return (
                response.status,
                dict(response.headers),
                response.read().decode("utf-8", "replace"),
            )
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")


def _nothing_ran(app: App) -> None:
    assert not app.ran.exists() or sorted(p.name for p in app.ran.iterdir()) == []


def test_another_host_is_refused_even_with_the_token(app):
    # A DNS-rebound name reaches 127.0.0.1 with its own Host header.
    for path in (f"{RENDER}/notebooks/A1.ipynb", "/voila/static/voila.js", "/"):
        status, _h, text = request(app, path, headers={"Host": f"evil.example:{app.port}"})
        assert status == 403, path
        assert "answers only 127.0.0.1" in text
    assert (
        request(app, "/voila/static/voila.js", headers={"Host": f"localhost:{app.port}"})[0] == 200
    )
    _nothing_ran(app)


@pytest.mark.parametrize(
    "path",
    [
        f"{RENDER}/notebooks/00_start_here.ipynb",
        f"{RENDER}/notebooks/A1.ipynb",
        "/",
        "/voila/static/voila.js",
        "/voila/templates/cpc306/static/cpc306-app.css",
        "/voila/files/exports/portfolio.html",
        "/api/kernels/8b1c52e6-0c3b-4c6e-9d1e-2f8a7b6c5d4e",
    ],
)
def test_no_token_gets_403(app, path):
    status, _h, text = request(app, path, token=False)
    assert status == 403
    assert "needs the key the app was started with" in text
    assert "open the address that <code>cpc306 app</code> printed" in text
    wrong = app.base + path + "?token=" + "x" * len(app.token)
    assert request(app, wrong.removeprefix(app.base), token=False)[0] == 403


def test_a_websocket_without_the_token_is_refused_before_the_upgrade(app):
    upgrade = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    path = "/api/kernels/8b1c52e6-0c3b-4c6e-9d1e-2f8a7b6c5d4e/channels"
    assert request(app, path, token=False, headers=upgrade)[0] == 403
    evil = {**upgrade, "Origin": "http://evil.example"}
    assert request(app, path, headers=evil)[0] == 403


def test_cross_origin_requests_are_refused(app):
    cookie = {"Cookie": f"cpc306-app-{app.port}={app.token}"}
    evil = {**cookie, "Origin": "http://evil.example"}
    assert (
        request(app, "/api/kernels", method="POST", token=False, headers=evil, body=b"{}")[0] == 403
    )
    # Another port of 127.0.0.1 is the same site to a browser (it sends the cookie), not
    # the same origin: its requests are refused by Origin or by Sec-Fetch-Site.
    other = {**cookie, "Origin": "http://127.0.0.1:1"}
    assert request(app, "/voila/static/voila.js", token=False, headers=other)[0] == 403
    site = {**cookie, "Sec-Fetch-Site": "same-site"}
    assert request(app, f"{RENDER}/notebooks/A1.ipynb", token=False, headers=site)[0] == 403
    # The session's cookie alone does not make a change: XSRF (and an Origin) are needed.
    status, _h, _t = request(
        app, "/voila/api/shutdown/8b1c52e6", method="POST", token=False, headers=cookie, body=b""
    )
    assert status == 403
    same = {**cookie, "Origin": app.base}
    status, _h, _t = request(
        app, "/voila/api/shutdown/8b1c52e6", method="POST", token=False, headers=same, body=b""
    )
    assert status == 403  # no _xsrf
    _nothing_ran(app)


def test_the_session_cookie_is_strict_and_http_only(app):
    status, headers, _t = request(app, "/voila/static/voila.js")
    assert status == 200
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"cpc306-app-{app.port}=")
    assert "SameSite=Strict" in cookie and "HttpOnly" in cookie
    cookie_only = {"Cookie": f"cpc306-app-{app.port}={app.token}"}
    assert request(app, "/voila/static/voila.js", token=False, headers=cookie_only)[0] == 200


@pytest.mark.parametrize(
    "path",
    [
        PLANTED,
        f"notebooks/../{PLANTED}",
        "notebooks/assess.ipynb",
        "notebooks/cpc306_portfolio/__init__.py",
        "evidence/E001.yaml",
        "portfolio.yaml",
        "../../folio/evidence/E001/review.ipynb",
    ],
)
def test_anything_but_the_apps_own_pages_is_404_and_runs_nothing(app, path):
    status, _h, _t = request(app, f"{RENDER}/{path}")
    assert status == 404
    _nothing_ran(app)


def test_the_pages_come_from_the_cache_never_from_the_portfolio(app):
    served = app.served_folder()
    assert not served.is_relative_to(app.folio)
    names = sorted(p.name for p in served.iterdir())
    assert "A2.ipynb" in names and "assess.ipynb" not in names
    assert "cpc306_portfolio" not in names
    status, _h, text = request(app, f"{RENDER}/notebooks/A2.ipynb")
    assert status == 200 and "cpc306" in text
    # The learner's edited A2 in the portfolio's notebooks/ was never run, nor the package.
    _nothing_ran(app)
    assert (app.folio / "notebooks" / "A2.ipynb").read_text().count("edited-A2") == 1


def test_a_package_beside_the_served_pages_is_never_imported(app):
    planted = app.served_folder() / "cpc306_portfolio"
    planted.mkdir()
    (planted / "__init__.py").write_text(
        f"from pathlib import Path\nPath({str(app.ran)!r}).mkdir(exist_ok=True)\n"
        f"Path({str(app.ran / 'served-package')!r}).write_text('ran')\n"
    )
    try:
        status, _h, text = request(app, f"{RENDER}/notebooks/knowledge.ipynb")
        assert status == 200 and "Error" not in text.split("<body", 1)[-1][:2000]
        _nothing_ran(app)
    finally:
        (planted / "__init__.py").unlink()
        planted.rmdir()


def test_exports_are_read_by_the_session_in_a_sandbox(app):
    exports = app.folio / "exports"
    exports.mkdir(exist_ok=True)
    (exports / "mine.html").write_text("<!DOCTYPE html><title>mine</title><p>built</p>")
    (exports / "notes.txt").write_text("not a built page")
    status, headers, text = request(app, "/voila/files/exports/mine.html")
    assert status == 200 and "built" in text
    assert headers["Content-Security-Policy"].startswith("sandbox")
    assert request(app, "/voila/files/exports/mine.html", token=False)[0] == 403
    assert request(app, "/voila/files/exports/notes.txt")[0] == 404
    (exports / "keys.html").symlink_to(app.folio / "portfolio.yaml")
    assert request(app, "/voila/files/exports/keys.html")[0] == 404
    assert request(app, "/voila/files/portfolio.yaml")[0] == 404
    assert request(app, "/voila/files/evidence/E001.yaml")[0] == 404


def test_the_kernel_cap_holds_under_20_requests(app):
    pages = ["A1", "A3", "A4", "A5", "A6", "A7", "A8", "B1", "B2", "B3"] * 2
    statuses: list[int] = []
    peak = [0]
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], len(app.kernels()))
            time.sleep(0.05)

    def get(name: str) -> None:
        statuses.append(request(app, f"{RENDER}/notebooks/{name}.ipynb")[0])

    watcher = threading.Thread(target=watch)
    watcher.start()
    threads = [threading.Thread(target=get, args=(name,)) for name in pages]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    done.set()
    watcher.join()
    print(f"\n20 requests in {time.monotonic() - started:.1f} s: peak {peak[0]} kernels")
    assert len(statuses) == 20 and set(statuses) <= {200, 503}
    assert statuses.count(200) >= 1
    # At most MAX_KERNELS serve pages; besides them each page has at most one pre-heated
    # kernel waiting for it (never more, however many requests come).
    bound = MAX_KERNELS + len(list(app.served_folder().glob("*.ipynb")))
    assert 1 <= peak[0] <= bound
    assert len(app.kernels()) <= bound
    _nothing_ran(app)


def test_the_served_folder_is_private(app):
    folder: Path = app.served_folder().parent
    assert folder.stat().st_mode & 0o077 == 0


def test_each_start_prints_a_new_address_and_an_old_key_stops_working(app, tmp_path):
    from .app_server import running_app

    with running_app(tmp_path) as again:
        assert again.token != app.token and len(again.token) >= 40
        old = {"Cookie": f"cpc306-app-{again.port}={app.token}"}
        assert request(again, "/voila/static/voila.js", token=False, headers=old)[0] == 403
        assert request(again, "/voila/static/voila.js")[0] == 200
