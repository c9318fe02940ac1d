"""A unit as a Mahara SmartEvidence framework (``.matrix`` JSON), both ways.

Mahara's framework has ``standards`` (here: the unit's elements, then one standard for
the knowledge specification) and ``standardelements`` under them (criteria; knowledge
items, with sub-items as children through ``parentelementid``). ``shortname`` carries our
ids, ``description`` the full text (Mahara limits ``name`` to 255 characters, so it is
``"<id> - <text>"`` cut short). A unit with no knowledge specification has no
``Knowledge`` standard. Reading a framework is :mod:`.matrix_reader`.

Each ``elementid`` is the entry's own id (``A10``, ``K8a``), never a dotted number: Mahara
finds a parent with PHP's loose ``==``, which takes ``"4.10"`` for ``"4.1"``, and a
string that is not a number is only ever equal to itself.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..files.atomic import atomic_write_text
from .matrix_reader import KNOWLEDGE_STANDARD, parse_matrix, read_matrix
from .model import Standard
from .textparts import norm

__all__ = ["KNOWLEDGE_STANDARD", "export_matrix", "parse_matrix", "read_matrix", "to_matrix"]
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
        for crit in element.criteria:
            elements.append(
                {
                    "shortname": crit.id,
                    "name": _name(crit.id, crit.text),
                    "description": crit.text,
                    "standardid": sid,
                    "elementid": crit.id,
                }
            )
    if standard.has_knowledge:
        _knowledge(standard, standards, elements)
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


def _knowledge(
    standard: Standard, standards: list[dict[str, Any]], elements: list[dict[str, Any]]
) -> None:
    ksid = len(standards) + 1
    standards.append(
        {
            "shortname": KNOWLEDGE_STANDARD,
            "name": f"{KNOWLEDGE_STANDARD} - what the learner knows and understands",
            "description": norm(standard.knowledge.intro) or KNOWLEDGE_STANDARD,
            "standardid": ksid,
        }
    )
    for group in standard.knowledge.groups:
        for item in group.items:
            parent = item.id
            elements.append(
                {
                    "shortname": item.id,
                    "name": _name(item.id, item.text),
                    "description": item.text,
                    "standardid": ksid,
                    "elementid": parent,
                }
            )
            for sub in item.sub_items:
                elements.append(
                    {
                        "shortname": sub.id,
                        "name": _name(sub.id, sub.text),
                        "description": sub.text,
                        "standardid": ksid,
                        "parentelementid": parent,
                        "elementid": sub.id,
                    }
                )


def export_matrix(standard: Standard, output: str | os.PathLike[str]) -> Path:
    """Write the unit as a ``.matrix`` file; return its path."""
    path = Path(output)
    text = json.dumps(to_matrix(standard), indent=2, ensure_ascii=False) + "\n"
    atomic_write_text(path, text)
    return path
