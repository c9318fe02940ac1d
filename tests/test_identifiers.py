"""Where each kind of identifier is, and the one value it stands for however it is written."""

from __future__ import annotations

import pytest

from cpc306_portfolio.confidentiality.identifiers import FindingKind as K
from cpc306_portfolio.confidentiality.identifiers import find_hits
from cpc306_portfolio.confidentiality.names import KeepOutMatcher

NOBODY = KeepOutMatcher.from_names([])


def hits(text: str, names: KeepOutMatcher = NOBODY) -> list[tuple[str, str, str]]:
    """``(kind, text as written, normalised value)`` in order of position."""
    return [
        (k.value, text[s:e], v) for k, s, e, v in sorted(find_hits(text, names), key=lambda h: h[1])
    ]


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("NI ab 12 34 56 c", K.NI_NUMBER, "AB123456C"),
        ("Her NI is AB123456", K.NI_NUMBER, "AB123456"),
        ("at ls1 4ap", K.POSTCODE, "LS14AP"),
        ("at EC1A1BB", K.POSTCODE, "EC1A1BB"),
        ("mail Jo.Bloggs@Example.ORG", K.EMAIL, "jo.bloggs@example.org"),
        ("call +44 (0)113 496 0000", K.PHONE, "+441134960000"),
        ("call 0113-496-0000", K.PHONE, "+441134960000"),
        ("NHS 943-476-5919", K.NHS_NUMBER, "9434765919"),
        ("DOB 3rd March, 1950", K.DATE_OF_BIRTH, "3rd march 1950"),
    ],
)
def test_each_identifier_stands_for_one_normalised_value(text: str, kind: K, value: str):
    [(found_kind, _, found_value)] = hits(text)
    assert (found_kind, found_value) == (kind.value, value)


def test_one_person_written_three_ways_is_one_value_each_time() -> None:
    values = {v for _, _, v in hits("call 07700 900123, or 07700900123, or +44 7700 900123")}
    assert values == {"+447700900123"}


@pytest.mark.parametrize(
    "text",
    [
        "Born in Leeds. The review was on 12/03/2024.",  # the cue is in an earlier sentence
        "Born in Leeds;\n12/03/2024 was the review.",
        "born, as the file says at some length, on 12/03/1961",  # too far after the cue
        "date of birth 13/13/1990",  # no such date either way round
        "DOB 00/03/1941",
        "b. 12/03/1961",  # too short a cue to trust
    ],
)
def test_a_date_is_a_date_of_birth_only_close_after_a_birth_cue(text: str) -> None:
    assert K.DATE_OF_BIRTH.value not in [k for k, _, _ in hits(text)]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("born on 12/25/1961", "12/25/1961"),  # month-first, as some forms are filled in
        ("Birthday: 1950-3-4", "1950-3-4"),
        ("dob Sept 3rd 1950", "Sept 3rd 1950"),
        ("D.O.B 01.02.03", "01.02.03"),
    ],
)
def test_dates_of_birth_in_other_layouts(text: str, date: str) -> None:
    assert hits(text) == [("date_of_birth", date, " ".join(date.lower().split()))]


def test_an_ordinal_is_not_an_inward_code_unless_written_in_capitals() -> None:
    assert hits("meet at B7 2nd floor") == []
    assert hits("post to B7 2ND") == [("postcode", "B7 2ND", "B72ND")]
    assert hits("from K15 4pm on") == []


def test_a_number_abroad_is_not_reported_as_a_uk_phone() -> None:
    assert hits("call +1 212 555 0100 or +33 1 23 45 67 89") == []


def test_a_reference_label_hides_a_number_unless_a_phone_cue_is_nearer() -> None:
    assert hits("invoice 0113 496 0000") == []
    assert hits("PO 0113 496 0000") == []
    assert hits("invoice query, tel 0113 496 0000") == [("phone", "0113 496 0000", "+441134960000")]


def test_an_nhs_number_labelled_as_a_contract_reference_is_not_one_but_a_patient_s_is():
    assert hits("contract 943 476 5919") == []
    assert hits("patient ref 943 476 5919") == [("nhs_number", "943 476 5919", "9434765919")]


def test_digits_that_run_on_are_not_an_nhs_number() -> None:
    assert hits("9434765919-2") == []
    assert hits("19434765919") == []


def test_listed_names_are_found_beside_other_identifiers() -> None:
    names = KeepOutMatcher.from_names(["Edith Marlowe"])
    assert hits("Edith Marlowe, LS1 4AP", names) == [
        ("listed_name", "Edith Marlowe", "edith marlowe"),
        ("postcode", "LS1 4AP", "LS14AP"),
    ]


def test_an_email_stops_before_trailing_punctuation() -> None:
    assert hits("write to jo@example.org.") == [("email", "jo@example.org", "jo@example.org")]
    assert hits("x@y and a@b.c") == []
