"""A small fictional unit built in code, for tests of the unit's loader, checks and exports."""

from __future__ import annotations

from typing import Any


def crit(cid: str, text: str, **over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": cid,
        "text": text,
        "explanation": f"{cid} in plain words.",
        "prompts": ["What did you do?", "How did it go?"],
        "typical_evidence": ["a note of the meeting"],
    }
    base.update(over)
    return base


def unit(**over: Any) -> dict[str, Any]:
    """A small fictional unit: two elements, a scope, a key word, three knowledge items."""
    base: dict[str, Any] = {
        "schema": "nos-unit/1",
        "code": "ZZT 901",
        "title": "Keep a fictional tool library in order",
        "elements": [
            {
                "id": "A",
                "title": "Lend tools",
                "criteria": [
                    crit(
                        "A1",
                        "Check each tool against its **condition** record",
                        bold_terms=[{"term": "condition", "scope": ["condition"]}],
                        knowledge=["K1"],
                    ),
                    crit(
                        "A2",
                        "Explain the **loan terms** to the borrower",
                        bold_terms=[{"term": "loan terms", "key_word": "loan_terms"}],
                    ),
                ],
            },
            {"id": "B", "title": "Repair tools", "criteria": [crit("B1", "Log each repair")]},
        ],
        "scope": [
            {
                "id": "condition",
                "label": "Condition",
                "heading": "Condition",
                "options": [{"id": "worn", "label": "worn"}, {"id": "broken", "label": "broken"}],
            }
        ],
        "key_words": [{"id": "loan_terms", "term": "Loan terms", "definition": "How long."}],
        "knowledge": {
            "groups": [
                {
                    "title": "Tools",
                    "items": [
                        {"id": "K1", "text": "How tools wear"},
                        {
                            "id": "K2",
                            "text": "Safe storage",
                            "sub_items": [{"id": "K2a", "text": "dry"}],
                        },
                        {"id": "K4", "text": "Who repairs what"},
                    ],
                }
            ]
        },
        "assessment_strategy": {"performance_methods": ["observation"]},
    }
    base.update(over)
    return base
