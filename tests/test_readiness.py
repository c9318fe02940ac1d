"""Whether a portfolio may be declared or signed off, and what each refusal tells the user."""

from __future__ import annotations

from pathlib import Path

import pytest

import cpc306_portfolio as cp
from cpc306_portfolio.assessor.readiness import key_name, require_signable
from cpc306_portfolio.errors import ConfidentialityError, SigningError, UsageError
from cpc306_portfolio.files.yamlio import dump_yaml, read_yaml

from .conftest import evidence_fields, snapshot


def _hand_edit(path: Path, **fields) -> None:
    """Change a record the way someone with a text editor would, past every guard."""
    tree, problems = read_yaml(path)
    assert problems == []
    path.write_text(dump_yaml({**dict(tree), **fields}), encoding="utf-8")


def test_an_identifier_typed_in_by_hand_stops_the_declaration_and_is_listed(portfolio):
    portfolio.add_evidence(evidence_fields())
    _hand_edit(
        portfolio.record_path("E001"),
        description="Phoned the provider's manager on 07700 900123 about the milestones.",
    )
    before = snapshot(portfolio.root)
    with pytest.raises(ConfidentialityError) as caught:
        cp.declare(portfolio)
    error = caught.value
    [finding] = error.findings
    assert (finding.record, finding.field, finding.label) == ("E001", "description", "phone number")
    assert f"{portfolio.root}: nothing was declared: 1 possible identifier(s)" in error.message
    assert f"E001 description: phone number: {finding.snippet}  [{finding.fingerprint}]" in (
        error.message
    )
    assert "900123" not in error.message
    assert "acknowledge each finding with a reason" in error.hint
    assert snapshot(portfolio.root) == before


def test_an_acknowledged_finding_no_longer_stops_it(portfolio) -> None:
    text = "Phoned the provider's switchboard on 0113 496 0000 about the milestones."
    record = portfolio.add_evidence(evidence_fields())
    _hand_edit(portfolio.record_path("E001"), description=text)
    [(finding, _)] = portfolio.scan()
    portfolio.update_evidence(
        record.model_copy(update={"description": text}),
        acknowledge={finding.fingerprint: "the provider's public switchboard, no one's own"},
    )
    assert cp.declare(portfolio).signed_by == "Robin Testperson"


def test_a_sign_off_needs_the_learner_s_declaration_first(portfolio) -> None:
    portfolio.add_evidence(evidence_fields())
    cp.judge(portfolio, "A3", "met", evidence=["E001"])
    with pytest.raises(SigningError) as caught:
        require_signable(portfolio, portfolio.read_assessment())
    assert "has not declared the work their own" in caught.value.message
    assert "cpc306 declare PORTFOLIO" in caught.value.hint


def test_a_sign_off_needs_a_judgement_and_is_interim_until_all_are_judged(portfolio) -> None:
    portfolio.add_evidence(evidence_fields())
    cp.declare(portfolio)
    with pytest.raises(UsageError, match="nothing to sign off"):
        require_signable(portfolio, portfolio.read_assessment())
    cp.judge(portfolio, "A3", "met", evidence=["E001"])
    assert require_signable(portfolio, portfolio.read_assessment()) is True
    cp.judge_many(portfolio, list(portfolio.standard.criteria), "not_yet_met")
    assert require_signable(portfolio, portfolio.read_assessment()) is False


def test_the_signer_s_name_comes_from_the_pub_file_beside_the_key(tmp_path: Path) -> None:
    named = cp.new_key(tmp_path / "named.key", comment="Alex   Assessor")
    bare = cp.new_key(tmp_path / "bare.key")
    assert key_name(named.private_path) == "Alex Assessor"
    assert key_name(bare.private_path) == ""
    assert key_name(tmp_path / "no-such.key") == ""


def test_sign_off_falls_back_to_the_assessor_the_portfolio_names(portfolio, tmp_path: Path):
    portfolio.add_evidence(evidence_fields())
    cp.declare(portfolio)
    cp.judge(portfolio, "A3", "met", evidence=["E001"])
    bare = cp.new_key(tmp_path / "bare.key")
    assert cp.sign_off(portfolio, bare.private_path).signed_by == "Alex Assessor"
    named = cp.new_key(tmp_path / "named.key", comment="Sam Centre-Assessor")
    assert cp.sign_off(portfolio, named.private_path).signed_by == "Sam Centre-Assessor"
    signoff = cp.sign_off(portfolio, named.private_path, signed_by="  Typed  ")
    assert signoff.signed_by == "Typed"
    assert signoff.interim is True
