"""The assessor's workspace end to end: `cpc306 assess app` over a caseload, in Chromium.

One workspace (``tests/assessor_server.py``: two copies of the sample, one renamed, one with
A2 unjudged, an attacker's files planted) and one browser serve every test here.
Screenshots at 1280 px go to the folder the fixture prints (``CPC306_SCREENSHOTS``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.cohort.caseload import caseload_folders
from cpc306_portfolio.notebooks.assessor_record_forms import knowledge_options
from cpc306_portfolio.portfolio.assessment_plan import read_assessment_plan
from cpc306_portfolio.portfolio.assessor_evidence import read_assessor_records

from .assessor_server import NAMES, PASSPHRASE, Workspace
from .browser import chromium, require_browser
from .conftest import cli_result

pytestmark = pytest.mark.browser

UI_TIMEOUT_MS = 180_000
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def app(assessor_app: Workspace) -> Workspace:
    require_browser()
    assert re.search(r"/caseload\.ipynb\?token=[\w-]{40,}$", assessor_app.url)
    return assessor_app


@pytest.fixture(scope="module")
def browser(app: Workspace) -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def context(browser: Any, app: Workspace) -> Iterator[Any]:
    """One logged-in browser session: the printed address opened once, then the cookie."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    first = context.new_page()
    first.goto(app.url, timeout=UI_TIMEOUT_MS)
    first.close()
    yield context
    context.close()


@pytest.fixture
def page(context: Any, app: Workspace) -> Iterator[Any]:
    p = context.new_page()
    outside: list[str] = []
    p.on("request", lambda r: None if r.url.startswith(app.base) else outside.append(r.url))
    yield p
    p.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"


def _key(app: Workspace, folder: str) -> str:
    return {p.name: k for k, p in caseload_folders(app.case).items()}[folder]


def _open(page: Any, app: Workspace, name: str, query: str = "", ready: str = "") -> None:
    page.goto(app.page_url(name, query), timeout=UI_TIMEOUT_MS)
    page.locator(ready or ".cpc306-page").first.wait_for(timeout=UI_TIMEOUT_MS)


def _shot(page: Any, app: Workspace, name: str) -> None:
    page.screenshot(path=str(app.shots / f"{name}.png"), full_page=True)


def _no_code(page: Any, app: Workspace) -> None:
    text = page.inner_text("body")
    assert page.locator(".jp-InputArea-editor:visible, .cm-editor:visible").count() == 0
    assert "import " not in text and "assessor_page" not in text
    for key in caseload_folders(app.case):
        assert key not in text  # the learners' keys stay in the addresses


