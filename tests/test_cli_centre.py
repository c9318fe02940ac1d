"""``cpc306 centre`` and ``cpc306 iqa``: the issue's walk-through, through the command line."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import yaml

from .cohorts import add_learner
from .conftest import ROOT, SAMPLE, run_cli

DEMO_PUB = ROOT / "demo-keys" / "demo-assessor.key.pub"


def test_register_trust_plan_report_action_and_standardisation(tmp_path):
    cohort = tmp_path / "cohort"
    for i in range(3):
        add_learner(cohort, f"learner-{i}", name=f"Learner {i}")
    centre = tmp_path / "centre"  # the default: beside the cohort
    # The IQA holds the demo IQA key, which sealed the sample's IQA sample.
    iqa = SimpleNamespace(
        private_path=ROOT / "demo-keys" / "demo-iqa.key",
        public_path=ROOT / "demo-keys" / "demo-iqa.key.pub",
    )
    out = run_cli(
        "centre", "assessor", "add", centre, "--name", "Priya Castellan", "--role", "assessor",
        "--status", "qualified", "--qualification", "TAQA assessor award", "--key", DEMO_PUB,
    )  # fmt: skip
    assert "Priya Castellan (assessor, qualified) added" in out
    run_cli(
        "centre", "assessor", "add", centre, "--name", "Idris Quayle", "--role", "iqa",
        "--status", "qualified", "--qualification", "TAQA IQA award", "--key", iqa.public_path,
    )  # fmt: skip
    out = run_cli(
        "centre", "assessor", "add", centre, "--name", "Tia Trainee", "--role", "assessor",
        "--status", "trainee", "--qualification", "working towards", "--key", DEMO_PUB,
        code=2,
    )  # fmt: skip
    assert "countersigner" in out and "--countersigner" in out

    # The sample's sign-off is by the demo key: trusted through the centre folder.
    portfolio = tmp_path / "signed"
    shutil.copytree(SAMPLE, portfolio)
    assert "OK" in run_cli("verify", portfolio, "--trust", centre)
    run_cli("centre", "assessor", "set", centre, "--name", "Priya Castellan", "--inactive")
    run_cli("verify", portfolio, "--trust", centre, code=7)

    out = run_cli(
        "iqa", "plan", cohort, "--interim", "2027-01-15", "--summative", "2027-06-30",
        "--rate", "50", "--seed", "3",
    )  # fmt: skip
    assert "planned; seed 3" in out
    plan = yaml.safe_load((centre / "iqa" / "plan.yaml").read_text(encoding="utf-8"))
    learner = plan["samples"][0]["learner"]
    feedback = tmp_path / "feedback.txt"
    feedback.write_text("Sound judgements; say why the witness is reliable.\n", encoding="utf-8")
    out = run_cli(
        "iqa", "report", cohort / learner, "--by", "Idris Quayle", "--decision", "agree",
        "--feedback-file", feedback, "--action", "Recheck the witness=no date", code=2,
    )  # fmt: skip
    assert "has no due date" in out and "TEXT=YYYY-MM-DD" in out
    out = run_cli(
        "iqa", "report", cohort / learner, "--by", "Idris Quayle", "--decision", "agree",
        "--feedback-file", feedback, "--action", "Recheck the witness=2027-02-01",
        "--key", iqa.private_path,
    )  # fmt: skip
    assert "Q001 (summative, signed); actions A001" in out or "Q001 (interim, signed)" in out
    run_cli(
        "centre", "standardise", centre, "--date", "2026-12-03", "--topic", "Judging A2",
        "--attendee", "Priya Castellan", "--attendee", "Idris Quayle",
        "--notes-file", feedback, "--action", "Share the exemplar=2027-01-10",
    )  # fmt: skip
    assert "A001 done on" in run_cli("iqa", "action", centre, "A001", "--done")
    out = run_cli("iqa", "status", centre)
    assert "Q001 agree by Idris Quayle" in out and "open A002" in out and "A001" not in out
    assert "exit" not in run_cli("iqa", "action", centre, "A404", "--done", code=3)
