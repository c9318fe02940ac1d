"""What a drafted unit holds where the project's own words (OURS) are still to be written."""

from __future__ import annotations

from typing import Any

#: Every placeholder starts with this, so a person (or a check) can find them all.
PLACEHOLDER = "TO WRITE (ours):"


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
