"""The prefilter that spares most texts the searches for numbers must never hide a finding.

``could_hold_number`` says False only when no identifier written with digits can be in a
text. These tests build texts full of near-identifiers (digits, separators, months, cues,
digits of other scripts) and hold the filtered scan to every search run unfiltered.
"""

from __future__ import annotations

import random

import pytest

from cpc306_portfolio.confidentiality import identifiers as ids
from cpc306_portfolio.confidentiality.identifiers import could_hold_number, find_hits

from .identifier_searches import NAMES, every_search

PIECES = [
    *"0123456789",
    "12",
    "07",
    "1990",
    "943",
    "476",
    "5919",
    "4765919",
    "9434765919",
    "07700",
    "900123",
    "020",
    "7946",
    "0991",
    "+44",
    "+",
    "0044",
    "(0)",
    "(",
    ")",
    "-",
    "/",
    ".",
    ",",
    ":",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\u00a0",
    "AB",
    "ab",
    "QQ",
    "CE",
    "SW1A",
    "1AA",
    "M1",
    "LS1",
    "4AP",
    "2nd",
    "4pm",
    "st",
    "th",
    "of",
    "May",
    "march",
    "Sept.",
    "DEC",
    "born",
    "DOB",
    "d.o.b.",
    "date of birth",
    "NHS",
    "tel",
    "mobile",
    "NI",
    "national insurance",
    "ref",
    "invoice",
    "provider",
    "visit",
    "ash@example.com",
    "@",
    "Robin Fictional",
    "\u0667",  # an Arabic-Indic seven
    "\uff17",  # a full-width seven
    "\u00bd",
    "\u017f",  # long s, which case-folds to "s"
    "\u212a",  # Kelvin sign, which case-folds to "k"
]


def first_stage_matches(text: str) -> bool:
    """Whether any search the number kinds start from matches anywhere (in any window)."""
    patterns = (ids._NHS, ids._NI_DIGITS, ids._INWARD, ids._PHONE_RUN, ids._DATE)
    if any(p.search(text) for p in patterns):
        return True
    # A date of birth is looked for in a window after its cue: a match cut short by the
    # window's end must be seen too.
    return any(ids._DATE.search(text, 0, end) for end in range(len(text)))


def texts(seed: int, count: int, ascii_only: bool) -> list[str]:
    rng = random.Random(seed)
    pieces = [p for p in PIECES if p.isascii()] if ascii_only else PIECES
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 24))) for _ in range(count)]


@pytest.mark.parametrize("ascii_only", [True, False])
def test_the_prefilter_says_no_only_where_no_search_could_match(ascii_only: bool) -> None:
    said_no = 0
    for text in texts(306 + ascii_only, 4000, ascii_only):
        if not could_hold_number(text):
            assert not first_stage_matches(text), repr(text)
            said_no += 1
    assert said_no > 400  # it does rule texts out, or this test proves nothing


@pytest.mark.parametrize("ascii_only", [True, False])
def test_filtered_find_hits_finds_what_every_search_finds(ascii_only: bool) -> None:
    found = 0
    for text in texts(30 + ascii_only, 4000, ascii_only):
        got = find_hits(text, NAMES)
        assert sorted(got) == sorted(every_search(text)), repr(text)
        found += any(h[0] is not ids.FindingKind.LISTED_NAME for h in got)
    assert found > 300  # numbers of every kind were there to find


def test_identifiers_in_prose_are_still_found() -> None:
    prose = "The provider missed the milestone and I agreed corrective action. " * 8
    for identifier in (
        "943 476 5919",
        "AB 12 34 56 C",
        "SW1A 1AA",
        "07700 900123",
        "born 01/02/1990",
        "DOB: 1st May 1990",
        "born May 1st, 1990",
        "born 1990-02-01",
    ):
        text = f"Visit 12: {prose}{identifier}. {prose}"
        assert could_hold_number(text), identifier
        assert find_hits(text, NAMES), identifier
        assert sorted(find_hits(text, NAMES)) == sorted(every_search(text))


def test_a_text_of_many_numbers_is_searched_whole() -> None:
    # More digits than the prefilter tries one by one: it searches the rest in one go.
    numbers = ", ".join(str(n) for n in range(100, 400))
    assert not could_hold_number(numbers)
    table = numbers + ", call 07700 900123"
    assert could_hold_number(table)
    assert sorted(find_hits(table, NAMES)) == sorted(every_search(table))


def test_prose_with_a_count_or_a_title_number_is_ruled_out() -> None:
    assert not could_hold_number("Monitoring visit 1234")
    assert not could_hold_number("Visit 1234: " + "we met the provider. " * 40)
    assert not could_hold_number("")


def test_text_beyond_ascii_takes_the_same_shortcut_and_digits_of_any_script_count() -> None:
    prose = "Visit 12 \u2013 we met the provider\u2019s team at the caf\u00e9. " * 10
    assert not could_hold_number(prose)
    for identifier in ("943 476 5919", "call 07700 900123", "SW1A 1AA"):
        text = prose + identifier
        assert could_hold_number(text)
        assert sorted(find_hits(text, NAMES)) == sorted(every_search(text))
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in "9434765919")
    assert could_hold_number(f"{prose} NHS {arabic_indic}")
    many = "\u2019" * 100 + " call 07700 900123"  # too many to look at one by one
    assert could_hold_number(many) and not could_hold_number("\u2019" * 100 + " 12")
