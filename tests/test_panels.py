"""The export panel, the development plan form and the reply to feedback, without a browser."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from cpc306_portfolio import create_portfolio, open_portfolio
from cpc306_portfolio.assessor.assessment import judge
from cpc306_portfolio.notebooks.panels import export_href, export_panel, plan_form, reply_form
from cpc306_portfolio.notebooks.wording import when
from cpc306_portfolio.portfolio.plan import read_plan, save_plan

from .conftest import before_assessment, find_widget, html_of, profile_fields

LONG = "I checked the provider's records against the contract and wrote down each gap I found."
POSTCODE = "SW1A 1AA"


@pytest.fixture
def learner(sample_copy: Path):
    """The sample before its learner declared it and the assessor judged it."""
    return open_portfolio(before_assessment(sample_copy))


def _readiness(panel) -> str:
    return find_widget(panel, "cpc306-readiness").value


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_complete_portfolio_with_nothing_waiting_is_ready(sample_copy):
    readiness = _readiness(export_panel(open_portfolio(sample_copy)))
    assert _text(readiness) == "✔ Every criterion is ready and no warning waits."


def test_a_new_portfolio_lists_every_criterion_not_ready_yet(portfolio):
    text = _text(_readiness(export_panel(portfolio)))
    criteria = ", ".join(portfolio.standard.criteria)
    assert text == (
        f"⚠ 21 criteria are not ready for assessment yet ({criteria}). "
        "You can still build the file to show your assessor your progress."
    )


def test_an_identifier_typed_into_a_file_by_hand_is_a_warning_before_a_build(sample_copy):
    record = sample_copy / "evidence" / "E003.yaml"
    text = record.read_text(encoding="utf-8")
    opening = "  With the immediate safety steps"
    assert opening in text
    record.write_text(text.replace(opening, f"  At {POSTCODE}, with the", 1), encoding="utf-8")
    readiness = _text(_readiness(export_panel(open_portfolio(sample_copy))))
    assert readiness.startswith(
        "⚠ 1 possible identifier(s) of a person are not yet edited out or acknowledged"
    )
    assert "see the confidentiality warnings above before you send anything" in readiness
    assert POSTCODE not in readiness


def test_signing_needs_the_box_ticked_first(learner):
    panel = export_panel(learner)
    find_widget(panel, "cpc306-declare").click()
    status = find_widget(panel, "cpc306-declare-status").value
    assert 'role="alert"' in status and "tick the box to confirm the statement first" in status
    assert open_portfolio(learner.root).profile.declaration is None


def test_signing_records_the_declaration_and_says_who_and_when(learner):
    panel = export_panel(learner)
    find_widget(panel, "cpc306-declare-confirm").value = True
    find_widget(panel, "cpc306-declare").click()
    declared = open_portfolio(learner.root).profile.declaration
    assert declared is not None
    status = find_widget(panel, "cpc306-declare-status").value
    assert f"Declaration signed by {declared.signed_by} on {when(declared.signed_at)}" in status
    assert "UTC" not in status and "+00:00" not in status


def test_a_declared_portfolio_says_when_and_asks_to_declare_again_after_changes(sample_copy):
    folio = open_portfolio(sample_copy)
    declared = folio.profile.declaration
    assert declared is not None
    panel = export_panel(folio)
    intro = _text(panel.children[0].value)
    assert folio.standard.terms.declaration_statement.split()[0] in intro
    state = _text(find_widget(panel, "cpc306-declaration-state").value)
    assert f"You declared your work your own on {when(declared.signed_at)}." in state
    assert "Nothing has changed since" in state
    record = folio.read_evidence("E002")
    record.title = "A corrected title"
    folio.update_evidence(record)
    state = _text(find_widget(export_panel(folio), "cpc306-declaration-state").value)
    assert "Your declaration is out of date" in state and "E002 changed" in state
    assert "sign your declaration again" in state


def test_building_before_declaring_is_refused_and_nothing_is_written(learner):
    panel = export_panel(learner)
    find_widget(panel, "cpc306-render").click()
    status = find_widget(panel, "cpc306-render-status").value
    assert "sign your declaration first (step 1), then build" in status
    assert not (learner.root / "exports").exists()


def test_the_panel_says_where_the_file_will_be_saved(learner, tmp_path):
    def step3(panel) -> str:
        return next(t for t in map(_text, html_of(panel)) if t.startswith("3. Build"))

    default = step3(export_panel(learner))
    name = f"{learner.root.name}-portfolio.html"
    assert f"saved in your portfolio folder, in exports , as {name} ." in default
    assert str(learner.root) not in default  # no path where a plain word does
    elsewhere = tmp_path / "out" / "mine.html"
    assert f"saved as {elsewhere}" in step3(export_panel(learner, elsewhere))


def test_the_link_goes_through_voilas_file_route_in_the_app(learner, monkeypatch):
    target = learner.root / "exports" / "x.html"
    monkeypatch.setenv("VOILA_BASE_URL", "/app/")
    assert export_href(target, learner) == "/app/voila/files/exports/x.html"
    monkeypatch.delenv("VOILA_BASE_URL")
    assert export_href(target, learner) == "../exports/x.html"
    with pytest.raises(ValueError):
        export_href(Path("/elsewhere/x.html"), learner)


def test_the_plan_form_offers_the_plan_then_waiting_actions_then_spare_rows(portfolio):
    record = portfolio.add_reflection(
        {
            "title": "After the notice",
            "date": "2026-06-10",
            "model": "driscoll",
            "stages": {"what": LONG, "so_what": LONG, "now_what": "Learn the default clauses."},
        }
    )
    save_plan(portfolio, [{"what": "Shadow two reviews", "by_when": date(2026, 9, 30)}])
    form = plan_form(portfolio)
    assert [r["what"].value for r in form.rows] == [
        "Shadow two reviews",
        "Learn the default clauses.",
        "",
        "",
    ]
    assert [r["source"] for r in form.rows] == ["", record.id, "", ""]
    headings = [r["box"].children[0].value for r in form.rows]
    assert headings[1] == f"<h4>Action 2 (from {record.id})</h4>"
    assert form.rows[0]["when"].value == date(2026, 9, 30)


def test_a_plan_row_with_a_date_but_nothing_to_develop_is_refused(portfolio):
    form = plan_form(portfolio)
    form.rows[0]["how"].value = "On a course"
    form.rows[1]["when"].value = date(2026, 10, 1)
    assert form.save() is None
    assert "Nothing was saved" in form.status.value
    # One problem for each of the two rows, each beside its own row.
    shown = " ".join(form.errors.shown().values())
    assert shown.count("say what you will develop") == 2
    assert read_plan(portfolio).actions == []


def test_the_plan_is_saved_with_empty_rows_left_out(portfolio):
    form = plan_form(portfolio)
    form.rows[0]["what"].value = "  Learn the default clauses  "
    form.rows[0]["how"].value = "Read the standard terms"
    form.rows[0]["done"].value = True
    saved = form.save()
    assert saved is not None
    assert "Saved your plan: 1 action" in form.status.value
    (action,) = read_plan(open_portfolio(portfolio.root)).actions
    assert (action.what, action.how, action.done) == (
        "Learn the default clauses",
        "Read the standard terms",
        True,
    )
    assert len(form.rows) == 3  # the form refilled: the saved action and two spare rows


def test_a_reply_must_say_something(sample_copy):
    form = reply_form(open_portfolio(sample_copy), "A1")
    form.text.value = "   "
    assert form.save() is None
    assert "write your reply first" in find_widget(form, "cpc306-error-text").value


def test_a_reply_is_saved_with_the_criterion_and_stays_in_the_form(sample_copy):
    folio = open_portfolio(sample_copy)
    form = reply_form(folio, "A1")
    form.text.value = "I added the minutes of the second meeting as E024."
    assert form.save() is not None
    assert "Saved your reply on A1; your assessor sees it with the criterion" in (form.status.value)
    assert form.text.value == "I added the minutes of the second meeting as E024."
    replies = open_portfolio(sample_copy).read_assessment().replies
    assert replies["A1"].text == "I added the minutes of the second meeting as E024."
    assert reply_form(open_portfolio(sample_copy), "A1").text.value == replies["A1"].text


def test_a_reply_that_might_identify_a_person_is_not_saved(tmp_path):
    folio = create_portfolio(tmp_path / "p", profile_fields(keep_out=["Edith Marlowe"]))
    judge(folio, "A1", "not_yet_met", feedback="Show how you told the family.")
    form = reply_form(folio, "A1")
    form.text.value = f"I phoned Edith Marlowe at {POSTCODE} to explain."
    assert form.save() is None
    assert "possible identifiers of a person" in form.status.value
    assert open_portfolio(folio.root).read_assessment().replies == {}
    assert form.text.value.startswith("I phoned Edith Marlowe")  # the typing is kept


def test_each_plan_rows_problem_shows_beside_that_row(portfolio):
    form = plan_form(portfolio)
    form.rows[1]["when"].value = date(2026, 10, 1)
    assert form.save() is None
    assert "say what you will develop" in find_widget(form, "cpc306-error-actions[1]").value
