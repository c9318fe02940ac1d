"""Judging in the page keeps a criterion's action points (the learner's replies hang on them)."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from cpc306_portfolio import declare, judge, open_portfolio, render_portfolio

from .browser import chromium
from .conftest import SAMPLE, before_assessment, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

SOON = date.today() + timedelta(days=30)


def test_a_page_judgement_keeps_action_points_and_a_met_closes_them(tmp_path: Path):
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    folio = open_portfolio(before_assessment(folder))
    declare(folio)
    for criterion in ("A4", "A5"):
        judge(folio, criterion, "not_yet_met", feedback="More", actions=[("Add the log", SOON)])
    html = render_portfolio(folder, tmp_path / "out" / "portfolio.html")
    with chromium() as browser:
        ctx = browser.new_context(accept_downloads=True)
        page = ctx.new_page()
        page.goto(html.as_uri(), wait_until="load")
        group = page.get_by_role("radiogroup", name="Outcome for A4")
        group.get_by_label("Not yet met", exact=True).check()
        page.get_by_label("Feedback on A4").fill("Still no log.")
        page.get_by_role("radiogroup", name="Outcome for A5").get_by_label(
            "Met", exact=True
        ).check()
        panel = page.locator('.judge[data-criterion="A5"]')
        rules = panel.get_by_role("group", name="Rules of evidence for A5")
        for rule in ("Valid", "Authentic", "Current", "Sufficient", "Reliable"):
            rules.get_by_label(rule, exact=True).check()
        methods = panel.get_by_role("group", name="Methods sampled for A5")
        methods.get_by_label("Product / document", exact=True).check()
        relied = panel.get_by_role("group", name="Evidence relied on for A5")
        relied.get_by_role("checkbox").first.check()
        panel.get_by_label("Feedback on A5").fill("Now shown.")
        with page.expect_download() as info:
            page.get_by_role("button", name="Save draft file").click()
        saved = tmp_path / "draft.json"
        info.value.save_as(saved)
        ctx.close()
    draft = json.loads(saved.read_text(encoding="utf-8"))
    assert draft["assessment"]["judgements"]["A4"]["actions"][0]["id"] == "AP1"
    run_cli("assess", "import", str(folder), str(saved), "--unsigned")
    a4 = open_portfolio(folder).read_assessment().judgements["A4"]
    assert (a4.feedback, [a.id for a in a4.actions]) == ("Still no log.", ["AP1"])
    assert not a4.actions[0].closed
    a5 = open_portfolio(folder).read_assessment().judgements["A5"]
    assert a5.outcome == "met" and a5.actions[0].closed_on == date.today()
    assert "judged met" in a5.actions[0].closed_note
