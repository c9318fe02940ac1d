"""Ids a unit does not define, each with the closest few it does ("did you mean ...?")."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from ..errors import Problem


def unknown_ids(
    path: str,
    field: str,
    values: list[str],
    valid: Mapping[str, Any],
    what: str,
    keyed: bool = False,
) -> list[Problem]:
    out = []
    for i, value in enumerate(values):
        if value in valid:
            continue
        choices = list(valid)
        category = value.partition("/")[0] + "/"
        if "/" in value and any(c.startswith(category) for c in choices):
            choices = [c for c in choices if c.startswith(category)]
        close = difflib.get_close_matches(value, list(valid), n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        if not valid:
            hint += f"this unit defines no {what}s"
        elif len(choices) <= 30:  # more would not read as a hint
            hint += f"use one of: {', '.join(choices)}"
        else:
            hint += f"cpc306 standard show lists all {len(choices)}"
        where = f"{field}.{value}" if keyed else f"{field}[{i}]"
        out.append(Problem(path, f"unknown {what} {value!r}", field=where, hint=hint))
    return out
