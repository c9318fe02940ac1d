"""``cpc306 eqa pack``: one zip an EQA can open offline, every file hashed."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from datetime import date

import pytest

from cpc306_portfolio.centre.practice import observe
from cpc306_portfolio.centre.qa import add_report, add_standardisation
from cpc306_portfolio.centre.register import add_assessor
from cpc306_portfolio.cohort.eqa_pack import eqa_pack
from cpc306_portfolio.cohort.iqa_plan import plan_cohort
from cpc306_portfolio.errors import NotFoundError, UsageError

from .cohorts import add_learner
from .conftest import ROOT, SAMPLE, run_cli

DEMO_PUB = ROOT / "demo-keys" / "demo-assessor.key.pub"
PAYLOAD = "<script>alert(1)</script>"


def test_the_pack_holds_registers_plan_reports_and_verified_portfolios(tmp_path):
    cohort = tmp_path / "cohort"
    for key in ("amy", "ben"):  # copies of the sample as its assessor signed it off
        shutil.copytree(SAMPLE, cohort / key)
    centre = tmp_path / "centre"
    with pytest.raises(NotFoundError):
        eqa_pack(cohort, tmp_path / "pack.zip")  # no centre folder yet
    add_assessor(
        centre,
        name="Priya Castellan",
        role="assessor",
        status="qualified",
        key_file=DEMO_PUB,
        qualifications=["TAQA assessor award"],
    )
    add_assessor(
        centre, name="Idris Quayle", role="iqa", status="qualified", key_file=_iqa(tmp_path)
    )
    with pytest.raises(NotFoundError, match="no IQA plan"):
        eqa_pack(cohort, tmp_path / "pack.zip")
    plan, failed = plan_cohort(
        cohort, interim=date(2027, 1, 15), summative=date(2027, 6, 30), rate=0.5, seed=1
    )
    assert failed == [] and len(plan.samples) == 1
    sampled = plan.samples[0].learner
    add_report(
        centre,
        sampled,
        by="Idris Quayle",
        decision="agree",
        feedback=f"Sound. {PAYLOAD}",
        actions=[("Recheck the witness", date(2027, 2, 1))],
    )
    add_standardisation(
        centre,
        day=date(2026, 12, 3),
        topic="Judging A2",
        attendees=["Priya Castellan", "Idris Quayle"],
        notes="Agreed.",
    )
    observe(
        centre,
        assessor="Priya Castellan",
        by="Idris Quayle",
        day=date(2026, 11, 20),
        activity="Professional discussion on B3",
        notes="Good open questions.",
    )
    with pytest.raises(UsageError, match="zip"):
        eqa_pack(cohort, tmp_path / "pack.html")

    steps: list[tuple[str, int, int]] = []
    report = eqa_pack(cohort, tmp_path / "pack.zip", progress=lambda *a: steps.append(a))
    assert steps[-1][1:] == (4, 4) and report.verified == {sampled: True}

    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        names = pack.namelist()
        assert names[0] == "index.html"
        for name in (
            "learner-register.csv",
            "learner-register.xlsx",
            "assessor-register.csv",
            "centre/iqa/plan.yaml",
            "centre/iqa/reports/Q001.yaml",
            "centre/standardisation/S001.yaml",
            "centre/observations/O001.yaml",
            f"portfolios/{sampled}.html",
            f"portfolios/{sampled}.verify.txt",
            "manifest.json",
        ):
            assert name in names, name
        register = pack.read("learner-register.csv")
        assert (
            register.startswith(b"\xef\xbb\xbf") and b'"amy"' in register and b'"ben"' in register
        )
        verify = pack.read(f"portfolios/{sampled}.verify.txt").decode()
        assert verify.startswith("cpc306 verify, checked against the centre's trust list: OK")
        manifest = json.loads(pack.read("manifest.json"))
        assert set(manifest["files"]) == set(names) - {"manifest.json"}
        for name, digest in manifest["files"].items():
            assert hashlib.sha256(pack.read(name)).hexdigest() == digest, name
        page = pack.read("index.html").decode()
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(pack.read("learner-register.xlsx")))
        assert book["learners"].max_row == 3
    assert PAYLOAD not in page and "&lt;script&gt;" in page
    assert "default-src &#39;none&#39;" in page and "<script" not in page
    assert f'href="portfolios/{sampled}.html"' in page
    assert "Q001: agree by Idris Quayle" in page and "Recheck the witness" in page
    assert "Recorded, not signed." in page and "Judging A2" in page
    assert "O001: Priya Castellan observed by Idris Quayle" in page
    assert "Countersignatures of trainees' decisions (0)" in page


def _iqa(tmp_path):
    """The IQA's public key: the demo IQA key, which sealed the sample's IQA sample."""
    return ROOT / "demo-keys" / "demo-iqa.key.pub"


def test_the_cli_builds_the_pack_and_reports_each_check(tmp_path):
    cohort = tmp_path / "cohort"
    add_learner(cohort, "amy")
    centre = tmp_path / "centre"
    add_assessor(
        centre, name="Priya Castellan", role="assessor", status="qualified", key_file=DEMO_PUB
    )
    plan_cohort(cohort, interim=date(2027, 1, 1), summative=date(2027, 2, 1))
    out = run_cli("eqa", "pack", cohort, "-o", tmp_path / "pack.zip")
    # A copy made ready for assessment carries no sign-off: verify says so, the pack too.
    assert "amy: NOT verified against the centre's trust list" in out
    assert zipfile.is_zipfile(tmp_path / "pack.zip")
    # A register edited by hand after its trust list was made: the pack stops and says why.
    register = centre / "assessors.yaml"
    register.write_text(register.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    out = run_cli("eqa", "pack", cohort, "-o", tmp_path / "again.zip", code=2)
    assert "changed after" in out and "cpc306 centre trust" in out
    assert not (tmp_path / "again.zip").exists()
