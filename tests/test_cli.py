from __future__ import annotations

import json
from pathlib import Path

import pytest

from cpc306_portfolio import open_portfolio

from .conftest import DATA, snapshot
from .conftest import run_cli as run

SECOND_UNIT = DATA / "units" / "sgx035.yaml"


def init(folder: Path, *extra: str) -> Path:
    run(
        "init",
        str(folder),
        "--name",
        "Robin Testperson",
        "--centre",
        "Fictional Centre",
        "--assessor",
        "Alex Assessor",
        "--keep-out",
        "Mr Example",
        *extra,
    )
    return folder


def test_init_creates_a_portfolio(tmp_path):
    folder = init(tmp_path / "p", "--job-title", "Contracts Officer")
    folio = open_portfolio(folder)
    assert folio.profile.learner.job_title == "Contracts Officer"
    assert folio.profile.keep_out == ["Mr Example"]
    assert folio.standard.code == "CPC 306"


def test_init_without_a_name_outside_a_terminal_says_which_flag(tmp_path):
    out = run("init", str(tmp_path / "p"), "--centre", "C", "--assessor", "A", code=2)
    assert "--name" in out
    assert "Traceback" not in out
    assert not (tmp_path / "p").exists()


def test_evidence_add_list_show(tmp_path):
    folder = init(tmp_path / "p")
    note = tmp_path / "minutes.txt"
    note.write_text("minutes")
    out = run(
        "evidence",
        "add",
        str(folder),
        "--title",
        "Review meeting",
        "--date",
        "2026-03-02",
        "--method",
        "product",
        "--kind",
        "evidence/documentary",
        "--description",
        "I chaired the review.",
        "--criteria",
        "A3,A5",
        "--criteria",
        "B1",
        "--scope",
        "non_compliance/milestones",
        "--knowledge",
        "K8b K14",
        "--attach",
        str(note),
    )
    assert "Added E001" in out
    listed = json.loads(run("evidence", "list", str(folder), "--json"))
    assert listed[0]["criteria"] == ["A3", "A5", "B1"]
    assert listed[0]["knowledge"] == ["K8b", "K14"]
    assert listed[0]["attachments"][0]["path"] == "E001/minutes.txt"
    table = run("evidence", "list", str(folder))
    assert "Review meeting" in table
    shown = run("evidence", "show", str(folder), "e001")
    assert "I chaired the review." in shown
    assert "Provide a clear and concise explanation" in shown


def test_evidence_add_with_an_unknown_criterion(tmp_path):
    folder = init(tmp_path / "p")
    before = snapshot(folder)
    out = run(
        "evidence",
        "add",
        str(folder),
        "--title",
        "T",
        "--date",
        "2026-03-02",
        "--method",
        "product",
        "--description",
        "d",
        "--criteria",
        "A9",
        code=4,
    )
    # The record was never written: the message names the option that set the field.
    assert "--criteria" in out and "'A9'" in out
    assert "criteria[0]" in out
    assert "unknown criterion 'A9'" in out
    assert "A1, A2" in out
    assert "Traceback" not in out
    assert snapshot(folder) == before


def test_a_wrong_date_names_the_field(tmp_path):
    folder = init(tmp_path / "p")
    out = run(
        "evidence",
        "add",
        str(folder),
        "--title",
        "T",
        "--date",
        "12/03/2026",
        "--method",
        "product",
        "--description",
        "d",
        code=4,
    )
    assert "date" in out
    assert "YYYY-MM-DD" in out


def test_reflection_add(tmp_path):
    folder = init(tmp_path / "p")
    feelings = tmp_path / "feelings.txt"
    feelings.write_text("Worried, then relieved.")
    out = run(
        "reflection",
        "add",
        str(folder),
        "--model",
        "driscoll",
        "--title",
        "After the notice",
        "--date",
        "2026-04-01",
        "--stage",
        "what=I served the notice.",
        "--stage-file",
        f"so_what={feelings}",
        "--criteria",
        "B7",
    )
    assert "Added R001" in out
    record = open_portfolio(folder).read_reflection("R001")
    assert record.stages == {"what": "I served the notice.", "so_what": "Worried, then relieved."}
    bad = run(
        "reflection",
        "add",
        str(folder),
        "--model",
        "driscoll",
        "--title",
        "x",
        "--date",
        "2026-04-01",
        "--stage",
        "feelings=sad",
        code=4,
    )
    assert "--stage feelings=TEXT" in bad
    assert "what, so_what, now_what" in bad


