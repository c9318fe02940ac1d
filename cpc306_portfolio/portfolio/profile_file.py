"""Reading ``portfolio.yaml``, and the check every file of a portfolio gets for its schema."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..files.yamlio import read_yaml, validate_tree
from .layout import PROFILE_FILE
from .models import READABLE_SCHEMAS, SCHEMA, Profile


def schema_problem(tree: Any, path: Path) -> list[Problem]:
    """A file written by a newer or older schema gets a clear message, not field noise."""
    if isinstance(tree, Mapping) and "schema" in tree and tree["schema"] not in READABLE_SCHEMAS:
        found = tree["schema"]
        readable = " and ".join(repr(s) for s in READABLE_SCHEMAS)
        return [
            Problem(
                str(path),
                f"written with schema {found!r}; this version of cpc306 reads {readable}",
                field="schema",
                line=1,
                hint="upgrade cpc306-portfolio (pip install -U cpc306-portfolio)"
                if str(found) > SCHEMA
                else "open it with the version of cpc306 that wrote it",
            )
        ]
    return []


def load_profile(root: Path) -> tuple[Profile | None, list[Problem]]:
    path = root / PROFILE_FILE
    tree, problems = read_yaml(path, root)
    if problems:
        return None, problems
    problems = schema_problem(tree, path)
    if problems:
        return None, problems
    return validate_tree(Profile, tree, path)
