"""``cpc306 batch``: its options checked before anything runs, and what it reports.

The command makes one library call (``run_batch``), replaced here by a stand-in that
records what it was given and returns a report; ``test_batch.py`` runs real cohorts.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from .conftest import run_cli


@pytest.fixture
def batches(monkeypatch, tmp_path) -> list[dict]:
    """Each run_batch call's arguments; every run renders one learner and skips one."""
    calls: list[dict] = []

    def run_batch(cohort, output, **kwargs):
        calls.append({"cohort": cohort, "output": output, **kwargs})
        return SimpleNamespace(
            rendered=["amy"],
            skipped=["bea"],
            failed=[],
            seconds=2.25,
            events=[{"message": "bea is unchanged since the last run"}],
            dashboard_path=Path(tmp_path / "out" / "index.html"),
            results=[],
            status_path=Path(tmp_path / "out" / "status.json"),
        )

    monkeypatch.setattr("cpc306_portfolio.cohort.batch.run_batch", run_batch)
    return calls


def test_batch_reports_counts_notes_and_where_the_dashboard_is(batches, tmp_path):
    out = run_cli("batch", "COHORT", "-o", "OUT")
    assert out.splitlines() == [
        "1 rendered, 1 unchanged, 0 failed in 2.2 s",
        "note: bea is unchanged since the last run",
        f"Dashboard: {tmp_path / 'out' / 'index.html'}",
    ]


def test_batch_defaults(batches):
    run_cli("batch", "COHORT", "-o", "OUT")
    (call,) = batches
    assert (call["cohort"], call["output"]) == ("COHORT", "OUT")
    assert call["workers"] is None and call["scheduler"] is None
    assert call["time_limit"] == 300.0 and call["force"] is False
    assert call["quiet_days"] == 28 and call["iqa_rate"] == pytest.approx(0.10)
    assert call["iqa_seed"] is None and call["render"] is True and call["standard"] is None


def test_dashboard_only_reads_every_learner_but_renders_none(batches):
    run_cli("batch", "COHORT", "-o", "OUT", "--dashboard-only")
    assert batches[0]["render"] is False


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--workers", "0"),
        ("--timeout", "0.5"),
        ("--quiet-days", "0"),
        ("--iqa-rate", "0"),
        ("--iqa-rate", "101"),
        ("--iqa-seed", "seven"),
    ],
)
def test_an_option_out_of_range_is_refused_before_anything_runs(batches, option, value):
    out = run_cli("batch", "COHORT", "-o", "OUT", option, value, code=2)
    assert option in out
    assert batches == []


def test_the_output_folder_is_required(batches):
    out = run_cli("batch", "COHORT", code=2)
    assert "Missing option '-o' / '--output'" in out
    assert batches == []


def test_a_cohort_folder_that_does_not_exist_is_named(tmp_path):
    out = run_cli("batch", tmp_path / "nowhere", "-o", tmp_path / "out", code=3)
    assert str(tmp_path / "nowhere") in out
    assert not (tmp_path / "out" / "index.html").exists()


def test_batch_passes_the_centre_s_list(batches):
    run_cli("batch", "COHORT", "-o", "OUT", "--trust", "centre-keys.txt")
    run_cli("batch", "COHORT", "-o", "OUT")
    assert [c["trust"] for c in batches] == ["centre-keys.txt", None]