def _axe(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert bad == []


def _nothing_ran(app: Workspace) -> None:
    assert not app.ran.exists() or sorted(p.name for p in app.ran.iterdir()) == []


def _settle(page: Any) -> None:
    page.wait_for_timeout(400)  # ipywidgets sends a value once the kernel is idle


def test_the_caseload_names_both_learners_and_what_waits(page, app):
    _open(page, app, "caseload", ready=".cpc306-page-caseload")
    table = page.locator(".cpc306-caseload-table")
    for name in NAMES.values():
        assert table.locator("a", has_text=name).count() == 1
    row = table.locator("tr", has_text=NAMES["one"])
    assert "A2" in row.inner_text() and "no decision yet" in row.inner_text()
    assert "21 of 21" in table.locator("tr", has_text=NAMES["two"]).inner_text()
    _no_code(page, app)
    _shot(page, app, "assess-caseload")
    _axe(page)
    row.locator("a", has_text=NAMES["one"]).click()
    learner = page.locator(".cpc306-live-assess-learner")
    learner.locator("tr", has_text="Waiting: evidence, no decision yet").wait_for(
        timeout=UI_TIMEOUT_MS
    )
    _no_code(page, app)
    _shot(page, app, "assess-learner")
    learner.locator("a", has_text="A2").click()
    page.locator(".cpc306-judgement-form").wait_for(timeout=UI_TIMEOUT_MS)
    assert NAMES["one"] in page.inner_text("h1 + p")
    _nothing_ran(app)


def test_a_judgement_saved_from_the_criterion_page_is_in_assessment_yaml(page, app):
    one = app.case / "one"
    _open(
        page, app, "criterion", f"learner={_key(app, 'one')}&criterion=A2", ".cpc306-judgement-form"
    )
    evidence = page.locator(".cpc306-live-assess-evidence")
    assert "E003: Contract risk assessment" in evidence.inner_text()
    assert "Not judged yet" in page.locator(".cpc306-live-assess-decision").inner_text()
    assert page.locator(".cpc306-learner-replies").count() == 1
    _no_code(page, app)
    _shot(page, app, "assess-criterion")
    _axe(page)
    form = page.locator(".cpc306-judgement-form")
    form.locator(".cpc306-save").click()  # no outcome yet: refused in words
    form.locator(".cpc306-error-outcome", has_text="choose met or not yet met").wait_for(
        timeout=UI_TIMEOUT_MS
    )
    form.locator(".cpc306-judge-outcome label", has_text=re.compile(r"^Met$")).click()
    for rule in ("valid", "authentic", "current", "sufficient", "reliable"):
        form.locator(f".cpc306-judge-rule-{rule} input").check()
    form.locator(".cpc306-judge-note-current input").fill("Dated February 2026")
    form.locator(".cpc306-relied-E003 input").check()
    form.locator(".cpc306-method-product input").check()
    form.locator(".cpc306-judge-feedback textarea").fill("Every risk in the scope, well scored.")
    _settle(page)
    form.locator(".cpc306-save").click()
    form.locator(".cpc306-saved").wait_for(timeout=UI_TIMEOUT_MS)
    page.locator(".cpc306-live-assess-decision", has_text="Met").wait_for(timeout=UI_TIMEOUT_MS)
    judgement = open_portfolio(one).read_assessment().judgements["A2"]
    assert judgement.outcome == "met" and judgement.evidence == ["E003"]
    assert judgement.rules["current"].note == "Dated February 2026"
    assert judgement.feedback == "Every risk in the scope, well scored."
    assert "Every risk in the scope" in (one / "assessment.yaml").read_text(encoding="utf-8")
    cli_result("validate", one)
    _nothing_ran(app)


def test_an_activity_is_planned_from_the_plan_page(page, app):
    _open(page, app, "plan", f"learner={_key(app, 'two')}", ".cpc306-activity-form")
    form = page.locator(".cpc306-activity-form")
    form.locator(".cpc306-plan-activity input").fill("Observe the C3 contract review meeting")
    form.locator(".cpc306-plan-method select").select_option(label="Observation")
    form.locator(".cpc306-plan-criteria input").fill("C3")
    form.locator(".cpc306-plan-date input").fill("2027-02-10")
    _settle(page)
    form.locator(".cpc306-save").click()
    form.locator(".cpc306-saved").wait_for(timeout=UI_TIMEOUT_MS)
    planning = page.locator(".cpc306-live-assess-planning")
    planning.locator("th", has_text="Observe the C3 contract review meeting").wait_for(
        timeout=UI_TIMEOUT_MS
    )
    plan = read_assessment_plan(open_portfolio(app.case / "two"))
    assert plan is not None and plan.activities[-1].criteria == ["C3"]
    # The activity can be marked at once: the status form offers it without a reload.
    status = page.locator(".cpc306-activity-status-form")
    status.locator(".cpc306-status-activity select").select_option(
        label=f"{plan.activities[-1].id}: Observe the C3 contract review meeting"
    )
    _shot(page, app, "assess-plan")
    # Agreed as the assessor, signed with the key from disk; the passphrase never kept.
    agree = page.locator(".cpc306-agree-form")
    agree.locator(".cpc306-agree-which select").select_option(label="The assessment plan")
    assert agree.locator(".cpc306-agree-key input").input_value() == str(app.key)
    agree.locator(".cpc306-agree-passphrase input").fill(PASSPHRASE)
    _settle(page)
    agree.locator(".cpc306-save").click()
    agree.locator(".cpc306-saved", has_text="agreed the assessment plan as the assessor").wait_for(
        timeout=UI_TIMEOUT_MS
    )
    assert agree.locator(".cpc306-agree-passphrase input").input_value() == ""
    planning.locator("p", has_text="The assessor: agreed.").wait_for(timeout=UI_TIMEOUT_MS)
    plan = read_assessment_plan(open_portfolio(app.case / "two"))
    assert plan is not None and plan.agreements["assessor"].signature


def test_sign_off_from_the_page_is_accepted_by_verify_trust(page, app):
    one = app.case / "one"
    _open(page, app, "signoff", f"learner={_key(app, 'one')}", ".cpc306-signoff-form")
    form = page.locator(".cpc306-signoff-form")
    assert form.locator(".cpc306-signoff-key input").input_value() == str(app.key)
    before = open_portfolio(one).read_assessment().signoff
    form.locator(".cpc306-signoff-passphrase input").fill("not the passphrase")
    _settle(page)
    form.locator(".cpc306-save").click()
    form.locator(".cpc306-error-general", has_text="wrong passphrase").wait_for(
        timeout=UI_TIMEOUT_MS
    )
    assert form.locator(".cpc306-signoff-passphrase input").input_value() == ""
    assert open_portfolio(one).read_assessment().signoff == before
    form.locator(".cpc306-signoff-passphrase input").fill(PASSPHRASE)
    _settle(page)
    form.locator(".cpc306-save").click()
    # Interim when run alone (A2 is judged by the test before this one).
    signed = re.compile(r"(Signed off|Interim sign-off) by Priya Castellan")
    form.locator(".cpc306-saved", has_text=signed).wait_for(timeout=UI_TIMEOUT_MS)
    state = page.locator(".cpc306-live-assess-signoff")
    state.locator(".cpc306-verify-ok").wait_for(timeout=UI_TIMEOUT_MS)
    assert form.locator(".cpc306-signoff-passphrase input").input_value() == ""
    _shot(page, app, "assess-signoff")
    out = cli_result("verify", one, "--trust", app.trust).output
    assert "OK: everything declared and signed still matches." in out
    # The passphrase went nowhere: not into the portfolio, the pages, Voilà's log.
    assert list(app.tmp.rglob("voila.log"))
    for folder in (one, app.cache, app.tmp):
        for path in Path(folder).rglob("*"):
            if path.is_file():
                assert PASSPHRASE.encode() not in path.read_bytes(), path
    _nothing_ran(app)


def test_an_html_attachment_downloads_and_never_opens(page, app):
    _open(
        page, app, "criterion", f"learner={_key(app, 'two')}&criterion=A3", ".cpc306-judgement-form"
    )
    assert page.locator(".cpc306-attachments li", has_text="evil-page.html").count() == 1
    html_item = page.locator(".cpc306-attachments li", has_text="evil-page.html")
    assert html_item.locator("a", has_text="View").count() == 0
    with page.expect_download(timeout=UI_TIMEOUT_MS) as download:
        html_item.locator("a", has_text="Download").click()
    assert download.value.suggested_filename == "evil-page.html"
    assert page.title() != "ran" and "criterion.ipynb" in page.url  # still the workspace
    # A text attachment opens as plain text in a tab of its own.
    md = page.locator(".cpc306-attachments li", has_text="escalation-briefing.md")
    with page.context.expect_page(timeout=UI_TIMEOUT_MS) as opened:
        md.locator("a", has_text="View").click()
    opened.value.wait_for_load_state()
    assert "**To:** Team Manager" in opened.value.inner_text("body")  # as text, not Markdown
    opened.value.close()
    _nothing_ran(app)


def _tall_shot(page: Any, app: Workspace, name: str) -> None:
    """The whole page at 1280 px (the app scrolls inside its own box, not the window)."""
    page.set_viewport_size({"width": 1280, "height": 5000})
    page.locator(".cpc306-nav").first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(app.shots / f"{name}.png"))
    page.set_viewport_size({"width": 1280, "height": 1000})


