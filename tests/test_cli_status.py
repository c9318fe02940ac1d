"""``cpc306 status``: the development plan it prints, its JSON, and the day it judges by."""

from __future__ import annotations

import json
from datetime import date

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.portfolio.plan import save_plan

from .conftest import evidence_fields, reflection_fields, run_cli, with_clear_keep_out

POSTCODE = "SW1A 1AA"
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


def test_validate_says_what_a_valid_portfolio_holds(sample_copy):
    out = run_cli("validate", sample_copy)
    folio = open_portfolio(sample_copy)
    n_e, n_r = len(folio.evidence_ids()), len(folio.reflection_ids())
    assert out.splitlines()[0] == (
        f"{folio.root}: valid ({n_e} evidence, {n_r} reflections, unit CPC 306)"
    )


def test_validate_exits_5_for_an_identifier_typed_in_by_hand(sample_copy):
    _postcode_by_hand(sample_copy)
    out = run_cli("validate", sample_copy, code=5)
    assert ": valid (" in out
    assert "warning: " in out and "possible identifier" in out
    data = json.loads(run_cli("validate", sample_copy, "--json", code=5))
    assert data["valid"] is True and data["problems"] == []
    # The only notice: the sample's hashed keep-out names are checked with the learner's key.
    assert sorted(n["field"] for n in data["notices"]) == ["confidentiality"]


def test_validate_json_lists_each_problem_with_file_line_and_field(portfolio):
    (portfolio.root / "evidence" / "E001.yaml").write_text(
        "schema: cpc306-portfolio/2\nid: E001\ntitle: x\n", encoding="utf-8"
    )
    data = json.loads(run_cli("validate", portfolio.root, "--json", code=4))
    assert data["valid"] is False
    fields = sorted(p["field"] for p in data["problems"])
    assert fields == ["date", "description", "method"]
    assert all(p["path"].endswith("E001.yaml") and p["line"] == 1 for p in data["problems"])


def test_scan_of_a_portfolio_with_nothing_to_find(portfolio):
    assert run_cli("scan", portfolio.root).strip() == "No possible identifiers found."
    assert json.loads(run_cli("scan", portfolio.root, "--json")) == []


def test_scan_lists_a_finding_masked_with_its_fingerprint_until_acknowledged(sample_copy):
    _postcode_by_hand(sample_copy)
    out = run_cli("scan", sample_copy, code=5)
    assert "1 finding(s), 1 not acknowledged." in out
    assert POSTCODE not in out
    (finding,) = json.loads(run_cli("scan", sample_copy, "--json", code=5))
    assert (finding["record"], finding["field"], finding["kind"]) == (
        "E003",
        "description",
        "postcode",
    )
    assert finding["acknowledged"] is False and finding["reason"] == ""
    assert finding["fingerprint"] in out  # whole, never wrapped: it is copied from here
    assert finding["label"] in out


def _postcode_by_hand(folder):
    record = folder / "evidence" / "E003.yaml"
    text = record.read_text(encoding="utf-8")
    opening = "  With the immediate safety steps"
    assert opening in text
    record.write_text(text.replace(opening, f"  At {POSTCODE}, with the", 1), encoding="utf-8")


def test_validate_warns_while_keep_out_names_are_stored_in_clear(sample_copy):
    with_clear_keep_out(sample_copy)
    out = run_cli("validate", sample_copy)
    (warning,) = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert "keep-out name(s) are stored in clear" in warning
    assert f"cpc306 upgrade {sample_copy}" in " ".join(out.split())


def test_an_acknowledged_finding_is_listed_with_its_reason_and_exits_0(portfolio):
    description = f"I met the provider at its office at {POSTCODE} to agree the plan."
    finding = portfolio.preview_findings("evidence", evidence_fields(description=description))[0]
    portfolio.add_evidence(
        evidence_fields(description=description),
        acknowledge={finding.fingerprint: "the provider's head office"},
    )
    out = " ".join(run_cli("scan", portfolio.root).split())
    assert "1 finding(s), 0 not acknowledged." in out
    assert "│ yes:" in out and "NO" not in out  # the reason wraps in its cell: JSON below
    (listed,) = json.loads(run_cli("scan", portfolio.root, "--json"))
    assert listed["acknowledged"] is True and listed["reason"] == "the provider's head office"
    assert listed["fingerprint"] == finding.fingerprint


