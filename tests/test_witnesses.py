"""The witness register (issue 26): contact, status, testimony, checks, the scan."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.errors import RecordError
from cpc306_portfolio.portfolio.assessment_plan import (
    add_activity,
    set_activity_status,
)
from cpc306_portfolio.portfolio.kinds import WITNESS

from .conftest import evidence_fields, run_cli
from .planning_data import ACTIVITY, WITNESS_FIELDS, add_testimony, as_options


def test_a_witness_needs_an_email_or_a_phone(portfolio):
    with pytest.raises(RecordError) as caught:
        portfolio.add(WITNESS, {**WITNESS_FIELDS, "email": "", "phone": ""})
    (problem,) = caught.value.problems
    assert problem.field == "email"
    assert not (portfolio.root / "witnesses").exists()


def test_an_expert_names_the_units_expert_witness_criteria(portfolio):
    fields = {**WITNESS_FIELDS, "status": "expert"}
    with pytest.raises(RecordError, match="expert-witness criteria"):
        portfolio.add(WITNESS, fields)
    with pytest.raises(RecordError, match="use the ids"):
        portfolio.add(WITNESS, {**fields, "expert_criteria": ["made_up"]})
    saved = portfolio.add(WITNESS, {**fields, "expert_criteria": ["occupational_competence"]})
    assert saved.status == "expert"


def test_a_registered_witness_is_not_a_finding_but_anyone_else_is(portfolio):
    text = "Priya Example (07700 900123, priya.example@example.org) saw it; so did 07700 900456."
    before = [
        f.label for f in portfolio.preview_findings("evidence", evidence_fields(description=text))
    ]
    assert before.count("phone number") == 2 and "email address" in before
    portfolio.add(WITNESS, WITNESS_FIELDS)
    after = portfolio.preview_findings("evidence", evidence_fields(description=text))
    assert [f.label for f in after] == ["phone number"]
    assert "900456" not in text[: after[0].start] + text[after[0].end :]


def test_testimony_links_the_witness_and_the_check_is_recorded(sample_copy, tmp_path):
    run_cli(
        "plan",
        "add",
        sample_copy,
        "--activity",
        "Observe C3",
        "--method",
        "observation",
        "--criteria",
        "C3",
        "--date",
        "2026-02-01",
        "--with",
        "Priya Castellan",
    )
    run_cli("witness", "add", sample_copy, *as_options(WITNESS_FIELDS))
    statement = tmp_path / "statement.txt"
    statement.write_text("I saw Jordan serve the notice. Ring me on 07700 900123.\n")
    add_testimony(sample_copy, statement, "Line manager's testimony")
    run_cli("witness", "check", sample_copy, "W001", "--how", "phone", "--date", "2026-01-12")
    folio = open_portfolio(sample_copy)
    (record,) = [e for e in folio.evidence() if e.witness and e.witness.register_id]
    assert record.witness.statement.startswith("I saw Jordan")
    assert record.witness.statement_date.isoformat() == "2026-01-10"
    assert record.witness.declaration
    assert folio.records.get(WITNESS, "W001").checked
    assert "valid" in run_cli("validate", sample_copy)


def test_validate_names_a_missing_witness_and_a_done_activitys_missing_record(
    sample_copy, tmp_path
):
    folio = open_portfolio(sample_copy)
    folio.add(WITNESS, WITNESS_FIELDS)
    statement = tmp_path / "statement.txt"
    statement.write_text("I saw it.\n")
    add_testimony(sample_copy, statement)
    add_activity(folio, ACTIVITY)
    set_activity_status(folio, "P01", "done", record="E024")
    assert open_portfolio(sample_copy).validate() == []

    (sample_copy / "witnesses" / "W001.yaml").unlink()
    path = sample_copy / "assessment-plan.yaml"
    path.write_text(path.read_text().replace("record: E024", "record: E099"))
    problems = {(Path(p.path).name, p.field) for p in open_portfolio(sample_copy).validate()}
    assert problems == {
        ("E024.yaml", "witness.register_id"),
        ("assessment-plan.yaml", "activities[0].record"),
    }


def test_the_page_gives_an_expert_witnesss_criteria_in_the_units_words(tmp_path):
    from cpc306_portfolio import create_portfolio
    from cpc306_portfolio.render import report_sections

    from .conftest import profile_fields

    folio = create_portfolio(tmp_path / "folio", profile_fields())
    fields = {**WITNESS_FIELDS, "status": "expert", "expert_criteria": ["independent"]}
    folio.add(WITNESS, fields)
    evidence = dict(report_sections(folio.root))["evidence"]
    assert (
        "Expert witness, meeting: Has no conflict of interest in the learner&#39;s assessment"
        in evidence
    )
