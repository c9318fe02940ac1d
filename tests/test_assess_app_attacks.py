"""The assessor's workspace tried as an attacker would, over plain HTTP: issue 25 point 1.

The workspace is the one every workspace test shares (``tests/assessor_server.py``): a
caseload of two copies of the sample with a notebook, a Python file, a package, a
``voila.py`` and an HTML attachment planted. Planted code that ran would leave a file in
``ran/``.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from cpc306_portfolio.cohort.caseload import caseload_folders

from .assessor_server import Workspace

pytestmark = pytest.mark.kernel

RENDER = "/voila/render/notebooks"


@pytest.fixture(scope="module")
def app(assessor_app: Workspace) -> Workspace:
    return assessor_app


def request(
    app: Workspace, path: str, *, token: bool = True, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    url = app.base + path
    if token:
        url += ("&" if "?" in url else "?") + f"token={app.token}"
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=180) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _nothing_ran(app: Workspace) -> None:
    assert not app.ran.exists() or sorted(p.name for p in app.ran.iterdir()) == []


def _keys(app: Workspace) -> dict[str, str]:
    return {path.name: key for key, path in caseload_folders(app.case).items()}


def test_the_gate_refuses_no_token_another_host_and_another_origin(app):
    for path in (f"{RENDER}/caseload.ipynb", f"{RENDER}/criterion.ipynb", "/voila/static/voila.js"):
        status, _h, text = request(app, path, token=False)
        assert status == 403, path
        assert b"<code>cpc306 assess app</code> printed" in text
        status, _h, text = request(app, path, headers={"Host": f"evil.example:{app.port}"})
        assert status == 403 and b"answers only 127.0.0.1" in text
        cookie = {"Cookie": f"cpc306-app-{app.port}={app.token}"}
        evil = {**cookie, "Origin": "http://evil.example"}
        assert request(app, path, token=False, headers=evil)[0] == 403
        site = {**cookie, "Sec-Fetch-Site": "cross-site"}
        assert request(app, path, token=False, headers=site)[0] == 403
    key = _keys(app)["two"]
    attachment = f"/cpc306/attachment/{key}/E001/0"
    assert request(app, attachment, token=False)[0] == 403
    assert request(app, attachment, headers={"Origin": "http://evil.example"})[0] == 403
    _nothing_ran(app)


def test_only_the_generated_pages_are_served_from_the_assessors_cache(app):
    served = app.served_folder()
    assert served.is_relative_to(app.cache) and not served.is_relative_to(app.case)
    assert sorted(p.name for p in served.iterdir()) == [
        "caseload.ipynb",
        "criterion.ipynb",
        "learner.ipynb",
        "plan.ipynb",
        "records.ipynb",
        "signoff.ipynb",
    ]
    for path in (
        "/voila/render/caseload.ipynb",
        "/voila/render/one/notebooks/A2.ipynb",
        "/voila/render/two/evidence/E001/review.ipynb",
        "/voila/files/two/evidence/E001/evil.py",
        "/voila/tree",
        "/api/contents",
    ):
        # 404, or the tree's redirect to the start page (followed here without the cookie)
        assert request(app, path)[0] in (403, 404), path
    # Nothing was written into a learner's folder: no pages, no cache.
    assert not (app.case / "one" / "notebooks").exists()
    assert sorted(p.name for p in (app.case / "two" / "notebooks").iterdir()) == [
        "A2.ipynb",
        "cpc306_portfolio",
    ]
    _nothing_ran(app)


def test_an_html_attachment_is_a_download_that_can_run_nothing(app):
    key = _keys(app)["two"]
    from cpc306_portfolio import open_portfolio

    e001 = open_portfolio(app.case / "two", readonly=True).read_evidence("E001")
    index = next(i for i, a in enumerate(e001.attachments) if a.path.endswith(".html"))
    for query in ("", "?download=1"):
        status, headers, body = request(app, f"/cpc306/attachment/{key}/E001/{index}{query}")
        assert status == 200
        assert headers["Content-Type"].startswith("text/html")
        assert headers["Content-Disposition"].startswith("attachment;")
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Content-Security-Policy"].startswith("sandbox")
        assert b"<script>" in body  # handed over as it is, to be saved, never shown
    # A text attachment may be viewed: as plain text, never sniffed into anything else.
    text = next(i for i, a in enumerate(e001.attachments) if a.path.endswith(".md"))
    status, headers, _b = request(app, f"/cpc306/attachment/{key}/E001/{text}")
    assert status == 200 and headers["Content-Disposition"].startswith("inline;")
    assert headers["Content-Type"].startswith("text/plain")
    # Only a listed attachment of a learner of this caseload, by its place in the record.
    for path in (
        f"/cpc306/attachment/{key}/E001/99",
        f"/cpc306/attachment/{key}/E999/0",
        f"/cpc306/attachment/{'0' * 12}/E001/0",
        f"/cpc306/attachment/{key}/E001/..%2F..%2Fportfolio.yaml",
    ):
        assert request(app, path)[0] == 404, path
    _nothing_ran(app)


def test_the_record_route_serves_only_a_written_record_never_through_a_link(app):
    from cpc306_portfolio.notebooks.record_route import FILE_NAME

    records = app.cache / "assessment-records"  # the default under CPC306_APP_HOME
    two = _keys(app)["two"]
    # Nothing written for ``two`` yet; another key, a path, no token: refused.
    for path in (
        f"/cpc306/record/{two}",
        f"/cpc306/record/{'0' * 12}",
        f"/cpc306/record/{two}/..%2F..%2Fportfolio.yaml",
    ):
        assert request(app, path)[0] == 404, path
    assert request(app, f"/cpc306/record/{two}", token=False)[0] == 403
    # A link planted where the record would be is never followed.
    (records / two).mkdir(parents=True, exist_ok=True)
    (records / two / FILE_NAME).symlink_to(app.case / "two" / "portfolio.yaml")
    status, _h, body = request(app, f"/cpc306/record/{two}")
    assert status == 404 and b"Morgan Ellery" not in body
    (records / two / FILE_NAME).unlink()
    _nothing_ran(app)
