"""The store runs the confidentiality scan before every save."""

from __future__ import annotations

import pytest

from cpc306_portfolio import Acknowledgement, ConfidentialityError, UsageError

from .conftest import evidence_fields, reflection_fields, snapshot

NHS = "943 476 5919"  # passes the modulus 11 check


def test_text_with_an_nhs_number_is_not_saved(portfolio):
    before = snapshot(portfolio.root)
    with pytest.raises(ConfidentialityError) as info:
        portfolio.add_evidence(evidence_fields(description=f"Person A (NHS no. {NHS}) missed."))
    [finding] = info.value.findings
    assert finding.kind == "nhs_number"
    assert finding.field == "description"
    assert NHS not in str(info.value)
    assert NHS.replace(" ", "") not in str(info.value)
    assert finding.fingerprint in str(info.value)
    assert snapshot(portfolio.root) == before


def test_an_acknowledged_finding_is_saved_with_its_reason(portfolio):
    fields = evidence_fields(description=f"The dummy NHS number {NHS} from the training system.")
    with pytest.raises(ConfidentialityError) as info:
        portfolio.add_evidence(fields)
    ack = Acknowledgement.of(info.value.findings[0], "training system test number, no person")
    record = portfolio.add_evidence({**fields, "confidentiality": [ack.model_dump()]})
    again = portfolio.read_evidence(record.id)
    assert again.confidentiality[0].reason == "training system test number, no person"
    assert again.confidentiality[0].fingerprint == info.value.findings[0].fingerprint


def test_a_listed_name_is_caught_in_any_case_and_spacing(portfolio):
    with pytest.raises(ConfidentialityError) as info:
        portfolio.add_reflection(
            reflection_fields(stages={"description": "I visited mrs  IVY example at home."})
        )
    [finding] = info.value.findings
    assert finding.kind == "listed_name"
    assert finding.field == "stages.description"
    assert portfolio.reflection_ids() == []


def test_an_attachment_with_an_identifier_is_not_copied(portfolio, tmp_path):
    notes = tmp_path / "visit notes.txt"
    notes.write_text("Called the family on 07700 900123 about the missed visit.\n")
    before = snapshot(portfolio.root)
    with pytest.raises(ConfidentialityError) as info:
        portfolio.add_evidence(evidence_fields(), attach=[notes])
    assert info.value.findings[0].field == "attachment:visit-notes.txt"
    assert snapshot(portfolio.root) == before
    record = portfolio.add_evidence(evidence_fields())
    with pytest.raises(ConfidentialityError):
        portfolio.attach(record.id, notes)
    assert portfolio.read_evidence(record.id).attachments == []


def test_an_update_that_adds_an_identifier_leaves_the_file_alone(portfolio):
    record = portfolio.add_evidence(evidence_fields())
    path = portfolio.record_path(record.id)
    before = path.read_bytes()
    record.description += " Contact: someone@example.org"
    with pytest.raises(ConfidentialityError):
        portfolio.update_evidence(record)
    assert path.read_bytes() == before


def test_clean_text_saves(portfolio):
    fields = evidence_fields(
        description="Contract CT-2024-0001, invoice 0123456789 and the meeting on 12/03/2026."
    )
    assert portfolio.add_evidence(fields).id == "E001"


def test_acknowledge_maps_a_fingerprint_to_its_reason(portfolio):
    fields = evidence_fields(description=f"The dummy NHS number {NHS}; again: {NHS}.")
    with pytest.raises(ConfidentialityError) as info:
        portfolio.add_evidence(fields)
    fingerprint = info.value.findings[0].fingerprint
    record = portfolio.add_evidence(fields, acknowledge={fingerprint: " a training number "})
    [ack] = portfolio.read_evidence(record.id).confidentiality
    assert (ack.kind, ack.field, ack.fingerprint) == ("nhs_number", "description", fingerprint)
    assert ack.reason == "a training number"


def test_acknowledge_covers_the_same_value_in_every_field(portfolio):
    fields = evidence_fields(title=f"Test number {NHS}", description=f"Used {NHS} in training.")
    with pytest.raises(ConfidentialityError) as info:
        portfolio.add_evidence(fields)
    assert len({f.fingerprint for f in info.value.findings}) == 1
    fingerprint = info.value.findings[0].fingerprint
    record = portfolio.add_evidence(fields, acknowledge={fingerprint: "a training number"})
    assert {a.field for a in record.confidentiality} == {"title", "description"}


def test_an_unknown_fingerprint_is_an_error_unless_told_to_ignore_it(portfolio):
    fields = evidence_fields(description=f"The dummy NHS number {NHS}.")
    before = snapshot(portfolio.root)
    with pytest.raises(UsageError, match="no finding has the fingerprint '0000000000000000'"):
        portfolio.add_evidence(fields, acknowledge={"0000000000000000": "typo"})
    with pytest.raises(UsageError, match="gives no reason"):
        portfolio.add_reflection(reflection_fields(), acknowledge={"0000000000000000": " "})
    assert snapshot(portfolio.root) == before
    # A form's ticked finding the learner then edited away is left out, not an error.
    clean = evidence_fields(description="No number any more.")
    record = portfolio.add_evidence(clean, acknowledge={"0000000000000000": "x"}, unknown="ignore")
    assert record.confidentiality == []


def test_acknowledge_reaches_attachments_and_updates(portfolio, tmp_path):
    notes = tmp_path / "call log.txt"
    notes.write_text("Provider switchboard: 0113 496 0000\n")
    with pytest.raises(ConfidentialityError) as info:
        portfolio.add_evidence(evidence_fields(), attach=[notes])
    file_print = info.value.findings[0].fingerprint
    record = portfolio.add_evidence(
        evidence_fields(), attach=[notes], acknowledge={file_print: "the switchboard"}
    )
    assert [a.field for a in record.confidentiality] == ["attachment:call-log.txt"]
    later = portfolio.add_evidence(evidence_fields())
    portfolio.attach(later.id, notes, acknowledge={file_print: "the switchboard"})
    assert [a.field for a in portfolio.read_evidence(later.id).confidentiality] == [
        "attachment:call-log.txt"
    ]
    fresh = portfolio.read_evidence(later.id)
    fresh.description = f"Checked {NHS} on the training system."
    with pytest.raises(ConfidentialityError) as info:
        portfolio.update_evidence(fresh)
    text_print = info.value.findings[0].fingerprint
    saved = portfolio.update_evidence(fresh, acknowledge={text_print: "a training number"})
    assert [a.field for a in saved.confidentiality] == ["attachment:call-log.txt", "description"]