def test_validate_lists_every_problem_and_exits_4(tmp_path):
    folder = init(tmp_path / "p")
    (folder / "evidence" / "E001.yaml").write_text("schema: cpc306-portfolio/1\nid: E001\n")
    (folder / "evidence" / "E002.yaml").write_text("id: [E002\n")
    out = run("validate", str(folder), code=4)
    assert "E001.yaml" in out
    # The unclosed bracket is found where the file ends: line 2, after its one line.
    assert "E002.yaml:2: not valid YAML: expected ',' or ']'" in out
    assert "title: Field required" in out
    data = json.loads(run("validate", str(folder), "--json", code=4))
    assert data["valid"] is False
    assert {Path(p["path"]).name for p in data["problems"]} == {"E001.yaml", "E002.yaml"}


def test_validate_a_valid_portfolio(tmp_path):
    folder = init(tmp_path / "p")
    out = run("validate", str(folder))
    assert out == f"{folder.resolve()}: valid (0 evidence, 0 reflections, unit CPC 306)\n"


def test_missing_portfolio_is_a_clear_error(tmp_path):
    out = run("evidence", "list", str(tmp_path / "nowhere"), code=3)
    assert "not a portfolio" in out
    assert "cpc306 init" in out


def test_standard_show_default_and_json():
    out = run("standard", "show")
    assert "A1" in out
    assert "C6" in out
    assert "K8a" in out
    data = json.loads(run("standard", "show", "--json"))
    assert data["code"] == "CPC 306"


def test_standard_list_names_the_bundled_unit():
    assert "CPC 306" in run("standard", "list")


def test_unknown_unit(tmp_path):
    out = run("standard", "show", "XYZ 999", code=3)
    assert "no unit standard called 'XYZ 999'" in out
    assert "CPC 306" in out


def test_a_broken_unit_file_reports_file_line_and_field():
    broken = DATA / "units_broken" / "unknown_scope_category.yaml"
    out = run("standard", "show", str(broken), code=4)
    assert "unknown_scope_category.yaml:" in out
    assert "bold_terms" in out
    assert "Traceback" not in out


# A second unit works through the CLI with no code change -------------------------


def test_second_unit_via_the_cli(tmp_path):
    out = run("standard", "show", str(SECOND_UNIT))
    assert "S1P1" in out
    folder = tmp_path / "second"
    run(
        "--standard",
        str(SECOND_UNIT),
        "init",
        str(folder),
        "--name",
        "N",
        "--centre",
        "C",
        "--assessor",
        "A",
    )
    common = ["--standard", str(SECOND_UNIT), "evidence", "add", str(folder), "--title", "T"]
    common += ["--date", "2026-01-05", "--method", "product", "--description", "d"]
    run(*common, "--criteria", "S1P1", "--knowledge", "K10")
    out = run(*common, "--criteria", "A1", code=4)
    assert "S1P1" in out
    out = run("--standard", str(SECOND_UNIT), "validate", str(folder))
    assert ": valid (1 evidence, 0 reflections, unit SGX 035)" in out


def test_second_unit_found_by_code_on_the_standard_path(tmp_path, monkeypatch):
    monkeypatch.setenv("CPC306_STANDARD_PATH", str(SECOND_UNIT.parent))
    folder = tmp_path / "second"
    run("init", str(folder), "--unit", "SGX 035", "--name", "N", "--centre", "C", "--assessor", "A")
    assert ": valid (0 evidence, 0 reflections, unit SGX 035)" in run("validate", str(folder))
    assert "SGX 035" in run("standard", "list")


