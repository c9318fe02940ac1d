"""Record fields as the learner reads them: the unit's own words, dates as "10 March 2026".

Never an internal key (``risks/vulnerable_to_harm``), a model id (``gibbs``) or a timestamp
with its offset on a learner's page.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..portfolio.reflection import reflection_models
from ..standard.model import Standard
from .datebox import long_date

_UK = ZoneInfo("Europe/London")

#: Record fields by the names the forms give them.
FIELD_LABELS = {
    "title": "Title",
    "date": "Date",
    "method": "Method",
    "evidence_kind": "Kind",
    "description": "Description",
    "criteria": "Criteria",
    "scope": "Scope",
    "knowledge": "Knowledge",
    "simulated": "Simulated",
    "attachments": "Files",
    "witness": "Witness",
    "self_directed_support": "People directing their own support",
    "model": "Reflection model",
    "stages": "Stages",
    "draft": "Saved as a draft",
}


def scope_label(standard: Standard, key: str) -> str:
    """A scope option as the unit words it, under its category: ``Risks: risks to people``."""
    category_id, _, _option = key.partition("/")
    option = standard.scope_options.get(key)
    category = next((c for c in standard.scope if c.id == category_id), None)
    if option is None:
        return key
    return f"{category.label}: {option.label}" if category else option.label


def model_name(model_id: str) -> str:
    """A reflection model's name (``Gibbs' reflective cycle``), never its key."""
    model = reflection_models().get(model_id)
    return model.name if model else "your own structure"


def when(moment: date | datetime | None) -> str:
    """A date or a moment in words, as a UK reader writes it (no time zone offset)."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:  # shown in UK time, as the learner's clock reads
            moment = moment.astimezone(_UK)
        return f"{long_date(moment.date())} at {moment:%H:%M}"
    return long_date(moment)


def field_text(standard: Standard, field: str, value: Any) -> str:
    """One field's value as plain text for the learner."""
    if value is None or value == [] or value == "":
        return "(empty)"
    if field == "date" or isinstance(value, date):
        return when(value) if isinstance(value, date) else str(value)
    if field == "scope":
        return "\n".join(scope_label(standard, k) for k in value)
    if field == "evidence_kind":
        return "\n".join(scope_label(standard, k) for k in value)
    if field == "model":
        return model_name(str(value))
    if field == "attachments":
        return "\n".join(str(a.get("path", a)).split("/", 1)[-1] for a in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(f"{k.replace('_', ' ')}: {v}" for k, v in value.items() if v)
    return str(value)


_ISO_DATE = re.compile(r"\b(\d{4})-(\d\d)-(\d\d)\b")


def _words_for_dates(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        try:
            return long_date(date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            return match[0]

    return _ISO_DATE.sub(one, text)


def plain_reason(reason: str, label: str = "") -> str:
    """A status reason after its label, said once, with its dates in words.

    ``Ready for assessment: ready for assessment: it has ...`` -> ``... : it has ...``;
    ``Met: judged met on 2026-12-01`` -> ``Met: judged on 1 December 2026``.
    """
    text = str(reason)
    low = label.lower()
    if low and text.lower().startswith(low + ": "):
        text = text[len(low) + 2 :]
    elif low and text.lower().startswith(f"judged {low} on "):
        text = "judged on " + text[len(f"judged {low} on ") :]
    return _words_for_dates(text)
