"""Tests for the confidentiality scan. Every identifier here is fictional."""

from __future__ import annotations

import pickle
import re
import zipfile
from pathlib import Path

import pydantic
import pytest
from stdnum.gb import nhs

from cpc306_portfolio.confidentiality.scan import (
    Finding,
    FindingKind,
    extract_text,
    scan_fields,
    scan_file,
    scan_text,
)
from cpc306_portfolio.errors import AttachmentError
from tools.pdf_writer import pdf_file, pdf_string

K = FindingKind


def valid_nhs(prefix: str) -> str:
    """A check-digit-valid NHS number starting with ``prefix`` (9 digits)."""
    for last in "0123456789":
        if nhs.is_valid(prefix + last):
            return prefix + last
    raise AssertionError(f"no valid check digit for {prefix}")


def invalid_nhs(prefix: str) -> str:
    for last in "0123456789":
        if not nhs.is_valid(prefix + last):
            return prefix + last
    raise AssertionError("unreachable")


def found(text: str, **kwargs: object) -> list[tuple[FindingKind, str]]:
    return [(f.kind, text[f.start : f.end]) for f in scan_text(text, **kwargs)]  # type: ignore[arg-type]


def kinds(text: str, **kwargs: object) -> set[FindingKind]:
    return {kind for kind, _ in found(text, **kwargs)}


def assert_masked(text: str, findings: list[Finding]) -> None:
    """No snippet shows any found identifier (or its digits/letters) in clear."""
    values = [text[f.start : f.end] for f in findings]
    for f in findings:
        assert "*" in f.snippet
        for value in values:
            assert value not in f.snippet
            compact = re.sub(r"\W", "", value)
            if len(compact) >= 4:
                assert compact.lower() not in re.sub(r"\W", "", f.snippet).lower()


# NHS numbers


@pytest.mark.parametrize(
    "written",
    ["943 476 5919", "9434765919", "943-476-5919"],
)
def test_known_valid_nhs_number_in_any_layout(written: str) -> None:
    assert found(f"Patient NHS no. {written} seen.") == [(K.NHS_NUMBER, written)]


def test_generated_nhs_numbers_are_found() -> None:
    for prefix in ("401023456", "450000001", "612345678", "777111222"):
        number = valid_nhs(prefix)
        spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
        assert found(f"NHS {spaced}.") == [(K.NHS_NUMBER, spaced)]


def test_nhs_number_with_bad_check_digit_is_ignored() -> None:
    assert found("Number 943 476 5918 on file.") == []
    for prefix in ("401023456", "612345678"):
        bad = invalid_nhs(prefix)
        assert K.NHS_NUMBER not in kinds(f"Contract number {bad}.")


def test_nhs_number_inside_longer_digit_run_is_ignored() -> None:
    assert K.NHS_NUMBER not in kinds("Batch 19434765919 and 94347659190.")
    assert K.NHS_NUMBER not in kinds("Code 12-943-476-5919-7.")


def test_valid_looking_invoice_number_is_not_an_nhs_number() -> None:
    assert nhs.is_valid("0123456789")
    assert found("Paid invoice no. 0123456789 on time.") == []
    assert found("Ref: 0123456789") == []
    # ... but a label that says NHS wins.
    assert found("NHS ref 9434765919") == [(K.NHS_NUMBER, "9434765919")]


# National Insurance numbers


@pytest.mark.parametrize("written", ["AB 12 34 56 C", "AB123456C", "ab 12 34 56 c", "JG103759A"])
def test_ni_numbers_are_found(written: str) -> None:
    assert found(f"Her NI is {written}, noted.") == [(K.NI_NUMBER, written)]


@pytest.mark.parametrize(
    "written",
    [
        "QQ 12 34 56 C",  # Q never used
        "GB 12 34 56 A",  # not allocated
        "BG123456A",
        "NK 12 34 56 B",
        "TN 12 34 56 B",
        "ZZ 12 34 56 D",
        "DA 12 34 56 A",  # D never first
        "AO 12 34 56 A",  # O never second
        "AF 12 34 56 A",  # F never second
        "AB 12 34 56 E",  # suffix beyond D
        "XAB 12 34 56 C",  # part of a longer token
    ],
)
def test_ni_look_alikes_are_ignored(written: str) -> None:
    assert K.NI_NUMBER not in kinds(f"Ref {written} here.")


