"""The quality assurer's sample in one portfolio: sealed, maybe signed, and any change shown."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import cpc306_portfolio as cp
from cpc306_portfolio.assessor.iqa_record import check_iqa, iqa_hash, seal_iqa
from cpc306_portfolio.errors import UsageError

from .conftest import evidence_fields


def sample(**over) -> cp.IQASample:
    base = {
        "sampled_by": "Quinn Quality",
        "sampled_on": date(2026, 2, 1),
        "criteria": ["A3"],
        "outcome": "agreed",
        "notes": "Judgement well evidenced.",
    }
    return cp.IQASample.model_validate(base | over)


@pytest.fixture
def iqa_key(tmp_path: Path):
    info = cp.new_key(tmp_path / "quinn.key", comment="Quinn Quality")
    return info, cp.load_private_key(info.private_path)


def test_an_unsealed_sample_says_a_change_cannot_be_shown() -> None:
    result = check_iqa(sample(), None)
    assert (result.sealed, result.intact, result.signed) == (False, False, False)
    assert result.ok  # nothing wrong can be shown, and the summary says why
    assert "carries no hash" in result.summary
    assert "cpc306 assess --iqa-by" in result.summary


def test_the_hash_covers_every_field_but_the_seal() -> None:
    sealed = seal_iqa(sample())
    assert sealed.sha256 == iqa_hash(sample())
    assert iqa_hash(sample(notes="Changed.")) != sealed.sha256
    assert iqa_hash(sealed.model_copy(update={"signature": "x"})) == sealed.sha256


def test_a_sample_edited_after_sealing_shows_as_changed() -> None:
    sealed = seal_iqa(sample())
    edited = sealed.model_copy(update={"outcome": "disagreed"})
    result = check_iqa(edited, None)
    assert not result.intact and not result.ok
    assert result.summary == (
        "The IQA sample by Quinn Quality has CHANGED since it was recorded "
        "(its hash no longer matches)."
    )


def test_a_signed_sample_checks_its_key_against_the_centre_s_list(iqa_key) -> None:
    info, key = iqa_key
    sealed = seal_iqa(sample(), key)
    assert sealed.public_key == info.public_key
    on_list = check_iqa(sealed, None, {info.public_key: "Quinn Quality"})
    assert on_list.ok and on_list.signature_valid and on_list.trusted
    assert on_list.summary == (
        "The IQA sample by Quinn Quality is unchanged since it was recorded; "
        "it was taken against an earlier sign-off (or none)."
    )
    off_list = check_iqa(sealed, None, {})
    assert off_list.trusted is False and not off_list.ok
    assert ", but its key is NOT on the centre's list" in off_list.summary
    assert check_iqa(sealed, None).trusted is None


def test_a_resealed_sample_keeps_the_old_signature_invalid(iqa_key) -> None:
    _, key = iqa_key
    signed = seal_iqa(sample(), key)
    # Someone edits the notes and recomputes the hash, but cannot re-sign without the key.
    forged = signed.model_copy(update={"notes": "Rewritten."})
    forged = forged.model_copy(update={"sha256": iqa_hash(forged)})
    result = check_iqa(forged, None)
    assert result.intact and result.signature_valid is False and not result.ok
    assert result.summary == "The IQA sample by Quinn Quality has a signature that is NOT valid."
    garbage = signed.model_copy(update={"public_key": "!!"})
    assert check_iqa(garbage, None).signature_valid is False


def test_record_iqa_binds_the_sample_to_the_sign_off_and_signs_it(
    portfolio, tmp_path: Path, iqa_key
) -> None:
    info, _ = iqa_key
    portfolio.add_evidence(evidence_fields())
    cp.declare(portfolio)
    cp.judge(portfolio, "A3", "met", evidence=["E001"])
    assessor = cp.new_key(tmp_path / "alex.key", comment="Alex Assessor")
    signoff = cp.sign_off(portfolio, assessor.private_path)
    recorded = cp.record_iqa(
        portfolio,
        sampled_by="Quinn Quality",
        criteria=["a3"],
        outcome=" agreed ",
        key_path=info.private_path,
    )
    assert recorded.criteria == ["A3"] and recorded.outcome == "agreed"
    assert recorded.signoff_fingerprint == signoff.manifest.fingerprint
    trust = {assessor.public_key: "Alex Assessor", info.public_key: "Quinn Quality"}
    result = cp.verify_portfolio(portfolio, trust)
    assert result.iqa is not None and result.iqa.same_signoff and result.iqa.ok
    assert result.ok
    assert "The IQA sample by Quinn Quality is unchanged since it was recorded." in result.summary
    # An IQA key the centre does not list turns the whole verification red.
    assert not cp.verify_portfolio(portfolio, {assessor.public_key}).ok


def test_the_iqa_sample_needs_a_name_and_real_criteria(portfolio) -> None:
    with pytest.raises(UsageError, match="needs the sampler's name"):
        cp.record_iqa(portfolio, sampled_by="   ")
    with pytest.raises(UsageError) as caught:
        cp.record_iqa(portfolio, sampled_by="Quinn Quality", criteria=["A9"])
    assert caught.value.message == "CPC 306 has no criterion 'A9'"
    assert caught.value.hint == "use one of: " + ", ".join(portfolio.standard.criteria)
    assert portfolio.read_assessment().iqa is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "nothing to record"),
        ({"criteria": ["A3"]}, "an outcome is needed"),
        ({"rules": {"valid": True}, "overall_feedback": "x"}, "the rules of evidence belong"),
        ({"criteria": ["A3"], "outcome": "met", "methods_sampled": ["obsrvation"]}, "unknown"),
        ({"criteria": ["A3"], "outcome": "met", "evidence": ["E009"]}, "no evidence or"),
        ({"unit_outcome": "passed"}, "unknown outcome 'passed'"),
    ],
)
def test_assess_checks_every_argument_before_writing(portfolio, kwargs, message) -> None:
    portfolio.add_evidence(evidence_fields())
    before = portfolio.assessment_path.read_bytes() if portfolio.assessment_path.exists() else None
    with pytest.raises(UsageError, match=message):
        cp.assess(portfolio, **kwargs)
    after = portfolio.assessment_path.read_bytes() if portfolio.assessment_path.exists() else None
    assert after == before


def test_an_unknown_method_suggests_the_one_meant(portfolio) -> None:
    with pytest.raises(UsageError) as caught:
        cp.judge(portfolio, "A3", "met", methods_sampled=["Obsrvation"])
    assert caught.value.message == "unknown assessment method 'Obsrvation'"
    assert caught.value.hint.startswith("did you mean observation?")


def test_naming_evidence_in_an_empty_portfolio_says_it_has_none(portfolio) -> None:
    with pytest.raises(UsageError) as caught:
        cp.judge(portfolio, "A3", "met", evidence=["E001"])
    assert caught.value.hint == "it has no records yet"


def test_judge_many_needs_a_criterion(portfolio) -> None:
    with pytest.raises(UsageError, match="no criterion given"):
        cp.judge_many(portfolio, [], "met")
