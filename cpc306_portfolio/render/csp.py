"""The Content-Security-Policy of every page we write, written once.

Nothing may come from the network and no script may run but our own, each allowed by the
SHA-256 of its exact text (never ``'unsafe-inline'``). The policy is a second wall: the
first is that learner text is escaped before it reaches a page.
"""

from __future__ import annotations

import base64
import hashlib

_BASE = (
    "default-src 'none'",
    "img-src data:",
    "style-src 'unsafe-inline'",
    "base-uri 'none'",
    "form-action 'none'",
)


def script_hash(source: str) -> str:
    """The CSP source expression allowing one inline script, e.g. ``'sha256-...'``."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(*scripts: str) -> str:
    """The policy for a page whose only scripts are ``scripts`` (their exact text)."""
    parts = list(_BASE)
    if scripts:
        parts.insert(1, "script-src " + " ".join(script_hash(s) for s in scripts))
    return "; ".join(parts)


#: The policy of a page that runs no script at all.
CSP = content_security_policy()
