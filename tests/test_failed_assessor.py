"""A learner whose portfolio fails is still counted under the assessor it names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cpc306_portfolio.cohort.rows import assessor_lines, learner_rows
from cpc306_portfolio.cohort.worker import FAILED, LearnerTask, render_learner

from .cohorts import add_broken_yaml, add_learner


def _summarise(folder: Path):
    task = LearnerTask(
        folder.name, str(folder.resolve()), "", "", render=False, display=folder.name
    )
    return render_learner(task)


def test_failed_learners_count_under_the_assessor_their_profile_names(tmp_path):
    cohort = tmp_path / "cohort"
    ok = add_learner(cohort, "ok", name="Olu Okafor", assessor="Dana Whitfield")
    bad_record = add_learner(cohort, "bad-record", name="Una Known", assessor="Dana Whitfield")
    record = bad_record / "evidence" / "E001.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("  - B1\n", "  - Z9\n", 1))
    # A line half-typed at the end of portfolio.yaml: the lines above it still read.
    half_typed = add_broken_yaml(cohort, "half-typed")
    profile = half_typed / "portfolio.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8").replace("Priya Castellan", "Dana Whitfield", 1),
        encoding="utf-8",
    )
    unreadable = add_learner(cohort, "unreadable", assessor="Dana Whitfield")
    (unreadable / "portfolio.yaml").write_text("learner: [unclosed\n", encoding="utf-8")

    results = [_summarise(f) for f in (ok, bad_record, half_typed, unreadable)]
    assert [r.outcome for r in results[1:]] == [FAILED] * 3, [r.reason for r in results]
    assert results[1].assessor == "Dana Whitfield" and results[1].name == "Una Known"
    assert results[2].assessor == "Dana Whitfield" and results[2].name == "Broken Yaml"
    assert results[3].assessor == "" and results[3].name == ""

    lines = {a.name: a for a in assessor_lines(learner_rows(results, None, today=date.today()))}
    assert lines["Dana Whitfield"].caseload == 3 and lines["Dana Whitfield"].failed == 2
    unknown = lines["Not known (portfolio unreadable)"]
    assert unknown.caseload == 1 and unknown.failed == 1