def test_an_observation_recorded_on_the_records_page_shows_under_a2(page, app):
    # ``one``: ``two`` carries the attacker's stray files, which ``validate`` refuses.
    two, key = app.case / "one", _key(app, "one")
    _open(page, app, "records", f"learner={key}", ".cpc306-observe-form")
    assert (
        "No observation recorded yet."
        in page.locator(".cpc306-live-assess-own-records").inner_text()
    )
    form = page.locator(".cpc306-observe-form")
    form.locator(".cpc306-save").click()  # nothing ticked, nothing written: said in words
    form.locator(".cpc306-error-criteria", has_text="tick the criteria").wait_for(
        timeout=UI_TIMEOUT_MS
    )
    form.locator(".cpc306-observe-criteria-A2 input").check()
    form.locator(".cpc306-observe-knowledge-K5 input").check()
    form.locator(".cpc306-observe-narrative textarea").fill(
        "Jordan went through the contract risk register with the provider, risk by risk."
    )
    form.locator(".cpc306-observe-location input").fill("The commissioning team's office")
    _settle(page)
    form.locator(".cpc306-save").click()
    form.locator(".cpc306-saved", has_text="Recorded observation").wait_for(timeout=UI_TIMEOUT_MS)
    (made,) = [
        o
        for o in read_assessor_records(open_portfolio(two)).observations
        if o.narrative.startswith("Jordan went through")
    ]
    assert made.criteria == ["A2"] and made.knowledge == ["K5"]
    page.locator(f".cpc306-live-assess-own-records #{made.id}").wait_for(timeout=UI_TIMEOUT_MS)
    cli_result("validate", two)
    # A question from the bank is offered with its model answer before it is marked.
    question = page.locator(".cpc306-question-form")
    k1 = dict((v, k) for k, v in knowledge_options(open_portfolio(two)))["K1"]
    question.locator(".cpc306-question-item select").select_option(label=k1)
    question.locator(".cpc306-question-shown", has_text="Model answer").wait_for(
        timeout=UI_TIMEOUT_MS
    )
    _no_code(page, app)
    _tall_shot(page, app, "assess-records")
    _axe(page)
    # Under A2, as the assessor's own record, linked back to the records page.
    cli_result(
        "assess", two, "B4", "--outcome", "not_yet_met", "--feedback", "Minutes are missing.",
        "--action", "Add the minutes of the May provider meeting", "--by", "2099-01-31",
        "--action", "Say how the actions were followed up", "--by", "2099-02-28",
    )  # fmt: skip
    _open(page, app, "criterion", f"learner={key}&criterion=A2", ".cpc306-judgement-form")
    own = page.locator(".cpc306-live-assess-own-records")
    assert made.id in own.inner_text() and "performance evidence for A2" in own.inner_text()
    assert own.locator(f'a[href$="#{made.id}"]').count() == 1
    _open(page, app, "criterion", f"learner={key}&criterion=B4", ".cpc306-open-actions")
    closing = page.locator(".cpc306-open-actions")
    assert closing.locator(".cpc306-save", has_text="Close AP1").count() == 1
    _tall_shot(page, app, "assess-criterion-actions")
    _axe(page)
    # The unit assessment record goes to the assessor's own folder and opens under its CSP.
    _open(page, app, "learner", f"learner={key}", ".cpc306-write-record")
    page.locator(".cpc306-write-record").click()
    link = page.locator(".cpc306-record-status a", has_text="View or print it")
    link.wait_for(timeout=UI_TIMEOUT_MS)
    _shot(page, app, "assess-learner-record")
    assert not list(two.rglob("unit-assessment-record.html"))
    response = page.request.get(app.base + link.get_attribute("href"))
    assert response.status == 200 and "Unit assessment record" in response.text()
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    _nothing_ran(app)
