"""Importing the assessor's file (a draft the page saves, or one signed beside the page):
every refusal writes nothing and says why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import cpc306_portfolio as cp
from cpc306_portfolio.assessor import drafts
from cpc306_portfolio.assessor.assessment_file import import_assessment, read_assessment_file
from cpc306_portfolio.assessor.drafts import FORMAT, assessment_base
from cpc306_portfolio.errors import RecordError, UsageError, VerificationError
from cpc306_portfolio.portfolio.evidence_rules import RULES_OF_EVIDENCE

from .conftest import evidence_fields, snapshot


@pytest.fixture
def folio(portfolio):
    portfolio.add_evidence(evidence_fields())
    cp.declare(portfolio)
    return portfolio


def met_judgement(**over: Any) -> dict[str, Any]:
    """A "met" with all the unit's strategy asks: five rules, evidence, feedback, a method."""
    rules = {r: {"met": True, "note": ""} for r in RULES_OF_EVIDENCE}
    return {
        "outcome": "met",
        "judged_on": "2026-01-10",
        "evidence": ["E001"],
        "feedback": "Clear minutes.",
        "methods_sampled": ["product"],
        "rules": rules,
    } | over


def download(folio, tmp_path: Path, **over: Any) -> Path:
    """The file as the page would save it for this portfolio, as it is now."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "unit": folio.standard.code,
        "learner": "Robin Testperson",
        "portfolio_fingerprint": cp.verify_portfolio(folio).current_fingerprint,
        "base": assessment_base(folio.read_assessment()),
        "assessment": {
            "judgements": {"A3": met_judgement()},
            "feedback": "Clear minutes.",
            "outcome": None,
        },
        "signoff": None,
    }
    data.update(over)
    path = tmp_path / "assessment-robin-2026-01-10.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_an_unsigned_file_adds_its_judgements_to_those_recorded(folio, tmp_path: Path):
    cp.judge(folio, "C1", "not_yet_met", feedback="Needs a witness.")
    result = import_assessment(folio, download(folio, tmp_path), unsigned=True)
    assert (result.judged, result.signoff, result.interim) == (["A3"], None, False)
    assessment = folio.read_assessment()
    assert list(assessment.judgements) == ["A3", "C1"]  # in the unit's order
    assert assessment.judgements["A3"].evidence == ["E001"]
    assert assessment.feedback == "Clear minutes."


def test_empty_feedback_in_the_file_keeps_the_feedback_recorded(folio, tmp_path: Path):
    cp.set_feedback(folio, "Earlier overall feedback.")
    assessment = {"judgements": {}, "feedback": "", "outcome": None}
    import_assessment(folio, download(folio, tmp_path, assessment=assessment), unsigned=True)
    assert folio.read_assessment().feedback == "Earlier overall feedback."


def test_a_portfolio_changed_since_it_was_rendered_names_each_file(folio, tmp_path: Path):
    path = download(folio, tmp_path, portfolio_files={"evidence/E001.yaml": "0" * 64})
    record = folio.read_evidence("E001")
    folio.update_evidence(record.model_copy(update={"title": "Retitled after the render"}))
    before = snapshot(folio.root)
    with pytest.raises(VerificationError) as caught:
        import_assessment(folio, path)
    message = caught.value.message
    assert "has changed since the assessor read it" in message
    assert "evidence/E001.yaml (changed)" in message
    assert "unit.yaml (added)" in message  # the page listed E001 alone
    assert f"nothing was imported from {path}" in message
    assert "render the portfolio again" in caught.value.hint
    assert snapshot(folio.root) == before


def test_with_no_file_list_the_fingerprint_alone_is_named(folio, tmp_path: Path):
    path = download(folio, tmp_path, portfolio_fingerprint="0" * 64)
    with pytest.raises(VerificationError, match="its fingerprint differs"):
        import_assessment(folio, path)


def test_every_judgement_problem_is_listed_at_once_with_its_field(folio, tmp_path: Path):
    judgements = {
        "Z9": {"outcome": "met", "judged_on": "2026-01-10"},
        "A3": {"outcome": "passed", "judged_on": "2026-01-10"},
        "A5": {"outcome": "met", "judged_on": "2026-01-10", "evidence": ["E001", "E404"]},
    }
    path = download(folio, tmp_path, assessment={"judgements": judgements})
    before = snapshot(folio.root)
    with pytest.raises(RecordError) as caught:
        import_assessment(folio, path)
    fields = [p.field for p in caught.value.problems]
    assert fields == [
        "assessment.judgements.Z9",
        "assessment.judgements.A3.outcome",
        "assessment.judgements.A5.evidence[1]",
    ]
    first, _, third = caught.value.problems
    assert first.message == "CPC 306 has no criterion 'Z9'"
    assert third.message == "the portfolio has no evidence or reflection 'E404'"
    assert caught.value.hint == "nothing was imported"
    assert snapshot(folio.root) == before


@pytest.mark.parametrize(
    ("assessment", "field", "message"),
    [
        ("not a mapping", "assessment", "has no assessment"),
        ({"judgements": ["A3"]}, "assessment.judgements", "judgements must be a mapping"),
        ({"judgements": {}, "feedback": 3}, "assessment", "feedback must be text"),
        ({"judgements": {}, "outcome": "passed"}, "assessment", "outcome one of met"),
    ],
)
def test_an_assessment_of_the_wrong_shape_is_refused(folio, tmp_path, assessment, field, message):
    with pytest.raises(RecordError) as caught:
        import_assessment(folio, download(folio, tmp_path, assessment=assessment))
    [problem] = caught.value.problems
    assert problem.field == field
    assert message in problem.message


def test_a_file_for_another_unit_is_refused(folio, tmp_path: Path) -> None:
    with pytest.raises(RecordError) as caught:
        import_assessment(folio, download(folio, tmp_path, unit="HVM 112"))
    [problem] = caught.value.problems
    assert problem.field == "unit"
    assert problem.message == "it judges unit 'HVM 112', the portfolio is for 'CPC 306'"


def test_a_signature_that_does_not_verify_is_refused_with_exit_7(folio, tmp_path: Path) -> None:
    key = cp.new_key(tmp_path / "alex.key")
    manifest = cp.build_manifest(folio, include_assessment=True)
    signoff = {
        "signed_by": "Alex Assessor",
        "signed_at": manifest.created_at.isoformat(),
        "manifest": manifest.model_dump(mode="json"),
        "public_key": key.public_key,
        "signature": "AAAA",
    }
    with pytest.raises(VerificationError) as caught:
        import_assessment(folio, download(folio, tmp_path, signoff=signoff))
    assert "the signature is NOT valid" in caught.value.message
    assert folio.read_assessment().judgements == {}


def test_a_sign_off_missing_its_fields_is_named_under_signoff(folio, tmp_path: Path) -> None:
    with pytest.raises(RecordError) as caught:
        import_assessment(folio, download(folio, tmp_path, signoff={"signed_by": "Alex"}))
    fields = {p.field for p in caught.value.problems}
    assert {"signoff.signed_at", "signoff.manifest"} <= fields


def test_read_refuses_what_is_not_the_page_s_download(tmp_path: Path, monkeypatch) -> None:
    with pytest.raises(UsageError, match="no such file"):
        read_assessment_file(tmp_path / "missing.json")
    real = tmp_path / "real.json"
    real.write_text(json.dumps({"format": FORMAT, "assessment": {}}))
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with pytest.raises(UsageError, match="no such file"):
        read_assessment_file(link)
    not_json = tmp_path / "notes.json"
    not_json.write_text("judged A3 met")
    with pytest.raises(RecordError) as caught:
        read_assessment_file(not_json)
    assert caught.value.problems[0].message.startswith("not JSON")
    wrong = tmp_path / "other.json"
    wrong.write_text(json.dumps({"format": "cpc306-assessment/9"}))
    with pytest.raises(RecordError) as caught:
        read_assessment_file(wrong)
    assert caught.value.problems[0].field == "format"
    assert "render the portfolio again" in caught.value.problems[0].hint
    monkeypatch.setattr(drafts, "MAX_BYTES", 10)
    with pytest.raises(RecordError, match="too large"):
        read_assessment_file(real)
    monkeypatch.undo()
    assert read_assessment_file(real) == {"format": FORMAT, "assessment": {}}
