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
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from ..errors import Problem

M = TypeVar("M", bound=BaseModel)


def _reader() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _writer() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.default_flow_style = False
    return yaml


def parse_yaml(text: str, path: Path | str) -> tuple[Any, list[Problem]]:
    """Parse YAML text; return the tree (with line marks) or the located problem."""
    try:
        return _reader().load(text), []
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = (exc.problem or exc.context or "not valid YAML").strip()
        return None, [
            Problem(
                str(path),
                f"not valid YAML: {what}",
                line=line,
                hint="fix the YAML syntax there: check indentation, colons and quotes",
            )
        ]
    except YAMLError as exc:
        return None, [Problem(str(path), f"not valid YAML: {exc}", hint="fix the YAML syntax")]


def read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """Read and parse a YAML file, reporting unreadable files as problems too."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(str(path), "not UTF-8 text", hint="save the file as UTF-8")]
    except OSError as exc:
        return None, [Problem(str(path), f"cannot be read: {exc.strerror}")]
    return parse_yaml(text, path)


def line_of(tree: Any, loc: Sequence[str | int]) -> int | None:
    """Best line (1-based) for a location path in a ruamel tree; nearest known parent."""
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
        problems.append(
            Problem(str(path), message, field=field_name(loc), line=line_of(tree, loc), hint=hint)
        )
    return problems


def load_model(model: type[M], path: Path) -> tuple[M | None, list[Problem]]:
    """Read a YAML file into a model; return the model or every problem, located."""
    tree, problems = read_yaml(path)
    if problems:
        return None, problems
    return validate_tree(model, tree, path)


def validate_tree(model: type[M], tree: Any, path: Path | str) -> tuple[M | None, list[Problem]]:
    if tree is None:
        return None, [Problem(str(path), "the file is empty", hint="restore it from a backup")]
    if not isinstance(tree, Mapping):
        return None, [Problem(str(path), "expected a mapping of fields at the top level", line=1)]
    try:
        return model.model_validate(plain_data(tree)), []
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