def test_a_portfolio_keeps_the_unit_it_was_made_with(tmp_path):
    folder = tmp_path / "second"
    run(
        "--standard",
        str(SECOND_UNIT),
        "init",
        str(folder),
        "--name",
        "N",
        "--centre",
        "C",
        "--assessor",
        "A",
    )
    # The unit travels with the portfolio: no --standard needed after init.
    assert "unit SGX 035" in run("validate", str(folder))
    out = run("--standard", "CPC 306", "validate", str(folder), code=4)
    assert "'SGX 035'" in out and "'CPC 306'" in out


@pytest.mark.parametrize(
    "args", [["--help"], ["evidence", "--help"], ["evidence", "add", "--help"]]
)
def test_help_works(args):
    assert "Usage" in run(*args)


# status and scan --------------------------------------------------------------------


def _add(folder: Path, *extra: str, code: int = 0) -> str:
    base = ["evidence", "add", str(folder), "--title", "Review", "--date", "2026-03-02"]
    base += ["--description", "I chaired the contract review."]
    return run(*base, *extra, code=code)


def test_status_shows_each_criterion_and_the_gaps(tmp_path):
    folder = init(tmp_path / "p")
    _add(folder, "--method", "product", "--criteria", "A2", "--knowledge", "K16")
    _add(folder, "--method", "professional_discussion", "--criteria", "B4")
    data = json.loads(run("status", str(folder), "--json", "--today", "2026-06-01"))
    status = {row["criterion"]: row["status"] for row in data["criteria"]}
    assert status["A2"] == "ready"
    assert status["B4"] == "in_progress"
    assert status["C6"] == "not_started"
    assert data["progress"]["criteria_total"] == 21
    targets = [gap["target"] for gap in data["gaps"]]
    assert targets.index("A1") < targets.index("B4") < targets.index("C6")
    assert "K3" not in targets and "K9" not in targets
    assert "K16" not in targets
    text = run("status", str(folder), "--today", "2026-06-01")
    assert "Ready for assessment" in text
    assert "next:" in text
    assert "\x1b[" not in text  # plain text in a pipe


def test_status_judges_currency_by_the_given_day(tmp_path):
    folder = init(tmp_path / "p")
    _add(folder, "--method", "product", "--criteria", "A2")
    later = json.loads(run("status", str(folder), "--json", "--today", "2029-01-01"))
    a2 = next(r for r in later["criteria"] if r["criterion"] == "A2")
    assert a2["status"] != "ready"
    run("status", str(folder), "--today", "tomorrow", code=2)


def test_scan_exits_5_until_findings_are_acknowledged(tmp_path):
    folder = init(tmp_path / "p")
    out = _add(folder, "--method", "product", "--description", "Rang 07700 900123 twice.", code=5)
    assert "07700 900123" not in out
    fingerprint = out.split("[")[1].split("]")[0]
    reason = "the provider's switchboard, not a person"
    _add(
        folder,
        "--method",
        "product",
        "--description",
        "Rang 07700 900123 twice.",
        "--acknowledge",
        f"{fingerprint}={reason}",
    )
    data = json.loads(run("scan", str(folder), "--json"))
    assert [(f["kind"], f["acknowledged"], f["reason"]) for f in data] == [("phone", True, reason)]
    assert "07700 900123" not in json.dumps(data)
    record = folder / "evidence" / "E001.yaml"
    record.write_text(record.read_text().replace("twice.", "twice; also 07700 900456."))
    out = run("scan", str(folder), code=5)
    assert "1 not acknowledged" in out
    _add(folder, "--method", "product", "--acknowledge", "0000000000000000=x", code=2)


def test_a_finding_in_an_attachment_can_be_acknowledged(tmp_path):
    folder = init(tmp_path / "p")
    notes = tmp_path / "call log.txt"
    notes.write_text("Provider switchboard: 0113 496 0000\n")
    out = _add(folder, "--method", "product", "--attach", str(notes), code=5)
    assert "attachment:call-log.txt" in out
    fingerprint = out.split("[")[1].split("]")[0]
    _add(
        folder,
        "--method",
        "product",
        "--attach",
        str(notes),
        "--acknowledge",
        f"{fingerprint}=the provider's switchboard",
    )
    record = open_portfolio(folder).read_evidence("E001")
    assert record.confidentiality[0].field == "attachment:call-log.txt"
    assert json.loads(run("scan", str(folder), "--json"))[0]["acknowledged"] is True
