"""The quickest read of a portfolio file: the block YAML our own writer makes, line by line.

Every record, profile and plan the toolkit writes is block YAML of one narrow shape
(:func:`~.yamlio.dump_yaml`): ``key: value`` lines, lists as ``  - item`` lines, a list of
mappings as ``  - key: value`` with its other keys under the first, long text as a ``|-`` or
``|`` literal block, and values that are plain words or single-quoted on one line. This
module reads exactly that shape in a few string operations a line, three times quicker
than libyaml's composer and a walk of its nodes. Anything else, and anything it is not
sure of (a comment, a blank line outside a block, a flow collection, a double quote, an
indicator at the start of a value, a line that could continue a value, a duplicate key),
it leaves to the libyaml path (:func:`~.fastyaml.fast_load`), which leaves what it cannot
vouch for to ruamel. Plain values are resolved with ruamel's YAML 1.2 table, as there.
Tests compare it with ruamel on every shipped file and on thousands of random edits.
"""

from __future__ import annotations

import re
from typing import Any

#: A mapping key of ours, and what follows its colon (None: nothing), matched where it stands.
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?\Z")
#: Characters no plain value of ours starts with: YAML's indicators and quotes.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


#: What YAML 1.2 does not allow in a stream: every character but TAB, LF, CR, 0x20-0x7E,
#: NEL, 0xA0-0xD7FF, 0xE000-0xFFFD and 0x10000-0x10FFFF. Written as the characters refused
#: (the same set; a test compares them on every code point): the class of those allowed
#: takes a command 7 ms to compile.
REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


class _Unsure(Exception):
    """Not the narrow shape read here: the libyaml path reads it."""


def read_block(
    text: str, plain: Any, limits: tuple[int, int], printable: bool = False
) -> dict[str, Any] | None:
    """The top-level mapping of ``text``, or None where it is not sure of it.

    ``plain`` gives a plain value as ruamel's YAML 1.2 rules make it (it raises for
    anything only ruamel may decide); ``limits`` are the most nodes and the deepest level
    the fast path takes, as for the libyaml path. ``printable``: the caller has found no
    character YAML refuses in ``text`` (else it is looked for here).
    """
    try:
        return _read(text, plain, limits, printable)
    except _Unsure:
        return None


def _read(text: str, plain: Any, limits: tuple[int, int], printable: bool) -> dict[str, Any]:
    if not text.endswith("\n") or "\r" in text or "\ufeff" in text:
        raise _Unsure
    if text.isascii():
        if not printable and not text.replace("\n", " ").isprintable():
            raise _Unsure  # a control character: YAML refuses it
    else:
        if (not printable and REFUSED.search(text)) or _OTHER_BREAKS.search(text):
            raise _Unsure
    lines = text.split("\n")
    lines.pop()  # after the last line break
    reader = _Reader(lines, plain, limits)
    out = reader.mapping(0, 0, 1)
    if reader.at != len(lines) or reader.budget < 0:
        raise _Unsure
    return out


