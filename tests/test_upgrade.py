"""Schema 2: a portfolio keeps its unit; schema 1 portfolios open, upgrade and still verify."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from cpc306_portfolio import create_portfolio, open_portfolio, verify_portfolio
from cpc306_portfolio.assessor.assessment import judge, record_iqa, sign_off
from cpc306_portfolio.assessor.signing import new_key
from cpc306_portfolio.errors import NotFoundError, RecordError
from cpc306_portfolio.portfolio.declaration import declare
from cpc306_portfolio.portfolio.manifest import UNIT_ENTRY, build_manifest
from cpc306_portfolio.portfolio.models import SCHEMA
from cpc306_portfolio.portfolio.upgrade import UPGRADE_STEPS, upgrade_portfolio
from cpc306_portfolio.standard import load_standard
from cpc306_portfolio.standard.loader import BUNDLED_DIR

from .conftest import SAMPLE, before_assessment, evidence_fields, profile_fields, run_cli

SECOND = Path(__file__).parent / "data" / "units" / "sgx035.yaml"


def _schema_1(folder: Path) -> Path:
    """A portfolio as the version before schema 2 left it: no copy, schema 1 everywhere.

    The sample is schema 2 (and declared and signed), so the copy is taken back to before
    its assessment and then to what schema 1 wrote: the same records, no ``unit.yaml``,
    no ``unit_sha256``, and ``schema: cpc306-portfolio/1`` in every file.
    """
    shutil.copytree(SAMPLE, folder)
    before_assessment(folder)
    (folder / "unit.yaml").unlink()
    for path in folder.rglob("*.yaml"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith("unit_sha256:")]
        text = "".join(kept).replace(f"schema: {SCHEMA}", "schema: cpc306-portfolio/1")
        path.write_text(text, encoding="utf-8")
    assert "schema: cpc306-portfolio/1" in (folder / "portfolio.yaml").read_text()
    assert not (folder / "unit.yaml").exists()
    return folder


def test_a_new_portfolio_keeps_its_unit_byte_for_byte(tmp_path: Path) -> None:
    folio = create_portfolio(tmp_path / "p", profile_fields())
    copy = (tmp_path / "p" / "unit.yaml").read_bytes()
    assert copy == (BUNDLED_DIR / "cpc306.yaml").read_bytes()
    assert folio.profile.unit_sha256 == hashlib.sha256(copy).hexdigest()
    text = (tmp_path / "p" / "portfolio.yaml").read_text()
    assert f"schema: {SCHEMA}" in text and "unit_sha256:" in text
    assert open_portfolio(tmp_path / "p").standard.source_path == (tmp_path / "p" / "unit.yaml")
    record = folio.add_evidence(evidence_fields())
    assert f"schema: {SCHEMA}" in folio.record_path(record.id).read_text()


def test_the_copy_is_used_even_when_the_installed_unit_is_gone(tmp_path: Path) -> None:
    unit_file = tmp_path / "somewhere" / "renamed-unit.yaml"
    unit_file.parent.mkdir()
    shutil.copy(SECOND, unit_file)
    create_portfolio(
        tmp_path / "p", profile_fields(unit="SGX 035"), standard=load_standard(unit_file)
    )
    unit_file.unlink()
    folio = open_portfolio(tmp_path / "p")
    assert folio.standard.code == "SGX 035" and folio.unit_note == ""


def test_a_changed_or_missing_copy_is_an_error_that_says_what_to_do(tmp_path: Path) -> None:
    create_portfolio(tmp_path / "p", profile_fields())
    unit = tmp_path / "p" / "unit.yaml"
    unit.write_text(unit.read_text().replace("contract compliance", "contract complience", 1))
    with pytest.raises(RecordError) as caught:
        open_portfolio(tmp_path / "p")
    assert caught.value.path == str(unit) and caught.value.field == "unit_sha256"
    assert "--adopt-unit" in caught.value.hint
    # --standard overrides, and says so.
    folio = open_portfolio(tmp_path / "p", standard=load_standard("CPC 306"))
    assert "unit.yaml" in folio.unit_note
    # The change was meant: adopt it.
    upgrade_portfolio(tmp_path / "p", adopt_unit=True)
    assert "complience" in open_portfolio(tmp_path / "p").standard.title + unit.read_text()
    unit.unlink()
    with pytest.raises(NotFoundError) as missing:
        open_portfolio(tmp_path / "p")
    assert "unit.yaml" in missing.value.message


def test_override_that_differs_from_the_copy_says_so(tmp_path: Path) -> None:
    create_portfolio(tmp_path / "p", profile_fields())
    drifted = tmp_path / "cpc306-newer.yaml"
    drifted.write_text(
        (BUNDLED_DIR / "cpc306.yaml")
        .read_text()
        .replace("title: Take action", "title: Take actions", 1)
    )
    same = open_portfolio(tmp_path / "p", standard=load_standard("CPC 306"))
    assert same.unit_note == ""
    other = open_portfolio(tmp_path / "p", standard=load_standard(drifted))
    assert str(drifted) in other.unit_note and "differs" in other.unit_note
    out = run_cli("--standard", drifted, "status", tmp_path / "p")
    assert "differs from the portfolio's own copy" in out


def test_a_schema_1_portfolio_opens_by_code_and_stays_schema_1(tmp_path: Path) -> None:
    folder = _schema_1(tmp_path / "old")
    folio = open_portfolio(folder)
    assert folio.standard.code == "CPC 306" and folio.profile.unit_sha256 is None
    folio.save_profile(folio.profile.model_copy(update={"keep_out": ["Someone Else"]}))
    text = (folder / "portfolio.yaml").read_text()
    assert "schema: cpc306-portfolio/1" in text and "unit_sha256" not in text


def test_upgrade_adds_the_copy_once_and_a_signed_portfolio_still_verifies(
    tmp_path: Path,
) -> None:
    folder = _schema_1(tmp_path / "old")
    # Without clear keep-out names, so only the unit copy is upgraded here (moving names
    # into hashes changes what was declared: tests/test_keep_out.py covers that step).
    text = (folder / "portfolio.yaml").read_text()
    start = text.index("keep_out:\n")
    end = text.index("declaration:", start)
    (folder / "portfolio.yaml").write_text(text[:start] + "keep_out: []\n" + text[end:])
    folio = open_portfolio(folder)
    declare(folio)
    judge(folio, "A1", "met")
    key = tmp_path / "assessor.key"
    trust = new_key(key).public_path
    sign_off(folio, key)
    signed = build_manifest(folio, include_assessment=True)
    assert UNIT_ENTRY not in signed.files
    # Without the centre's keys a sign-off is never ok (issue 11): check with them.
    assert verify_portfolio(folder, trust).ok

    planned = upgrade_portfolio(folder, dry_run=True)
    assert [name for name, _ in planned.done] == [
        "unit-copy",
        "plans-reviews-witnesses",
        "assessor-records",
        "schema",
    ]
    assert not (folder / "unit.yaml").exists()

    report = upgrade_portfolio(folder)
    assert [name for name, _ in report.done] == [
        "unit-copy",
        "plans-reviews-witnesses",
        "assessor-records",
        "schema",
    ]
    assert report.schema_before == "cpc306-portfolio/1" and report.schema_after == SCHEMA
    upgraded = open_portfolio(folder)
    assert upgraded.profile.unit_sha256 and upgraded.standard.source_path == folder / "unit.yaml"
    # What the learner declared and the assessor signed has not changed. Schema 4 made the
    # learner's two "observation" records into assessor's observations marked as migrated:
    # the sign-off did not cover those, and says so (and nothing else).
    record_iqa(upgraded, sampled_by="Iris Quality", criteria=["A1"])
    verification = verify_portfolio(folder, trust)
    assert verification.declaration is not None and verification.declaration.ok
    assert verification.signoff is not None
    assert verification.signoff.added == [
        "assessor/observations/O001.yaml",
        "assessor/observations/O002.yaml",
    ]
    assert not verification.signoff.changed and not verification.signoff.removed
    assert upgrade_portfolio(folder).done == ()
    # A real change after the upgrade is still named.
    (folder / "evidence" / "E001.yaml").write_text(
        (folder / "evidence" / "E001.yaml").read_text().replace("a", "b", 1)
    )
    assert "evidence/E001.yaml" in verify_portfolio(folder).signoff.changed


def test_upgrade_steps_are_a_list_others_extend() -> None:
    assert UPGRADE_STEPS[0].name == "unit-copy"
    assert all(s.description for s in UPGRADE_STEPS)


def test_upgrade_command(tmp_path: Path) -> None:
    folder = _schema_1(tmp_path / "old")
    assert "Would upgrade" in run_cli("upgrade", folder, "--dry-run")
    out = run_cli("upgrade", folder)
    assert "unit-copy" in out and "schema" in out
    assert "up to date" in run_cli("upgrade", folder)
    out = run_cli("upgrade", tmp_path / "nowhere", code=3)
    assert "not a portfolio (no portfolio.yaml)" in out and "cpc306 init FOLDER" in out


def test_a_schema_2_portfolio_upgrades_to_4_rewriting_no_record(tmp_path):
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    report = upgrade_portfolio(folder)
    assert (report.schema_before, report.schema_after) == (
        "cpc306-portfolio/2",
        "cpc306-portfolio/4",
    )
    (step,) = [text for name, text in report.done if name == "plans-reviews-witnesses"]
    assert "evidence record(s) name a witness inline" in step
    (step,) = [text for name, text in report.done if name == "assessor-records"]
    assert "O001 from E005; O002 from E014" in step
    changed = [p for p, data in before.items() if p.read_bytes() != data]
    assert [p.name for p in changed] == ["portfolio.yaml"]
    assert upgrade_portfolio(folder).done == ()
