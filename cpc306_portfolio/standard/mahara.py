"""A unit as a Mahara SmartEvidence framework (``.matrix`` JSON), both ways.

Mahara's framework has ``standards`` (here: the unit's elements, then one standard for
the knowledge specification) and ``standardelements`` under them (criteria; knowledge
items, with sub-items as children through ``parentelementid``). ``shortname`` carries our
ids, ``description`` the full text (Mahara limits ``name`` to 255 characters, so it is
``"<id> - <text>"`` cut short). Importing gives a draft unit: the words and ids come from
the framework, the OURS fields are placeholders (see :mod:`.importer`).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from ..errors import NotFoundError, UsageError
from ..files.atomic import atomic_write_text
from .importer import ImportNote, ImportResult
from .model import Standard
from .placeholders import PLACEHOLDER, with_placeholders
from .textparts import norm

KNOWLEDGE_STANDARD = "Knowledge"
_NAME_LIMIT = 255
_STATUSES = [
    {"begun": "Ready for assessment"},
    {"incomplete": "Not yet met"},
    {"partialcomplete": "Partly met"},
    {"completed": "Met"},
]


def _name(short: str, text: str) -> str:
    name = f"{short} - {text}"
    return name if len(name) <= _NAME_LIMIT else name[: _NAME_LIMIT - 1].rstrip() + "…"


def to_matrix(standard: Standard) -> dict[str, Any]:
    """The unit as a SmartEvidence framework (plain data for ``json.dumps``)."""
    standards: list[dict[str, Any]] = []
    elements: list[dict[str, Any]] = []
    for sid, element in enumerate(standard.elements, start=1):
        standards.append(
            {
                "shortname": element.id,
                "name": _name(element.id, element.title),
                "description": element.title,
                "standardid": sid,
            }
        )
        for n, crit in enumerate(element.criteria, start=1):
            elements.append(
                {
                    "shortname": crit.id,
                    "name": _name(crit.id, crit.text),
                    "description": crit.text,
                    "standardid": sid,
                    "elementid": f"{sid}.{n}",
                }
            )
    ksid = len(standards) + 1
    standards.append(
        {
            "shortname": KNOWLEDGE_STANDARD,
            "name": f"{KNOWLEDGE_STANDARD} - what the learner knows and understands",
            "description": norm(standard.knowledge.intro) or KNOWLEDGE_STANDARD,
            "standardid": ksid,
        }
    )
    n = 0
    for group in standard.knowledge.groups:
        for item in group.items:
            n += 1
            parent = f"{ksid}.{n}"
            elements.append(
                {
                    "shortname": item.id,
                    "name": _name(item.id, item.text),
                    "description": item.text,
                    "standardid": ksid,
                    "elementid": parent,
                }
            )
            for m, sub in enumerate(item.sub_items, start=1):
                elements.append(
                    {
                        "shortname": sub.id,
                        "name": _name(sub.id, sub.text),
                        "description": sub.text,
                        "standardid": ksid,
                        "parentelementid": parent,
                        "elementid": f"{parent}.{m}",
                    }
                )
    return {
        "framework": {
            "institution": "all",
            "name": f"{standard.code} {standard.title}",
            "description": standard.key_purpose or standard.title,
            "selfassess": False,
            "evidencestatuses": _STATUSES,
            "standards": standards,
            "standardelements": elements,
        }
    }


def export_matrix(standard: Standard, output: str | os.PathLike[str]) -> Path:
    """Write the unit as a ``.matrix`` file; return its path."""
    path = Path(output)
    text = json.dumps(to_matrix(standard), indent=2, ensure_ascii=False) + "\n"
    atomic_write_text(path, text)
    return path


def _text(entry: dict[str, Any]) -> str:
    description = norm(str(entry.get("description") or ""))
    if description:
        return description
    name, short = norm(str(entry.get("name") or "")), str(entry.get("shortname") or "")
    return re.sub(rf"^{re.escape(short)}\s*-\s*", "", name) if short else name


def _ident(value: Any, fallback: str) -> str:
    text = re.sub(r"[^A-Za-z0-9]", "", str(value or ""))
    return text if text[:1].isalpha() else f"{fallback}{text}"


def parse_matrix(data: Any, path: str = "the framework") -> ImportResult:
    """A draft unit from a SmartEvidence framework, with notes on what was not placed."""
    framework = data.get("framework") if isinstance(data, dict) else None
    if not isinstance(framework, dict):
        raise UsageError(
            f"{path}: not a SmartEvidence framework (no top-level 'framework' object)",
            hint="export the framework from Mahara as a .matrix file",
        )
    notes: list[ImportNote] = []
    name = norm(str(framework.get("name") or ""))
    match = re.match(r"^([A-Z]{2,}[A-Z0-9]* ?[0-9][A-Z0-9]*)\s+(.+)$", name)
    code, title = (match.group(1), match.group(2)) if match else ("", name)
    if not code:
        notes.append(ImportNote(None, f"framework name {name!r} starts with no unit code"))
        code = f"{PLACEHOLDER} the unit's code"
    elements: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    by_standard: dict[Any, dict[str, Any]] = {}
    for standard in framework.get("standards") or []:
        short = str(standard.get("shortname") or "")
        if short.lower() == KNOWLEDGE_STANDARD.lower():
            group = {"title": KNOWLEDGE_STANDARD, "items": []}
            groups.append(group)
            by_standard[standard.get("standardid")] = {"knowledge": group}
        else:
            element = {"id": _ident(short, "E"), "title": _text(standard), "criteria": []}
            elements.append(element)
            by_standard[standard.get("standardid")] = {"element": element}
    items: dict[str, dict[str, Any]] = {}
    for entry in framework.get("standardelements") or []:
        home = by_standard.get(entry.get("standardid"))
        short = str(entry.get("shortname") or "")
        if home is None:
            notes.append(ImportNote(None, f"{short!r}: no standard {entry.get('standardid')!r}"))
            continue
        text = _text(entry)
        parent = entry.get("parentelementid")
        if "element" in home:
            if parent:
                notes.append(ImportNote(None, f"{short!r}: criteria have no sub-levels; skipped"))
                continue
            home["element"]["criteria"].append(
                with_placeholders({"id": _ident(short, "P"), "text": text, "bold_terms": []})
            )
        elif parent:
            owner = items.get(str(parent))
            if owner is None:
                notes.append(ImportNote(None, f"{short!r}: parent {parent!r} not found"))
                continue
            owner.setdefault("sub_items", []).append({"id": _ident(short, "K"), "text": text})
        else:
            item = {"id": _ident(short, "K"), "text": text}
            items[str(entry.get("elementid"))] = item
            home["knowledge"]["items"].append(item)
    draft: dict[str, Any] = {
        "schema": "nos-unit/1",
        "code": code,
        "title": title or f"{PLACEHOLDER} title",
        "key_purpose": norm(str(framework.get("description") or "")),
        "elements": elements,
        "knowledge": {"intro": "", "groups": [g for g in groups if g["items"]]},
        "assessment_strategy": {
            "performance_methods": ["observation", "witness_testimony", "product"],
            "notes": [f"{PLACEHOLDER} the unit's assessment strategy"],
        },
    }
    return ImportResult(draft, notes)


def read_matrix(source: str | os.PathLike[str]) -> ImportResult:
    """Read a ``.matrix`` file into a draft unit."""
    path = Path(source)
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file", hint="give the .matrix file's path")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a JSON .matrix file ({exc})") from None
    return parse_matrix(data, str(path))
