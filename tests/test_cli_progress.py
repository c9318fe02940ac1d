"""``cpc306 status``: the development plan it prints, its JSON, and the day it judges by."""

from __future__ import annotations

import json
from datetime import date

from cpc306_portfolio.portfolio.plan import save_plan

from .conftest import reflection_fields, run_cli

NOW_WHAT = "I will book the contract law course and shadow two reviews with my manager."


def _with_reflection(portfolio):
    """A Driscoll account whose "Now what?" stage is an action for the plan."""
    long = "I checked the provider's records against the contract and noted each gap I found."
    return portfolio.add_reflection(
        reflection_fields(
            model="driscoll",
            stages={"what": long, "so_what": long, "now_what": NOW_WHAT},
        )
    )


def test_a_new_portfolio_has_no_plan_yet_and_says_where_it_comes_from(portfolio):
    out = run_cli("status", portfolio.root)
    assert "Development plan: none yet (the plan page gathers it from your reflections)." in out


def test_an_action_waiting_in_a_reflection_is_shown_as_not_yet_in_the_plan(portfolio):
    record = _with_reflection(portfolio)
    out = " ".join(run_cli("status", portfolio.root).split())
    assert "Development plan" in out
    assert f"- from {record.id}, not yet in your plan: {NOW_WHAT}" in out


def test_the_plan_shows_each_action_with_its_date_state_and_how(portfolio):
    record = _with_reflection(portfolio)
    save_plan(
        portfolio,
        [
            {
                "what": "Learn the default clauses",
                "how": "Read the council's standard terms",
                "by_when": date(2026, 9, 30),
                "done": True,
            },
            {"what": NOW_WHAT, "source": record.id},
        ],
    )
    out = " ".join(run_cli("status", portfolio.root).split())
    assert (
        "- Learn the default clauses (by 2026-09-30, done); how: Read the council's standard terms"
        in out
    )
    assert f"- {NOW_WHAT} (by no date, to do)" in out
    assert "not yet in your plan" not in out  # taken into the plan: no longer waiting


def test_plan_text_is_shown_as_typed_not_as_markup(portfolio):
    save_plan(portfolio, [{"what": "Read [bold]the clauses[/bold] \x1b[2J now"}])
    out = run_cli("status", portfolio.root)
    assert "[bold]the clauses[/bold]" in out
    assert "\x1b" not in out and "\\x1b[2J" in out


def test_status_json_carries_the_plan_and_what_waits(portfolio):
    record = _with_reflection(portfolio)
    save_plan(portfolio, [{"what": "Learn the default clauses", "by_when": date(2026, 9, 30)}])
    data = json.loads(run_cli("status", portfolio.root, "--json"))
    assert data["portfolio"] == str(portfolio.root) and data["unit"] == "CPC 306"
    assert [a["what"] for a in data["plan"]] == ["Learn the default clauses"]
    assert data["plan"][0]["by_when"] == "2026-09-30"
    assert [(a["source"], a["what"]) for a in data["plan_waiting"]] == [(record.id, NOW_WHAT)]
    assert len(data["criteria"]) == 21
    assert {"criteria", "scope", "knowledge", "gaps", "progress", "over_mapping"} <= set(data)


def test_a_day_that_is_not_a_date_is_refused_with_the_form_to_use(portfolio):
    out = run_cli("status", portfolio.root, "--today", "31/12/2026", code=2)
    assert "--today '31/12/2026' is not a date" in out
    assert "YYYY-MM-DD" in out
