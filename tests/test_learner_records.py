"""Everything a learner made can be reopened, corrected, saved and removed in the app:
reflective accounts (drafts included), items of evidence and their files; the keep-out
warning on Start here; dates as a UK learner writes them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.notebooks import pages
from cpc306_portfolio.notebooks.datebox import read_date

from .conftest import (
    before_assessment,
    find_widget,
    find_widgets,
    html_of,
    only_widget,
    profile_fields,
    snapshot,
)

LONG = "I checked the provider's records against the contract and wrote down each gap I found."


def _open(page, record_id: str):
    accounts = only_widget(page, "cpc306-account-list")
    (button,) = [
        b for b in find_widgets(accounts, "cpc306-open-record") if record_id in b.description
    ]
    button.click()
    return only_widget(page, "cpc306-reflection-form")


def test_an_existing_account_opens_with_its_text_in_the_form(sample_copy):
    r001 = open_portfolio(sample_copy).read_reflection("R001")
    page = pages.reflection_page(str(sample_copy), "CPC 306")
    form = _open(page, "R001")
    assert form.title.value == r001.title
    assert form.date.value == r001.date and form.date.text.value == r001.date.strftime("%d/%m/%Y")
    assert form.model.value == r001.model
    assert {k: b.value for k, b in form.boxes.items() if b.value} == r001.stages
    assert set(form.criteria.value) == set(r001.criteria)
    assert set(form.knowledge.value) == set(r001.knowledge)


def test_a_corrected_account_is_saved_over_itself_and_says_the_declaration_is_out_of_date(
    sample_copy,
):
    judged = open_portfolio(sample_copy).read_assessment().judgements
    page = pages.reflection_page(str(sample_copy), "CPC 306")
    form = _open(page, "R001")
    form.boxes["feelings"].value += " Looking back, I also felt proud of the team."
    saved = form.save()
    assert saved is not None, form.errors.shown()
    again = open_portfolio(sample_copy)
    assert again.reflection_ids() == ["R001", "R002"]  # the same account, not a new one
    assert again.read_reflection("R001").stages["feelings"].endswith("proud of the team.")
    assert "declaration is now out of date" in form.status.value
    export = pages.export_page(str(sample_copy), "CPC 306")
    state = find_widget(export, "cpc306-declaration-state").value
    assert "Your declaration is out of date" in state and "R001 changed" in state
    # The assessor's judgement stays where it was, with its history.
    assert again.read_assessment().judgements == judged


def test_a_draft_can_be_finished_later_in_the_reflection_page(sample_copy):
    folio = open_portfolio(before_assessment(sample_copy))
    page = pages.reflection_page(str(sample_copy), "CPC 306")
    form = only_widget(page, "cpc306-reflection-form")
    form.title.value = "After the notice"
    form.date.value = "10/06/2026"
    form.model.value = "driscoll"
    form.boxes["what"].value = LONG
    form.draft.value = True
    draft = form.save()
    assert draft is not None and draft.draft, form.errors.shown()
    assert "open it again from the list of your accounts" in form.status.value
    form = _open(page, draft.id)
    assert form.boxes["what"].value == LONG and form.draft.value is True
    form.boxes["so_what"].value = LONG
    form.boxes["now_what"].value = LONG
    form.draft.value = False
    finished = form.save()
    assert finished is not None and finished.id == draft.id and not finished.draft
    assert folio.read_reflection(draft.id).stages["now_what"] == LONG


def test_removing_an_account_asks_first_and_keep_it_removes_nothing(sample_copy):
    page = pages.reflection_page(str(sample_copy), "CPC 306")
    accounts = only_widget(page, "cpc306-account-list")
    before = snapshot(sample_copy)
    find_widgets(accounts, "cpc306-remove-record")[1].click()
    confirm = accounts.confirm
    assert "Remove the reflective account R002" in confirm.question.value
    find_widget(accounts, "cpc306-cancel-remove").click()
    assert snapshot(sample_copy) == before
    find_widgets(accounts, "cpc306-remove-record")[1].click()
    find_widget(accounts, "cpc306-confirm-remove").click()
    assert open_portfolio(sample_copy).reflection_ids() == ["R001"]
    assert "Removed R002" in confirm.status.value
    assert "R002" not in [
        v for _label, v in only_widget(page, "cpc306-reflection-form").record.options
    ]
    rows = [html_of(row) for row in find_widgets(accounts, "cpc306-account-row")]
    assert len(rows) == 1 and "R001" in str(rows)  # the list redrew


def test_a_file_and_then_an_item_of_evidence_are_removed_after_asking(sample_copy):
    before_assessment(sample_copy)
    page = pages.criterion_page(str(sample_copy), "CPC 306", "B1")
    form = only_widget(page, "cpc306-evidence-form")
    removal = only_widget(page, "cpc306-evidence-removal")
    assert find_widgets(removal, "cpc306-remove-record") == []  # nothing to remove when new
    form.record.value = "E001"
    form.description.value = "Typed before removing the file"
    find_widget(removal, "cpc306-remove-file").click()
    assert "escalation-briefing.md" in removal.confirm.question.value
    find_widget(removal, "cpc306-confirm-remove").click()
    folio = open_portfolio(sample_copy)
    assert folio.read_evidence("E001").attachments == []
    assert not (sample_copy / "evidence" / "E001" / "escalation-briefing.md").exists()
    assert form.description.value == "Typed before removing the file"  # the typing stays
    assert form.save() is not None, form.errors.shown()  # and saves over the new state
    assert folio.read_evidence("E001").description == "Typed before removing the file"
    form.record.value = "E001"
    find_widget(removal, "cpc306-remove-record").click()
    find_widget(removal, "cpc306-confirm-remove").click()
    assert "E001" not in open_portfolio(sample_copy).evidence_ids()
    assert form.record.value == ""


def test_start_here_warns_while_the_keep_out_list_is_empty_and_takes_names(tmp_path):
    from cpc306_portfolio import create_portfolio

    folder = tmp_path / "p"
    create_portfolio(folder, profile_fields(keep_out=[]))
    page = pages.start_page(str(folder), "CPC 306")
    box = only_widget(page, "cpc306-keep-out-warning")
    assert page.children.index(box) < page.children.index(only_widget(page, "cpc306-live-progress"))
    assert "No one is on your keep-out list yet" in box.warning.value
    assert box.showing and box.names in box.children
    box.names.value = "Edith Marlowe\n\nTomasz Wren\n"
    find_widget(box, "cpc306-keep-out-add").click()
    assert sorted(open_portfolio(folder).keep_out_names()) == ["Edith Marlowe", "Tomasz Wren"]
    assert not box.showing and box.names not in box.children
    details = only_widget(page, "cpc306-profile-form")
    assert details.keep_out.value.splitlines() == ["Edith Marlowe", "Tomasz Wren"]
    # With names listed, the warning is not shown at all.
    again = only_widget(pages.start_page(str(folder), "CPC 306"), "cpc306-keep-out-warning")
    assert not again.showing and find_widgets(again, "cpc306-keep-out-names") == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10/03/2026", date(2026, 3, 10)),
        ("2026-03-10", date(2026, 3, 10)),
        ("10 March 2026", date(2026, 3, 10)),
        ("1/3/26", date(2026, 3, 1)),
    ],
)
def test_a_uk_date_reads_as_a_uk_reader_means_it(typed, expected):
    assert read_date(typed, today=date(2026, 12, 7)) == (expected, "")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("", "the date is missing"),
        ("31/02/2026", "31 February is not a date"),
        ("29/02/2025", "there was no 29 February in 2025"),
        ("10/03/2202", "that date is in the future"),
        ("next week", "is not a date we can read: write it as day/month/year"),
    ],
)
def test_a_wrong_date_is_said_in_words(typed, said):
    when, why = read_date(typed, today=date(2026, 12, 7))
    assert when is None and said in why
    assert "None" not in why


def test_saving_the_evidence_form_with_no_date_says_so_in_words(sample_copy):
    before_assessment(sample_copy)
    page = pages.criterion_page(str(sample_copy), "CPC 306", "A2")
    form = only_widget(page, "cpc306-evidence-form")
    form.title.value = "Risk register review"
    form.method.value = "product"
    form.description.value = LONG
    assert form.save() is None
    shown = form.errors.shown()
    assert "the date is missing" in shown["date"]
    assert "None" not in " ".join(shown.values()) + form.status.value
    tomorrow = date.today() + timedelta(days=1)
    form.date.value = tomorrow.strftime("%d/%m/%Y")
    assert form.save() is None
    assert "that date is in the future" in form.errors.shown()["date"]
    form.date.value = "10/03/2026"
    saved = form.save()
    assert saved is not None and saved.date == date(2026, 3, 10), form.errors.shown()


THEIRS = "Their words, saved first in another window, where I wrote about how anxious I was."
MINE = "My words, typed in this window, where I wrote about feeling defensive and then relieved."


def _two_windows_on_r001(sample_copy):
    mine = _open(pages.reflection_page(str(sample_copy), "CPC 306"), "R001")
    theirs = _open(pages.reflection_page(str(sample_copy), "CPC 306"), "R001")
    theirs.boxes["feelings"].value = THEIRS
    assert theirs.save() is not None, theirs.errors.shown()
    mine.boxes["feelings"].value = MINE
    before = snapshot(sample_copy)
    assert mine.save() is None
    assert snapshot(sample_copy) == before  # nothing written over the other window's save
    shown = mine.conflict.table.value
    assert "changed in another window" in mine.errors.general.value
    assert "Their words, saved first" in shown and "My words, typed" in shown
    assert "Feelings" in shown  # the stage by its title, never its key
    return mine


def test_a_stale_reflection_save_keeps_mine_when_asked(sample_copy):
    mine = _two_windows_on_r001(sample_copy)
    find_widget(mine.conflict, "cpc306-keep-mine").click()
    saved = open_portfolio(sample_copy).read_reflection("R001")
    assert saved.stages["feelings"] == MINE
    assert mine.conflict.layout.display == "none"


def test_a_stale_reflection_save_keeps_theirs_and_mine_stays_to_copy(sample_copy):
    mine = _two_windows_on_r001(sample_copy)
    find_widget(mine.conflict, "cpc306-keep-theirs").click()
    assert mine.boxes["feelings"].value == THEIRS
    assert MINE in mine.conflict.table.value  # still to copy
    assert mine.conflict.layout.display == ""
    saved = open_portfolio(sample_copy).read_reflection("R001")
    assert saved.stages["feelings"] == THEIRS
