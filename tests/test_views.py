"""The learner's views as HTML: records, reflective accounts, the plan, the assessor's word,
navigation and progress bars; the learner's own words always escaped."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.analysis.status import coverage_of
from cpc306_portfolio.assessor.assessment import judge
from cpc306_portfolio.notebooks.views import (
    PAGES,
    assessor_html,
    gaps_html,
    nav_html,
    plan_html,
    progress_bars,
    records_html,
    reflection_state,
    warnings_html,
)
from cpc306_portfolio.portfolio.plan import PlanAction

from .conftest import evidence_fields, reflection_fields

SCRIPT = "<script>alert(1)</script>"
LONG = "I checked the provider's records against the contract and wrote down each gap I found."


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _rows(html: str) -> list[str]:
    return [_text(row) for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)]


def test_records_list_each_with_how_it_was_gathered_and_its_files(portfolio, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n", encoding="utf-8")
    evidence = portfolio.add_evidence(evidence_fields(simulated=True), attach=[notes])
    reflection = portfolio.add_reflection(reflection_fields())
    html = records_html([evidence, reflection], "Everything so far")
    assert "Everything so far" in html
    rows = _rows(html)
    assert rows[1] == (
        f"{evidence.id} 12 June 2025 Product / document (simulated) "
        "Contract review meeting with the provider A3 A5 1"
    )
    assert rows[2] == (
        f"{reflection.id} 1 July 2025 Reflective account: Gibbs' reflective cycle (1988) "
        "Looking back on the improvement notice B7"
    )


def test_no_records_says_none_yet():
    assert "<p>None yet.</p>" in records_html([], "Your evidence")


def test_a_records_title_is_escaped(portfolio):
    record = portfolio.add_evidence(evidence_fields(title=f"Minutes {SCRIPT}"))
    html = records_html([record], "Your evidence")
    assert SCRIPT not in html and "&lt;script&gt;" in html


def test_reflections_say_which_stages_are_still_to_write_and_which_are_drafts(portfolio):
    done = portfolio.add_reflection(
        reflection_fields(
            model="driscoll",
            stages={"what": LONG, "so_what": LONG, "now_what": LONG},
        )
    )
    draft = portfolio.add_reflection(
        reflection_fields(model="driscoll", stages={"what": LONG}, draft=True)
    )
    assert reflection_state(done) == "✔ every stage written"
    assert reflection_state(draft) == "◐ draft: So what? is empty; Now what? is empty"


def test_the_plan_lists_each_action_and_how_many_wait(portfolio):
    actions = [
        PlanAction(what="Learn the default clauses", how="A course", by_when=date(2026, 9, 30)),
        PlanAction(what=f"Shadow {SCRIPT}", source="R001", done=True),
    ]
    html = plan_html(actions, waiting=2)
    rows = _rows(html)
    assert rows[1] == "Learn the default clauses A course 30 September 2026 not yet"
    assert rows[2].endswith("not set R001 ✔ done")
    assert SCRIPT not in html
    assert "2 actions from your reflective accounts are not in your plan yet" in _text(html)


def test_an_empty_plan_says_where_actions_come_from():
    text = _text(plan_html([]))
    assert text.endswith(
        'Your plan is empty. Write the "action plan" or "now what" stage of a reflective '
        "account, or add an action below."
    )
    assert "not in your plan yet" not in text


def test_nothing_from_the_assessor_before_a_judgement(portfolio):
    assert assessor_html(portfolio, "A1") == ""


def test_the_assessors_word_shows_outcome_date_feedback_and_the_reply(sample_copy):
    folio = open_portfolio(sample_copy)
    judge(
        folio,
        "A1",
        "not_yet_met",
        feedback=f"Show how you told the family. {SCRIPT}",
        judged_on=date(2026, 5, 1),
    )
    html = assessor_html(folio, "A1")
    text = _text(html)
    assert "✘ Not yet met , judged on 1 May 2026" in text
    assert "Show how you told the family." in text and SCRIPT not in html
    assert "Your reply" not in text


def test_a_judgement_without_feedback_says_so(portfolio):
    judge(portfolio, "A2", "met", judged_on=date(2026, 5, 1))
    assert "Your assessor gave no feedback on this criterion." in _text(
        assessor_html(portfolio, "A2")
    )


def test_navigation_before_a_portfolio_exists_shows_every_criterion_not_started(cpc306):
    html = nav_html(None, cpc306, "00_start_here")
    for stem, label in PAGES:
        assert f'href="{stem}.ipynb"' in html and label in html
    for crit in cpc306.criteria:
        assert f'href="{crit}.ipynb"' in html
    assert "items of evidence" not in html  # no summary without a portfolio
    assert html.count('aria-current="page"') == 1


def test_navigation_summarises_the_portfolio(sample_copy):
    folio = open_portfolio(sample_copy)
    text = _text(nav_html(folio, folio.standard, "A2"))
    p = coverage_of(folio).progress
    assert (
        f"{p.criteria_ready + p.criteria_met} of 21 criteria ready or met · "
        f"{p.evidence_count} items of evidence · {p.reflection_count} reflective accounts · "
        f"knowledge {p.knowledge_covered} of {p.knowledge_total}"
    ) in text


def test_progress_has_a_bar_per_element_then_overall_scope_and_knowledge(portfolio):
    bars = progress_bars(portfolio, coverage_of(portfolio))
    labels = [b.label for b in bars]
    elements = [f"Element {e.id}" for e in portfolio.standard.elements]
    assert labels == [*elements, "All criteria", "Scope options", "Knowledge"]
    overall = bars[len(elements)]
    assert (overall.done, overall.total) == (0, 21)
    assert all(b.done == 0 for b in bars)


def test_a_complete_portfolios_bars_are_full(sample_copy):
    folio = open_portfolio(sample_copy)
    bars = progress_bars(folio, coverage_of(folio))
    overall = next(b for b in bars if b.label == "All criteria")
    assert overall.done == overall.total == 21
    assert overall.segments == [{"status": "met", "percent": 100.0}]
    for bar in bars:
        assert sum(s["percent"] for s in bar.segments) == pytest.approx(
            100 * bar.done / bar.total, abs=0.02
        )


def test_a_criterion_judged_not_yet_met_puts_the_assessors_feedback_first(sample_copy):
    folio = open_portfolio(sample_copy)
    judge(folio, "A2", "not_yet_met", feedback="Show how you chose the controls.")
    html = gaps_html(folio, "A2")
    items = [_text(li) for li in re.findall(r"<li>(.*?)</li>", html, re.S)]
    assert items, html
    assert "Show how you chose the controls." in items[0]
    assert "Next step:" in items[0]
    assert _text(html).startswith("Gaps and next steps ✘ Not yet met")


def test_a_criterion_with_nothing_mapped_lists_its_gaps_and_its_knowledge(portfolio):
    text = _text(gaps_html(portfolio, "A1"))
    assert "No gaps for this criterion." not in text
    assert "Knowledge not yet covered" in text
    for kid in portfolio.standard.criteria["A1"].knowledge:
        assert kid in text, kid


def test_a_met_criterion_has_no_gaps(sample_copy):
    folio = open_portfolio(sample_copy)
    text = _text(gaps_html(folio, "A2"))
    assert "No gaps for this criterion." in text
    assert "Knowledge not yet covered" not in text


def test_warnings_for_a_criterion_list_only_records_mapped_to_it(sample_copy):
    record = sample_copy / "evidence" / "E003.yaml"  # mapped to A2 alone
    text = record.read_text(encoding="utf-8")
    opening = "  With the immediate safety steps"
    record.write_text(text.replace(opening, "  At SW1A 1AA, with the", 1), encoding="utf-8")
    folio = open_portfolio(sample_copy)
    assert folio.read_evidence("E003").criteria == ["A2"]
    for shown in (warnings_html(folio), warnings_html(folio, "A2")):
        (row,) = _rows(shown)[1:]
        assert row.startswith("E003 description postcode")
        assert "SW1A 1AA" not in shown
    assert "No possible identifiers of people are waiting for you." in _text(
        warnings_html(folio, "B1")
    )
