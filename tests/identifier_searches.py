"""Every identifier search of the scanner, run without any shortcut (for tests that hold the
shortcuts to what the searches find)."""

from __future__ import annotations

from cpc306_portfolio.confidentiality import identifiers as ids
from cpc306_portfolio.confidentiality.names import KeepOutMatcher

NAMES = KeepOutMatcher.from_names(["Robin Fictional", "Ash Madeup"])


def every_search(text: str) -> list[ids.Hit]:
    """What find_hits gave before it looked for a digit or used a prefilter: every search."""
    hits = [*ids._nhs_hits(text), *ids._ni_hits(text), *ids._postcode_hits(text)]
    hits += ids._email_hits(text)
    hits += ids._dob_hits(text)
    hits += ids._phone_hits(text, blocked=[(s, e) for _, s, e, _ in hits])
    hits += ids._name_hits(text, NAMES)
    return hits
