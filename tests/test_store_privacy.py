"""The store runs the confidentiality scan before every save."""

from __future__ import annotations

import pytest

from cpc306_portfolio import Acknowledgement, ConfidentialityError

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
