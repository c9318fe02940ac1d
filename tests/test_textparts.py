"""The importer's small text rules: ids a unit file accepts, options without list punctuation."""

from __future__ import annotations

import re

import pytest

from cpc306_portfolio.standard.textparts import (
    Line,
    norm,
    option_label,
    paragraphs,
    slug,
    unique,
)

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")  # what the unit model accepts for a scope id


def test_norm_drops_bold_and_folds_whitespace() -> None:
    assert norm("  Check **each**\n tool\t now ") == "Check each tool now"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Inspectors or regulators", "inspectors_or_regulators"),
        ("Risks: **financial** loss!", "risks_financial_loss"),
        ("one two three four five six seven eight", "one_two_three_four_five_six"),
        ("24-hour cover", "item_24_hour_cover"),
        ("???", "item"),
        ("Café owners", "caf_owners"),
    ],
)
def test_slug_makes_an_id_the_unit_model_accepts(label: str, expected: str) -> None:
    made = slug(label)
    assert made == expected
    assert SNAKE.match(made)


def test_slug_uses_the_fallback_it_is_given() -> None:
    assert slug("2nd reviews", "option") == "option_2nd_reviews"
    assert slug("", "scope") == "scope"


def test_unique_numbers_repeats_from_two_and_remembers_each() -> None:
    taken: set[str] = set()
    assert [unique("worn", taken) for _ in range(3)] == ["worn", "worn_2", "worn_3"]
    assert taken == {"worn", "worn_2", "worn_3"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" or rusty.", "rusty"),
        ("broken,", "broken"),
        ("tools, spares etc.", "tools, spares etc."),
        ("order forms ;", "order forms"),
        ("orbital sanders", "orbital sanders"),
        ("**bold** option.", "bold option"),
    ],
)
def test_option_label_drops_list_punctuation_but_not_words(raw: str, expected: str) -> None:
    assert option_label(raw) == expected


def _lines(text: str) -> list[Line]:
    return [Line(i, raw) for i, raw in enumerate(text.splitlines(), start=1)]


def test_paragraphs_start_at_their_first_line_and_join_with_spaces() -> None:
    text = "\nFirst line\n  second line\n\n\nThird\n"
    assert list(paragraphs(_lines(text))) == [(2, "First line second line"), (6, "Third")]


def test_a_heading_pattern_starts_a_paragraph_with_no_blank_line_before_it() -> None:
    # Text taken from a PDF keeps no blank lines.
    text = "Intro words\nSupports: trays; boxes\nConditions: light\nmore of it"
    heading = re.compile(r"^[A-Z][a-z]+:\s")
    assert list(paragraphs(_lines(text), heading)) == [
        (1, "Intro words"),
        (2, "Supports: trays; boxes"),
        (3, "Conditions: light more of it"),
    ]
    assert [n for n, _ in paragraphs(_lines(text))] == [1]
