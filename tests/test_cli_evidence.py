"""``cpc306 init`` and ``cpc306 evidence``: witnesses, attachments, removal and what is asked."""

from __future__ import annotations

import json
import shlex

from cpc306_portfolio import open_portfolio

from .conftest import run_cli

WITNESSED = [
    "--title",
    "Chairing the provider's review meeting",
    "--date",
    "2026-03-02",
    "--method",
    "witness_testimony",
    "--description",
    "My line manager watched me chair the review and agree the actions with the provider.",
    "--criteria",
    "A3,A6",
]
WITNESS = ["--witness-name", "Priya Castellan", "--witness-role", "Assessor"]


def test_init_says_what_it_made_and_the_command_to_open_it(tmp_path):
    folder = tmp_path / "my portfolio"
    out = run_cli("init", folder, "--name", "Robin Testperson", "--centre", "C", "--assessor", "A")
    assert "Created a CPC 306 portfolio for Robin Testperson" in out
    assert f"  in {folder}" in out
    # The next command is quoted so that it can be pasted as it is.
    assert f"Next: cpc306 app {shlex.quote(str(folder))}" in out
    assert open_portfolio(folder).profile.centre.name == "C"


def test_init_outside_a_terminal_names_each_missing_flag(tmp_path):
    for missing, given in (
        ("--centre", ["--name", "N", "--assessor", "A"]),
        ("--assessor", ["--name", "N", "--centre", "C"]),
    ):
        out = run_cli("init", tmp_path / missing, *given, code=2)
        assert f"{missing} is needed" in out and f"pass {missing} 'VALUE'" in out
        assert not (tmp_path / missing).exists()


def test_init_with_an_unknown_unit_lists_the_units_there_are(tmp_path):
    out = run_cli("init", tmp_path / "p", "--name", "N", "--unit", "XYZ 999", code=3)
    assert "no unit standard called 'XYZ 999'" in out and "known units: CPC 306" in out
    assert not (tmp_path / "p").exists()


def test_evidence_with_a_witness_records_who_saw_it(portfolio):
    out = run_cli(
        "evidence",
        "add",
        portfolio.root,
        *WITNESSED,
        "--witness-name",
        "Priya Castellan",
        "--witness-role",
        "Assessor",
    )
    assert out.splitlines()[0] == "Added E001: Chairing the provider's review meeting"
    assert out.splitlines()[1] == "  evidence/E001.yaml"
    witness = open_portfolio(portfolio.root).read_evidence("E001").witness
    assert (witness.name, witness.role) == ("Priya Castellan", "Assessor")


def test_a_testimony_without_a_witness_is_refused_naming_the_option(portfolio):
    out = run_cli("evidence", "add", portfolio.root, *WITNESSED, code=4)
    assert "needs a witness" in " ".join(out.split())
    assert "--witness" in out
    assert open_portfolio(portfolio.root).evidence_ids() == []


def test_an_observation_is_the_assessors_record_and_is_linked(portfolio):
    from cpc306_portfolio.assessor.records import observe

    observed = [*WITNESSED[:5], "observation", *WITNESSED[6:]]
    out = run_cli("evidence", "add", portfolio.root, *observed, *WITNESS, code=2)
    assert "your assessor's own record" in out and "--observation O001" in out
    missing = run_cli("evidence", "add", portfolio.root, *observed, "--observation", "O001", code=2)
    assert "no such observation" in missing
    observe(portfolio, on="2026-03-02", criteria=["A3"], narrative="Chaired it well.")
    assert "Added E001" in run_cli(
        "evidence", "add", portfolio.root, *observed, "--observation", "o001"
    )
    assert "valid" in run_cli("validate", portfolio.root)
    # A link edited by hand to a record that is not there is a problem validate names.
    path = portfolio.root / "evidence" / "E001.yaml"
    path.write_text(path.read_text().replace("observation: O001", "observation: O007"))
    assert "O007, which is not in assessor/observations" in run_cli(
        "validate", portfolio.root, code=4
    )
    path.write_text(path.read_text().replace("observation: O007", "observation: O001"))
    record = open_portfolio(portfolio.root).read_evidence("E001")
    assert record.observation == "O001" and record.witness is None


