"""The keep-out matcher's first check reads whitespace-separated pieces: as _WORD would."""

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
    "O\u2019Neill",  # a curly apostrophe, as word processors write it
    "Marlowe\u2019s",
    "\u00c9dith",
    "\u00e9",
    "\u00a0",  # no-break space
    "\u2028",  # line separator
    "\u3000",  # ideographic space
    "\u200b",  # zero-width space (not whitespace to str.split)
    "\u0667",
    "\uff2d",  # a full-width M
    "\u2014",
]


@pytest.mark.parametrize("hashed", [False, True])
def test_texts_get_the_answer_the_word_pattern_gives(hashed: bool) -> None:
    rng = random.Random(306 + hashed)
    said = {True: 0, False: 0}
    for _ in range(3000):
        matcher = (
            KeepOutMatcher.from_hashes(KEY, [h for n in LISTED for h in hashed_forms(KEY, n)])
            if hashed
            else KeepOutMatcher.from_names(LISTED)
        )
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        expected = matcher._any_could_end(set(_WORD.findall(text)))
        assert matcher._could_occur(text) == expected, repr(text)
        said[expected] += 1
    assert min(said.values()) > 300  # both answers were given, often


def test_a_piece_between_spaces_holds_the_words_it_is_made_of() -> None:
    matcher = KeepOutMatcher.from_names(LISTED)
    assert matcher._could_occur("Met with--Marlowe's son.")
    assert matcher._could_occur("ask (Madeup-Jones)!")
    assert not matcher._could_occur("Madeup - Jonesy and Neill")
    assert matcher._could_occur("with\u00a0Jo\u00a0O\u2019Neill\u2019s son")
    long = "x" * 100 + ".Marlowe"  # a long piece is read, not kept
    assert matcher._could_occur(long) and long not in matcher._pieces
    assert [m[2] for m in matcher.finditer("Dear Ms Marlowe's son, and Jo O'Neill.")] == [
        "title: marlowe",
        "jo o'neill",
    ]