def test_ni_number_without_suffix_needs_an_ni_cue() -> None:
    assert found("National Insurance: AB 12 34 56") == [(K.NI_NUMBER, "AB 12 34 56")]
    assert K.NI_NUMBER not in kinds("Room AB 12 34 56 is booked.")


# Postcodes


@pytest.mark.parametrize(
    "written",
    ["LS1 4AP", "sw1a1aa", "SW1A 1AA", "EC1A 1BB", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT"],
)
def test_postcodes_are_found(written: str) -> None:
    assert found(f"Lives at 1 Example Road, {written}.") == [(K.POSTCODE, written)]


@pytest.mark.parametrize(
    "text",
    [
        "Evidence for B7 and A3, knowledge K15a and K8c.",
        "See criterion B7 2nd bullet and K15a 1st part.",
        "Review at 4pm in room B7 4pm slot.",
        "Lines AB1 and LS12 were closed.",
        "Code AZ1 1AA and QI2 3AB are not valid outward codes.",
        "Token XLS1 4AP9 is not a postcode.",
    ],
)
def test_postcode_look_alikes_are_ignored(text: str) -> None:
    assert K.POSTCODE not in kinds(text)


# Phones


@pytest.mark.parametrize(
    "written",
    [
        "07700 900123",
        "07700900123",
        "0113 496 0000",
        "0113 4960000",
        "+44 20 7946 0958",
        "+44 (0)20 7946 0958",
        "(0161) 496 0123",
        "020 7946 0958",
        "0800 123 4567",
        "01632 960123",
    ],
)
def test_ofcom_drama_phone_numbers_are_found(written: str) -> None:
    assert found(f"Please call {written} today.") == [(K.PHONE, written)]


@pytest.mark.parametrize(
    "text",
    [
        "The meeting on 12/03/2025 at 10:30 was minuted.",
        "Dated 2024-03-12 and 01.03.2024 and 12.03.41.",
        "On 01.03.2024 10 people attended.",
        "On 01 03 2024 10 people attended.",
        "Contract CT-2024-0001 was varied.",
        "Invoice 20240001 paid; PO 4500012345 raised.",
        "Invoice no. 07700 900123 was queried.",
        "Contract ref 0113 496 0000 renewed.",
        "Order no. 07700900456 dispatched.",
        "Case 01134960000 closed.",
        "Budget £12,345.67, 45% spent, 0.75 FTE.",
        "Ward 01234 and bed 012.",
        "The year 2024 saw 1,234 referrals, 120 000 contacts.",
    ],
)
def test_phone_look_alikes_are_ignored(text: str) -> None:
    assert K.PHONE not in kinds(text)


def test_phone_is_not_reported_over_nhs_or_ni_digits() -> None:
    text = "NHS 943 476 5919 and NI AB 12 34 56 C"
    assert found(text) == [(K.NHS_NUMBER, "943 476 5919"), (K.NI_NUMBER, "AB 12 34 56 C")]


def test_phone_cue_beats_a_reference_word() -> None:
    assert found("Case worker on 07700 900789.") == [(K.PHONE, "07700 900789")]
    assert found("About the invoice, phone 0113 496 0000.") == [(K.PHONE, "0113 496 0000")]


# Emails


@pytest.mark.parametrize(
    "written",
    ["jo.bloggs@example.org.uk", "A.N.Other+care@example.com", "x_y-z@mail.example.nhs.uk"],
)
def test_emails_are_found(written: str) -> None:
    assert found(f"Email <{written}>, thanks.") == [(K.EMAIL, written)]


def test_email_look_alikes_are_ignored() -> None:
    assert K.EMAIL not in kinds("Meet @ 10:30; tag @team; price 2@£3; user@localhost.")


def test_two_adjacent_emails_are_both_found() -> None:
    text = "a@example.com,b@example.org"
    assert found(text) == [(K.EMAIL, "a@example.com"), (K.EMAIL, "b@example.org")]


# Dates of birth


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("DOB: 12/03/1941", "12/03/1941"),
        ("D.O.B. 12.03.41", "12.03.41"),
        ("date of birth 12 March 1941", "12 March 1941"),
        ("She was born on March 12, 1941 in Leeds", "March 12, 1941"),
        ("Birth date: 1941-03-12", "1941-03-12"),
        ("aged 83 (born 12th of Sept 1941)", "12th of Sept 1941"),
        ("dob 3-4-1950", "3-4-1950"),
        ("DOB 12 03 1941", "12 03 1941"),
    ],
)
def test_dates_of_birth_are_found_in_context(text: str, date: str) -> None:
    assert found(text) == [(K.DATE_OF_BIRTH, date)]


