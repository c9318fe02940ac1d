"""The line-by-line reader of our own block YAML reads as ruamel reads, or leaves it alone.

:func:`read_block` must give exactly ``plain_data`` of ruamel's tree (same values, same
types, same key order) or None (not sure); never a third answer. Its edits here aim
at what it decides itself: indentation, list dashes, colons, quotes, literal blocks,
blank lines, comments and indicators.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio.files import fastyaml
from cpc306_portfolio.files.blockyaml import read_block
from cpc306_portfolio.files.yamlio import MAX_YAML_DEPTH, MAX_YAML_NODES, _reader, plain_data

from .test_yaml_fast import _same, edited

ROOT = Path(__file__).resolve().parent.parent
OURS = sorted(ROOT.glob("evidence/**/*.yaml")) + sorted(ROOT.glob("tests/data/**/*.yaml"))
LIMITS = (MAX_YAML_NODES - 100, MAX_YAML_DEPTH // 2)


#: What :func:`_block` says where the reader is not sure (it leaves the text to libyaml).
Unsure: Any = object()


def _block(text: str) -> Any:
    try:
        read = read_block(text, fastyaml._plain_value, LIMITS)
    except (fastyaml._Bail, ValueError, TypeError, OverflowError):
        return Unsure
    return Unsure if read is None else read


def _ruamel(text: str) -> Any:
    try:
        return plain_data(_reader().load(text))
    except Exception as exc:  # the refusal is the answer to compare
        return exc


def _agrees(text: str) -> bool:
    mine = _block(text)
    return mine is Unsure or _same(mine, _ruamel(text))


def test_most_files_of_ours_are_read_line_by_line_and_read_the_same():
    read = 0
    for path in OURS:
        text = path.read_text(encoding="utf-8")
        assert _agrees(text), path
        read += _block(text) is not Unsure
    assert read >= len(OURS) // 2 and read >= 10


RECORD = """schema: cpc306-portfolio/4
id: E042
title: Monitoring visit 42
date: '2026-05-01'
method: question_and_answer
evidence_kind:
  - evidence/documentary
description: |-
  The provider missed the milestone.

  I agreed corrective action: a plan, dated.
    An indented line # not a comment
simulated: false
attachments:
  - path: E042/notes.txt
    sha256: b149f89c9c833d1a91f3f9ce0eba36f6718919c96d84db5514ec02b2fdcc3600
    size: 923
    media_type: text/plain
    description: ''
witness:
criteria:
  - A2
  - B3
knowledge: []
confidentiality: []
note: |
  Ends with one line break.
