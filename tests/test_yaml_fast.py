"""The libyaml fast path reads every file exactly as ruamel would, or leaves it to ruamel.

``fast_load`` either returns what ``plain_data`` of ruamel's tree is (the same values of
the same types) or says ``SLOW``; it must never give a third answer, and a problem in a
file it read must still name its line.
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio.files.fastyaml import SLOW, FastTree
from cpc306_portfolio.files.fastyaml import fast_load as _fast_load
from cpc306_portfolio.files.yamlio import (
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    _reader,
    line_of,
    parse_yaml,
    plain_data,
)


def fast_load(text: str) -> Any:
    """The fast path as :func:`parse_yaml` calls it."""
    return _fast_load(text, _reader, MAX_YAML_NODES, MAX_YAML_DEPTH)


ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(
    p
    for pattern in ("evidence/**/*.yaml", "cpc306_portfolio/**/*.yaml", "tests/data/**/*.yaml")
    for p in ROOT.glob(pattern)
    if "units_broken" not in p.parts
)


def _same(a: Any, b: Any) -> bool:
    """Equal values of exactly equal types, all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _ruamel(text: str) -> Any:
    try:
        tree = _reader().load(text)
    except Exception as exc:  # the refusal is the answer to compare
        return exc
    return None if tree is None else plain_data(tree)


def _agrees(text: str) -> bool:
    fast = fast_load(text)
    if fast is SLOW:
        return True
    theirs = _ruamel(text)
    if fast is None:
        return theirs is None
    return isinstance(fast, FastTree) and _same(dict(fast), theirs)


def test_the_files_we_ship_are_found_and_many():
    assert len(SHIPPED) >= 30


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_we_ship_takes_the_fast_path_and_reads_the_same(path):
    text = path.read_text(encoding="utf-8")
    fast = fast_load(text)
    assert isinstance(fast, FastTree), "a file of ours fell back to the slow parser"
    assert _same(dict(fast), _ruamel(text))


SCALARS = [
    "12", "-7", "0o17", "017", "0x1F", "0b11", "1_000", "1.5", "1e3", "-.inf", ".nan",
    "yes", "no", "on", "off", "y", "True", "FALSE", "null", "Null", "~", "", "1:30",
    "2025-03-14", "2025-3-4", "2025-03-14T10:00:00+01:00", "2025-03-14 10:00:00Z",
    "2025-03-14T10:00:00.123456", "2025-13-01", "'12'", '"yes"', "<<", "=", "!!str 12",
    "!!int '3'", "!custom x", "&a x", "[1, {a: 2}]", "{}", "[]", "|\n  block\n  text\n",
    ">-\n  folded\n  text\n", "'it''s'", '"\\u00e9\\n"', "- a\n  - b", "a # comment",
]  # fmt: skip


@pytest.mark.parametrize("scalar", SCALARS)
def test_each_kind_of_value_reads_as_ruamel_reads_it_or_goes_to_ruamel(scalar):
    assert _agrees(f"k: {scalar}\nnext: 1\n")
    assert _agrees(f"{scalar}: k\n") or scalar.startswith(("|", ">", "- "))


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key
        "a: &x [1]\nb: *x\n",  # alias
        "%YAML 1.1\n---\na: yes\n",  # a directive changes the schema
        "a: b\tc\n",  # tabs: 1.1 and 1.2 scanners part ways
        "a: one\x85two\n",  # NEL: a line break in 1.1 only
        "a: one\u2028two\n",
        "? [a, b]\n: c\n",  # a complex key
        "- a\n- b\n",  # not a mapping at the top
        "a: 1\n---\nb: 2\n",  # two documents
        "a: [1, 2\n",  # a syntax error
    ],
)
def test_what_the_two_parsers_might_read_apart_goes_to_ruamel(text):
    assert fast_load(text) is SLOW


def test_deep_nesting_goes_to_ruamel_well_before_its_limit():
    deep = "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "v\n"
    assert fast_load(deep) is SLOW
    assert fast_load("a:\n  b:\n    c: 1\n") == {"a": {"b": {"c": 1}}}


def edited(
    rng: random.Random, text: str, pieces: list[str], cut_chance: float, longest_cut: int
) -> str:
    """``text`` with one to three random edits: a cut of 1 to ``longest_cut`` characters
    (with ``cut_chance``), else one of ``pieces`` put in."""
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(text) + 1)
        if rng.random() < cut_chance:
            # No draw for a one-character cut: each test's seeded texts stay what they were.
            cut = rng.randint(1, longest_cut) if longest_cut > 1 else 1
            text = text[:at] + text[at + cut :]
        else:
            text = text[:at] + rng.choice(pieces) + text[at:]
    return text


def test_mutated_files_never_read_differently():
    """Seeded random edits of our files: every answer agrees, or defers to ruamel."""
    texts = [p.read_text(encoding="utf-8")[:3000] for p in SHIPPED[:12]]
    pieces = [":", ": ", "- ", "#", "'", '"', "\n", "  ", "&a ", "*a", "!!", "? ", "|", ">",
              "{", "[", "]", "}", ",", "---\n", "...\n", "%", "@", "`", "\\", "\r", "0x",
              "1", ".", "yes", "~", "<<: ", "="]  # fmt: skip
    rng = random.Random(306)
    fast = 0
    for _ in range(400):
        text = edited(rng, rng.choice(texts), pieces, cut_chance=0.3, longest_cut=1)
        fast += fast_load(text) is not SLOW
        assert _agrees(text), text
    assert fast > 100  # most edits still take the fast path, so the check means something


def test_a_problem_in_a_fast_file_still_names_its_line():
    text = "schema: cpc306-portfolio/2\nid: E001\ntitle: A review\ncriteria:\n  - A3\n  - Z9\n"
    tree, problems = parse_yaml(text, "E001.yaml")
    assert problems == [] and isinstance(tree, FastTree)
    assert line_of(tree, ("criteria", 1)) == 6
    assert line_of(tree, ("title",)) == 3


def test_a_duplicate_key_is_still_refused_with_its_line():
    tree, problems = parse_yaml("title: a\nid: E1\ntitle: b\n", "E1.yaml")
    assert tree is None and problems[0].line == 3 and "duplicate" in problems[0].message