class _Reader:
    __slots__ = ("at", "budget", "indents", "lines", "max_depth", "plain")

    def __init__(self, lines: list[str], plain: Any, limits: tuple[int, int]) -> None:
        self.lines = lines
        #: The spaces before each line's first character (all of a blank line's).
        self.indents = [len(line) - len(line.lstrip(" ")) for line in lines]
        self.plain = plain
        self.at = 0
        self.budget = limits[0] - 1  # nodes still allowed, the root counted
        self.max_depth = limits[1]

    def mapping(self, indent: int, skip: int, depth: int) -> dict[str, Any]:
        """A block mapping whose keys stand at column ``indent`` (from line ``self.at``).

        ``skip``: the first key stands after a list item's ``- `` (at column ``indent``).
        """
        if depth >= self.max_depth:
            raise _Unsure  # its values would stand deeper than the fast path goes
        lines, indents, plain = self.lines, self.indents, self.plain
        out: dict[str, Any] = {}
        at, end = self.at, len(lines)
        while at < end:
            if skip:
                skip = 0  # the first line's own indent is its dash's
            elif indents[at] != indent:
                if indents[at] > indent:
                    raise _Unsure  # a value that might go on, or a line out of place
                break
            found = _KEY.match(lines[at], indent)
            if found is None:
                raise _Unsure  # a comment, a blank line, a list where keys go ...
            name, rest = found.groups()
            key = _KEYS.get(name)
            if key is None:
                key = str(plain(name))
                if len(_KEYS) < 4096:
                    _KEYS[name] = key
            if key in out:
                raise _Unsure  # ruamel refuses the duplicate, with its line
            at += 1
            if rest is None:
                self.at = at
                out[key] = self._below(indent, depth)
                at = self.at
            elif rest == "|-" or rest == "|":
                self.at = at
                out[key] = self._literal(indent, keep_last=rest == "|")
                at = self.at
            else:
                out[key] = _scalar(rest, plain)
        self.at = at
        if not out:
            raise _Unsure
        self.budget -= 2 * len(out)
        return out

    def _below(self, indent: int, depth: int) -> Any:
        """The value of a key whose line ends at its colon: what is indented below, or null."""
        at = self.at
        if at < len(self.lines):
            inner = self.indents[at]
            below = self.lines[at]
            if inner > indent:
                if below.startswith("- ", inner):
                    return self.sequence(inner, depth + 1)
                return self.mapping(inner, 0, depth + 1)
            if inner == indent and below.startswith("-", inner):
                raise _Unsure  # a list at the key's own column: not our shape
        return None

    def sequence(self, indent: int, depth: int) -> list[Any]:
        """A block list whose ``- `` stand at column ``indent``."""
        if depth >= self.max_depth:
            raise _Unsure
        lines, indents, plain = self.lines, self.indents, self.plain
        out: list[Any] = []
        end = len(lines)
        while self.at < end:
            at = self.at
            if indents[at] != indent:
                if indents[at] > indent:
                    raise _Unsure
                break
            line = lines[at]
            if not line.startswith("- ", indent):
                raise _Unsure
            if _KEY.match(line, indent + 2):
                out.append(self.mapping(indent + 2, indent + 2, depth + 1))
                continue
            rest = line[indent + 2 :]
            if rest.startswith(("|", ">")):
                raise _Unsure  # a block in a list: not our shape
            out.append(_scalar(rest, plain))
            self.at = at + 1
        if not out:
            raise _Unsure
        self.budget -= len(out)
        return out

    def _literal(self, indent: int, *, keep_last: bool) -> str:
        """A ``|-`` (or ``|``) block under a key at column ``indent``."""
        lines, indents = self.lines, self.indents
        body: list[str] = []
        column = -1
        at, end = self.at, len(lines)
        while at < end:
            line, inner = lines[at], indents[at]
            if inner == len(line):  # nothing but spaces
                if column < 0 or inner > column:
                    raise _Unsure  # leading blank lines, or spaces that are text
                body.append("")
            else:
                if column < 0:
                    if inner <= indent:
                        raise _Unsure  # an empty block
                    column = inner
                if inner < column:
                    if inner > indent:
                        raise _Unsure
                    break
                body.append(line[column:])
            at += 1
        if column < 0:
            raise _Unsure
        self.at = at
        while not body[-1]:
            body.pop()  # trailing blank lines: dropped by both ``|-`` and ``|``
        text = "\n".join(body)
        return text + "\n" if keep_last else text


#: The string each key of ours is, as ruamel reads it (a few dozen names, again and again).
_KEYS: dict[str, str] = {}


def _scalar(value: str, plain: Any) -> Any:
    """A one-line value: ``[]``, ``{}``, single-quoted, or plain."""
    if not value or value[-1] == " ":
        raise _Unsure
    first = value[0]
    if first == "'":
        inner = value[1:-1]
        if len(value) < 2 or value[-1] != "'" or "'" in inner.replace("''", ""):
            raise _Unsure
        return inner.replace("''", "'")
    if value == "[]":
        return []
    if value == "{}":
        return {}
    if first in _INDICATORS or first == " ":
        raise _Unsure
    if ": " in value or " #" in value or value[-1] == ":":
        raise _Unsure
    if "[" in value or "]" in value or "{" in value or "}" in value:
        raise _Unsure  # flow indicators: legal in a block value, left to libyaml
    return plain(value)


#: Line breaks of YAML 1.1 that ruamel also folds (NEL, LS, PS): not ours to read.
_OTHER_BREAKS = re.compile("[\x85\u2028\u2029]")
