"""One verification per learner in a batch: what :func:`verified_once` keeps while it is open.

A batch worker verifies a learner's declaration and sign-off for the dashboard's summary
and then, a moment later, renders the learner's page, which shows the same verification
and the manifest it was made from. Inside :func:`verified_once` the second asks get the
first answers (in a child forked from the worker too, which inherits what the worker
holds) rather than hashing every file and checking every signature again, and the summary
and the page cannot disagree. Outside it, every call looks at the files as they are now.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..portfolio.manifest import build_manifest
from ..portfolio.models import Manifest
from ..portfolio.store import Portfolio

__all__ = ["full_manifest", "remember", "remembered", "verified_once"]

#: Verifications by portfolio object and list, and each portfolio's full manifest, while
#: :func:`verified_once` is open (None otherwise). Each keeps its portfolio, so the
#: object's id cannot pass to another while it is remembered.
_VERIFIED: dict[tuple[int, str], tuple[Portfolio, object]] | None = None
_MANIFESTS: dict[int, tuple[Portfolio, Manifest]] | None = None


@contextmanager
def verified_once() -> Iterator[None]:
    """Inside, each open portfolio is verified once per list, and its manifest built once."""
    global _VERIFIED, _MANIFESTS
    outer = _VERIFIED, _MANIFESTS
    if _VERIFIED is None or _MANIFESTS is None:
        _VERIFIED, _MANIFESTS = {}, {}
    try:
        yield
    finally:
        _VERIFIED, _MANIFESTS = outer


def _key(portfolio: object, trust: object) -> tuple[int, str] | None:
    if not isinstance(portfolio, Portfolio):
        return None
    if trust is None:
        return (id(portfolio), "")
    if isinstance(trust, str | os.PathLike):
        return (id(portfolio), os.fspath(trust))
    return None  # keys already loaded: not worth comparing


def remembered(portfolio: object, trust: Any) -> object | None:
    """The verification of this portfolio object against this list, if one is kept.

    (Held as an object: ``verification`` imports this module, not the other way round.)
    """
    key = _key(portfolio, trust)
    if key is None or _VERIFIED is None or key not in _VERIFIED:
        return None
    return _VERIFIED[key][1]


def remember(portfolio: object, trust: Any, result: object) -> None:
    """Keep a verification while :func:`verified_once` is open (else nothing)."""
    key = _key(portfolio, trust)
    if key is not None and _VERIFIED is not None and isinstance(portfolio, Portfolio):
        _VERIFIED[key] = (portfolio, result)


def full_manifest(folio: Portfolio) -> Manifest:
    """The assessor's manifest of ``folio`` now (every record, attachment and judgement).

    Inside :func:`verified_once`, the one its verification built: a page shows the files
    it verified.
    """
    if _MANIFESTS is not None and id(folio) in _MANIFESTS:
        return _MANIFESTS[id(folio)][1]
    manifest = build_manifest(folio, include_assessment=True)
    if _MANIFESTS is not None:
        _MANIFESTS[id(folio)] = (folio, manifest)
    return manifest
