"""Read a Mahara SmartEvidence framework (``.matrix`` JSON) into a draft unit.

Both layouts Mahara reads are read: the flat one (``framework.standardelements``, each
naming its standard by ``standardid`` and its parent by ``parentelementid``, or
``parentid`` as Mahara's own Export writes it) and the older nested one
(``framework.standards[].standardelement[]``). Parents are matched exactly, never as
numbers (Mahara's PHP takes ``"4.10"`` for ``"4.1"``).

Every level is kept. A standard is an element of the unit; a standard element with no
children is a criterion of it; a standard element **with** children is a heading, and
becomes an element of its own whose criteria are the leaves below it (deeper headings
are named in a note). The standard ``Knowledge`` (as :func:`.mahara.to_matrix` writes
it) is the knowledge specification, its children the sub-items.

Descriptions are HTML in Mahara: they become plain text with their paragraphs and list
items. Ids come from ``shortname`` keeping every letter (``Ngā hononga`` ->
``Ngā_hononga``); titles from ``name``; the unit code from the framework's name, from
``code=`` (``--code``), or a placeholder. Sizes are checked before the work that grows
with them (:mod:`.limits`).
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import NotFoundError, UsageError
from .htmltext import html_text
from .limits import MAX_NESTING, check_entries, check_source_size
from .notes import ImportNote, ImportResult
from .placeholders import PLACEHOLDER, with_placeholders
from .textparts import IdPool, norm, unique

KNOWLEDGE_STANDARD = "Knowledge"
_CODE_NAME = re.compile(r"^([A-Z]{2,}[A-Z0-9]* ?[0-9][A-Z0-9]*)\s+(.+)$")
_FIELDS = ("shortname", "name", "description", "standardid", "elementid")
_PARENTS = ("parentelementid", "parentid")
_CHILDREN = ("standardelement", "standardelements")
_HINT = "export the framework from Mahara again, or fix the .matrix file there"


class _Entry:
    """One standard or standard element, its fields checked for type."""

    __slots__ = ("children", "data", "key", "parent", "standard", "where")

    def __init__(self, data: dict[str, Any], where: str, standard: str) -> None:
        self.data = data
        self.where = where
        self.standard = standard
        self.key = _key(data.get("elementid"))
        self.parent = next((_key(data[p]) for p in _PARENTS if data.get(p) not in (None, "")), "")
        self.children: list[_Entry] = []

    def get(self, name: str) -> str:
        value = self.data.get(name)
        return "" if value is None else str(value)

    def title(self) -> str:
        """The heading: ``name`` without the ``"<shortname> - "`` Mahara puts before it."""
        short = self.get("shortname")
        name = norm(html_text(self.get("name")))
        if short and name.startswith(short):
            name = re.sub(rf"^{re.escape(short)}\s*[-–:.]?\s*", "", name)
        return name or norm(html_text(self.get("description")))

    def text(self) -> str:
        """The full wording: the description (HTML made plain text), else the name."""
        return html_text(self.get("description")) or self.title()


def _key(value: Any) -> str:
    return "" if value is None else str(value)


def _refuse(path: str, message: str) -> UsageError:
    return UsageError(f"{path}: {message}", hint=_HINT)


def _object(value: Any, path: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _refuse(path, f"{where} is {type(value).__name__}, not an object")
    for name in (*_FIELDS, *_PARENTS):
        field = value.get(name)
        if field is not None and not isinstance(field, str | int | float):
            raise _refuse(path, f"{where}.{name} is {type(field).__name__}, not text or a number")
    return value


def _array(value: Any, path: str, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _refuse(path, f"{where} is {type(value).__name__}, not a list")
    return value


def _nested(
    data: dict[str, Any], path: str, where: str, standard: str, parent: str
) -> Iterator[_Entry]:
    """The elements nested inside ``data`` (older layout), depth first, without recursion."""
    stack = [(data, where, parent, 0)]
    while stack:
        holder, at, owner, depth = stack.pop()
        if depth > MAX_NESTING:
            raise _refuse(path, f"{at} is nested more than {MAX_NESTING} levels deep")
        found: list[tuple[dict[str, Any], str, str, int]] = []
        for name in _CHILDREN:
            for i, raw in enumerate(_array(holder.get(name), path, f"{at}.{name}")):
                child_at = f"{at}.{name}[{i}]"
                entry = _Entry(_object(raw, path, child_at), child_at, standard)
                if owner and not entry.parent:
                    entry.parent = owner
                if not entry.key:
                    entry.key = f"\0{child_at}"  # only its nested children name it
                yield entry
                found.append((raw, child_at, entry.key, depth + 1))
        stack.extend(reversed(found))


def _ident(value: str, fallback: str) -> str:
    """An id from a shortname, every letter kept: runs of anything else become ``_``."""
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFC", value))
    text = "_".join(words)
    if not text:
        return ""
    return text if re.match(r"[^\W\d_]", text) else f"{fallback}{text}"


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.notes: list[ImportNote] = []
        self.taken: set[str] = IdPool()

    def note(self, message: str) -> None:
        self.notes.append(ImportNote(None, message))

    def ident(self, entry: _Entry, fallback: str, n: int) -> str:
        short = entry.get("shortname")
        wanted = _ident(short, fallback) or f"{fallback}{n}"
        got = unique(wanted, self.taken)
        if got != wanted:
            self.note(f"{entry.where}: id {wanted!r} is taken; this one is {got!r}")
        return got

    def wording(self, entry: _Entry) -> str:
        text = entry.text()
        if not text:
            text = f"{PLACEHOLDER} the wording of {entry.get('shortname') or entry.where}"
            self.note(f"{entry.where}: no name or description; its wording is a placeholder")
        return text

    def criterion(self, entry: _Entry, n: int) -> dict[str, Any]:
        text = self.wording(entry)
        return with_placeholders({"id": self.ident(entry, "P", n), "text": text})

    def leaves(self, top: _Entry) -> Iterator[_Entry]:
        """The leaves below ``top`` in document order, noting the headings passed."""
        stack = list(reversed(top.children))
        while stack:
            entry = stack.pop()
            if entry.children:
                self.note(
                    f"{entry.where} ({entry.title()!r}) is a heading below {top.title()!r}: "
                    "its criteria are listed under that heading's element"
                )
                stack.extend(reversed(entry.children))
            else:
                yield entry


def _link(entries: list[_Entry], builder: _Builder) -> list[_Entry]:
    """Give each entry its children; return the roots (entries with no parent)."""
    by_key: dict[tuple[str, str], _Entry] = {}
    for entry in entries:
        if entry.key:
            by_key.setdefault((entry.standard, entry.key), entry)
    roots: list[_Entry] = []
    for entry in entries:
        if not entry.parent:
            roots.append(entry)
            continue
        parent = by_key.get((entry.standard, entry.parent))
        if parent is None or parent is entry:
            builder.note(
                f"{entry.where}: parent {entry.parent!r} is not an element of its standard; "
                "kept at the top level"
            )
            roots.append(entry)
        else:
            parent.children.append(entry)
    # An entry on a loop of parents is never reached from a root: say so, do not follow it.
    reached: set[int] = set()
    stack = list(roots)
    while stack:
        entry = stack.pop()
        if id(entry) not in reached:
            reached.add(id(entry))
            stack.extend(entry.children)
    for entry in entries:
        if id(entry) not in reached:
            builder.note(f"{entry.where}: its parents form a loop; not placed")
    return roots


def parse_matrix(data: Any, path: str = "the framework", code: str | None = None) -> ImportResult:
    """A draft unit from a SmartEvidence framework, with notes on what needs a person."""
    if not isinstance(data, dict) or not isinstance(data.get("framework"), dict):
        raise UsageError(
            f"{path}: not a SmartEvidence framework (no top-level 'framework' object)",
            hint="export the framework from Mahara as a .matrix file",
        )
    framework: dict[str, Any] = data["framework"]
    builder = _Builder(path)
    standards = [
        _object(raw, path, f"standards[{i}]")
        for i, raw in enumerate(_array(framework.get("standards"), path, "standards"))
    ]
    flat = _array(framework.get("standardelements"), path, "standardelements")
    check_entries(path, len(standards) + len(flat))
    entries: list[_Entry] = []
    by_id: dict[str, str] = {}
    for i, std in enumerate(standards):
        by_id.setdefault(_key(std.get("standardid")), f"standards[{i}]")
        for entry in _nested(std, path, f"standards[{i}]", f"standards[{i}]", ""):
            entries.append(entry)
            check_entries(path, len(standards) + len(flat) + len(entries))
    for i, raw in enumerate(flat):
        where = f"standardelements[{i}]"
        item = _object(raw, path, where)
        home = by_id.get(_key(item.get("standardid")))
        if home is None:
            builder.note(f"{where}: no standard {item.get('standardid')!r}; not placed")
            continue
        entries.append(_Entry(item, where, home))
        for nested in _nested(item, path, where, home, entries[-1].key):
            entries.append(nested)
            check_entries(path, len(standards) + len(entries) + len(flat) - i - 1)
    roots: dict[str, list[_Entry]] = {}
    for root in _link(entries, builder):
        roots.setdefault(root.standard, []).append(root)
    elements: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    for i, std in enumerate(standards):
        where = f"standards[{i}]"
        head = _Entry(std, where, where)
        mine = roots.get(where, [])
        if head.get("shortname").lower() == KNOWLEDGE_STANDARD.lower():
            groups.append(_knowledge(head, mine, builder))
            continue
        element: dict[str, Any] = {
            "id": builder.ident(head, "E", i + 1),
            "title": _title(head, builder),
            "criteria": [],
        }
        elements.append(element)
        for n, root in enumerate(mine, start=1):
            if not root.children:
                element["criteria"].append(builder.criterion(root, n))
                continue
            heading: dict[str, Any] = {
                "id": builder.ident(root, "E", n),
                "title": _title(root, builder),
                "criteria": [],
            }
            elements.append(heading)
            for m, leaf in enumerate(builder.leaves(root), start=1):
                heading["criteria"].append(builder.criterion(leaf, m))
        if not element["criteria"]:  # left out of the draft (see _draft); its id is free
            builder.taken.discard(element["id"])
            if not any(r.children for r in mine):
                builder.note(f"{where} ({head.title()!r}) has no elements; not kept")
    if not any(e["criteria"] for e in elements):
        builder.note("no standard element was found: the unit has no criteria")
    return ImportResult(_draft(framework, elements, groups, builder, code), builder.notes)


def _title(entry: _Entry, builder: _Builder) -> str:
    title = entry.title()
    if not title:
        builder.note(f"{entry.where}: no name or description; its title is a placeholder")
        title = f"{PLACEHOLDER} a title for {entry.get('shortname') or entry.where}"
    return title


def _knowledge(head: _Entry, roots: list[_Entry], builder: _Builder) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for n, root in enumerate(roots, start=1):
        item: dict[str, Any] = {"id": builder.ident(root, "K", n), "text": builder.wording(root)}
        stack = list(reversed(root.children))
        subs: list[dict[str, str]] = []
        while stack:
            entry = stack.pop()
            sub_id = builder.ident(entry, "K", len(subs) + 1)
            subs.append({"id": sub_id, "text": builder.wording(entry)})
            stack.extend(reversed(entry.children))
        if subs:
            item["sub_items"] = subs
        items.append(item)
    return {"title": head.title() or KNOWLEDGE_STANDARD, "items": items}


def _draft(
    framework: dict[str, Any],
    elements: list[dict[str, Any]],
    groups: list[dict[str, Any]],
    builder: _Builder,
    code: str | None,
) -> dict[str, Any]:
    name = norm(html_text(str(framework.get("name") or "")))
    match = _CODE_NAME.match(name) if len(name) < 1_000 else None  # bounded backtracking
    title = name
    if code and code.strip():
        code = " ".join(code.split())
        if name.replace(" ", "").lower().startswith(code.replace(" ", "").lower()) and match:
            title = match.group(2)
    elif match:
        code, title = match.group(1), match.group(2)
    else:
        builder.note(
            f"the framework's name {name!r} starts with no unit code: the code is a "
            "placeholder; import again with --code CODE, or write it in the draft"
        )
        code = f"{PLACEHOLDER} the unit's code"
    draft: dict[str, Any] = {
        "schema": "nos-unit/1",
        "code": code,
        "title": title or f"{PLACEHOLDER} title",
        "key_purpose": html_text(str(framework.get("description") or "")),
        "elements": [e for e in elements if e["criteria"]],
    }
    kept = [g for g in groups if g["items"]]
    if kept:
        draft["knowledge"] = {"intro": "", "groups": kept}
    draft["assessment_strategy"] = {
        "performance_methods": ["observation", "witness_testimony", "product"],
        "notes": [f"{PLACEHOLDER} the unit's assessment strategy"],
    }
    return draft


def read_matrix(source: str | os.PathLike[str], code: str | None = None) -> ImportResult:
    """Read a ``.matrix`` file into a draft unit; refuse one too large, deep or ill-typed."""
    path = Path(source)
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file", hint="give the .matrix file's path")
    check_source_size(path)
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text", hint=_HINT) from None
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{path}: not a JSON .matrix file (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            hint=_HINT,
        ) from None
    except RecursionError:
        raise UsageError(f"{path}: nested too deep to be a framework", hint=_HINT) from None
    return parse_matrix(data, str(path), code)
