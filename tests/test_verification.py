"""What a verification says: green only when unchanged, validly signed and on the centre's list."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import cpc306_portfolio as cp
from cpc306_portfolio.assessor.verification import (
    DECLARATION,
    SIGNOFF,
    SignatureCheck,
    Verification,
)
from cpc306_portfolio.errors import RecordError

from .conftest import evidence_fields, snapshot

WHEN = datetime(2026, 3, 4, 23, 30, tzinfo=timezone(timedelta(hours=-2)))


def check(kind: str = SIGNOFF, **over) -> SignatureCheck:
    base = {
        "kind": kind,
        "signed_by": "Alex Assessor",
        "signed_at": WHEN,
        "fingerprint": "f" * 64,
        "current_fingerprint": "f" * 64,
        "matches": True,
    }
    if kind == SIGNOFF:
        base |= {
            "key_fingerprint": "ab" * 32,
            "signature_valid": True,
            "trusted": True,
            "trusted_name": "Alex Assessor (centre list)",
            "judged": 21,
            "criteria_total": 21,
        }
    return SignatureCheck(**(base | over))


def test_a_declaration_reads_in_utc_whatever_zone_it_was_made_in() -> None:
    summary = check(DECLARATION).summary
    assert summary == (
        "Declared by Alex Assessor on 2026-03-05 at 01:30 UTC; nothing has changed since."
    )


def test_a_trusted_sign_off_names_the_signer_as_the_list_names_the_key() -> None:
    good = check(signed_by="Typed At Signing")
    assert good.ok and not good.interim
    assert good.signer == "Alex Assessor (centre list)"
    assert good.summary.startswith(
        "Sign-off by Alex Assessor (centre list) on 2026-03-05 at 01:30 UTC with key abababab"
    )
    assert "the key is on the centre's list" in good.summary
    assert "Typed At Signing" not in good.summary


def test_an_unchecked_sign_off_is_not_verified_and_says_how_to_check_it() -> None:
    unchecked = check(trusted=None, trusted_name=None)
    assert unchecked.ok  # nothing wrong found ...
    assert unchecked.signer == "Alex Assessor"
    assert unchecked.summary.startswith("Sign-off NOT VERIFIED: made on 2026-03-05 at 01:30 UTC")
    assert "the name typed at signing was 'Alex Assessor'" in unchecked.summary
    assert "(verify with --trust CENTRE_KEYS)" in unchecked.summary


def test_a_key_not_on_the_list_is_red_and_said_so() -> None:
    stranger = check(trusted=False, trusted_name=None)
    assert not stranger.ok
    assert "the key is NOT on the centre's list" in stranger.summary
    assert "NOT VERIFIED" in stranger.summary


def test_an_interim_sign_off_counts_the_criteria_judged() -> None:
    interim = check(judged=5)
    assert interim.interim
    assert interim.summary.startswith("Interim sign-off by")
    assert "(5 of 21 criteria judged)" in interim.summary
    assert not check(DECLARATION, judged=0, criteria_total=21).interim


def test_a_broken_signature_or_manifest_and_each_change_is_named() -> None:
    broken = check(
        signature_valid=False,
        manifest_intact=False,
        matches=False,
        changed=["evidence/E001.yaml"],
        added=["evidence/E003.yaml", "evidence/E002.yaml"],
        removed=["evidence/E001.yaml"],
    )
    assert not broken.ok
    text = broken.summary
    assert "the signature is NOT valid" in text
    assert "does not add up to its fingerprint (edited)" in text
    assert "1 file changed since: evidence/E001.yaml" in text
    assert "2 files added since: evidence/E003.yaml, evidence/E002.yaml" in text
    assert "nothing has changed since" not in text
    assert broken.differences == [
        "evidence/E001.yaml",
        "evidence/E002.yaml",
        "evidence/E003.yaml",
    ]
    assert check(key_fingerprint=None, trusted=None).summary.count("with key no key…") == 1


@pytest.mark.parametrize(
    ("declaration", "signoff", "trust_checked", "ok"),
    [
        (True, True, True, True),
        (True, True, False, False),  # anyone can make a key and sign with a name
        (True, False, True, False),  # a removed sign-off is no clean bill of health
        (True, False, False, True),
        (False, False, False, True),
    ],
)
def test_when_a_verification_is_ok(declaration, signoff, trust_checked, ok) -> None:
    result = Verification(
        declaration=check(DECLARATION) if declaration else None,
        signoff=check() if signoff else None,
        current_fingerprint="f" * 64,
        trust_checked=trust_checked,
    )
    assert result.ok is ok
    assert result.summary.endswith(f"Fingerprint of the portfolio now: {'f' * 64}")
    if not declaration:
        assert "The learner has not declared the work their own yet." in result.summary
    if not signoff:
        tail = ", so nothing is trusted." if trust_checked else " yet."
        assert f"The assessor has not signed it off{tail}" in result.summary


def test_one_bad_check_makes_the_whole_verification_not_ok() -> None:
    result = Verification(
        declaration=check(DECLARATION, matches=False, changed=["portfolio.yaml"]),
        signoff=check(),
        current_fingerprint="0" * 64,
        trust_checked=True,
    )
    assert not result.ok
    assert [c.kind for c in result.checks] == [DECLARATION, SIGNOFF]


def test_as_dict_is_json_with_each_check_s_verdict() -> None:
    result = Verification(check(DECLARATION), check(judged=3), "f" * 64, trust_checked=True)
    data = json.loads(json.dumps(result.as_dict(), default=str))
    assert data["ok"] is True
    assert data["signoff"]["interim"] is True
    assert data["signoff"]["signed_at"] == WHEN.isoformat()
    assert data["declaration"]["summary"].startswith("Declared by")
    assert data["summary"] == result.summary
    assert data["iqa"] is None


# A real portfolio, signed with a real key.


@pytest.fixture
def signed(portfolio, tmp_path: Path):
    portfolio.add_evidence(evidence_fields())
    cp.declare(portfolio)
    cp.judge(portfolio, "A3", "met", evidence=["E001"])
    key = cp.new_key(tmp_path / "keys" / "alex.key", comment="Alex Assessor")
    cp.sign_off(portfolio, key.private_path, signed_by="Someone Typed This")
    return portfolio, key


def test_the_name_on_the_trust_list_is_the_one_shown(signed, tmp_path: Path) -> None:
    folio, key = signed
    trust = tmp_path / "centre.keys"
    trust.write_text(f"# centre list\ncpc306-ed25519 {key.public_key} Alex  Assessor\n")
    result = cp.verify_portfolio(folio.root, trust)
    assert result.ok
    assert result.signoff.signer == "Alex Assessor"
    assert result.signoff.signed_by == "Someone Typed This"
    assert result.signoff.interim and result.signoff.judged == 1
    assert result.signoff.key_fingerprint == key.fingerprint


def test_a_key_listed_with_no_name_shows_the_typed_name(signed) -> None:
    folio, key = signed
    result = cp.verify_portfolio(folio, {key.public_key})
    assert result.ok
    assert result.signoff.signer == "Someone Typed This"


def test_another_centre_s_list_makes_the_sign_off_red(signed, tmp_path: Path) -> None:
    folio, _ = signed
    other = cp.new_key(tmp_path / "other.key")
    result = cp.verify_portfolio(folio, {other.public_key})
    assert result.signoff.trusted is False and not result.ok


def _tamper(folio, **update) -> None:
    assessment = folio.read_assessment()
    folio.save_assessment(
        assessment.model_copy(update={"signoff": assessment.signoff.model_copy(update=update)})
    )


def test_a_recorded_key_fingerprint_that_is_not_the_key_s_breaks_the_signature(signed):
    folio, key = signed
    _tamper(folio, key_fingerprint="0" * 64)
    result = cp.verify_portfolio(folio, {key.public_key})
    assert result.signoff.signature_valid is False
    assert not result.ok


def test_a_public_key_that_is_not_a_key_is_shown_as_no_key(signed) -> None:
    folio, key = signed
    _tamper(folio, public_key="not base64 at all!")
    result = cp.verify_portfolio(folio, {key.public_key})
    assert result.signoff.key_fingerprint is None
    assert result.signoff.signature_valid is False
    assert result.signoff.trusted is False
    assert "with key no key…" in result.signoff.summary


def test_a_name_changed_after_signing_breaks_the_signature(signed) -> None:
    folio, key = signed
    _tamper(folio, signed_by="Alex Assessor")
    assert cp.verify_portfolio(folio, {key.public_key}).signoff.signature_valid is False


def test_an_edit_after_signing_is_named_in_both_checks(signed) -> None:
    folio, key = signed
    record = folio.read_evidence("E001")
    folio.update_evidence(record.model_copy(update={"title": "A title changed later"}))
    result = cp.verify_portfolio(folio, {key.public_key})
    assert result.declaration.changed == ["evidence/E001.yaml"]
    assert "evidence/E001.yaml" in result.signoff.changed
    assert result.signoff.signature_valid is True  # signed honestly, changed since
    assert not result.ok


def test_a_profile_broken_on_disk_is_a_record_error_that_changes_nothing(signed) -> None:
    folio, _ = signed
    folio.profile_path.write_text("learner: [unclosed\n", encoding="utf-8")
    before = snapshot(folio.root)
    with pytest.raises(RecordError) as caught:
        cp.verify_portfolio(folio)
    assert caught.value.problems[0].path == str(folio.profile_path)
    assert "not valid YAML" in caught.value.problems[0].message
    assert snapshot(folio.root) == before


def test_a_declaration_check_with_no_time_zone_reads_as_written() -> None:
    naive = replace(check(DECLARATION), signed_at=datetime(2026, 1, 2, 3, 4))
    assert "on 2026-01-02 at 03:04 UTC" in naive.summary


def test_inside_verified_once_a_portfolio_is_verified_once_against_each_list(
    signed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cpc306_portfolio.assessor import verification
    from cpc306_portfolio.assessor.verification_memo import full_manifest, verified_once
    from cpc306_portfolio.portfolio.manifest import learner_part

    folio, key = signed
    trust = tmp_path / "centre.keys"
    trust.write_text(f"cpc306-ed25519 {key.public_key} Alex Assessor\n")
    runs: list[object] = []
    real = verification._verify
    monkeypatch.setattr(verification, "_verify", lambda *a: runs.append(a) or real(*a))
    with verified_once():
        first = cp.verify_portfolio(folio, str(trust))
        assert cp.verify_portfolio(folio, str(trust)) is first
        assert len(runs) == 1
        unlisted = cp.verify_portfolio(folio)  # another list (none): verified again
        assert unlisted.trust_checked is False and len(runs) == 2
        # The page's manifest is the one the verification was made from.
        assert full_manifest(folio) is full_manifest(folio)
        assert learner_part(full_manifest(folio)).fingerprint == first.current_fingerprint
    assert full_manifest(folio) is not full_manifest(folio)
    # Outside it, each call looks at the files as they are now.
    record = folio.read_evidence("E001")
    folio.update_evidence(record.model_copy(update={"title": "A title changed later"}))
    assert cp.verify_portfolio(folio, str(trust)).signoff.changed
    assert len(runs) == 3
