"""Each learner's page built as its notebook builds it: start (before and after a portfolio
exists), knowledge, reflection, plan and export; and what a live view shows when a file
was broken by hand."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import ipywidgets as w
import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.notebooks import pages
from cpc306_portfolio.notebooks.live import LivePage
from cpc306_portfolio.portfolio.plan import PLAN_FILE

from .conftest import before_assessment, find_widgets, html_of, only_widget, profile_fields

LONG = "I checked the provider's records against the contract and wrote down each gap I found."


def _text(widget) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", " ".join(html_of(widget))).split())


def _classes(page) -> list[str]:
    """The page's parts in order (not its hidden "show the latest" button, always last)."""
    return [
        c
        for child in page.children
        for c in child._dom_classes
        if c.startswith("cpc306-") and c != "cpc306-refresh"
    ]


def test_the_start_page_without_a_portfolio_offers_the_details_form(tmp_path):
    page = pages.start_page(str(tmp_path / "new"), "CPC 306")
    assert isinstance(page, LivePage) and page.portfolio is None
    assert "cpc306-page-start" in page._dom_classes
    assert "Fill in your details and save them to create your portfolio." in _text(page)
    assert "<style>" in page.children[0].value  # the page carries its own stylesheet
    only_widget(page, "cpc306-profile-form")
    assert find_widgets(page, "cpc306-live-progress") == []


def test_saving_the_details_creates_the_portfolio_and_the_page_shows_progress(tmp_path):
    folder = tmp_path / "new"
    page = pages.start_page(str(folder), "CPC 306")
    form = only_widget(page, "cpc306-profile-form")
    fields = profile_fields()
    form.inputs["learner.name"].value = fields["learner"]["name"]
    form.inputs["centre.name"].value = fields["centre"]["name"]
    form.inputs["assessor.name"].value = fields["assessor"]["name"]
    form.save_button.click()
    assert open_portfolio(folder).profile.learner.name == "Robin Testperson"
    assert page.portfolio is not None and page.portfolio.root == folder.resolve()
    progress = only_widget(page, "cpc306-live-progress")
    assert "Element A" in progress.value and page.refreshes == 1


def test_the_start_page_of_a_portfolio_shows_progress_warnings_plan_and_details(sample_copy):
    page = pages.start_page(str(sample_copy), "CPC 306")
    assert page.portfolio is not None
    for name in ("nav", "progress", "warnings", "plan-view"):
        only_widget(page, f"cpc306-live-{name}")
    only_widget(page, "cpc306-profile-form")
    assert 'href="A1.ipynb"' in only_widget(page, "cpc306-live-progress").value


def test_the_knowledge_page_lists_every_knowledge_item(sample_copy):
    page = pages.knowledge_page(str(sample_copy), "CPC 306")
    shown = only_widget(page, "cpc306-live-knowledge").value
    folio = open_portfolio(sample_copy)
    for kid in folio.standard.knowledge_items:
        assert kid in shown, kid
    assert _classes(page)[-1] == "cpc306-live-knowledge"


def test_the_reflection_page_lists_accounts_and_names_a_drafts_missing_stages(sample_copy):
    folio = open_portfolio(before_assessment(sample_copy))
    draft = folio.add_reflection(
        {
            "title": "After the notice",
            "date": "2026-06-10",
            "model": "driscoll",
            "stages": {"what": LONG},
            "draft": True,
        }
    )
    page = pages.reflection_page(str(sample_copy), "CPC 306")
    listing = _text(only_widget(page, "cpc306-account-list"))
    assert "Your reflective accounts" in listing
    assert find_widgets(page, "cpc306-live-reflections") == []  # listed once, not twice
    for rid in folio.reflection_ids():
        assert rid in listing
    assert draft.id in listing and "After the notice" in listing
    assert "So what? is empty; Now what? is empty" in listing
    only_widget(page, "cpc306-reflection-form")


def test_the_reflection_page_redraws_after_a_save(sample_copy):
    before_assessment(sample_copy)
    page = pages.reflection_page(str(sample_copy), "CPC 306")
    form = only_widget(page, "cpc306-reflection-form")
    form.title.value = "A second look at the action plan"
    form.date.value = date(2026, 7, 1)
    form.model.value = "driscoll"
    form.boxes["what"].value = LONG
    form.draft.value = True
    saved = form.save()
    assert saved is not None, form.errors.shown()
    assert saved.id in _text(only_widget(page, "cpc306-account-list"))
    assert page.refreshes == 2


def test_the_reflection_list_redraws_when_another_window_saved_an_account(sample_copy):
    page = pages.reflection_page(str(sample_copy), "CPC 306")
    elsewhere = open_portfolio(before_assessment(sample_copy)).add_reflection(
        {
            "title": "Written in another tab",
            "date": "2026-06-10",
            "model": "driscoll",
            "stages": {"what": LONG},
            "draft": True,
        }
    )
    assert elsewhere.id not in _text(only_widget(page, "cpc306-account-list"))
    page.refresher.click()  # what the page script presses when another tab saved
    assert f"{elsewhere.id} Written in another tab" in _text(
        only_widget(page, "cpc306-account-list")
    )


def test_the_plan_page_shows_the_plan_and_its_form(sample_copy):
    page = pages.plan_page(str(sample_copy), "CPC 306")
    only_widget(page, "cpc306-live-plan-view")
    only_widget(page, "cpc306-plan-form")
    assert "cpc306-live-nav" in page.children[1]._dom_classes
    assert "cpc306-live-plan-view" in page.children[2]._dom_classes
    assert "cpc306-plan-form" in page.children[3]._dom_classes


def test_the_export_page_puts_warnings_first_then_the_panel_then_progress(sample_copy):
    page = pages.export_page(str(sample_copy), "CPC 306")
    order = [c for c in _classes(page) if c.startswith(("cpc306-live-", "cpc306-export"))]
    assert order == [
        "cpc306-live-nav",
        "cpc306-live-warnings",
        "cpc306-export",
        "cpc306-live-progress",
    ]
    assert "Sign my declaration" in [
        b.description for b in page.children[3].children if isinstance(b, w.Button)
    ]


def test_a_page_for_another_unit_is_refused_with_what_to_run(sample_copy):
    from cpc306_portfolio import UsageError

    with pytest.raises(UsageError, match="written for SGX 035, but the portfolio is for CPC"):
        pages.knowledge_page(str(sample_copy), "SGX 035")


def test_a_plan_broken_by_hand_is_reported_where_its_view_was(sample_copy: Path):
    page = pages.plan_page(str(sample_copy), "CPC 306")
    (sample_copy / PLAN_FILE).write_text("actions: [\n", encoding="utf-8")
    page.refresh()
    shown = only_widget(page, "cpc306-live-plan-view").value
    assert shown.startswith('<p class="cpc306-error-text">⚠ ')
    assert PLAN_FILE in shown
    # The other views still drew.
    assert 'href="A1.ipynb"' in only_widget(page, "cpc306-live-nav").value
