from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from cpc306_portfolio import (
    PortfolioInvalidError,
    SigningError,
    UsageError,
    assess,
    build_manifest,
    create_portfolio,
    declare,
    judge,
    judge_many,
    load_standard,
    new_key,
    open_portfolio,
    record_iqa,
    set_feedback,
    sign_off,
    verify_portfolio,
)
from cpc306_portfolio.assessor.assessment import DEFAULT_STATEMENT
from cpc306_portfolio.files.yamlio import dump_yaml, read_yaml
from cpc306_portfolio.portfolio.manifest import fingerprint_of

from .conftest import (
    MET_FLAGS,
    MET_KWARGS,
    RULE_FLAGS,
    before_assessment,
    evidence_fields,
    profile_fields,
    run_cli,
    snapshot,
    without_iqa,
)

CRITERIA = list(load_standard("CPC 306").criteria)
ATTACHMENT = "evidence/E018/monthly-figures.csv"


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[0] ^= 1
    path.write_bytes(bytes(data))


def _signed(sample_copy: Path, tmp_path: Path, **key_args):
    folio = open_portfolio(without_iqa(sample_copy))
    declare(folio)
    judge_many(folio, CRITERIA, "met", methods_sampled=["product"], evidence=["E001"])
    key = new_key(tmp_path / "keys" / "priya.key", comment="Priya Castellan", **key_args)
    sign_off(folio, key.private_path, passphrase=key_args.get("passphrase"))
    return folio, key


def test_the_declaration_is_worded_by_the_unit(tmp_path: Path):
    folio = create_portfolio(tmp_path / "p", profile_fields())  # the bundled CPC 306
    assert "who uses services" in declare(folio).statement
    assert "who uses services" not in DEFAULT_STATEMENT
    assert "any person the work is about" in DEFAULT_STATEMENT


