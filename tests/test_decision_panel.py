"""The learner's decision panel on the criterion page, and the decision's part of the HTML."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from cpc306_portfolio import (
    close_action,
    judge,
    open_portfolio,
    read_responses,
    render_portfolio,
    reply_to_action,
)
from cpc306_portfolio.assessor.appeals import DEFAULT_APPEALS
from cpc306_portfolio.centre.folder import open_centre
from cpc306_portfolio.centre.models import CentreInfo
from cpc306_portfolio.centre.register import add_assessor
from cpc306_portfolio.notebooks import pages

from .conftest import ROOT, find_widgets, html_of, only_widget, snapshot

SOON = date.today() + timedelta(days=30)


def _judged(folder: Path) -> None:
    # The sample's learner acknowledged every decision: start from one who has not responded.
    (folder / "responses.yaml").unlink()
    judge(
        open_portfolio(folder),
        "A4",
        "not_yet_met",
        feedback="Show the risk log.",
        actions=[("Add an extract of the risk log", SOON), ("Reflect on it", SOON)],
    )


def test_the_criterion_page_replies_marks_done_and_acknowledges(sample_copy: Path):
    _judged(sample_copy)
    page = pages.criterion_page(str(sample_copy), "CPC 306", "A4")
    panel = only_widget(page, "cpc306-decision")
    shown = "".join(html_of(panel))
    assert "Add an extract of the risk log" in shown and DEFAULT_APPEALS.split(";")[0] in shown
    assert "not acknowledged this decision yet" in shown
    box = only_widget(page, "cpc306-action-reply-AP1")
    box.value = "I attached the log <b>as E024</b>"
    only_widget(page, "cpc306-action-save-AP1").click()
    only_widget(page, "cpc306-action-done-AP2").click()
    only_widget(page, "cpc306-acknowledge").click()
    saved = read_responses(open_portfolio(sample_copy)).for_criterion("A4")
    assert saved.actions["AP1"].text == "I attached the log <b>as E024</b>"
    assert saved.actions["AP2"].done and saved.acknowledged is not None
    shown = "".join(html_of(only_widget(page, "cpc306-decision")))
    assert "You acknowledged this decision" in shown
    assert "you said it is done" in shown
    assert not find_widgets(page, "cpc306-acknowledge")  # nothing left to acknowledge
    # A fresh page (a reload) shows the reply as saved.
    again = pages.criterion_page(str(sample_copy), "CPC 306", "A4")
    assert only_widget(again, "cpc306-action-reply-AP1").value.endswith("as E024</b>")


def test_a_reply_with_an_nhs_number_stays_in_its_box_unsaved(sample_copy: Path):
    _judged(sample_copy)
    page = pages.criterion_page(str(sample_copy), "CPC 306", "A4")
    before = snapshot(sample_copy)
    text = "Spoke to the family of 943 476 5919 about it"
    only_widget(page, "cpc306-action-reply-AP1").value = text
    only_widget(page, "cpc306-action-save-AP1").click()
    assert snapshot(sample_copy) == before
    assert only_widget(page, "cpc306-action-reply-AP1").value == text
    status = only_widget(page, "cpc306-decision-status").value
    assert "NHS number" in status and "was not saved" in status


def test_a_changed_decision_asks_to_be_read_again(sample_copy: Path):
    _judged(sample_copy)
    page = pages.criterion_page(str(sample_copy), "CPC 306", "A4")
    only_widget(page, "cpc306-acknowledge").click()
    judge(open_portfolio(sample_copy), "A4", "not_yet_met", feedback="A new decision")
    again = pages.criterion_page(str(sample_copy), "CPC 306", "A4")
    assert "changed this decision after you acknowledged it" in "".join(html_of(again))
    assert find_widgets(again, "cpc306-acknowledge")


def test_the_html_shows_action_points_replies_and_the_centres_wording(
    sample_copy: Path, tmp_path: Path
):
    _judged(sample_copy)
    folio = open_portfolio(sample_copy)
    reply_to_action(folio, "A4", "AP1", "Attached <script>alert(1)</script> & more")
    close_action(folio, "A4", "AP2", note="Seen in <i>R003</i>")
    responses = sample_copy / "responses.yaml"  # an identifier edited in by hand
    responses.write_text(responses.read_text().replace("& more", "& more 943 476 5919"))
    centre = tmp_path / "centre"
    add_assessor(
        centre,
        name="Priya Castellan",
        role="assessor",
        status="qualified",
        key_file=ROOT / "demo-keys" / "demo-assessor.key.pub",
    )
    marker = centre / "centre.yaml"
    text = marker.read_text(encoding="utf-8")
    assert "appeals: ''" in text  # a new centre sees the field it can fill
    marker.write_text(text.replace("appeals: ''", "appeals: Write to Appeals <Officer>."))
    info = open_centre(centre).read(CentreInfo, "centre.yaml")
    assert info is not None and info.appeals == "Write to Appeals <Officer>."
    html = render_portfolio(sample_copy, tmp_path / "out.html", trust=centre).read_text()
    a4 = html[html.index('id="crit-A4"') : html.index('id="crit-A5"')]
    assert "Add an extract of the risk log" in a4 and "(by " in a4
    assert "Attached &lt;script&gt;alert(1)&lt;/script&gt; &amp; more 943 *** ****" in a4
    assert "943 476 5919" not in html
    assert "<script>alert" not in html
    assert "closed by the assessor on" in a4 and "Seen in &lt;i&gt;R003&lt;/i&gt;" in a4
    assert "Not yet acknowledged" in a4
    assert "Write to Appeals &lt;Officer&gt;." in a4
    a3 = html[html.index('id="crit-A3"') : html.index('id="crit-A4"')]
    assert "Action points" not in a3 and "Write to Appeals" in a3


def test_the_app_shows_the_centres_appeals_wording(sample_copy: Path, tmp_path: Path, monkeypatch):
    _judged(sample_copy)
    centre = tmp_path / "centre"
    centre.mkdir()
    (centre / "centre.yaml").write_text(
        "schema: cpc306-centre/1\nname: Test\nappeals: Ask Sam in the <b>office</b>.\n"
    )
    monkeypatch.setenv("CPC306_CENTRE", str(centre))  # what cpc306 app --centre sets
    page = pages.criterion_page(str(sample_copy), "CPC 306", "A4")
    shown = "".join(html_of(only_widget(page, "cpc306-decision")))
    assert "Ask Sam in the &lt;b&gt;office&lt;/b&gt;." in shown
