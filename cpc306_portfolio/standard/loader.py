"""Find, load and check unit standard files.

A unit is one YAML file. The units shipped with the package sit beside this module;
a centre adds more with no code change by naming folders in ``CPC306_STANDARD_PATH``
(``os.pathsep``-separated) or by passing a file's path.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import NotFoundError, Problem, StandardError
from ..files.yamlio import line_of, read_yaml, validate_tree
from .model import Standard

BUNDLED_DIR = Path(__file__).parent
DEFAULT_UNIT = "CPC 306"
STANDARD_PATH_ENV = "CPC306_STANDARD_PATH"


def _slug(code: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", code.lower())


def standard_dirs() -> list[Path]:
    """Folders searched for unit files: ``CPC306_STANDARD_PATH`` first, then the bundled."""
    extra = [Path(p) for p in os.environ.get(STANDARD_PATH_ENV, "").split(os.pathsep) if p]
    return [*extra, BUNDLED_DIR]


def _unit_files() -> Iterator[Path]:
    for folder in standard_dirs():
        if folder.is_dir():
            yield from sorted(folder.glob("*.yaml"))


def load_standard(source: str | os.PathLike[str] | None = None) -> Standard:
    """Load a unit from a YAML file path or by its code (``"CPC 306"``, ``"cpc306"``).

    With no argument, the default unit (CPC 306) is loaded.
    """
    if source is None:
        source = DEFAULT_UNIT
    path = Path(source)
    if path.suffix in {".yaml", ".yml"} or path.exists():
        if not path.is_file():
            raise NotFoundError(
                f"{path}: no such unit file", hint="check the path to the unit's YAML file"
            )
        return _load_file(path.resolve(), path.stat().st_mtime_ns)
    wanted = _slug(str(source))
    for candidate in _unit_files():
        if candidate.stem.lower() == wanted:
            return _load_file(candidate.resolve(), candidate.stat().st_mtime_ns)
    known = ", ".join(sorted(p.stem for p in _unit_files())) or "none"
    raise NotFoundError(
        f"no unit standard called {source!r}",
        hint=f"known units: {known}; or pass the path of a unit YAML file, or add its folder "
        f"to {STANDARD_PATH_ENV}",
    )


def available_standards() -> list[Path]:
    """Every unit file that ``load_standard`` can find by code."""
    return list(_unit_files())


@lru_cache(maxsize=32)
def _load_file(path: Path, _mtime: int) -> Standard:
    tree, problems = read_yaml(path)
    if problems:
        raise StandardError(problems, hint="fix the unit file; nothing else was loaded")
    standard, problems = validate_tree(Standard, tree, path)
    if standard is None:
        raise StandardError(problems, hint="fix the unit file; nothing else was loaded")
    problems = check_standard(standard, tree, path)
    if problems:
        raise StandardError(problems, hint="fix the unit file; nothing else was loaded")
    return standard


def check_standard(standard: Standard, tree: Any, path: Path | str) -> list[Problem]:
    """Checks a schema cannot express: unique ids, and references that resolve."""
    out: list[Problem] = []

    def add(loc: tuple[str | int, ...], message: str, hint: str = "") -> None:
        field = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc)
        field = field.replace(".[", "[")
        out.append(Problem(str(path), message, field=field, line=line_of(tree, loc), hint=hint))

    Loc = tuple[str | int, ...]
    ids: list[tuple[Loc, str]] = []
    for ei, element in enumerate(standard.elements):
        ids.append((("elements", ei, "id"), element.id))
        for ci, crit in enumerate(element.criteria):
            ids.append((("elements", ei, "criteria", ci, "id"), crit.id))
    for gi, group in enumerate(standard.knowledge.groups):
        for ii, item in enumerate(group.items):
            ids.append((("knowledge", "groups", gi, "items", ii, "id"), item.id))
            for si, sub in enumerate(item.sub_items):
                ids.append(
                    (("knowledge", "groups", gi, "items", ii, "sub_items", si, "id"), sub.id)
                )
    counts = Counter(value for _, value in ids)
    for loc, value in ids:
        if counts[value] > 1:
            add(loc, f"id {value!r} is used more than once", "give every id its own value")

    named: tuple[tuple[str, list[tuple[Loc, str]]], ...] = (
        ("scope category", [(("scope", i, "id"), c.id) for i, c in enumerate(standard.scope)]),
        ("key word", [(("key_words", i, "id"), k.id) for i, k in enumerate(standard.key_words)]),
    )
    for kind, values in named:
        seen = Counter(v for _, v in values)
        for loc, value in values:
            if seen[value] > 1:
                add(loc, f"{kind} id {value!r} is used more than once")
    for ci, cat in enumerate(standard.scope):
        seen = Counter(o.id for o in cat.options)
        for oi, option in enumerate(cat.options):
            if seen[option.id] > 1:
                add(("scope", ci, "options", oi, "id"), f"option id {option.id!r} repeats")

    categories = set(standard.scope_categories)
    key_words = set(standard.key_word_map)
    knowledge = set(standard.knowledge_ids)
    criteria = set(standard.criteria)
    for ei, element in enumerate(standard.elements):
        for ci, crit in enumerate(element.criteria):
            base: tuple[str | int, ...] = ("elements", ei, "criteria", ci)
            for ti, term in enumerate(crit.bold_terms):
                for si, cat_id in enumerate(term.scope):
                    if cat_id not in categories:
                        add(
                            (*base, "bold_terms", ti, "scope", si),
                            f"unknown scope category {cat_id!r}",
                            f"use one of: {', '.join(sorted(categories)) or 'none defined'}",
                        )
                if term.key_word and term.key_word not in key_words:
                    add(
                        (*base, "bold_terms", ti, "key_word"),
                        f"unknown key word {term.key_word!r}",
                        f"use one of: {', '.join(sorted(key_words)) or 'none defined'}",
                    )
                if term.term.lower() not in crit.text.lower():
                    add(
                        (*base, "bold_terms", ti, "term"),
                        f"bold term {term.term!r} does not appear in the criterion's text",
                        "copy the term exactly as the criterion prints it",
                    )
            for ki, kid in enumerate(crit.knowledge):
                if kid not in knowledge:
                    add(
                        (*base, "knowledge", ki),
                        f"unknown knowledge item {kid!r}",
                        f"use one of: {', '.join(standard.knowledge_ids)}",
                    )
    strategy = standard.assessment_strategy
    for ri, crit_id in enumerate(strategy.reflective_account_required):
        if crit_id not in criteria:
            add(
                ("assessment_strategy", "reflective_account_required", ri),
                f"unknown criterion {crit_id!r}",
                f"use one of: {', '.join(standard.criteria)}",
            )
    if standard.evidence_kind_category and standard.evidence_kind_category not in categories:
        add(
            ("evidence_kind_category",),
            f"unknown scope category {standard.evidence_kind_category!r}",
            f"use one of: {', '.join(sorted(categories)) or 'none defined'}",
        )
    return out