def test_declare_records_the_learner_and_a_manifest(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    declaration = declare(folio)
    again = open_portfolio(sample_copy).profile.declaration
    assert again == declaration
    assert declaration.signed_by == "Jordan Ashby"
    # The portfolio's own unit words the declaration (the neutral default if it has none).
    assert declaration.statement == folio.standard.terms.declaration_statement
    assert ATTACHMENT in declaration.manifest.files
    check = verify_portfolio(folio).declaration
    assert check is not None
    assert check.matches
    assert check.signature_valid is None
    assert check.trusted is None


def test_declare_refuses_an_invalid_portfolio(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    (sample_copy / "evidence" / "E002.yaml").write_text("title: [unclosed\n")
    before = (sample_copy / "portfolio.yaml").read_bytes()
    with pytest.raises(PortfolioInvalidError, match=r"E002\.yaml"):
        declare(folio)
    assert (sample_copy / "portfolio.yaml").read_bytes() == before


def test_a_change_after_declaring_is_named(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    declare(folio, statement="All my own work.")
    _flip_a_byte(sample_copy / ATTACHMENT)
    result = verify_portfolio(folio)
    assert result.declaration is not None
    assert result.declaration.changed == [ATTACHMENT]
    assert not result.ok
    assert ATTACHMENT in result.declaration.summary
    assert "Declared by Jordan Ashby" in result.declaration.summary


def test_judge_validates_and_lists_the_valid_choices(portfolio):
    record = portfolio.add_evidence(evidence_fields())
    with pytest.raises(UsageError) as caught:
        judge(portfolio, "Z9", "met")
    assert "A1" in caught.value.hint
    assert "C6" in caught.value.hint
    with pytest.raises(UsageError, match="E999") as caught:
        judge(portfolio, "A1", "met", evidence=["E999"])
    assert record.id in caught.value.hint
    with pytest.raises(UsageError, match="outcome") as caught:
        judge(portfolio, "A1", "passed")
    assert "not_yet_met" in caught.value.hint
    with pytest.raises(UsageError, match="method"):
        judge(portfolio, "A1", "met", methods_sampled=["telepathy"])
    assert not portfolio.assessment_path.exists()


def test_judgements_are_saved_in_the_unit_order(portfolio):
    record = portfolio.add_evidence(evidence_fields())
    judge(portfolio, "c2", "Not yet met", feedback="Show the escalation.")
    judged = judge(
        portfolio,
        "A3",
        "met",
        methods_sampled=["product", "professional_discussion"],
        evidence=[record.id.lower()],
        judged_on=date(2026, 1, 5),
    )
    set_feedback(portfolio, "  A well organised portfolio.  ")
    assessment = portfolio.read_assessment()
    assert list(assessment.judgements) == ["A3", "C2"]
    assert assessment.judgements["A3"] == judged
    assert judged.evidence == [record.id]
    assert judged.judged_on == date(2026, 1, 5)
    assert assessment.judgements["C2"].outcome == "not_yet_met"
    assert assessment.feedback == "A well organised portfolio."


def test_record_iqa_checks_criteria(portfolio):
    sample = record_iqa(portfolio, sampled_by="Sam Sampler", criteria=["a1", "B2"], outcome="ok")
    assert portfolio.read_assessment().iqa == sample
    assert sample.criteria == ["A1", "B2"]
    with pytest.raises(UsageError, match="Q7"):
        record_iqa(portfolio, sampled_by="Sam Sampler", criteria=["Q7"])


def test_assess_writes_judgements_feedback_and_iqa_at_once(portfolio, monkeypatch):
    portfolio.add_evidence(evidence_fields())  # E001, for the "met" to rely on
    writes: list[Path] = []
    real_write = portfolio.records.write

    def counted(path, data):
        writes.append(path)
        real_write(path, data)

    monkeypatch.setattr(portfolio.records, "write", counted)
    before = snapshot(portfolio.root)
    with pytest.raises(UsageError, match="Q7"):
        assess(
            portfolio,
            ["A1"],
            "met",
            overall_feedback="Good.",
            iqa_by="Sam",
            iqa_criteria=["Q7"],
            **MET_KWARGS,
        )
    assert snapshot(portfolio.root) == before
    saved = assess(
        portfolio,
        ["b2", "A1"],
        "met",
        **(MET_KWARGS | {"feedback": "Clear."}),
        overall_feedback="  Good.  ",
        iqa_by="Sam Sampler",
        iqa_criteria=["A1"],
        iqa_outcome="agreed",
    )
    assert writes == [portfolio.assessment_path]
    assert saved == portfolio.read_assessment()
    assert list(saved.judgements) == ["A1", "B2"]
    assert saved.judgements["B2"].feedback == "Clear."
    assert saved.feedback == "Good."
    assert saved.iqa is not None and saved.iqa.criteria == ["A1"]
    with pytest.raises(UsageError, match="outcome"):
        assess(portfolio, ["A1"])
    with pytest.raises(UsageError, match="nothing to record"):
        assess(portfolio)


def test_sign_off_then_verify_with_the_trust_list(sample_copy: Path, tmp_path: Path):
    folio, key = _signed(sample_copy, tmp_path)
    signoff = folio.read_assessment().signoff
    assert signoff is not None
    assert signoff.signed_by == "Priya Castellan"
    assert signoff.key_fingerprint == key.fingerprint
    assert "portfolio.yaml#declaration" in signoff.manifest.files
    result = verify_portfolio(folio, key.public_path)
    assert result.ok
    assert result.signoff is not None
    assert result.signoff.signature_valid is True
    assert result.signoff.trusted is True
    assert result.signoff.key_fingerprint == key.fingerprint
    assert key.fingerprint[:16] in result.signoff.summary
    assert "nothing has changed since" in result.signoff.summary


def test_one_byte_of_an_attachment_after_sign_off_is_named(sample_copy: Path, tmp_path: Path):
    folio, key = _signed(sample_copy, tmp_path)
    _flip_a_byte(sample_copy / ATTACHMENT)
    result = verify_portfolio(folio, key.public_path)
    assert not result.ok
    assert result.signoff is not None
    assert result.signoff.changed == [ATTACHMENT]
    assert result.signoff.signature_valid is True
    assert f"1 file changed since: {ATTACHMENT}" in result.signoff.summary


def test_untrusted_key_is_reported(sample_copy: Path, tmp_path: Path):
    folio, _ = _signed(sample_copy, tmp_path)
    stranger = new_key(tmp_path / "centre" / "other.key", comment="Other Assessor")
    result = verify_portfolio(folio, stranger.public_path)
    assert result.signoff is not None
    assert result.signoff.matches
    assert result.signoff.trusted is False
    assert not result.ok
    assert "NOT on the centre's list" in result.signoff.summary


def _edit_signoff(folder: Path, change) -> None:
    path = folder / "assessment.yaml"
    tree, problems = read_yaml(path)
    assert not problems
    data = json.loads(json.dumps(tree, default=str))
    change(data["signoff"])
    path.write_text(dump_yaml(data))


def test_signature_is_invalid_after_tampering_with_the_recorded_manifest(
    sample_copy: Path, tmp_path: Path
):
    folio, key = _signed(sample_copy, tmp_path)
    _flip_a_byte(sample_copy / ATTACHMENT)
    current = verify_portfolio(folio).signoff
    assert current is not None

    def hide_the_change(signoff):
        # Someone records the changed file's new hash so the manifest matches again.
        files = signoff["manifest"]["files"]
        files[ATTACHMENT] = build_manifest(folio, include_assessment=True).files[ATTACHMENT]
        signoff["manifest"]["fingerprint"] = fingerprint_of(files)

    _edit_signoff(sample_copy, hide_the_change)
    result = verify_portfolio(folio, key.public_path)
    assert result.signoff is not None
    assert result.signoff.matches
    assert result.signoff.signature_valid is False
    assert not result.ok
    assert "signature is NOT valid" in result.signoff.summary


def test_changing_the_signer_name_invalidates_the_signature(sample_copy: Path, tmp_path: Path):
    folio, key = _signed(sample_copy, tmp_path)
    _edit_signoff(sample_copy, lambda s: s.update(signed_by="Someone Trusted"))
    result = verify_portfolio(folio, key.public_path)
    assert result.signoff is not None
    assert result.signoff.signature_valid is False


def test_removing_the_sign_off_fails_when_trust_is_checked(sample_copy: Path, tmp_path: Path):
    folio, key = _signed(sample_copy, tmp_path)
    path = sample_copy / "assessment.yaml"
    tree, _ = read_yaml(path)
    data = json.loads(json.dumps(tree, default=str))
    data.pop("signoff")
    path.write_text(dump_yaml(data))
    assert not verify_portfolio(folio, key.public_path).ok
    assert verify_portfolio(folio).ok


def test_judging_after_sign_off_is_allowed_and_reported(sample_copy: Path, tmp_path: Path):
    folio, key = _signed(sample_copy, tmp_path)
    record_iqa(folio, sampled_by="Sam Sampler", criteria=["A1"], outcome="agreed")
    assert verify_portfolio(folio, key.public_path).ok
    judge(folio, "B3", "not_yet_met", feedback="Needs a second example.")
    result = verify_portfolio(folio, key.public_path)
    assert result.signoff is not None
    # B3, and the rest of the assessment: the unit's "met" no longer holds and is cleared.
    assert result.signoff.changed == ["assessment.yaml#feedback", "assessment.yaml#judgements/B3"]
    assert folio.read_assessment().outcome is None
    assert result.declaration is not None
    assert result.declaration.matches
    sign_off(folio, key.private_path)
    assert verify_portfolio(folio, key.public_path).ok


def test_sign_off_needs_judgements_and_the_right_passphrase(sample_copy: Path, tmp_path: Path):
    folio = open_portfolio(before_assessment(sample_copy))
    declare(folio)
    key = new_key(tmp_path / "k.key", passphrase="s3cret")
    with pytest.raises(UsageError, match="no criterion has been judged"):
        sign_off(folio, key.private_path, passphrase="s3cret")
    judge(folio, "A1", "met")
    before = snapshot(sample_copy)
    with pytest.raises(SigningError, match="wrong passphrase"):
        sign_off(folio, key.private_path, passphrase="guess")
    assert snapshot(sample_copy) == before
    assert sign_off(folio, key.private_path, passphrase="s3cret").signed_by == "Priya Castellan"


def test_cli_round_trip(sample_copy: Path, tmp_path: Path):
    folder = str(without_iqa(sample_copy))
    key = tmp_path / "keys" / "priya.key"
    out = run_cli("keys", "new", str(key), "--name", "Priya Castellan")
    assert "fingerprint" in out
    run_cli("keys", "new", str(key), code=2)
    run_cli("declare", folder, "--yes")
    out = run_cli(
        "assess",
        folder,
        *CRITERIA,
        "--outcome",
        "met",
        "--method",
        "product",
        "--evidence",
        "E001,E002",
        *RULE_FLAGS,
        "--feedback",
        "Well shown.",
        "--overall-feedback",
        "Clear, well mapped evidence.",
    )
    assert "C6: met" in out
    assert len(open_portfolio(sample_copy).read_assessment().judgements) == len(CRITERIA)
    out = run_cli("sign", folder, "--key", str(key))
    assert "Signed off by Priya Castellan" in out
    trust = f"{key}.pub"
    out = run_cli("verify", folder, "--trust", trust)
    assert "OK" in out
    assert "NOT" not in out

    record = sample_copy / "evidence" / "E003.yaml"
    record.write_text(record.read_text().replace("title: ", "title: Edited ", 1))
    out = run_cli("verify", folder, "--trust", trust, code=7)
    assert "evidence/E003.yaml" in out
    data = json.loads(run_cli("verify", folder, "--trust", trust, "--json", code=7))
    assert data["ok"] is False
    assert data["signoff"]["changed"] == ["evidence/E003.yaml"]
    assert data["declaration"]["changed"] == ["evidence/E003.yaml"]


def test_cli_passphrase_prompt_and_untrusted_key(sample_copy: Path, tmp_path: Path):
    folder = str(sample_copy)
    key = tmp_path / "a.key"
    run_cli("keys", "new", str(key), "--passphrase-prompt", input="pw-123\npw-123\n")
    run_cli("declare", folder, "--yes")
    run_cli("assess", folder, "A1", "--outcome", "met", *MET_FLAGS)
    run_cli("sign", folder, "--key", str(key), "--passphrase-prompt", input="nope\n", code=1)
    run_cli("sign", folder, "--key", str(key), env={"CPC306_KEY_PASSPHRASE": "pw-123"})
    other = new_key(tmp_path / "other.key")
    out = run_cli("verify", folder, "--trust", str(other.public_path), code=7)
    assert "NOT on the centre's list" in out
    run_cli("assess", folder, "A1", code=2)


def test_cli_assess_is_one_library_call(sample_copy: Path, monkeypatch):
    # The command imports assess when it runs (cpc306 --help stays light): patch its home.
    import cpc306_portfolio.assessor.assessment as library

    calls = []

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return assess(*args, **kwargs)

    monkeypatch.setattr(library, "assess", spy)
    folder = str(sample_copy)
    out = run_cli(
        "assess", folder, "a1", "--outcome", "met",
        "--overall-feedback", "Fine.", "--iqa-by", "Sam", *MET_FLAGS,
    )  # fmt: skip
    assert out.splitlines()[:3] == [
        f"A1: met ({date.today()})",
        "Recorded the overall feedback.",
        "Recorded the IQA sample by Sam.",
    ]
    [call] = calls
    assert (call["overall_feedback"], call["iqa_by"]) == ("Fine.", "Sam")
