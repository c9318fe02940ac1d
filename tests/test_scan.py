"""Findings as the learner meets them: masked, fingerprinted, acknowledged one by one."""

from __future__ import annotations

from dataclasses import dataclass

from cpc306_portfolio.confidentiality.identifiers import FindingKind
from cpc306_portfolio.confidentiality.names import KeepOutMatcher, hashed_forms
from cpc306_portfolio.confidentiality.scan import (
    mask_value,
    scan_fields,
    scan_text,
    unacknowledged,
)


@dataclass
class Ack:
    """What a record keeps of an acknowledged finding (kind, field, fingerprint)."""

    kind: str
    field: str
    fingerprint: str


def test_mask_value_keeps_length_punctuation_and_a_little_of_the_start() -> None:
    assert mask_value("943 476 5919", FindingKind.NHS_NUMBER) == "943 *** ****"
    assert mask_value("LS1 4AP", FindingKind.POSTCODE) == "L** ***"
    assert mask_value("jo.b@example.org", FindingKind.EMAIL) == "j*.*@*******.***"
    assert mask_value("", FindingKind.PHONE) == ""


def test_two_kinds_over_the_same_characters_are_both_masked() -> None:
    text = "Write to Edith Marlowe@example.org today"
    findings = scan_text(text, keep_out=["Edith Marlowe"])
    assert sorted(f.kind for f in findings) == ["email", "listed_name"]
    for f in findings:
        assert "dith" not in f.snippet and "arlowe" not in f.snippet and "xample" not in f.snippet
        assert f.snippet.startswith("Write to E**** *******@")


def test_a_long_text_gives_a_short_snippet_with_ellipses() -> None:
    text = "a" * 100 + " call 07700 900123 " + "b" * 100
    [finding] = scan_text(text)
    assert finding.snippet.startswith("... ") and finding.snippet.endswith(" ...")
    assert "0**** ******" in finding.snippet
    assert len(finding.snippet) < 80


def test_scan_fields_skips_what_is_not_text_and_names_each_field() -> None:
    fields = {"title": "Visit", "description": "call 07700 900123", "count": 3, "notes": ""}
    [finding] = scan_fields(fields, record="E002")  # type: ignore[arg-type]
    assert (finding.field, finding.record, finding.kind) == ("description", "E002", "phone")


def test_a_hashed_keep_out_list_finds_what_the_clear_one_finds() -> None:
    key = b"k" * 32
    hashed = KeepOutMatcher.from_hashes(key, hashed_forms(key, "Edith Marlowe"))
    text = "Met Edith Marlowe and Ms Marlowe."
    clear = [(f.start, f.end, f.fingerprint) for f in scan_text(text, keep_out=["Edith Marlowe"])]
    assert [(f.start, f.end, f.fingerprint) for f in scan_text(text, keep_out=hashed)] == clear
    assert len(clear) == 2


def test_the_fingerprint_depends_on_the_kind_and_the_value_not_the_layout() -> None:
    [spaced] = scan_text("call 07700 900123")
    [packed] = scan_text("call 07700900123")
    [other] = scan_text("call 07700 900124")
    assert spaced.fingerprint == packed.fingerprint != other.fingerprint
    assert len(spaced.fingerprint) == 16


def test_an_acknowledgement_covers_one_finding_in_one_field() -> None:
    findings = scan_fields(
        {"description": "call 07700 900123", "notes": "call 07700 900123 or LS1 4AP"}
    )
    phone = findings[0]
    acked = [Ack(str(phone.kind), "description", phone.fingerprint)]
    left = unacknowledged(findings, acked)
    assert [(f.field, f.kind) for f in left] == [("notes", "phone"), ("notes", "postcode")]
    # The same fingerprint under another kind does not cover it either.
    assert len(unacknowledged(findings, [Ack("email", "description", phone.fingerprint)])) == 3
    assert unacknowledged(findings, []) == findings
