from __future__ import annotations

import pytest

from cpc306_portfolio.files.yamlio import dump_yaml, field_loc, line_of, parse_yaml

TRICKY = [
    "plain",
    "",
    "x" * 200,
    "line one\nline two",
    "trailing newline\n",
    "two trailing newlines\n\n",
    "  leading spaces\nnext",
    "trailing spaces   \nnext",
    "- looks like a list item: with a colon # and a hash",
    "2026-03-04",
    "yes",
    "null",
    "'quotes' and \"quotes\"",
    "tabs\tinside\nand unicode: Schön, £12, naïve — “smart”",
    "long " * 40 + "\nwith a second line",
]


@pytest.mark.parametrize("text", TRICKY)
def test_every_text_round_trips_exactly(text):
    tree, problems = parse_yaml(dump_yaml({"description": text}), "t.yaml")
    assert problems == []
    assert tree["description"] == text


def test_line_of_points_at_the_field():
    text = "a: 1\nlist:\n  - x\n  - y\nnested:\n  key: v\n"
    tree, _ = parse_yaml(text, "t.yaml")
    assert line_of(tree, field_loc("list[1]")) == 4
    assert line_of(tree, field_loc("nested.key")) == 6
    assert line_of(tree, field_loc("nested.missing")) == 5


def test_a_syntax_error_has_a_line():
    _, [problem] = parse_yaml("a: 1\nb: [unclosed\nc: 2\n", "t.yaml")
    assert problem.line is not None
    assert problem.path == "t.yaml"
