"""YAML in and out: parse with line numbers, map validation errors to lines, dump stably."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.scalarstring import LiteralScalarString

from ..errors import Problem, UnsafeFileError
from .blockyaml import REFUSED
from .fastyaml import SLOW, FastTree, fast_load
from .regular import read_bytes

M = TypeVar("M", bound=BaseModel)

#: Bounds on every YAML file read: no file of ours comes near them, a hostile one stops.
MAX_YAML_BYTES = 2_000_000
MAX_YAML_DEPTH = 64
# A run of flow openers deeper than the cap: the scanner is slow on it before the cap bites.
_FLOW_RUN = re.compile(r"(?:[\[{][\s,]*){" + str(MAX_YAML_DEPTH + 1) + "}")
#: A declaration's manifest of a 10,000-file portfolio has some 10,000 values.
MAX_YAML_NODES = 25_000
#: What YAML 1.2 does not allow in a stream (see :data:`.blockyaml.REFUSED`).
_NON_PRINTABLE = REFUSED


class _NoAliasComposer(Composer):
    """Refuses aliases, and documents of more than :data:`MAX_YAML_NODES` nodes.

    Nine levels of nine-fold aliases expand to billions of nodes; every node costs the
    parser time.
    """

    nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.nodes += 1
        if self.nodes > MAX_YAML_NODES:
            raise ComposerError(
                None,
                None,
                f"more than {MAX_YAML_NODES} values in one file",
                self.parser.peek_event().start_mark,
            )
        if self.parser.check_event(AliasEvent):
            event = self.parser.get_event()
            raise ComposerError(
                None,
                None,
                f"found an alias (*{event.anchor}); aliases are not allowed in portfolio files",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _reader() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.Composer = _NoAliasComposer
    yaml.max_depth = MAX_YAML_DEPTH
    return yaml


def _writer() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.default_flow_style = False
    return yaml


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def parse_yaml(text: str, path: Path | str) -> tuple[Any, list[Problem]]:
    """Parse YAML text; return the tree (with line marks) or the located problem.

    Bounded: text over :data:`MAX_YAML_BYTES`, nesting deeper than :data:`MAX_YAML_DEPTH`
    and any alias are refused with a problem naming the line, before they can cost time.
    """
    if len(text) > MAX_YAML_BYTES:
        return None, [_too_large(path)]
    bad = None if _plain_ascii(text) else _NON_PRINTABLE.search(text)
    if bad:
        at, column = _position(text, bad.start())
        return None, [
            Problem(
                str(path),
                f"contains the control character U+{ord(bad.group()):04X} at column {column}, "
                "which YAML does not allow",
                line=at,
                hint="remove it (a text editor can show hidden characters)",
            )
        ]
    # Only a text with that many openers can hold such a run; counting them is cheap.
    deep = text.count("[") + text.count("{") > MAX_YAML_DEPTH and _FLOW_RUN.search(text)
    if deep:
        return None, [
            Problem(
                str(path),
                f"not valid YAML: nested more than {MAX_YAML_DEPTH} levels deep",
                line=_position(text, deep.start())[0],
                hint="a portfolio file is never nested this deep: restore it from a backup",
            )
        ]
    fast = fast_load(text, _reader, MAX_YAML_NODES, MAX_YAML_DEPTH, printable=True)
    if fast is not SLOW:
        return fast, []
    try:
        return _reader().load(text), []
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = (exc.problem or exc.context or "not valid YAML").strip()
        if "maximum depth" in what:
            what = f"nested more than {MAX_YAML_DEPTH} levels deep"
        return None, [
            Problem(
                str(path),
                f"not valid YAML: {what}",
                line=line,
                hint="fix the YAML syntax there: check indentation, colons and quotes",
            )
        ]
    except (YAMLError, RecursionError, ValueError, TypeError, OverflowError) as exc:
        # ruamel raises plain Python errors for some malformed scalars (a 13th month in a
        # timestamp, say); they are the file's fault all the same.
        what = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, [
            Problem(
                str(path),
                f"not valid YAML: {what}",
                line=_unbuildable_line(text),
                hint="fix the YAML syntax",
            )
        ]


def _plain_ascii(text: str) -> bool:
    """Whether ``text`` is ASCII with no character YAML refuses (a quicker test than the search).

    In ASCII, YAML refuses the control characters but TAB, LF and CR, and DEL: exactly
    what ``str.isprintable`` refuses, once the three line and tab characters are set aside.
    """
    if not text.isascii():
        return False
    if "\t" in text or "\r" in text:
        text = text.replace("\t", " ").replace("\r", " ")
    return text.replace("\n", " ").isprintable()


def _unbuildable_line(text: str) -> int | None:
    """The line of the first plain scalar ruamel cannot build (a 13th month, say).

    ruamel raises a bare ValueError for such a scalar, with no mark; composing the text
    (no values built) and building each scalar on its own finds where it is.
    """
    yaml = _reader()
    try:
        root = yaml.compose(text)
    except (YAMLError, RecursionError, ValueError, TypeError, OverflowError):
        return None
    constructor = yaml.constructor
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            build = constructor.yaml_constructors.get(node.tag)
            try:
                if build is not None:
                    build(constructor, node)
            except (ValueError, TypeError, OverflowError):
                return int(node.start_mark.line) + 1
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, MappingNode):
            stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
    return None


def _too_large(path: Path | str) -> Problem:
    return Problem(
        str(path),
        f"is larger than {MAX_YAML_BYTES // 1_000_000} MB, too large for a portfolio file",
        line=1,
        hint="move long text into an attached file, or restore the file from a backup",
    )


def read_yaml(path: Path, root: Path | None = None) -> tuple[Any, list[Problem]]:
    """Read and parse a YAML file, reporting unreadable files as problems too.

    The file is read without following a link (``root``: folders below it are checked
    too), and no more than :data:`MAX_YAML_BYTES` are read.
    """
    try:
        data = read_bytes(path, root, limit=MAX_YAML_BYTES)
    except UnsafeFileError as exc:
        return None, exc.problems
    except OSError as exc:
        return None, [Problem(str(path), f"cannot be read: {exc.strerror or exc}")]
    if len(data) > MAX_YAML_BYTES:
        return None, [_too_large(path)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [
            Problem(
                str(path),
                f"not UTF-8 text (byte {exc.start})",
                line=line,
                hint="save the file as UTF-8",
            )
        ]
    return parse_yaml(text.removeprefix("\ufeff"), path)


def line_of(tree: Any, loc: Sequence[str | int]) -> int | None:
    """Best line (1-based) for a location path in a ruamel tree; nearest known parent."""
    if isinstance(tree, FastTree):
        tree = tree.located()
    best: int | None = None
    node = tree
    for part in loc:
        if (isinstance(node, CommentedMap) and part in node) or (
            isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node)
        ):
            pos = node.lc.data.get(part)
            if pos:
                best = pos[0] + 1
            node = node[part]
        else:
            break
    if best is None and isinstance(tree, CommentedMap | CommentedSeq):
        best = tree.lc.line + 1
    return best


def field_loc(field: str) -> tuple[str | int, ...]:
    """Inverse of :func:`field_name`: ``criteria[2]`` -> ``("criteria", 2)``."""
    loc: list[str | int] = []
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", field):
        loc.append(int(part[1:-1]) if part.startswith("[") else part)
    return tuple(loc)


def locate(problems: list[Problem], tree: Any) -> list[Problem]:
    """Fill in the line of problems that name a field but no line."""
    return [
        p if p.line or not p.field else replace(p, line=line_of(tree, field_loc(p.field)))
        for p in problems
    ]


def field_name(loc: Iterable[str | int]) -> str:
    """Render a pydantic location as ``criteria[2]`` / ``learner.name``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_HINTS = {
    "missing": "add this field",
    "extra_forbidden": "remove it, or check its spelling against the schema",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD, for example 2025-03-14",
    "date_parsing": "write the date as YYYY-MM-DD, for example 2025-03-14",
    "date_type": "write the date as YYYY-MM-DD, for example 2025-03-14",
    "datetime_parsing": "write it as YYYY-MM-DDTHH:MM:SS+00:00",
    "datetime_type": "write it as YYYY-MM-DDTHH:MM:SS+00:00",
    "string_type": "write text here (put it in quotes if it looks like a number or date)",
    "list_type": "write a list here, one '- item' per line",
    "bool_parsing": "write true or false",
    "int_parsing": "write a whole number",
}


