"""The fast path of every YAML read: libyaml parses, ruamel's YAML 1.2 rules resolve.

ruamel's pure-Python scanner costs most of a command's time over a big portfolio; libyaml
(through PyYAML's C loader) parses the same text some ten times faster. The two read YAML
apart in places (1.1 against 1.2, tabs, NEL, aliases, tags), so the fast path resolves
every plain scalar with ruamel's own 1.2 table and constructors and hands anything it
cannot vouch for to ruamel, which reads it or reports it with its line. A test compares
both on every file we ship and on thousands of random edits of them.

Before libyaml, the block YAML our own writer makes is read line by line
(:mod:`.blockyaml`), quicker still; what that reader is unsure of comes here as before.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import ScalarNode

from .blockyaml import read_block


class FastTree(dict[str, Any]):
    """A mapping read by the C parser; its text is parsed again only to find a line.

    The values are exactly :func:`plain_data` of what the line-tracking parser gives.
    """

    def __init__(self, data: dict[str, Any], text: str, reader: Callable[[], YAML]) -> None:
        super().__init__(data)
        self._text = text
        self._reader = reader
        self._located: Any = None

    def located(self) -> Any:
        """The same text as a ruamel tree with line marks (parsed once, on first use)."""
        if self._located is None:
            self._located = self._reader().load(self._text)
        return self._located


#: Returned by :func:`fast_load` when only the line-tracking parser may decide.
SLOW: Any = object()
_PLAIN, _QUOTED = "!cpc306-plain", "!cpc306-quoted"
# Where YAML 1.1 (libyaml) and 1.2 (ruamel) read a text apart: tabs and the line breaks
# 1.1 alone knows (NEL, LS, PS). A directive line (``%``) is the other case; fast_load
# looks for it with plain string tests, cheaper than a multiline pattern.
_C_UNSURE = re.compile("[\t\x85\u2028\u2029]")


class _Bail(Exception):
    """The C parser's reading might differ from ruamel's: let ruamel read it."""


def _c_loader() -> Any:
    """A libyaml composer whose resolver marks untagged scalars (None without libyaml)."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML comes with our dependencies
        return None
    base = getattr(yaml, "CSafeLoader", None)
    if base is None:  # pragma: no cover - a PyYAML built without libyaml
        return None

    class Loader(base):  # type: ignore[misc, valid-type]
        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is yaml.ScalarNode:
                if implicit[0]:
                    return _PLAIN
                return _QUOTED if implicit[1] else "!explicit"
            return _PLAIN if implicit else "!explicit"

        # PyYAML's path resolvers (never added here) are asked about every node; saying
        # nothing at once saves a tenth of the composing.
        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

    return Loader


_C_LOADER: Any = None
_RT: Any = None


def _ruamel_scalars() -> tuple[dict[Any, list[tuple[str, Any]]], Any]:
    """The YAML 1.2 implicit-resolver table and round-trip constructor of ruamel, made once."""
    global _RT
    if _RT is None:
        from ruamel.yaml.resolver import VersionedResolver

        table = VersionedResolver(version=(1, 2)).versioned_resolver
        _RT = {key: list(rules) for key, rules in table.items()}, YAML(typ="rt").constructor
    return _RT


@functools.lru_cache(maxsize=8192)
def _plain_tag(value: str) -> str:
    """The tag ruamel's resolver gives a plain scalar (its ``resolve``, without the cost)."""
    table, _ = _ruamel_scalars()
    for tag, pattern in table.get(value[0] if value else "", []) + table.get(None, []):
        if pattern.match(value):
            return str(tag)
    return "tag:yaml.org,2002:str"


