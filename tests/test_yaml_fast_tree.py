"""The anchor-free builder of the fast path gives what the alias-aware one gives, bails alike.

``fast_load`` builds a document with no ``&`` without a set of the nodes seen (no anchor,
so no alias, so a tree); it must give the same values and refuse the same documents (too
many nodes, too deep) as the builder that keeps the set.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio.files import fastyaml
from cpc306_portfolio.files.yamlio import _NON_PRINTABLE, MAX_YAML_DEPTH, MAX_YAML_NODES

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    p.read_text(encoding="utf-8")
    for pattern in ("evidence/**/*.yaml", "tests/data/**/*.yaml")
    for p in sorted(ROOT.glob(pattern))
    if "units_broken" not in p.parts
]


def _compose(text: str) -> Any:
    loader = fastyaml._c_loader()
    assert loader, "PyYAML is built with libyaml here"
    parser = loader(text.encode("utf-8"))
    try:
        return parser.get_single_node()
    except Exception:
        return None
    finally:
        parser.dispose()


def _both(text: str, nodes: int = MAX_YAML_NODES - 100, depth: int = MAX_YAML_DEPTH // 2):
    """What each builder makes of a text: a value or "bail"."""
    node = _compose(text)
    if node is None:
        return None
    answers = []
    for build in (
        lambda: fastyaml._build(node, set(), 1, (nodes, depth)),
        lambda: fastyaml._build_tree(node, [nodes - 1], 1, depth),
    ):
        try:
            answers.append(build())
        except (fastyaml._Bail, ValueError, TypeError, OverflowError):
            answers.append("bail")
    return answers


def test_the_files_we_ship_build_the_same():
    assert len(TEXTS) >= 20
    for text in TEXTS:
        old, new = _both(text)
        assert old == new and old != "bail"


def test_random_edits_build_the_same_or_both_bail():
    pieces = [":", ": ", "- ", "#", "'", "\n", "  ", "{", "[", "]", "}", ",", "? ",
              "1", "yes", "~", "<<: ", "=", "!!str ", "!x "]  # fmt: skip
    rng = random.Random(3060)
    compared = 0
    for _ in range(400):
        text = rng.choice(TEXTS)[:2500]
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(pieces) + text[at:]
        answers = _both(text)
        if answers is not None:
            compared += 1
            assert answers[0] == answers[1], text
    assert compared > 100


@pytest.mark.parametrize("count", [5, 6, 7, 8, 9, 10, 11])
def test_the_node_bound_bites_at_the_same_node(count):
    # A mapping of three keys, one a list of ``count`` items: 1 + 6 + count nodes.
    text = "a: 1\nb: [" + ", ".join(str(n) for n in range(count)) + "]\nc: x\n"
    for bound in range(8, 20):
        assert _both(text, nodes=bound)[0] == _both(text, nodes=bound)[1]
    assert _both(text, nodes=7 + count) != ["bail", "bail"]
    assert _both(text, nodes=6 + count) == ["bail", "bail"]


@pytest.mark.parametrize("levels", range(1, 8))
def test_the_depth_bound_bites_at_the_same_level(levels):
    nested = "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "- v\n"
    for depth in range(1, 10):
        old, new = _both(nested, depth=depth)
        assert old == new


def test_a_document_with_an_anchor_takes_the_alias_aware_builder():
    assert fastyaml.fast_load("a: &x 1\nb: 2\n", lambda: None, 1000, 10) == {"a": 1, "b": 2}
    assert fastyaml.fast_load("a: &x [1]\nb: *x\n", lambda: None, 1000, 10) is fastyaml.SLOW


def test_the_refused_characters_are_every_one_yaml_does_not_print():
    allowed = re.compile("[\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    every = "".join(map(chr, range(0x110000)))
    refused = {m.start() for m in _NON_PRINTABLE.finditer(every)}
    printable = {m.start() for m in allowed.finditer(every)}
    assert refused.isdisjoint(printable)
    assert len(refused) + len(printable) == 0x110000


def test_the_quick_ascii_test_agrees_with_the_search_on_every_character():
    from cpc306_portfolio.files.yamlio import _plain_ascii

    for code in range(0x110000):
        text = f"id: E001\ntitle: a{chr(code)}b\n"
        if _plain_ascii(text):
            assert code < 0x80 and not _NON_PRINTABLE.search(text), hex(code)
        elif code < 0x80:
            assert _NON_PRINTABLE.search(text), hex(code)
