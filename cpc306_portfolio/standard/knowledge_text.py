"""A printed knowledge specification as groups of items, sub-items kept under their item.

Both page layouts print it the same way at heart: group headings (a line with no number
that stands alone), numbered items (``1.``, ``K1:``), and sub-items either lettered
(``a.``, ``(b)``) or dotted (``2.1``, which becomes ``K2_1``: the printed number, kept).
A line that starts in lower case continues the text above it (a wrapped line, as PDF
text and pasted pages give), never a heading.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .placeholders import PLACEHOLDER
from .textparts import Line, norm

_KNOWLEDGE = re.compile(r"^(?:[-*•]\s+)?(?:(?P<num>\d+)[.)]?|K(?P<kid>\d+)[.:]?)\s+(?P<text>\S.*)$")
_DOTTED = re.compile(r"^(?:[-*•]\s+)?K?(?P<item>\d+)\.(?P<sub>\d+)[.)]?\s+(?P<text>\S.*)$")
_SUB_ITEM = re.compile(r"^(?:[-*•]\s+)?\(?(?P<letter>[a-z])[.)]\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^[-*•]\s+(?P<text>\S.*)$")

Note = Callable[[int | None, str], None]


def knowledge_groups(
    lines: list[Line], note: Note, first_group: str | None = None
) -> list[dict[str, Any]]:
    """The groups (title, items) the lines print; what is not placed is noted.

    ``first_group`` titles the items printed before any group heading (the section's own
    heading, where the layout prints no groups); without it they get a placeholder title.
    """
    groups: list[dict[str, Any]] = []
    item: dict[str, Any] | None = None
    last: dict[str, Any] | None = None  # the item or sub-item a wrapped line belongs to

    def group_for(number: int) -> list[dict[str, Any]]:
        if not groups:
            if first_group:
                groups.append({"title": first_group, "items": []})
            else:
                groups.append({"title": f"{PLACEHOLDER} a title for this group", "items": []})
                note(number, "knowledge items before any group heading")
        items: list[dict[str, Any]] = groups[-1]["items"]
        return items

    for line in lines:
        text = line.text
        if not text:
            continue
        indented = line.raw[:1].isspace()
        dotted = _DOTTED.match(text)
        sub = _SUB_ITEM.match(text)
        numbered = _KNOWLEDGE.match(text)
        if dotted:
            parent, own = dotted.group("item"), dotted.group("sub")
            entry = {"id": f"K{parent}_{own}", "text": norm(dotted.group("text"))}
            if item is not None and item["id"] == f"K{parent}":
                item.setdefault("sub_items", []).append(entry)
            else:
                note(
                    line.number,
                    f"{parent}.{own} follows no item {parent}: kept as item {entry['id']}",
                )
                item = entry
                group_for(line.number).append(item)
            last = entry
        elif sub and item is not None and (indented or not numbered):
            last = {"id": f"{item['id']}{sub.group('letter')}", "text": norm(sub.group("text"))}
            item.setdefault("sub_items", []).append(last)
        elif numbered:
            number = numbered.group("num") or numbered.group("kid")
            item = last = {"id": f"K{number}", "text": norm(numbered.group("text"))}
            group_for(line.number).append(item)
        elif (bullet := _BULLET.match(text)) and item is not None:
            # A printing artefact: the rest of the previous item set as a bullet.
            item.setdefault("more", []).append(bullet.group("text"))
            note(line.number, f"joined to {item['id']} as the rest of its text")
        elif last is not None and text[:1].islower():
            last.setdefault("more", []).append(text)
            note(line.number, f"joined to {last['id']} as the rest of its text")
        elif not text.endswith((".", ":", ";")) and len(text) < 120:
            groups.append({"title": norm(text), "items": []})
            item = last = None
        else:
            note(line.number, f"not placed in the knowledge specification: {text!r}")
    for group in groups:
        if not group["items"]:
            note(None, f"knowledge group {group['title']!r} has no items; dropped")
    kept = [g for g in groups if g["items"]]
    for group in kept:  # joined once here, so a long run of wrapped lines costs linear time
        for entry in group["items"]:
            for one in [entry, *entry.get("sub_items", [])]:
                if "more" in one:
                    one["text"] = norm(" ".join([one["text"], *one.pop("more")]))
    _gaps(kept, note)
    return kept


def _gaps(groups: list[dict[str, Any]], note: Note) -> None:
    numbers = {int(i["id"][1:]) for g in groups for i in g["items"] if i["id"][1:].isdigit()}
    missing = [n for n in range(1, max(numbers, default=0) + 1) if n not in numbers]
    if missing:
        listed = ", ".join(f"K{n}" for n in missing)
        note(None, f"the source prints no knowledge item {listed}: kept as a gap")