revision: 1
"""


def test_a_record_of_every_shape_is_read_line_by_line_as_ruamel_reads_it():
    mine = _block(RECORD)
    assert mine is not Unsure
    assert _same(mine, _ruamel(RECORD))
    assert mine["description"].endswith("dated.\n  An indented line # not a comment")
    assert mine["note"] == "Ends with one line break.\n"


@pytest.mark.parametrize(
    "text",
    [
        "a: b # comment\n",
        "a: b\n\nc: d\n",  # a blank line outside a block
        "# comment\na: b\n",
        "a: [1, 2]\n",
        'a: "quoted"\n',
        "a: b\n  c\n",  # a plain value that goes on
        "a:\n- b\n",  # a list at the key's column
        "a: |+\n  keep\n\n",
        "a: >-\n  folded\n",
        "a: |-\n\n  leading blank\n",
        "a: &x b\n",
        "a: b: c\n",
        "a: b\n",  # no: this one is ours (checked below)
        "a: b",  # no final line break
        "a: 'it''s' x\n",
        "- a\n",
        "a: b\na: c\n",
    ],
)
def test_what_is_not_our_shape_is_left_alone_or_read_the_same(text):
    assert _agrees(text)
    if text != "a: b\n":
        assert _block(text) is Unsure
    else:
        assert _block(text) == {"a": "b"}


PIECES = ["  ", " ", "- ", "-", ":", ": ", "'", "''", "\n", "\n\n", "|-", "|", "|+", "#", " #",
          "[", "]", "{", "}", ",", "?", "*", "&", "!", ">", "%", "@", "`", '"', "~", "null",
          "yes", "1", "0x1", "1.5", "2026-13-01", "a: b", "\n  ", "\n- ", "\n  - ", "\n    ",
          "é", "\u00a0", "\x07", "\x85", "...", "---", "<<: ", "="]  # fmt: skip


def test_random_edits_are_read_the_same_or_left_alone():
    texts = [RECORD] + [p.read_text(encoding="utf-8")[:4000] for p in OURS[:20]]
    rng = random.Random(30600)
    read = 0
    for _ in range(3000):
        text = edited(rng, rng.choice(texts), PIECES, cut_chance=0.25, longest_cut=3)
        read += _block(text) is not Unsure
        assert _agrees(text), text
    assert read > 500  # most edits are still read line by line, so the check means something


def test_fast_load_reads_our_shape_line_by_line_and_the_rest_as_before(monkeypatch):
    calls = []
    original = fastyaml._c_loader

    def counted() -> Any:
        calls.append(1)
        return original()

    monkeypatch.setattr(fastyaml, "_C_LOADER", None)
    monkeypatch.setattr(fastyaml, "_c_loader", counted)
    tree = fastyaml.fast_load(RECORD, _reader, MAX_YAML_NODES, MAX_YAML_DEPTH)
    assert isinstance(tree, fastyaml.FastTree) and not calls
    tree = fastyaml.fast_load("a: [1, 2]\n", _reader, MAX_YAML_NODES, MAX_YAML_DEPTH)
    assert dict(tree) == {"a": [1, 2]} and calls


KEYS = ["a", "b", "id", "true", "null", "yes", "x_1", "on", "E1", "No"]
VALUES = ["v", "1", "-1", "0o7", "012", "1e3", ".5", "-.inf", ".nan", "~", "null", "true",
          "False", "yes", "2026-05-01", "2026-05-01 10:00:00", "2026-05-01T10:00:00Z", "'q'",
          "''", "'a''b'", "'  sp  '", "[]", "{}", "a:b", "a,b", "-x", "12:30", "0b11", "0x1F",
          "1_000", "+1", "é", "a #b", "a#b", "1:2:3", "-0", "+.inf", "2026-1-1", "a\u00a0",
          ""]  # fmt: skip


def _literal(rng: random.Random, indent: int) -> list[str]:
    column = indent + rng.choice([1, 2, 2, 3])
    out = []
    for i in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.2 and i:
            out.append(" " * rng.choice([0, column, column - 1, column + 1]))
        elif roll < 0.3:
            out.append(" " * (column + rng.choice([1, 2])) + "more # x")
        else:
            out.append(" " * column + rng.choice(["text", "- dash", "k: v", "#h", "a  b ", "'q'"]))
    return out + ([""] if rng.random() < 0.2 else [])


def _mapping(rng: random.Random, indent: int, depth: int, first: str | None = None) -> list[str]:
    out = []
    keys = rng.sample(KEYS, rng.randint(1, 4))
    keys += keys[:1] if rng.random() < 0.05 else []
    for n, key in enumerate(keys):
        start = first if n == 0 and first is not None else " " * indent
        roll = rng.random()
        if roll < 0.55 or depth > 3:
            value = rng.choice(VALUES)
            out.append(f"{start}{key}:" + (f" {value}" if value else ""))
        elif roll < 0.7:
            out += [f"{start}{key}:", *_mapping(rng, indent + rng.choice([2, 1, 4]), depth + 1)]
        elif roll < 0.85:
            out += [f"{start}{key}:", *_sequence(rng, indent + rng.choice([2, 0, 4]), depth + 1)]
        else:
            header = rng.choice(["|-", "|", "|+", ">"])
            out += [f"{start}{key}: {header}", *_literal(rng, indent)]
    return out


def _sequence(rng: random.Random, indent: int, depth: int) -> list[str]:
    out = []
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.3 and depth < 4:
            out += _mapping(rng, indent + 2, depth + 1, first=" " * indent + "- ")
        else:
            out.append(" " * indent + "- " + rng.choice(VALUES))
    return out


def test_generated_documents_of_nearly_our_shape_are_read_the_same_or_left_alone():
    rng = random.Random(306306)
    read = 0
    for _ in range(4000):
        lines = _mapping(rng, 0, 1)
        if rng.random() < 0.3:
            at = rng.randrange(len(lines))
            lines[at] += rng.choice([" ", ":", " #c", "'", " x"])
        text = "\n".join(lines) + "\n"
        read += _block(text) is not Unsure
        assert _agrees(text), text
    assert read > 1000
