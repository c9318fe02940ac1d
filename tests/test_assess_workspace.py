"""The assessor's workspace without a server: caseload, pages, forms, attachments, the command.

The same pages run end to end in ``test_assess_app_browser.py`` (Chromium) and
``test_assess_app_attacks.py`` (HTTP); here each part is checked alone, quickly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import ipywidgets as w
import nbformat
import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.assessor.signing import new_key
from cpc306_portfolio.cohort.caseload import caseload_folders, learner_key
from cpc306_portfolio.errors import NotFoundError, UsageError
from cpc306_portfolio.notebooks import assessor_pages as pages
from cpc306_portfolio.notebooks.app import HOME_ENV
from cpc306_portfolio.notebooks.assessor_forms import JudgementForm, ReviewForm
from cpc306_portfolio.notebooks.assessor_signoff import SignOffForm
from cpc306_portfolio.notebooks.attachment_route import delivery
from cpc306_portfolio.notebooks.caseload import caseload_summaries, waiting_for_decision
from cpc306_portfolio.notebooks.workspace import (
    PAGES,
    TEMPLATE,
    caseload_parameter,
    workspace_folder,
    write_workspace_pages,
)
from cpc306_portfolio.portfolio.assessment_plan import add_activity

from .conftest import SAMPLE, cli_result, run_cli


@pytest.fixture(autouse=True)
def _close_widgets():
    yield
    w.Widget.close_all()


@pytest.fixture
def caseload(tmp_path: Path) -> Path:
    """Two copies of the sample; ``one`` with A2 unjudged, ``two`` renamed."""
    case = tmp_path / "case"
    for folder, name in (("one", "Jordan Ashby"), ("two", "Morgan Ellery")):
        shutil.copytree(SAMPLE, case / folder)
        profile = case / folder / "portfolio.yaml"
        profile.write_text(profile.read_text().replace("Jordan Ashby", name, 1))
    one = open_portfolio(case / "one")
    assessment = one.read_assessment()
    kept = {k: v for k, v in assessment.judgements.items() if k != "A2"}
    one.save_assessment(assessment.model_copy(update={"judgements": kept}))
    return case


def _param(caseload: Path) -> str:
    return caseload_parameter(caseload_folders(caseload))


def _env(key: str, criterion: str = "") -> dict[str, str]:
    query = f"learner={key}" + (f"&criterion={criterion}" if criterion else "")
    return {"QUERY_STRING": f"token=secret&{query}"}


def test_a_caseload_is_one_portfolio_or_a_folder_of_them(caseload, tmp_path):
    folders = caseload_folders(caseload)
    assert sorted(p.name for p in folders.values()) == ["one", "two"]
    assert all(len(k) == 12 and k == learner_key(p) for k, p in folders.items())
    assert list(caseload_folders(caseload / "one").values()) == [(caseload / "one").resolve()]
    (tmp_path / "empty").mkdir()
    with pytest.raises(NotFoundError, match="no portfolio here"):
        caseload_folders(tmp_path / "empty")


def test_what_waits_is_an_unjudged_criterion_or_an_item_changed_since_judged(caseload):
    one = open_portfolio(caseload / "one")
    assert [(x.criterion, x.why) for x in waiting_for_decision(one)] == [
        ("A2", "evidence, no decision yet")
    ]
    rows = caseload_summaries(caseload_folders(caseload))
    assert [r.name for r in rows] == ["Jordan Ashby", "Morgan Ellery"]  # oldest wait first
    assert rows[0].oldest is not None and rows[1].oldest is None
    assert (rows[1].met, rows[1].total) == (21, 21)
    two = open_portfolio(caseload / "two")
    e003 = two.read_evidence("E003")
    two.update_evidence(e003.model_copy(update={"title": e003.title + " (revised)"}))
    assert [x.why for x in waiting_for_decision(two)] == ["E003 changed since judged"]


def test_pages_are_generated_in_the_assessors_cache_from_one_template(
    caseload, tmp_path, monkeypatch
):
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "cache"))
    folder = workspace_folder(caseload)
    assert folder.is_relative_to(tmp_path / "cache") and not folder.is_relative_to(caseload)
    (folder / "notebooks").mkdir(parents=True)
    (folder / "notebooks" / "planted.ipynb").write_text("{}")
    served = write_workspace_pages(folder, caseload_folders(caseload), key="/k/assessor.key")
    assert served == sorted(f"notebooks/{kind}.ipynb" for kind in PAGES)
    assert not (folder / "notebooks" / "planted.ipynb").exists()
    nb = nbformat.read(folder / "notebooks" / "criterion.ipynb", as_version=4)
    (parameters,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert 'page = "criterion"' in parameters.source and "/k/assessor.key" in parameters.source
    assert str(caseload / "two") in parameters.source
    assert nb.metadata["cpc306"]["template"] == TEMPLATE
    assert all(c.outputs == [] for c in nb.cells if c.cell_type == "code")
    monkeypatch.setenv(HOME_ENV, str(caseload / "one" / "cache"))
    with pytest.raises(UsageError, match="inside the portfolio"):
        workspace_folder(caseload)


def test_the_address_gives_only_a_learner_of_the_caseload(caseload):
    assert pages.query({"QUERY_STRING": "token=t&learner=abc&criterion=A2&x=1"}) == {
        "learner": "abc",
        "criterion": "A2",
    }
    for query in ("learner=../../etc", f"learner={caseload / 'one'!s}", ""):
        shown = pages.assessor_page("criterion", _param(caseload), environ={"QUERY_STRING": query})
        assert "Not in your caseload" in shown.children[1].value
    key = learner_key(caseload / "one")
    shown = pages.assessor_page("criterion", _param(caseload), environ=_env(key, "Z9"))
    assert "has no criterion" in shown.children[1].value


def test_every_page_draws_with_no_error(caseload):
    key = learner_key(caseload / "one")
    home = pages.assessor_page("caseload", _param(caseload), environ={})
    text = home.children[1].value
    assert "Jordan Ashby" in text and "Morgan Ellery" in text and key in text  # in links only
    for kind in ("learner", "criterion", "plan", "signoff"):
        page = pages.assessor_page(kind, _param(caseload), environ=_env(key, "A2"))
        assert page.views, kind
        for view in page.views:
            assert view.value and "cpc306-error-text" not in view.value, (kind, view.value)


def test_learner_text_is_escaped_on_the_criterion_page(caseload):
    folio = open_portfolio(caseload / "one")
    e003 = folio.read_evidence("E003")
    folio.update_evidence(e003.model_copy(update={"title": "<img src=x onerror=alert(1)>"}))
    page = pages.assessor_page(
        "criterion", _param(caseload), environ=_env(learner_key(caseload / "one"), "A2")
    )
    html = page.views[0].value
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_judgement_form_saves_what_assess_judge_saves(caseload):
    one = caseload / "one"
    form = JudgementForm(open_portfolio(one), "A2")
    form.save()
    assert "choose met or not yet met" in form.errors.shown()["outcome"]
    form.outcome.value = "met"
    form.save()  # a "met" with nothing relied on is refused by judge() itself, in words
    assert "Nothing was saved" in form.status.value
    assert "A2" not in open_portfolio(one).read_assessment().judgements
    for box in form.rules.values():
        box.value = True
    form.notes["valid"].value = "Matches the contract's schedule"
    form.evidence["E003"].value = True
    form.methods["product"].value = True
    form.feedback.value = "Well shown."
    saved = form.save()
    assert saved is not None and "Saved: A2 met" in form.status.value
    judgement = open_portfolio(one).read_assessment().judgements["A2"]
    assert judgement.evidence == ["E003"] and judgement.methods_sampled == ["product"]
    assert judgement.rules["valid"].note == "Matches the contract's schedule"
    cli_result("validate", one)
    again = JudgementForm(open_portfolio(one), "A2")  # opens with the saved judgement
    assert again.outcome.value == "met" and again.evidence["E003"].value


def test_a_review_needs_a_plan_and_dated_targets(caseload):
    folio = open_portfolio(caseload / "two")
    form = ReviewForm(folio)
    form.progress.value = "Half the plan is done."
    form.save()
    assert "no assessment plan yet" in form.errors.general.value
    add_activity(
        folio,
        {
            "activity": "Observe",
            "method": "observation",
            "criteria": ["C3"],
            "planned_date": "2027-02-01",
        },
    )
    form.targets.value = "Chair the B4 meeting"
    form.save()
    assert "has no date" in form.errors.shown()["targets"]
    form.targets.value = "Chair the B4 meeting = 2027-03-01"
    assert form.save() is not None
    assert form.progress.value == ""


def test_sign_off_from_the_form_verifies_and_keeps_no_passphrase(caseload, tmp_path):
    key = tmp_path / "keys" / "assessor.key"
    new_key(key, passphrase="a long passphrase", comment="Priya Castellan")
    one = caseload / "one"
    cli_result(
        "assess",
        one,
        "A2",
        "--outcome",
        "met",
        "--evidence",
        "E003",
        "--method",
        "product",
        "--feedback",
        "ok",
        "--valid",
        "--authentic",
        "--current",
        "--sufficient",
        "--reliable",
    )
    form = SignOffForm(open_portfolio(one), str(key))
    assert form.key.value == str(key) and str(key) in form.key.options
    form.passphrase.value = "wrong"
    assert form.save() is None
    assert "wrong passphrase" in form.errors.general.value and form.passphrase.value == ""
    form.passphrase.value = "a long passphrase"
    signed = form.save()
    assert signed is not None and not signed.interim and form.passphrase.value == ""
    assert "Signed off by Priya Castellan" in form.status.value
    out = run_cli("verify", one, "--trust", f"{key}.pub")
    assert "OK: everything declared and signed still matches." in out
    for path in [*one.rglob("*"), *tmp_path.rglob("*")]:
        if path.is_file():
            assert b"a long passphrase" not in path.read_bytes(), path


@pytest.mark.parametrize(
    ("name", "download", "media", "inline"),
    [
        ("page.html", False, "text/html", False),
        ("drawing.svg", False, "image/svg+xml", False),
        ("review.ipynb", False, "application/octet-stream", False),
        ("evil.py", False, "text/x-python", False),
        ("photo.png", False, "image/png", True),
        ("photo.png", True, "image/png", False),
        ("notes.md", False, "text/plain", True),
        ("notes.md", True, "text/markdown", False),
        ("letter.pdf", False, "application/pdf", False),
        ("no-type", False, "application/octet-stream", False),
    ],
)
def test_attachments_are_shown_only_when_passive(name, download, media, inline):
    how = delivery(name, download=download)
    assert (how.media_type, how.inline) == (media, inline)
    headers = how.headers(name)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"].startswith("sandbox")
    assert headers["Content-Disposition"].startswith("inline" if inline else "attachment")


def test_the_command_refuses_a_folder_with_no_portfolio(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(
        "cpc306_portfolio.notebooks.workspace.serve_workspace",
        lambda caseload, folders, **kw: calls.append((caseload, folders, kw)) or 0,
    )
    (tmp_path / "nothing").mkdir()
    out = run_cli(
        "assess", "app", tmp_path / "nothing", "--no-browser", code=NotFoundError.exit_code
    )
    assert "no portfolio here" in out and calls == []
    shutil.copytree(SAMPLE, tmp_path / "case" / "one")
    run_cli("assess", "app", tmp_path / "case", "--key", tmp_path / "k.key", "--no-browser")
    ((caseload, folders, kw),) = calls
    assert caseload == (tmp_path / "case").resolve()
    assert list(folders.values()) == [caseload / "one"]
    assert kw["key"] == str((tmp_path / "k.key").resolve()) and kw["open_browser"] is False
    assert "--key" in run_cli("assess", "app", "--help")


def test_plan_status_and_witness_check_save_through_the_library(caseload):
    from cpc306_portfolio.notebooks.assessor_forms import ActivityStatusForm, WitnessCheckForm
    from cpc306_portfolio.portfolio.assessment_plan import read_assessment_plan
    from cpc306_portfolio.portfolio.kinds import WITNESS

    folio = open_portfolio(caseload / "two")
    add_activity(
        folio,
        {
            "activity": "Observe C3",
            "method": "observation",
            "criteria": ["C3"],
            "planned_date": "2027-02-01",
        },
    )
    status = ActivityStatusForm(folio)
    assert status.which.options == (("P01: Observe C3", "P01"),)
    status.which.value, status.state.value = "P01", "moved"
    status.save()
    assert "says why" in status.errors.general.value + "".join(status.errors.shown().values())
    status.reason.value = "The meeting was postponed by the provider"
    assert status.save() is not None
    assert read_assessment_plan(folio).activities[0].status == "moved"
    folio.add(
        WITNESS,
        {
            "name": "Sam Okafor",
            "role": "Team Manager",
            "organisation": "Northmoor BC",
            "relationship": "line manager",
            "email": "sam@northmoor.example.org",
            "status": "occupationally_competent",
        },
    )
    check = WitnessCheckForm(folio)
    check.save()
    assert "choose the witness" in check.errors.shown()["witness"]
    check.which.value, check.how.value = "W001", "phone"
    check.notes.value = "Confirmed the statement is theirs"
    saved = check.save()
    assert saved is not None and saved.checks[-1].by == folio.profile.assessor.name
    page = pages.assessor_page(
        "plan", _param(caseload), environ=_env(learner_key(caseload / "two"))
    )
    html = page.views[0].value
    assert "Moved" in html and "The meeting was postponed" in html
    assert "Checked by" in html and "Sam Okafor" in html


def test_a_broken_portfolio_is_named_in_the_caseload_not_dropped(caseload):
    (caseload / "two" / "portfolio.yaml").write_text("learner: [unclosed\n")
    rows = caseload_summaries(caseload_folders(caseload))
    broken = [r for r in rows if r.problem]
    assert len(broken) == 1 and "portfolio.yaml" in broken[0].problem
    home = pages.assessor_page("caseload", _param(caseload), environ={})
    assert "could not be read" in home.children[1].value
    page = pages.assessor_page(
        "learner", _param(caseload), environ=_env(learner_key(caseload / "two"))
    )
    assert "could not be read" in page.children[1].value


def test_the_caseload_shows_each_learners_plan_and_next_review(caseload):
    from cpc306_portfolio.portfolio.reviews import add_review

    folio = open_portfolio(caseload / "two")
    add_activity(
        folio,
        {
            "activity": "Observe C3",
            "method": "observation",
            "criteria": ["C3"],
            "planned_date": "2026-01-05",
        },
    )
    add_review(folio, on="2026-01-10", progress="Started.", next_review="2026-02-01")
    rows = {r.name: r for r in caseload_summaries(caseload_folders(caseload))}
    assert rows["Morgan Ellery"].planning["review_overdue"] is True
    assert rows["Jordan Ashby"].planning == {}
    html = pages.assessor_page("caseload", _param(caseload), environ={}).children[1].value
    assert "0 of 1 planned activities done" in html and "1 overdue" in html
    assert "Next review 01 February 2026 <strong" in html and "No assessment plan yet" in html


def test_the_learners_replies_and_acknowledgement_show_under_the_decision(caseload):
    from datetime import date

    from cpc306_portfolio.assessor.assessment import assess
    from cpc306_portfolio.portfolio.responses import acknowledge_decision, reply_to_action

    folio = open_portfolio(caseload / "one")
    assess(
        folio,
        ["A2"],
        "not_yet_met",
        feedback="Name each risk's owner.",
        actions=[("Add the owner of each risk", date(2027, 1, 15))],
    )
    env = _env(learner_key(caseload / "one"), "A2")
    decision = pages.assessor_page("criterion", _param(caseload), environ=env).views[1].value
    assert "not acknowledged this decision yet" in decision and "No reply yet" in decision
    reply_to_action(folio, "A2", "AP1", "I added the <owner> column to the register.")
    acknowledge_decision(folio, "A2")
    decision = pages.assessor_page("criterion", _param(caseload), environ=env).views[1].value
    assert "The learner acknowledged this decision on" in decision
    assert "AP1</strong>: Add the owner of each risk (by 15 January 2027)" in decision
    assert "I added the &lt;owner&gt; column" in decision
