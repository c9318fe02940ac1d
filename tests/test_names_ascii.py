"""The ASCII shortcut of the keep-out matcher's first check must answer as _WORD does."""

from __future__ import annotations

import random

import pytest

from cpc306_portfolio.confidentiality.names import (
    _WORD,
    KeepOutMatcher,
    hashed_forms,
)

LISTED = ["Edith Marlowe", "Robin Fictional", "Ash Madeup-Jones", "Jo O'Neill"]
KEY = b"k" * 32
PIECES = [
    "Edith",
    "Marlowe",
    "Marlowe's",
    "MARLOWE'S",
    "marlowe",
    "Fictional",
    "Robin",
    "Madeup-Jones",
    "Madeup",
    "-Jones",
    "Jones-",
    "O'Neill",
    "O'Neill's",
    "O''Neill",
    "Neill",
    "Ms",
    "Mrs.",
    "E.",
    "the",
    "provider",
    "don't",
    "it's",
    "'",
    "-",
    "--",
    "_",
    "__Marlowe__",
    "*",
    ".",
    ",",
    ";",
    "!",
    "?",
    "(",
    ")",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\x0b",
    "\x0c",
    "\x1f",
    "\x00",
    "7",
    "2nd",
    "@",
    "/",
    "&nbsp;",
    "<b>",
]


@pytest.mark.parametrize("hashed", [False, True])
def test_ascii_texts_get_the_answer_the_word_pattern_gives(hashed: bool) -> None:
    rng = random.Random(306 + hashed)
    said = {True: 0, False: 0}
    for _ in range(3000):
        matcher = (
            KeepOutMatcher.from_hashes(KEY, [h for n in LISTED for h in hashed_forms(KEY, n)])
            if hashed
            else KeepOutMatcher.from_names(LISTED)
        )
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        assert text.isascii()
        expected = matcher._any_could_end(set(_WORD.findall(text)))
        assert matcher._could_occur(text) == expected, repr(text)
        said[expected] += 1
    assert min(said.values()) > 300  # both answers were given, often


def test_a_run_of_word_characters_holds_the_words_it_is_made_of() -> None:
    matcher = KeepOutMatcher.from_names(LISTED)
    assert matcher._could_occur("Met with--Marlowe's son.")
    assert matcher._could_occur("ask (Madeup-Jones)!")
    assert not matcher._could_occur("Madeup - Jonesy and Neill")
    assert [m[2] for m in matcher.finditer("Dear Ms Marlowe's son, and Jo O'Neill.")] == [
        "title: marlowe",
        "jo o'neill",
    ]
