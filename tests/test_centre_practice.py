"""Observations of assessor practice, and countersigning a trainee's "met" decisions."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.assessor.signing import new_key
from cpc306_portfolio.centre.folder import open_centre
from cpc306_portfolio.centre.practice import countersign, observe, waiting_for_countersignature
from cpc306_portfolio.centre.qa import close_action, open_actions
from cpc306_portfolio.centre.register import add_assessor
from cpc306_portfolio.cohort.worker import learner_summary
from cpc306_portfolio.errors import UsageError

from .conftest import ROOT, SAMPLE, run_cli

DEMO_PUB = ROOT / "demo-keys" / "demo-assessor.key.pub"


@pytest.fixture
def setting(tmp_path):
    """The sample judged by Priya Castellan, here a trainee countersigned by Quinn Qualified."""
    learner = tmp_path / "cohort" / "jordan"
    shutil.copytree(SAMPLE, learner)
    centre = tmp_path / "centre"
    keys = tmp_path / "keys"
    add_assessor(
        centre,
        name="Quinn Qualified",
        role="assessor",
        status="qualified",
        key_file=new_key(keys / "quinn.key").public_path,
    )
    add_assessor(
        centre,
        name="Priya Castellan",
        role="assessor",
        status="trainee",
        countersigner="Quinn Qualified",
        key_file=DEMO_PUB,
    )
    add_assessor(
        centre,
        name="Idris Quayle",
        role="iqa",
        status="qualified",
        key_file=new_key(keys / "iqa.key").public_path,
    )
    return learner, centre


def test_a_trainees_met_waits_until_a_qualified_assessor_countersigns(setting):
    learner, centre = setting
    folio = open_portfolio(learner)
    met = sorted(c for c, j in folio.read_assessment().judgements.items() if j.outcome == "met")
    assert len(met) >= 2
    summaries = {"jordan": learner_summary(folio)}
    folder = open_centre(centre)
    assert waiting_for_countersignature(folder, summaries) == {"jordan": met}
    with pytest.raises(UsageError, match="not a qualified, active assessor"):
        countersign(centre, learner, by="Priya Castellan", criteria=met[:1])
    with pytest.raises(UsageError, match="Z9 not judged met"):
        countersign(centre, learner, by="Quinn Qualified", criteria=[met[0], "Z9"])
    record = countersign(centre, learner, by="quinn qualified", criteria=met[:1])
    assert (
        record.id == "C001" and record.trainee == "Priya Castellan" and record.learner == "jordan"
    )
    assert waiting_for_countersignature(folder, summaries) == {"jordan": met[1:]}


def test_observations_of_practice_carry_feedback_and_tracked_actions(setting, tmp_path):
    _, centre = setting
    with pytest.raises(UsageError, match="not an active IQA"):
        observe(
            centre,
            assessor="Priya Castellan",
            by="Quinn Qualified",
            day=date(2026, 11, 20),
            activity="Feedback to a learner",
            notes="Clear.",
        )
    record = observe(
        centre,
        assessor="priya castellan",
        by="Idris Quayle",
        day=date(2026, 11, 20),
        activity="Professional discussion on B3",
        notes="Good open questions; record the learner's answers in full.",
        actions=[("Record answers verbatim", date(2027, 1, 5))],
    )
    assert record.id == "O001" and record.assessor == "Priya Castellan"
    assert [a.id for a, _ in open_actions(open_centre(centre))] == ["A001"]
    close_action(centre, "A001")
    assert open_actions(open_centre(centre)) == []
    notes = tmp_path / "notes.txt"
    notes.write_text("Second visit: answers recorded in full.", encoding="utf-8")
    out = run_cli(
        "iqa", "observe", centre, "--assessor", "Priya Castellan", "--by", "Idris Quayle",
        "--date", "2026-12-02", "--activity", "Observation of practice", "--notes-file", notes,
    )  # fmt: skip
    assert "O002 recorded" in out