@pytest.mark.parametrize(
    "text",
    [
        "Meeting on 12/03/2025 at 10:30.",
        "The contract started 1 April 2024 and ends 2027-03-31.",
        "Born out of the 2019 review, the plan was signed on a later date, 12/03/2024.",
        "DOB not recorded. Reviewed 12/03/2025 with the manager after a long discussion.",
        "DOB 45/13/1941 is not a date.",
    ],
)
def test_dates_without_a_birth_cue_are_ignored(text: str) -> None:
    assert K.DATE_OF_BIRTH not in kinds(text)


# Listed names


def test_listed_names_match_any_case_and_spacing() -> None:
    text = "I met ANN   example and later ann\nExample again."
    assert found(text, keep_out=["Ann Example"]) == [
        (K.LISTED_NAME, "ANN   example"),
        (K.LISTED_NAME, "ann\nExample"),
    ]


def test_listed_names_respect_word_boundaries_and_full_string() -> None:
    text = "Annual review with Joanne; Mr Example attended."
    assert found(text, keep_out=["Ann", "Jo", "Ann Sample"]) == []
    assert found("Ann came.", keep_out=["Ann"]) == [(K.LISTED_NAME, "Ann")]


def test_listed_name_apostrophes_and_blank_entries() -> None:
    text = "Spoke with Pat O’Neil today."
    assert found(text, keep_out=["pat o'neil", "", "   "]) == [(K.LISTED_NAME, "Pat O’Neil")]
    assert found("Nothing (here).", keep_out=["(", "*", "."]) == []


def test_name_snippet_keeps_only_first_letter() -> None:
    (finding,) = scan_text("Visited Priya Sample at home.", keep_out=["Priya Sample"])
    assert "P**** ******" in finding.snippet
    assert "riya" not in finding.snippet and "Sample" not in finding.snippet


# Findings as a whole

MIXED = (
    "Mrs Ann Example (NHS no. 943 476 5919, NI AB 12 34 56 C, DOB: 12/03/1941) lives at "
    "LS1 4AP. Call 07700 900123 or email ann.example@example.org. Meeting on 12/03/2025 "
    "at 10:30 about contract CT-2024-0001 and criteria B7, K15a; budget £12,345.67 (45%)."
)


def test_mixed_text_finds_each_identifier_once_in_order() -> None:
    findings = scan_text(MIXED, field="description", record="E001", keep_out=["Ann Example"])
    assert [(f.kind, MIXED[f.start : f.end]) for f in findings] == [
        (K.LISTED_NAME, "Ann Example"),
        (K.NHS_NUMBER, "943 476 5919"),
        (K.NI_NUMBER, "AB 12 34 56 C"),
        (K.DATE_OF_BIRTH, "12/03/1941"),
        (K.POSTCODE, "LS1 4AP"),
        (K.PHONE, "07700 900123"),
        (K.EMAIL, "ann.example@example.org"),
    ]
    assert all(f.field == "description" and f.record == "E001" for f in findings)
    assert [f.start for f in findings] == sorted(f.start for f in findings)


def test_snippets_never_show_identifiers_in_clear() -> None:
    findings = scan_text(MIXED, keep_out=["Ann Example"])
    assert len(findings) == 7
    assert_masked(MIXED, findings)
    nhs_snippet = next(f.snippet for f in findings if f.kind is K.NHS_NUMBER)
    assert "943 *** ****" in nhs_snippet


