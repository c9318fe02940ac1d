"""The ``cpc306`` group itself: errors turned into exit codes, text read from files,
acknowledgements parsed, records shown, and the program's entry point."""

from __future__ import annotations

import errno
import gc
import json
import os
import sys

import pytest

from cpc306_portfolio import Portfolio, __version__, open_portfolio
from cpc306_portfolio.cli import run

from .conftest import evidence_fields, reflection_fields, run_cli

ADD = [
    "--title",
    "Review meeting",
    "--date",
    "2026-03-02",
    "--method",
    "product",
    "--criteria",
    "A3",
]


def test_version_names_the_package_and_its_version():
    assert run_cli("--version").strip().endswith(f", version {__version__}")


def test_an_os_error_no_call_turned_into_one_is_a_message_with_the_path_and_exit_9(
    portfolio, monkeypatch
):
    def full(self):
        raise OSError(errno.ENOSPC, "No space left on device", str(self.root / "x.yaml"))

    monkeypatch.setattr(Portfolio, "evidence", full)
    out = run_cli("evidence", "list", portfolio.root, code=9)
    assert f"{portfolio.root / 'x.yaml'}: could not finish the command: No space left" in out
    assert "the disk is full" in out


def test_an_os_error_without_a_path_still_says_what_failed(portfolio, monkeypatch):
    def refused(self):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Portfolio, "evidence", refused)
    out = run_cli("evidence", "list", portfolio.root, code=9)
    assert "error: could not finish the command: Permission denied" in out
    assert "check the folder's owner and permissions" in out


def test_the_standard_can_come_from_the_environment(portfolio, monkeypatch):
    monkeypatch.setenv("CPC306_STANDARD", "NOPE 1")
    out = run_cli("status", portfolio.root, code=3)
    assert "no unit standard called 'NOPE 1'" in out


def test_a_description_and_its_file_together_are_refused(portfolio, tmp_path):
    text = tmp_path / "d.txt"
    text.write_text("From the file.", encoding="utf-8")
    out = run_cli(
        "evidence",
        "add",
        portfolio.root,
        *ADD,
        "--description",
        "Typed.",
        "--description-file",
        text,
        code=2,
    )
    assert "give --description or --description-file, not both" in out
    assert open_portfolio(portfolio.root).evidence_ids() == []


def test_a_description_file_that_is_not_there_is_named(portfolio, tmp_path):
    missing = tmp_path / "nowhere.txt"
    out = run_cli("evidence", "add", portfolio.root, *ADD, "--description-file", missing, code=2)
    assert f"{missing}: no such file" in out
    assert "check the path given to --description-file" in out


def test_a_description_file_that_is_not_utf8_names_the_byte_and_line(portfolio, tmp_path):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("First line.\nCaf\xe9 meeting.\n".encode("latin-1"))
    out = run_cli("evidence", "add", portfolio.root, *ADD, "--description-file", latin, code=2)
    assert f"{latin} (given to --description-file) is not UTF-8 text: byte 15 (line 2)" in (
        " ".join(out.split())
    )
    assert "save the file as UTF-8" in out and "nothing was written" in out


def test_a_description_file_with_a_byte_order_mark_is_read_without_it(portfolio, tmp_path):
    text = tmp_path / "notepad.txt"
    text.write_bytes("\ufeffMinutes of the review meeting.".encode())
    run_cli("evidence", "add", portfolio.root, *ADD, "--description-file", text)
    description = open_portfolio(portfolio.root).read_evidence("E001").description
    assert description == "Minutes of the review meeting."


@pytest.mark.parametrize("given", ["abc123", "abc123=", "abc123=   "])
def test_an_acknowledgement_needs_a_fingerprint_and_a_reason(portfolio, given):
    out = run_cli(
        "evidence",
        "add",
        portfolio.root,
        *ADD,
        "--description",
        "x",
        "--acknowledge",
        given,
        code=2,
    )
    assert f"--acknowledge {given!r} needs the form FINGERPRINT=REASON" in out
    assert "shown in [brackets] beside each finding" in out


def test_problems_in_a_new_record_are_named_by_the_options_that_set_them(portfolio):
    out = run_cli(
        "evidence",
        "add",
        portfolio.root,
        "--title",
        "",
        "--date",
        "2026-03-02",
        "--method",
        "product",
        "--description",
        "x",
        "--criteria",
        "Z9",
        code=4,
    )
    assert "--title: must not be empty" in out
    assert "--criteria" in out and "Z9" in out
    assert "evidence/E001.yaml" not in out  # no such file: the learner is sent to options
    assert "nothing was written; correct the option and run the command again" in out


def test_an_empty_stage_is_named_by_the_option_to_fill(portfolio):
    out = run_cli(
        "reflection",
        "add",
        portfolio.root,
        "--model",
        "gibbs",
        "--title",
        "x",
        "--date",
        "2026-03-02",
        "--stage",
        "feelings=",
        code=4,
    )
    assert "--stage" in out and "nothing was written" in out


def test_show_prints_an_evidence_record_in_full(portfolio, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n", encoding="utf-8")
    record = portfolio.add_evidence(
        evidence_fields(
            method="witness_testimony",
            witness={"name": "Sam Lee", "role": "Team Manager", "statement": "I saw it."},
        ),
        attach=[notes],
    )
    out = " ".join(run_cli("evidence", "show", portfolio.root, record.id).split())
    assert f"{record.id} Contract review meeting with the provider" in out
    assert "date: 2025-06-12 method: Witness testimony" in out
    assert "kind: documentary evidence" in out
    assert "witness: Sam Lee, Team Manager" in out
    assert "A3 Provide a clear and concise explanation" in out
    assert "non_compliance/milestones with meeting milestones" in out
    assert "K8b contract compliance" in out
    (att,) = open_portfolio(portfolio.root).read_evidence(record.id).attachments
    assert f"file: {att.path} ({att.size} bytes, sha256 {att.sha256[:12]}…)" in out


def test_show_prints_each_stage_of_a_reflection_and_marks_an_empty_one(portfolio):
    record = portfolio.add_reflection(reflection_fields(draft=True))
    out = run_cli("reflection", "show", portfolio.root, record.id)
    assert "date: 2025-07-01   model: Gibbs' reflective cycle (1988)" in out
    stages = out.split("\n\n")
    assert any(s.startswith("Feelings\n") and "anxious" in s for s in stages)
    assert any(s.startswith("Evaluation\n(empty)") for s in stages)
    data = json.loads(run_cli("reflection", "show", portfolio.root, record.id, "--json"))
    assert data["draft"] is True and data["model"] == "gibbs"


def test_the_program_collects_garbage_less_often_and_freezes_at_exit(monkeypatch, capsys):
    before = gc.get_threshold()
    monkeypatch.setattr(sys, "argv", ["cpc306", "--version"])
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)  # put back afterwards
    try:
        with pytest.raises(SystemExit) as done:
            run()
        assert done.value.code == 0
        assert capsys.readouterr().out.endswith(f", version {__version__}\n")
        assert gc.get_threshold() == (5_000, 10, 100)
        assert gc.get_freeze_count() > 0
        assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"  # no plugin search
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