def validation_problems(exc: ValidationError, tree: Any, path: Path | str) -> list[Problem]:
    """Turn every pydantic error into a located :class:`Problem`."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        message = err["msg"]
        if err["type"] == "enum" or err["type"] == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            message = f"{message}" if expected else message
        hint = _HINTS.get(err["type"], "")
        if err["type"] == "extra_forbidden":
            message = "unknown field"
        if err["type"].startswith("date_"):
            # pydantic reads a bare number as seconds since 1970 and then complains about
            # the time of day; what the learner needs to know is that it is not a date.
            message = f"{err.get('input')!r} is not a date"
            hint = _HINTS["date_parsing"]
        problems.append(
            Problem(str(path), message, field=field_name(loc), line=line_of(tree, loc), hint=hint)
        )
    return problems


def load_model(
    model: type[M], path: Path, root: Path | None = None
) -> tuple[M | None, list[Problem]]:
    """Read a YAML file into a model; return the model or every problem, located."""
    tree, problems = read_yaml(path, root)
    if problems:
        return None, problems
    return validate_tree(model, tree, path)


def parse_model(model: type[M], text: str, path: Path | str) -> tuple[M | None, Any, list[Problem]]:
    """A YAML file's ``text`` (read already) into a model, as :func:`load_model` reads a file.

    Returns the model (None when there is a problem), the parsed tree (to locate the
    problems of later checks) and every problem, located.
    """
    tree, problems = parse_yaml(text, path)
    if problems:
        return None, tree, problems
    found, problems = validate_tree(model, tree, path)
    return found, tree, problems


def validate_tree(model: type[M], tree: Any, path: Path | str) -> tuple[M | None, list[Problem]]:
    if tree is None:
        return None, [Problem(str(path), "the file is empty", hint="restore it from a backup")]
    if not isinstance(tree, Mapping):
        return None, [Problem(str(path), "expected a mapping of fields at the top level", line=1)]
    try:
        data = tree if isinstance(tree, FastTree) else plain_data(tree)  # plain already
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, validation_problems(exc, tree, path)


def plain_data(node: Any) -> Any:
    """Plain dicts, lists and ``str`` from a ruamel tree (its own str and map subclasses)."""
    if isinstance(node, Mapping):
        return {str(k): plain_data(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [plain_data(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def _styled(node: Any) -> Any:
    if isinstance(node, dict):
        out = CommentedMap()
        for key, value in node.items():
            out[key] = _styled(value)
        return out
    if isinstance(node, list):
        seq = CommentedSeq(_styled(v) for v in node)
        return seq
    if isinstance(node, str) and ("\n" in node or len(node) > 80):
        # Block style keeps long multi-line text readable and diff-friendly; ruamel picks
        # the chomping indicator so the text round-trips exactly.
        return LiteralScalarString(node)
    return node


def dump_yaml(data: Mapping[str, Any]) -> str:
    """Dump plain data as block YAML, keys in the order given."""
    buffer = io.StringIO()
    _writer().dump(_styled(dict(data)), buffer)
    return buffer.getvalue()
