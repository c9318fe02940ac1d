"""The export page's words about the declaration and the built file, for a learner.

Whether the declaration still covers the work (anything changed since says the
declaration is out of date, naming what changed by its record), and the built file as a
real, button-styled link (opened with ``#learner``: the page then keeps the assessor's
forms hidden until someone asks for them).
"""

from __future__ import annotations

import re
from html import escape

from ..errors import PortfolioError
from ..portfolio.manifest import current_manifest, diff_manifest
from ..portfolio.store import Portfolio
from .wording import when

_RECORD = re.compile(r"^(?:evidence|reflections)/([A-Z]+\d+)(?:\.yaml|/(.+))$")


def _named(paths: list[str]) -> list[str]:
    """What the learner calls each changed file: a record id, "your details", or "a file"."""
    out: list[str] = []
    for path in paths:
        match = _RECORD.match(path)
        name = (
            (f"the file {match[2]} of {match[1]}" if match[2] else match[1])
            if match
            else "your details"
            if path.startswith("portfolio.yaml")
            else "your plan and reviews"
            if path.startswith(("plan", "reviews"))
            else "another file"
        )
        if name not in out:
            out.append(name)
    return out


def changes_since_declaring(portfolio: Portfolio) -> list[str] | None:
    """What changed since the declaration, in the learner's words (None: not declared)."""
    declared = portfolio.profile.declaration
    if declared is None:
        return None
    now = current_manifest(portfolio, declared.manifest, include_assessment=False)
    added, removed, changed = diff_manifest(declared.manifest, now)
    return [
        *(f"{n} changed" for n in _named(changed)),
        *(f"{n} added" for n in _named(added)),
        *(f"{n} removed" for n in _named(removed)),
    ]


def declaration_html(portfolio: Portfolio) -> str:
    """Whether you have declared, when, and whether the declaration is out of date."""
    declared = portfolio.profile.declaration
    if declared is None:
        return '<p class="cpc306-declaration-state">You have not declared your work yet.</p>'
    try:
        changes = changes_since_declaring(portfolio) or []
    except PortfolioError as exc:
        return f'<p class="cpc306-error-text">⚠ {escape(str(exc))}</p>'
    said = f"You declared your work your own on {when(declared.signed_at)}."
    if not changes:
        return (
            f'<p class="cpc306-declaration-state cpc306-saved">✔ {escape(said)} '
            "Nothing has changed since.</p>"
        )
    listed = "; ".join(changes[:8]) + (f"; and {len(changes) - 8} more" if len(changes) > 8 else "")
    return (
        '<p class="cpc306-declaration-state cpc306-warning-text" role="alert">'
        f"<strong>⚠ Your declaration is out of date.</strong> {escape(said)} Since then: "
        f"{escape(listed)}. Tick the box and sign your declaration again before you send "
        "your portfolio, so your assessor sees the work as it is now is your own.</p>"
    )


def open_link_html(href: str, name: str) -> str:
    """The built file as a button-styled link that opens it in a new tab."""
    return (
        f'<p><a class="cpc306-open-export cpc306-link-button" href="{escape(href)}#learner" '
        f'target="_blank" rel="noopener">Open your portfolio</a> '
        f'<span class="cpc306-hint">({escape(name)}, opens in a new tab)</span></p>'
    )


def declaration_reminder(portfolio: Portfolio) -> str:
    """A sentence to add after a save when it left the declaration out of date ("" if not)."""
    try:
        changes = changes_since_declaring(portfolio)
    except PortfolioError:
        return ""
    if not changes:
        return ""
    return " Your declaration is now out of date: sign it again on the Export page."