def test_labels_are_plain_english() -> None:
    (finding,) = scan_text("NHS 943 476 5919")
    assert finding.label == "NHS number"
    assert {f.label for f in scan_text(MIXED, keep_out=["Ann Example"])} >= {
        "National Insurance number",
        "postcode",
        "phone number",
        "email address",
        "date of birth",
    }


def test_fingerprint_is_stable_across_layouts_and_hides_the_value() -> None:
    a = scan_text("NHS 943 476 5919")[0].fingerprint
    b = scan_text("nhs number 943-476-5919 again", field="other")[0].fingerprint
    c = scan_text("NHS 9434765919")[0].fingerprint
    assert a == b == c
    assert re.fullmatch(r"[0-9a-f]{16}", a)
    assert "9434765919" not in a
    other = scan_text(f"NHS {valid_nhs('401023456')}")[0].fingerprint
    assert other != a
    pc1, pc2 = scan_text("LS1 4AP"), scan_text("ls14ap")
    assert pc1[0].fingerprint == pc2[0].fingerprint


def test_finding_is_frozen_and_serialises_without_the_value() -> None:
    finding = scan_text("Call 07700 900123", field="notes", record="E002")[0]
    with pytest.raises(pydantic.ValidationError):
        finding.start = 0  # type: ignore[misc]
    dumped = finding.model_dump_json()
    assert "900123" not in dumped
    assert Finding.model_validate_json(dumped) == finding
    assert pickle.loads(pickle.dumps(finding)) == finding


def test_overlapping_same_kind_findings_are_merged() -> None:
    text = "I met Ann Example Smith."
    findings = found(text, keep_out=["Ann Example", "Ann Example Smith", "Example Smith"])
    assert findings == [(K.LISTED_NAME, "Ann Example Smith")]


def test_empty_and_clean_text() -> None:
    assert scan_text("") == []
    assert scan_text("A plain reflection on contract monitoring.", keep_out=[]) == []


# Where each pattern's guard decides: at the very start of the text, right after a digit,
# a letter or a plus sign (the scan checks what precedes an identifier from just after its
# first character, and finds NI numbers and postcodes from their digits and inward codes).
NHS_EDGE = valid_nhs("943476591")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NHS_EDGE, [(K.NHS_NUMBER, NHS_EDGE)]),
        (f"x{NHS_EDGE}", [(K.NHS_NUMBER, NHS_EDGE)]),
        (f"-{NHS_EDGE}", [(K.NHS_NUMBER, NHS_EDGE)]),
        (f"1{NHS_EDGE}", []),
        (f"1-{NHS_EDGE}", []),
        ("AB123456C", [(K.NI_NUMBER, "AB123456C")]),
        ("AB 123456C", [(K.NI_NUMBER, "AB 123456C")]),
        ("NI: AB12 34 56", [(K.NI_NUMBER, "AB12 34 56")]),
        ("1AB123456C", []),
        ("xAB123456C", []),
        ("NI: xAB 12 34 56", []),
        ("A1 1AA", [(K.POSTCODE, "A1 1AA")]),
        ("EC1A 1BB", [(K.POSTCODE, "EC1A 1BB")]),
        ("EC1A1BB", [(K.POSTCODE, "EC1A1BB")]),
        ("xLS1 4AP", []),
        ("4EC1A 1BB", []),
        ("LS1 4AP,M1 1AE", [(K.POSTCODE, "LS1 4AP"), (K.POSTCODE, "M1 1AE")]),
        ("LS1 4AP AB123456C", [(K.POSTCODE, "LS1 4AP"), (K.NI_NUMBER, "AB123456C")]),
        ("07700 900123", [(K.PHONE, "07700 900123")]),
        ("(020) 7946 0958", [(K.PHONE, "(020) 7946 0958")]),
        ("x(020) 7946 0958", [(K.PHONE, "(020) 7946 0958")]),
        ("+44 7700 900123", [(K.PHONE, "+44 7700 900123")]),
        ("107700 900123", []),
        ("+07700 900123", []),
        ("9+44 7700 900123", []),
        ("DOB 12/03/1985", [(K.DATE_OF_BIRTH, "12/03/1985")]),
        ("Born: 1 May 1990", [(K.DATE_OF_BIRTH, "1 May 1990")]),
        ("BIRTH DATE 1990-06-03", [(K.DATE_OF_BIRTH, "1990-06-03")]),
        ("reborn 12/03/1985", []),
        ("xdob 1/2/1990", []),
    ],
)
def test_identifiers_at_the_edges_of_their_guards(
    text: str, expected: list[tuple[FindingKind, str]]
) -> None:
    assert found(text) == expected


