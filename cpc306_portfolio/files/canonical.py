"""The SHA-256 of data as canonical JSON: what manifests and agreements record."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from .yamlio import plain_data


def _json_default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def canonical_hash(data: Any) -> str:
    """SHA-256 of data as canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(
        plain_data(data),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=_json_default,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
