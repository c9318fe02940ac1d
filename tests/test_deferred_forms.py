"""A criterion page builds its witness and reflective account forms only when asked for.

They were half the page's widget models (each fetched and drawn before the page is
usable, issue 28); in their place the page shows each form's heading, a line and a button.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.notebooks import pages

from .conftest import find_widgets, only_widget

LONG = "I checked the provider's records against the contract and wrote down each gap I found."


def test_the_page_shows_buttons_not_the_forms_until_asked(sample_copy: Path) -> None:
    page = pages.criterion_page(str(sample_copy), "CPC 306", "A2")
    assert find_widgets(page, "cpc306-witness-form") == []
    assert find_widgets(page, "cpc306-reflection-form") == []
    witness = only_widget(page, "cpc306-witness-later")
    reflection = only_widget(page, "cpc306-reflection-later")
    assert "Register a witness" in witness.children[0].value
    assert witness.opener.description == "Register a witness"

    reflection.opener.click()  # the learner presses the button
    form = only_widget(page, "cpc306-reflection-form")
    assert reflection.children == (form,)  # built where the button was, once
    assert reflection.show_form() is form
    assert list(form.criteria.value) == ["A2"]  # mapped to the page's criterion, as before
    assert find_widgets(page, "cpc306-witness-form") == []  # the other stays a button


def test_a_save_in_a_form_built_later_redraws_the_page(sample_copy: Path) -> None:
    page = pages.criterion_page(str(sample_copy), "CPC 306", "A2")
    before = page.refreshes
    form = only_widget(page, "cpc306-reflection-later").show_form()
    form.title.value = "What the risk register taught me"
    form.date.value = date(2026, 7, 1)
    form.model.value = "driscoll"
    for box in form.boxes.values():
        box.value = LONG
    saved = form.save()
    assert saved is not None, form.errors.shown()
    assert open_portfolio(sample_copy).read_reflection(saved.id).criteria == ["A2"]
    assert page.refreshes == before + 1  # the page's views show the new account


def test_an_account_saved_as_a_draft_opens_again_from_the_criterion_page(
    sample_copy: Path,
) -> None:
    folio = open_portfolio(sample_copy)
    draft = folio.add_reflection(
        {
            "title": "Half-way through the notice",
            "date": "2026-06-02",
            "model": "driscoll",
            "stages": {"what": LONG},
            "criteria": ["A2"],
            "draft": True,
        }
    )
    page = pages.criterion_page(str(sample_copy), "CPC 306", "A2")
    form = only_widget(page, "cpc306-reflection-later").show_form()
    assert draft.id in [value for _label, value in form.record.options]
    form.record.value = draft.id
    assert form.boxes["what"].value == LONG
