"""The dashboard's centre section: the IQA plan's progress, open actions, countersigning."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.assessor.signing import new_key
from cpc306_portfolio.centre.qa import add_report, make_plan
from cpc306_portfolio.centre.register import add_assessor
from cpc306_portfolio.cohort.batch import run_batch
from cpc306_portfolio.cohort.dashboard import write_dashboard
from cpc306_portfolio.cohort.worker import RENDERED, LearnerResult, learner_summary
from cpc306_portfolio.errors import NotFoundError

from .conftest import ROOT, SAMPLE

DEMO_PUB = ROOT / "demo-keys" / "demo-assessor.key.pub"
TODAY = date(2027, 2, 1)


def _centre_with_a_trainee(tmp_path):
    centre = tmp_path / "centre"
    add_assessor(
        centre,
        name="Quinn Qualified",
        role="assessor",
        status="qualified",
        key_file=new_key(tmp_path / "k" / "quinn.key").public_path,
    )
    add_assessor(
        centre,
        name="Priya Castellan",
        role="assessor",
        status="trainee",
        countersigner="Quinn Qualified",
        key_file=DEMO_PUB,
    )
    return centre


def _learners(out):
    import csv

    with (out / "cohort.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {row["learner"]: row for row in csv.DictReader(handle)}


def test_the_dashboard_shows_the_plan_actions_and_decisions_waiting(tmp_path):
    base = learner_summary(open_portfolio(SAMPLE))  # every criterion met by Priya Castellan
    results = [
        LearnerResult(k, k, RENDERED, summary=dict(copy.deepcopy(base), name=n))
        for k, n in (("amy", "Amy Ashdown"), ("ben", "Ben <b>Brodie</b>"))
    ]
    centre = _centre_with_a_trainee(tmp_path)
    add_assessor(
        centre,
        name="Idris Quayle",
        role="iqa",
        status="qualified",
        key_file=new_key(tmp_path / "k" / "iqa.key").public_path,
    )
    make_plan(
        centre,
        "cohort",
        {r.key: r.summary for r in results if r.summary},
        interim=date(2027, 1, 15),
        summative=date(2027, 1, 20),
        rate=1.0,
        seed=2,
        today=TODAY,
    )
    add_report(
        centre,
        "amy",
        by="Idris Quayle",
        decision="disagree",
        feedback="Re-judge B3.",
        actions=[("Re-judge B3 with the witness", date(2027, 2, 10))],
    )
    out = tmp_path / "out"
    out.mkdir()
    page = write_dashboard(out, results, today=TODAY, centre=centre).read_text(encoding="utf-8")
    section = page[page.index('<section id="centre"') :]
    assert "IQA plan: 1 of 2 samples done" in section and "1 overdue" in section
    assert "Q001: disagree by Idris Quayle" in section
    assert (
        "Per assessor: Priya Castellan 1." in section and "Re-judge B3 with the witness" in section
    )
    assert "waiting for a countersignature (2 learners)" in section
    assert "Ben &lt;b&gt;Brodie&lt;/b&gt;" in section and "<b>Brodie" not in section
    # A centre folder broken by hand: the page says so, and is written all the same.
    (centre / "assessors.yaml").write_text("assessors: [unclosed\n", encoding="utf-8")
    page = write_dashboard(out, results, today=TODAY, centre=centre).read_text(encoding="utf-8")
    assert "The centre folder could not be read" in page and "assessors.yaml" in page
    # No centre: no section.
    page = write_dashboard(out, results, today=TODAY).read_text(encoding="utf-8")
    assert 'id="centre"' not in page


def test_a_batch_given_a_folder_that_is_no_centre_stops_before_writing(tmp_path):
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    (cohort / "amy").mkdir()
    (cohort / "amy" / "portfolio.yaml").write_text("schema: x\n", encoding="utf-8")
    with pytest.raises(NotFoundError, match="not a centre folder"):
        run_batch(cohort, tmp_path / "out", centre=tmp_path / "nowhere", render=False)
    assert not (tmp_path / "out").exists()


def test_a_trainees_met_counts_only_once_countersigned(tmp_path):
    import shutil

    from cpc306_portfolio.centre.practice import countersign

    shutil.copytree(SAMPLE, tmp_path / "amy")  # every criterion met by Priya Castellan
    base = learner_summary(open_portfolio(tmp_path / "amy"))
    results = [LearnerResult("amy", "amy", RENDERED, summary=copy.deepcopy(base))]
    centre = _centre_with_a_trainee(tmp_path)
    out = tmp_path / "out"
    out.mkdir()

    write_dashboard(out, results, today=TODAY)  # no centre: the assessor's word stands
    assert _learners(out)["amy"]["criteria_met"] == "21"

    write_dashboard(out, results, today=TODAY, centre=centre)
    amy = _learners(out)["amy"]
    assert (amy["criteria_met"], amy["criteria_ready"]) == ("0", "21")
    assert amy["state"] != "Every criterion met"
    assert results[0].summary == base  # the learner's own record is not changed

    countersign(centre, tmp_path / "amy", by="Quinn Qualified", criteria=["A1", "A2"])
    write_dashboard(out, results, today=TODAY, centre=centre)
    amy = _learners(out)["amy"]
    assert (amy["criteria_met"], amy["criteria_ready"]) == ("2", "19")
