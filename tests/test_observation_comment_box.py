"""The learner's "Your comment" box under each of their assessor's observations (criterion page)."""

from __future__ import annotations

from pathlib import Path

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.assessor.records import discuss, observe
from cpc306_portfolio.notebooks import pages
from cpc306_portfolio.portfolio.kinds import OBSERVATION

from .conftest import find_widgets, only_widget, snapshot

NHS = "943 476 5919"


def _observed(folder: Path) -> None:
    folio = open_portfolio(folder)
    observe(folio, on="2026-05-02", criteria=["A2"], narrative="Seen chairing the meeting.")
    observe(folio, on="2026-05-09", criteria=["A3"], narrative="Seen at the provider.")
    discuss(folio, on="2026-05-03", knowledge=["K1"], criteria=["A2", "A4"], key_points="Talked.")


def test_each_observation_on_the_criterion_gets_a_box_and_save_writes_the_comment(
    old_sample_copy: Path,
):
    _observed(old_sample_copy)
    page = pages.criterion_page(str(old_sample_copy), "CPC 306", "A2")
    # One box: O001 is on A2; O002 is on A3; a discussion takes no comment.
    form = only_widget(page, "cpc306-observation-comment-form")
    assert "Your comment on O001" in form.children[0].value
    view = only_widget(page, "cpc306-live-assessor-records")
    assert "your own comment on each observation in the boxes below" in view.value
    refreshes = page.refreshes
    only_widget(form, "cpc306-observation-comment").value = "I would add the <b>Board</b>."
    form.save_button.click()
    record = open_portfolio(old_sample_copy).records.get(OBSERVATION, "O001")
    assert record.learner_comment == "I would add the <b>Board</b>."
    assert record.narrative == "Seen chairing the meeting."
    assert "Saved your comment on O001" in form.status.value
    assert "signed off before it" not in form.status.value  # O001 came after the sign-off
    assert page.refreshes == refreshes + 1  # the page redrew: the record shows the comment
    assert "&lt;b&gt;Board" in view.value and "<b>Board" not in view.value
    assert only_widget(form, "cpc306-observation-comment").value.endswith("</b>.")
    # A reload shows it saved, in the box.
    again = pages.criterion_page(str(old_sample_copy), "CPC 306", "A2")
    assert only_widget(again, "cpc306-observation-comment").value.startswith("I would add")
    assert not find_widgets(
        pages.criterion_page(str(old_sample_copy), "CPC 306", "A5"), "cpc306-observation-comment"
    )


def test_a_comment_with_an_nhs_number_is_refused_in_words_and_kept(old_sample_copy: Path):
    _observed(old_sample_copy)
    page = pages.criterion_page(str(old_sample_copy), "CPC 306", "A2")
    form = only_widget(page, "cpc306-observation-comment-form")
    box = only_widget(form, "cpc306-observation-comment")
    before = snapshot(old_sample_copy)
    text = f"The family of {NHS} agreed with it."
    box.value = text
    form.save_button.click()
    assert snapshot(old_sample_copy) == before
    assert box.value == text
    assert "Nothing was saved" in form.status.value
    assert "Your text is still in the form" in form.status.value
    shown = form.errors.shown()["learner_comment"]
    assert "might identify a person" in shown and "NHS number" in shown and NHS not in shown
    # Acknowledged with a reason, it saves (and the reason goes with the record).
    (finding,) = form.findings.rows.values()
    finding.tick.value = True
    form.save_button.click()
    assert "say why" in form.status.value + "".join(r.error.value for r in [finding])
    assert snapshot(old_sample_copy) == before
    finding.reason.value = "A made-up number from a training handout"
    form.save_button.click()
    saved = open_portfolio(old_sample_copy).records.get(OBSERVATION, "O001")
    assert saved.learner_comment == text


def test_a_criterion_with_only_a_discussion_offers_no_comment(old_sample_copy: Path):
    from cpc306_portfolio.notebooks.assessor_records_view import assessor_records_html

    _observed(old_sample_copy)
    shown = assessor_records_html(open_portfolio(old_sample_copy), "A4")
    assert "D001" in shown and "boxes below" not in shown
    page = pages.criterion_page(str(old_sample_copy), "CPC 306", "A4")
    assert not find_widgets(page, "cpc306-observation-comment-form")


def test_a_comment_after_the_sign_off_says_the_sign_off_shows_it(old_sample_copy: Path, tmp_path):
    from cpc306_portfolio import new_key, sign_off

    _observed(old_sample_copy)
    sign_off(open_portfolio(old_sample_copy), new_key(tmp_path / "k.key").private_path)
    page = pages.criterion_page(str(old_sample_copy), "CPC 306", "A2")
    form = only_widget(page, "cpc306-observation-comment-form")
    only_widget(form, "cpc306-observation-comment").value = "Agreed."
    form.save_button.click()
    assert "their sign-off shows this record as changed" in form.status.value