def test_a_witness_needs_a_role_too(portfolio):
    out = run_cli("evidence", "add", portfolio.root, *WITNESSED, "--witness-name", "P C", code=4)
    assert "--witness-role" in out and "must not be empty" in out
    assert "nothing was written" in out
    assert open_portfolio(portfolio.root).evidence_ids() == []


def test_evidence_add_json_prints_the_new_record(portfolio, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Review notes\n", encoding="utf-8")
    data = json.loads(
        run_cli(
            "evidence",
            "add",
            portfolio.root,
            *WITNESSED,
            *WITNESS,
            "--simulated",
            "--attach",
            notes,
            "--json",
        )
    )
    assert data["id"] == "E001" and data["simulated"] is True
    assert [a["path"] for a in data["attachments"]] == ["E001/notes.md"]


def test_attach_copies_the_file_in_and_says_its_size(portfolio, tmp_path):
    run_cli("evidence", "add", portfolio.root, *WITNESSED, *WITNESS)
    plan = tmp_path / "action-plan.csv"
    plan.write_text("action,by\nretrain staff,2026-04-30\n", encoding="utf-8")
    out = run_cli(
        "evidence", "attach", portfolio.root, "e001", plan, "--description", "The agreed plan"
    )
    assert out.strip() == f"Attached E001/action-plan.csv ({plan.stat().st_size} bytes)"
    (att,) = open_portfolio(portfolio.root).read_evidence("E001").attachments
    assert att.description == "The agreed plan"
    assert (portfolio.root / "evidence" / "E001" / "action-plan.csv").read_bytes() == (
        plan.read_bytes()
    )


def test_remove_asks_first_and_keeps_the_record_on_no(portfolio):
    run_cli("evidence", "add", portfolio.root, *WITNESSED, *WITNESS)
    out = run_cli("evidence", "remove", portfolio.root, "E001", input="n\n", code=2)
    assert "Delete E001 (Chairing the provider's review meeting) and its files?" in out
    assert "nothing was deleted" in out and "--yes" in out
    assert open_portfolio(portfolio.root).evidence_ids() == ["E001"]


def test_remove_deletes_on_yes(portfolio):
    run_cli("evidence", "add", portfolio.root, *WITNESSED, *WITNESS)
    out = run_cli("evidence", "remove", portfolio.root, "e001", input="y\n")
    assert out.splitlines()[-1] == "Removed E001"
    assert open_portfolio(portfolio.root).evidence_ids() == []
    assert not (portfolio.root / "evidence" / "E001.yaml").exists()


def test_remove_an_unknown_record_lists_the_ones_there_are(portfolio):
    run_cli("evidence", "add", portfolio.root, *WITNESSED, *WITNESS)
    out = run_cli("evidence", "remove", portfolio.root, "E007", "--yes", code=3)
    assert "no such record E007" in out and "E001" in out


def test_a_witness_without_a_role_names_the_one_option_to_fix(portfolio):
    out = run_cli("evidence", "add", portfolio.root, *WITNESSED, "--witness-name", "P C", code=4)
    assert "--witness-role: must not be empty" in out


def test_list_of_an_empty_portfolio_and_its_json(portfolio):
    assert run_cli("evidence", "list", portfolio.root).splitlines()[0] == "Evidence (0)"
    assert json.loads(run_cli("evidence", "list", portfolio.root, "--json")) == []


def test_list_json_gives_each_record_in_full(portfolio):
    run_cli("evidence", "add", portfolio.root, *WITNESSED, *WITNESS)
    (record,) = json.loads(run_cli("evidence", "list", portfolio.root, "--json"))
    assert record["id"] == "E001" and record["criteria"] == ["A3", "A6"]
    assert record["witness"]["name"] == "Priya Castellan"
    assert record == json.loads(run_cli("evidence", "show", portfolio.root, "E001", "--json"))
