"""Keep-out names: the forms matched, clear and hashed alike, and what is never matched."""

from __future__ import annotations

import pytest

from cpc306_portfolio.confidentiality.names import (
    KeepOutMatcher,
    canonical_name,
    hashed_forms,
    keep_out_matcher,
    keyed_digest,
    longest_name,
    name_forms,
)

KEY = b"a fictional learner's key, 32 b!"
LISTED = ["Mrs Edith Marlowe", "Dr Tomasz Q. Brennan-Okafor"]


def hashed(names: list[str], key: bytes = KEY) -> KeepOutMatcher:
    digests = [h for name in names for h in hashed_forms(key, name)]
    return KeepOutMatcher.from_hashes(key, digests, longest_name(names))


def found(matcher: KeepOutMatcher, text: str) -> list[str]:
    return [text[s:e] for s, e in matcher.spans(text)]


def test_the_forms_of_a_titled_name() -> None:
    forms = name_forms("Mrs  Edith   Marlowe")
    assert {f for f in forms if not f.startswith("last:")} == {
        "mrs edith marlowe",
        "edith marlowe",
        "title: marlowe",
        "initial: e marlowe",
    }
    assert {f for f in forms if f.startswith("last:")} == {"last:marlowe"}


def test_a_single_word_entry_is_matched_only_whole_and_a_one_letter_one_never() -> None:
    assert name_forms("Marlowe") == {"marlowe", "last:marlowe"}
    assert name_forms("E") == set()
    assert name_forms(" . ") == set()
    assert not KeepOutMatcher.from_names(["E", "", "  "])


def test_titles_are_dropped_from_the_front_only() -> None:
    # Nothing but titles: kept whole, no shorter form that would match any "Dr ..." at all.
    assert {f for f in name_forms("Dr Sir Lord") if not f.startswith("last:")} == {"dr sir lord"}
    assert "edith marlowe" in name_forms("Prof. Dr. Edith Marlowe")


def test_canonical_name_folds_case_spacing_and_curly_apostrophes() -> None:
    assert canonical_name(" Mrs  Edith  O’Marlowe ") == canonical_name("mrs edith o'marlowe")
    assert canonical_name("ＥＤＩＴＨ Marlowe") == "edith marlowe"  # full-width letters


@pytest.mark.parametrize("make", [KeepOutMatcher.from_names, hashed], ids=["clear", "hashed"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Visited Mrs Edith Marlowe today", ["Mrs Edith Marlowe"]),
        ("Visited Edith Marlowe today", ["Edith Marlowe"]),
        ("Spoke to Mr. Marlowe", ["Mr. Marlowe"]),
        ("E. Marlowe signed", ["E. Marlowe"]),
        ("Mrs Marlowe's son called", ["Mrs Marlowe"]),
        (
            "Dr Brennan-Okafor rang; Tomasz Brennan-Okafor too",
            ["Dr Brennan-Okafor", "Tomasz Brennan-Okafor"],
        ),
        ("Marlowe Street depot", []),
        ("Edith Jane Marlowe", []),
        ("e. marlowe (lower-case initial)", []),
        ("Edith, Marlowe", []),
    ],
)
def test_clear_and_hashed_matchers_find_the_same_names(make, text: str, expected: list[str]):
    assert found(make(LISTED), text) == expected


def test_the_longest_form_wins_and_matches_never_overlap() -> None:
    matcher = KeepOutMatcher.from_names(["Edith Marlowe", "Mrs Edith Marlowe"])
    assert list(matcher.finditer("Mrs Edith Marlowe")) == [(0, 17, "mrs edith marlowe")]
    two = KeepOutMatcher.from_names(["Ann Example", "Example Ward"])
    # "Ann Example Ward": the leftmost name is kept, the overlapping one after it is not.
    assert found(two, "Ann Example Ward") == ["Ann Example"]


def test_a_hash_made_with_another_key_matches_nothing() -> None:
    other = KeepOutMatcher.from_hashes(b"another key", hashed_forms(KEY, LISTED[0]))
    assert found(other, "Visited Edith Marlowe") == []
    assert keyed_digest(KEY, "edith marlowe") != keyed_digest(b"another key", "edith marlowe")
    assert len(keyed_digest(KEY, "edith marlowe")) == 32  # 16 bytes, hex


def test_hashed_forms_are_sorted_and_never_hold_the_name() -> None:
    forms = hashed_forms(KEY, "Mrs Edith Marlowe")
    assert forms == sorted(forms)
    assert len(forms) == len(name_forms("Mrs Edith Marlowe"))
    assert not any("marlowe" in f for f in forms)


def test_the_matcher_window_fits_the_longest_listed_form() -> None:
    assert longest_name([]) == 2
    assert longest_name(["Ann"]) == 2
    assert longest_name(["Dr Tomasz Q. Brennan-Okafor"]) == 4
    long = "Lady Anne Maria Teresa Example Smith"
    assert found(hashed([long]), f"With {long} present") == [long]


def test_withhold_replaces_each_name_and_keeps_the_rest() -> None:
    matcher = KeepOutMatcher.from_names(LISTED)
    text = "Edith Marlowe met Dr Brennan-Okafor; Mrs Marlowe's notes."
    assert matcher.withhold(text, "[name withheld]") == (
        "[name withheld] met [name withheld]; [name withheld]'s notes."
    )
    assert matcher.withhold("nobody here", "[x]") == "nobody here"


def test_keep_out_matcher_reuses_one_matcher_per_list_and_passes_a_matcher_through() -> None:
    first = keep_out_matcher(["Edith Marlowe"])
    assert keep_out_matcher(["Edith Marlowe"]) is first
    assert keep_out_matcher(first) is first
    assert not keep_out_matcher(None) and not keep_out_matcher(())
