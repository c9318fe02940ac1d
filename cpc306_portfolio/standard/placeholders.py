"""What a drafted unit holds where the project's own words (OURS) are still to be written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..files.yamlio import field_name, line_of, parse_yaml
from .model import Standard

#: Every placeholder starts with this, so a person (or a check) can find them all.
PLACEHOLDER = "TO WRITE (ours):"


@dataclass(frozen=True)
class Placeholder:
    """A value in a unit file still waiting for a person's words."""

    path: str
    line: int | None
    field: str
    text: str

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "")
        return f"{where}: {self.field}: {self.text}"


def find_placeholders(text: str, path: Path | str) -> list[Placeholder]:
    """Every value of a unit file's YAML text that still holds :data:`PLACEHOLDER`.

    Comments are not values, so the draft's header (which names the marker) is not
    counted. A text that is not YAML has none to report (loading it says what is wrong).
    """
    if PLACEHOLDER not in text:
        return []
    tree, problems = parse_yaml(text, path)
    if problems:
        return []
    found: list[Placeholder] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), tree)]
    while stack:
        loc, node = stack.pop()
        if isinstance(node, dict):
            stack.extend(((*loc, k), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend(((*loc, i), v) for i, v in reversed(list(enumerate(node))))
        elif isinstance(node, str) and PLACEHOLDER in node:
            line = line_of(tree, loc)
            found.append(Placeholder(str(path), line, field_name(loc), " ".join(node.split())))
    return found


def unit_placeholders(standard: Standard) -> list[Placeholder]:
    """The placeholders a loaded unit still holds, each with its file's line."""
    from .loader import unit_text

    where = standard.source_path or standard.code
    return find_placeholders(unit_text(standard), where)


def with_placeholders(crit: dict[str, Any]) -> dict[str, Any]:
    cid = crit["id"]
    return {
        "id": cid,
        "text": crit["text"],
        "bold_terms": crit.get("bold_terms", []),
        "explanation": f"{PLACEHOLDER} {cid} in plain English, for learners",
        "prompts": [
            f"{PLACEHOLDER} a question that helps a learner write about {cid}?",
            f"{PLACEHOLDER} a second question?",
        ],
        "typical_evidence": [f"{PLACEHOLDER} a kind of evidence that shows {cid}"],
        "knowledge": [],
    }


ORDER = (
    "schema",
    "code",
    "title",
    "suite",
    "developed_by",
    "key_purpose",
    "about",
    "scope_intro",
    "values",
    "key_words_intro",
    "elements",
    "scope",
    "key_words",
    "evidence_kind_category",
    "knowledge",
    "assessment_strategy",
)


def ordered(draft: dict[str, Any]) -> dict[str, Any]:
    return {k: draft[k] for k in ORDER if k in draft}