def fast_load(
    text: str,
    reader: Callable[[], YAML],
    max_nodes: int,
    max_depth: int,
    *,
    printable: bool = False,
) -> Any:
    """``text`` read by libyaml, resolved as ruamel resolves YAML 1.2, or :data:`SLOW`.

    Returns a :class:`FastTree` (or None for an empty document) only where the result is
    the one ruamel would give; anything else (a syntax error, an alias, a tag, a
    duplicate key, a directive, a complex key, too deep or too many nodes) goes to the
    line-tracking parser, which reads it or reports it with its line. ``reader`` makes
    that parser (the tree uses it to find a line); the bounds are the ones it enforces,
    and the fast path keeps well inside them so that how each counts never decides.
    ``printable``: the caller has found no character YAML refuses in ``text``.
    """
    global _C_LOADER
    if text.startswith("%") or "\n%" in text:
        return SLOW
    if ("\t" in text) if text.isascii() else _C_UNSURE.search(text):  # NEL, LS, PS: not ASCII
        return SLOW
    bounds = (max_nodes - 100, max_depth // 2)
    try:  # the block YAML our writer makes, read line by line
        block = read_block(text, _plain_value, bounds, printable)
    except (_Bail, RecursionError, ValueError, TypeError, OverflowError):
        block = None  # a value only ruamel may decide: libyaml reads it, or says so
    if block is not None:
        return FastTree(block, text, reader)
    if _C_LOADER is None:
        _C_LOADER = _c_loader() or False
    if not _C_LOADER:
        return SLOW
    loader = _C_LOADER(text.encode("utf-8"))  # libyaml reads bytes twice as fast as str
    try:
        node = loader.get_single_node()
    except Exception:  # any complaint: ruamel reports it, located
        return SLOW
    finally:
        loader.dispose()
    if node is None:
        return None
    if node.tag != _PLAIN or node.id != "mapping":
        return SLOW
    try:
        if "&" in text:  # an anchor, so maybe an alias: a node met twice
            data = _build(node, set(), 1, bounds)
        else:
            data = _build_tree(node, [bounds[0] - 1], 1, bounds[1])
    except (_Bail, RecursionError, ValueError, TypeError, OverflowError):
        return SLOW  # ruamel raises the same for a malformed scalar, and locates it
    return FastTree(data, text, reader)


def _scalar(node: Any) -> Any:
    """A scalar node's value (for :func:`_build_tree` and the keys and items it reads)."""
    tag = node.tag
    if tag == _QUOTED:
        return node.value
    if tag != _PLAIN:
        raise _Bail
    value = node.value
    if len(value) <= 64:  # ids, dates, numbers, short titles: the same few, again and again
        known = _plain_cached(value)
        if known is not _FRESH:
            return known
    return _plain(value)


def _plain_value(value: str) -> Any:
    """A plain scalar's value, through the caches where it is short (as :func:`_scalar`)."""
    if len(value) <= 64:
        known = _plain_cached(value)
        if known is not _FRESH:
            return known
    return _plain(value)


def _plain(value: str) -> Any:
    """A plain scalar's value as ruamel's YAML 1.2 rules make it."""
    tag = _plain_tag(value) if len(value) <= 64 else _plain_tag.__wrapped__(value)
    if tag == "tag:yaml.org,2002:str":
        return value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag in _CONSTRUCTED:
        constructor = _ruamel_scalars()[1]
        return constructor.yaml_constructors[tag](constructor, ScalarNode(tag, value))
    raise _Bail  # merge keys, "=" and anything newer: ruamel's own business


#: Said by :func:`_plain_cached` of a value each read must make afresh.
_FRESH: Any = object()
#: Values no reader can change, so one object may stand for every occurrence.
_IMMUTABLE = (str, int, float, bool, type(None))


@functools.lru_cache(maxsize=8192)
def _plain_cached(value: str) -> Any:
    # ruamel gives some values in types of its own that carry their formatting (an octal
    # or hex int, a timestamp): those are made afresh for each reader, never shared.
    made = _plain(value)
    return made if type(made) in _IMMUTABLE else _FRESH


_CONSTRUCTED = frozenset(
    f"tag:yaml.org,2002:{kind}" for kind in ("bool", "int", "float", "timestamp")
)


def _build(node: Any, seen: set[int], depth: int, bounds: tuple[int, int]) -> Any:
    if id(node) in seen or len(seen) >= bounds[0] or depth > bounds[1]:
        raise _Bail  # an alias, or a document near the bounds ruamel reports
    seen.add(id(node))
    kind = node.id
    if kind == "scalar":
        return _scalar(node)
    if node.tag != _PLAIN:
        raise _Bail
    if kind == "sequence":
        return [_child(item, seen, depth + 1, bounds) for item in node.value]
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if key_node.id != "scalar":
            raise _Bail
        key = str(_child(key_node, seen, depth + 1, bounds))
        if key in out:
            raise _Bail  # ruamel refuses the duplicate, with its line
        out[key] = _child(value_node, seen, depth + 1, bounds)
    return out


def _child(node: Any, seen: set[int], depth: int, bounds: tuple[int, int]) -> Any:
    """:func:`_build` of a child, with the checks of a scalar (most nodes) done inline.

    The same checks in the same order as :func:`_build`: only a call is saved, which over
    a portfolio of thousands of records is a tenth of reading them.
    """
    if node.id != "scalar":
        return _build(node, seen, depth, bounds)
    key = id(node)
    if key in seen or len(seen) >= bounds[0] or depth > bounds[1]:
        raise _Bail
    seen.add(key)
    tag = node.tag
    if tag == _QUOTED:
        return node.value
    if tag != _PLAIN:
        raise _Bail
    value = node.value
    if len(value) <= 64:
        known = _plain_cached(value)
        if known is not _FRESH:
            return known
    return _plain(value)


def _build_tree(node: Any, budget: list[int], depth: int, max_depth: int) -> Any:
    """:func:`_build` of a document with no anchor, so no alias: every node is met once.

    libyaml refuses an alias to an anchor it has not seen, and an anchor needs an ``&``:
    without one the nodes form a tree, and what :func:`_build` finds with a set of the
    nodes seen is counted here from the sizes of the collections (``budget``: how many
    more nodes may come). The same bails, the same values, a third less time a record.
    """
    if depth > max_depth or node.tag != _PLAIN:
        raise _Bail
    items = node.value
    budget[0] -= len(items) * (2 if node.id == "mapping" else 1)
    if budget[0] < 0 or (items and depth == max_depth):
        raise _Bail  # too many nodes, or children too deep
    if node.id == "sequence":
        return [
            _scalar(item)
            if item.id == "scalar"
            else _build_tree(item, budget, depth + 1, max_depth)
            for item in items
        ]
    out: dict[str, Any] = {}
    for key_node, value_node in items:
        if key_node.id != "scalar":
            raise _Bail
        key = str(_scalar(key_node))
        if key in out:
            raise _Bail  # ruamel refuses the duplicate, with its line
        out[key] = (
            _scalar(value_node)
            if value_node.id == "scalar"
            else _build_tree(value_node, budget, depth + 1, max_depth)
        )
    return out
