"""A text with no digit skips the searches that need one: it must find exactly what they do."""

from __future__ import annotations

import random

from cpc306_portfolio.confidentiality import identifiers as ids
from cpc306_portfolio.confidentiality.identifiers import find_hits

from .identifier_searches import NAMES, every_search

WORDS = [
    "born",
    "date of birth",
    "DOB",
    "NHS",
    "patient",
    "tel",
    "phone",
    "mobile",
    "NI",
    "national insurance",
    "AB",
    "CD",
    "QQ",
    "ab",
    "SW",
    "EC",
    "AA",
    "May",
    "march",
    "th",
    "st",
    "robin.fictional@example.org",
    "ash@example.com",
    "Robin Fictional",
    "Ash",
    "Madeup",
    "+",
    "(",
    ")",
    "-",
    "/",
    ".",
    ",",
    "@",
    "\n",
    "\n\n",
    " ",
    "  ",
    "\t",
    "\u00a0",
    "provider",
    "milestone",
    "O",
    "l",
    "I",
    "Ⅻ",
    "½",
    "²",
]


def test_digitless_texts_find_what_every_search_finds() -> None:
    rng = random.Random(306)
    found = 0
    for _ in range(3000):
        text = "".join(rng.choice(WORDS) + rng.choice(["", " "]) for _ in range(rng.randint(1, 30)))
        assert ids._ANY_DIGIT.search(text) is None
        got = find_hits(text, NAMES)
        assert sorted(got) == sorted(every_search(text)), text
        found += bool(got)
    assert found > 100  # the texts do hold e-mail addresses and names


def test_one_digit_of_any_script_takes_every_search() -> None:
    # "\d" is any decimal digit: an Arabic-Indic or full-width one counts, as in the patterns.
    for digit in ("7", "\u0667", "\uff17"):
        assert ids._ANY_DIGIT.search(f"phone {digit}") is not None
    text = "Born 01/02/1990, NHS 943 476 5919, tel 020 7946 0991, AB 12 34 56 C, SW1A 1AA"
    assert sorted(find_hits(text, NAMES)) == sorted(every_search(text))
    assert {h[0].value for h in find_hits(text, NAMES)} >= {
        "date_of_birth",
        "nhs_number",
        "postcode",
    }
