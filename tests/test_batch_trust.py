"""A cohort checked against the centre's list: declared, signed off and verified per learner.

``signed`` is true only for a sign-off that is valid, unchanged and by a listed key: a
home-made key named like the assessor does not count, and nothing counts without a list.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from cpc306_portfolio import new_key, open_portfolio, sign_off
from cpc306_portfolio.cohort.batch import run_batch
from cpc306_portfolio.cohort.summary import sign_off_state

from .conftest import ROOT, SAMPLE, run_cli

DEMO_LIST = ROOT / "demo-keys" / "demo-trust-list.txt"


def _cohort(tmp_path: Path) -> Path:
    """Two learners: the sample (signed with the demo key) and one signed with a home-made
    key named as the same assessor."""
    cohort = tmp_path / "cohort"
    shutil.copytree(SAMPLE, cohort / "jordan")
    shutil.copytree(SAMPLE, cohort / "forged")
    home_made = new_key(tmp_path / "keys" / "forger", comment="Priya Castellan")
    sign_off(open_portfolio(cohort / "forged"), home_made.private_path)
    return cohort


def test_sign_off_state_counts_only_a_listed_key(tmp_path):
    cohort = _cohort(tmp_path)
    real = sign_off_state(open_portfolio(cohort / "jordan"), DEMO_LIST)
    forged = sign_off_state(open_portfolio(cohort / "forged"), DEMO_LIST)
    unchecked = sign_off_state(open_portfolio(cohort / "jordan"))
    assert real["declared"] and real["signed"] and real["signer"].startswith("Priya Castellan")
    assert forged["signoff_recorded"] and not forged["signed"] and forged["verified"] is False
    assert unchecked["signoff_recorded"] and not unchecked["signed"]
    assert unchecked["verified"] is None


def test_batch_with_the_centre_s_list_says_who_is_really_signed_off(tmp_path):
    cohort = _cohort(tmp_path)
    out = tmp_path / "out"
    report = run_batch(cohort, out, workers=1, trust=DEMO_LIST)
    assert not report.failed
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    by_key = {k: r["summary"] for k, r in status["learners"].items()}
    assert by_key["jordan"]["signed"] is True and by_key["forged"]["signed"] is False
    assert by_key["forged"]["signoff_recorded"] is True
    with (out / "cohort.csv").open(encoding="utf-8-sig") as handle:
        rows = {r["learner"]: r for r in csv.DictReader(handle)}
    assert (rows["jordan"]["signed"], rows["jordan"]["verified"]) == ("True", "yes")
    assert (rows["forged"]["signed"], rows["forged"]["verified"]) == ("False", "no")
    dashboard = (out / "index.html").read_text(encoding="utf-8")
    assert "Declared / signed off / verified" in dashboard
    assert "2 / 1 / 1 of 2" in dashboard  # Priya's caseload: both declared, one signed
    # Each learner's page was rendered against the list: the forged one is not green.
    forged_page = (out / "forged.html").read_text(encoding="utf-8")
    assert "NOT on the centre" in forged_page and "demo-trust-list.txt" in forged_page
    assert "demo-trust-list.txt" in (out / "jordan.html").read_text(encoding="utf-8")


def test_batch_takes_trust_and_refuses_a_missing_list_before_any_work(tmp_path):
    cohort = _cohort(tmp_path)
    run_cli("batch", cohort, "-o", tmp_path / "out", "--trust", tmp_path / "none.txt", code=3)
    assert not (tmp_path / "out").exists()