def test_status_lists_open_action_points_and_which_decisions_are_acknowledged(old_sample_copy):
    sample_copy = old_sample_copy  # judged on one day, with no unit outcome recorded
    from datetime import timedelta

    from cpc306_portfolio import acknowledge_decision, judge, mark_action_done, reply_to_action

    soon = date.today() + timedelta(days=10)
    later = date.today() + timedelta(days=60)
    folio = open_portfolio(sample_copy)
    judge(
        folio, "A4", "not_yet_met", feedback="Show the risk log.",
        actions=[("Add an extract of the risk log", soon), ("Reflect on the escalation", later)],
    )  # fmt: skip
    judge(folio, "B2", "not_yet_met", feedback="More.", actions=[("Ask for a statement", later)])
    acknowledge_decision(folio, "A1")
    acknowledge_decision(folio, "A4")
    reply_to_action(folio, "A4", "AP1", "Asked the team for the extract.")
    mark_action_done(folio, "B2", "AP1")
    judged = len(folio.read_assessment().judgements)
    day = (soon + timedelta(days=1)).isoformat()
    out = run_cli("status", sample_copy, "--today", day, env={"COLUMNS": "100"})
    assert max(len(line) for line in out.splitlines() if line.startswith(("│", "┃"))) <= 100
    flat = " ".join(out.replace("│", " ").split())
    assert "Open action points (3, 1 overdue)" in flat
    lines = out.splitlines()
    (row,) = [i for i, line in enumerate(lines) if "│ A4 " in line and " AP1 " in line]
    assert soon.isoformat() in lines[row] and "OVERDUE" in lines[row + 1]
    assert out.count("OVERDUE") == 1 and "replied" in lines[row]
    assert "Asked" in lines[row] + lines[row + 1] and "no reply yet" in out
    (done,) = [i for i, line in enumerate(lines) if "│ B2 " in line and " AP1 " in line]
    assert "marked done" in lines[done] and "OVERDUE" not in lines[done + 1]
    assert f"Decisions acknowledged by the learner: 2 of {judged}; not yet: A2, A3, A5" in flat
    assert "cpc306 respond acknowledge" in flat
    # The table keeps a met judgement to its date; a "not yet met" keeps its feedback.
    assert "judged met on 2026-12-01 " in flat and "Met. The risk register" not in flat
    assert "judged not yet met on" in flat and "Show the risk log." in flat
    data = json.loads(run_cli("status", sample_copy, "--json", "--today", day))
    opened = {(a["criterion"], a["id"]): a for a in data["open_action_points"]}
    assert sorted(opened) == [("A4", "AP1"), ("A4", "AP2"), ("B2", "AP1")]
    assert opened["A4", "AP1"]["overdue"] and not opened["B2", "AP1"]["overdue"]
    assert opened["B2", "AP1"]["done"] and opened["A4", "AP1"]["reply"].startswith("Asked")
    assert data["decisions"]["acknowledged"] == ["A1", "A4"]
    assert len(data["decisions"]["not_acknowledged"]) == judged - 2
    # A changed decision no longer counts as acknowledged.
    judge(folio, "A4", "not_yet_met", feedback="Show the risk log, and the scoring.")
    flat = " ".join(run_cli("status", sample_copy, env={"COLUMNS": "100"}).split())
    assert f"acknowledged by the learner: 1 of {judged}" in flat
    assert "changed since acknowledged: A4" in flat


def test_status_without_decisions_says_nothing_about_them(portfolio):
    out = run_cli("status", portfolio.root)
    assert "Open action points" not in out and "acknowledged by the learner" not in out