def test_scan_fields_labels_each_field() -> None:
    findings = scan_fields(
        {"description": "Call 07700 900123.", "stages.feelings": "DOB 1/2/1940", "title": ""},
        record="R001",
    )
    assert [(f.field, f.kind, f.record) for f in findings] == [
        ("description", K.PHONE, "R001"),
        ("stages.feelings", K.DATE_OF_BIRTH, "R001"),
    ]


# Attachments


def _pdf_with_text(lines: list[str]) -> bytes:
    """A minimal one-page PDF with a Helvetica text stream, xref offsets computed."""
    ops = ["BT", "/F1 12 Tf", "72 720 Td", "14 TL"]
    ops += [f"({pdf_string(line)}) Tj T*" for line in lines]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    return pdf_file(objects)


def _docx_with_text(paragraphs: list[str]) -> bytes:
    import io

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = (
        f'<?xml version="1.0"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["notes.txt", "minutes.md", "register.csv"])
def test_extract_text_reads_plain_text_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("name,phone\nAnn Example,07700 900123\n£12 café\n", encoding="utf-8")
    assert extract_text(path) == "name,phone\nAnn Example,07700 900123\n£12 café\n"


def test_extract_text_reports_bad_encoding_without_crashing(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes("Cost £5, call 07700 900123\n".encode("cp1252"))
    with pytest.warns(UnicodeWarning, match="legacy.csv"):
        text = extract_text(path)
    assert text is not None and "07700 900123" in text


def test_extract_text_reads_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(
        _pdf_with_text(["Dear Ann Example (NHS 943 476 5919),", "Call 0113 496 0000."])
    )
    text = extract_text(path)
    assert text is not None
    assert "943 476 5919" in text and "0113 496 0000" in text


def test_extract_text_reads_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(_docx_with_text(["Review notes", "Lives at LS1 4AP, DOB 12/03/1941."]))
    assert extract_text(path) == "Review notes\nLives at LS1 4AP, DOB 12/03/1941."


def test_extract_text_returns_none_for_images(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert extract_text(path) is None
    assert scan_file(path) == []


def test_unreadable_pdf_raises_attachment_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"this is not a pdf at all")
    with pytest.raises(AttachmentError) as info:
        extract_text(path)
    assert info.value.path == str(path)


def test_missing_attachment_raises_attachment_error(tmp_path: Path) -> None:
    with pytest.raises(AttachmentError):
        extract_text(tmp_path / "gone.txt")


def test_scan_file_names_the_attachment_field(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Spoke to ann example, tel 07700 900123.\n", encoding="utf-8")
    findings = scan_file(path, record="E001", keep_out=["Ann Example"])
    assert [(f.kind, f.field, f.record) for f in findings] == [
        (K.LISTED_NAME, "attachment:E001/notes.txt", "E001"),
        (K.PHONE, "attachment:E001/notes.txt", "E001"),
    ]
    assert scan_file(path, field="custom")[0].field == "custom"


def test_scan_file_on_pdf_masks_snippets(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(_pdf_with_text(["Patient NHS number 943 476 5919 at SW1A 1AA"]))
    findings = scan_file(path, record="E003")
    assert [f.kind for f in findings] == [K.NHS_NUMBER, K.POSTCODE]
    text = extract_text(path)
    assert text is not None
    assert_masked(text, findings)


def test_listed_names_are_found_in_the_forms_people_write_them():
    keep_out = ["Mrs Edith Marlowe"]
    for text in ("Visited edith marlowe", "Spoke to Mrs. Marlowe", "Ms Marlowe called"):
        assert [f.kind for f in scan_text(text, keep_out=keep_out)] == ["listed_name"], text
    for text in ("Marlowe Street depot", "Edith Jane Marlowe"):
        assert scan_text(text, keep_out=keep_out) == [], text
