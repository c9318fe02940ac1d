"""Text as a reader sees it, and the way back to what the learner typed."""

from __future__ import annotations

import pytest

from cpc306_portfolio.confidentiality.scan import scan_text
from cpc306_portfolio.confidentiality.shown import shown_text

HIDDEN = [
    "Edith&nbsp;Marlowe",
    "Edith&#160;Marlowe",
    "Edith&#xA0;Marlowe",
    "**Edith** Marlowe",
    "_Edith_ ~Marlowe~",
    "Ed<b></b>ith Marlowe",
    "Edi\u200bth Mar\u00adlowe",
    "\ufeffEdith\u2060 Marlowe",
    "ＥＤＩＴＨ Marlowe",
    "Edith <span class='x'>Marlowe</span>",
]


@pytest.mark.parametrize("typed", HIDDEN)
def test_hidden_markup_reads_as_the_name(typed: str) -> None:
    assert shown_text(typed).text.casefold() == "edith marlowe"


@pytest.mark.parametrize("typed", HIDDEN)
def test_a_name_found_in_the_shown_text_is_located_in_the_typed_text(typed: str) -> None:
    text = f"Visited {typed} at home."
    [finding] = scan_text(text, keep_out=["Edith Marlowe"])
    span = text[finding.start : finding.end]
    # The span runs from the name's first letter to its last, as typed.
    assert span[0] in "EＥ" and span.endswith(("e", "e~", "e</span>"))
    assert text[: finding.start].startswith("Visited ")
    assert text[finding.end :].lstrip("~").startswith((" at home", "</span> at home"))
    # The snippet never shows more of the name than its first letter.
    assert "dith" not in finding.snippet and "arlowe" not in finding.snippet


def test_plain_text_is_returned_as_it_is_with_no_pieces() -> None:
    shown = shown_text("Plain words, 12 of them.")
    assert shown.text == "Plain words, 12 of them."
    assert shown.pieces == ()
    assert (shown.raw_start(3), shown.raw_end(7)) == (3, 7)


def test_an_entity_maps_back_to_the_whole_entity() -> None:
    typed = "a &amp; b"
    shown = shown_text(typed)
    assert shown.text == "a & b"
    at = shown.text.index("&")
    assert typed[shown.raw_start(at) : shown.raw_end(at + 1)] == "&amp;"
    assert typed[shown.raw_start(at + 2) : shown.raw_end(at + 3)] == "b"


def test_a_ligature_maps_back_to_the_one_character_it_came_from() -> None:
    typed = "the ﬁle"
    shown = shown_text(typed)
    assert shown.text == "the file"
    start = shown.text.index("file")
    assert typed[shown.raw_start(start) : shown.raw_end(start + 4)] == "ﬁle"
    assert typed[shown.raw_start(start + 1) : shown.raw_end(start + 2)] == "ﬁ"


def test_a_tag_between_words_keeps_them_apart_and_one_inside_a_word_joins_it() -> None:
    assert shown_text("x <br> y").text == "x  y"
    assert shown_text("Mar<i></i>lowe").text == "Marlowe"


def test_an_unknown_entity_and_a_lone_ampersand_stay_as_typed() -> None:
    assert shown_text("R&D and &zqx; here").text == "R&D and &zqx; here"
    # As a browser shows it: a legacy entity name is read even with letters after it.
    assert shown_text("&notanentity;").text == "¬anentity;"


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("Call 07700&#160;900123 today", "phone"),
        ("NHS 943&nbsp;476&nbsp;5919", "nhs_number"),
        ("jo&#46;bloggs&#64;example&#46;org", "email"),
        ("Lives at LS1&nbsp;4AP.", "postcode"),
    ],
)
def test_identifiers_hidden_behind_entities_are_found_and_masked(typed: str, kind: str):
    findings = scan_text(typed)
    assert [f.kind for f in findings] == [kind]
    assert findings[0].snippet != typed
    digits_or_letters = [c for c in typed[findings[0].start : findings[0].end] if c.isalnum()]
    assert len(digits_or_letters) >= 5


def test_the_shortcut_knows_every_character_that_changes_on_show() -> None:
    # Text is looked at for these characters only: any other character the shown form
    # would change must be among them, or a name behind it would go unseen.
    import sys

    from cpc306_portfolio.confidentiality import shown

    changes = {chr(i) for i in range(sys.maxunicode + 1) if shown._TRIGGER.match(chr(i))}
    assert changes == set(shown._ASCII_TRIGGERS) | shown._OTHER_TRIGGERS
    for ch in set(map(chr, range(128))) - changes:
        for text in (f"Edith{ch}Marlowe", f"{ch}{ch}x{ch}", ch):
            assert shown_text(text).text == text, repr(text)
    assert shown_text("Edith*Marlowe").text == "EdithMarlowe"


@pytest.mark.parametrize("other", ["", "\u2019", "\u00e9" * 70])
def test_the_shortcut_answers_as_the_pattern_does(other: str) -> None:
    from cpc306_portfolio.confidentiality import shown

    for ch in ["", "?", "a", *shown._ASCII_TRIGGERS, *shown._OTHER_TRIGGERS, "\u00a0", "\u3000"]:
        for text in (f"Edith{other}{ch}Marlowe", f"{ch}{other}", f"{other}?{ch}"):
            assert shown._has_trigger(text) == (shown._TRIGGER.search(text) is not None)
    assert shown_text("Edith\u200bMarlowe\u2019s").text == "EdithMarlowe\u2019s"
