"""Verification: does a portfolio still match what was declared and signed off.

:func:`verify_portfolio` recomputes the manifests, compares them with the ones recorded in
the declaration and the sign-off, checks the assessor's signature and, given the centre's
trust list, whether the signing key is on it. It reads only, so it works on a read-only
copy, and it returns data: the CLI and the rendered portfolio decide how to show it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import RecordError, UsageError
from ..files.yamlio import load_model
from ..portfolio.manifest import (
    JUDGEMENT_ENTRY,
    current_manifest,
    diff_manifest,
    learner_part,
    manifest_is_consistent,
)
from ..portfolio.models import Declaration, Manifest, Profile, SignOff
from ..portfolio.reviews import stale_agreements
from ..portfolio.store import Portfolio, open_portfolio
from .iqa_record import IQACheck, check_iqa
from .signing import (
    key_fingerprint,
    load_trust_names,
    public_key_b64,
    short_fingerprint,
    verify_signature,
)
from .verification_memo import full_manifest, remember, remembered

DECLARATION = "declaration"
SIGNOFF = "signoff"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _when(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%d} at {moment:%H:%M} UTC"


@dataclass(frozen=True)
class SignatureCheck:
    """One recorded manifest (the learner's declaration or the assessor's sign-off), checked.

    ``signature_valid`` is None for the learner's declaration (it is not signed with a key);
    ``trusted`` is None when no trust list was given.
    """

    kind: str
    signed_by: str
    signed_at: datetime
    fingerprint: str
    current_fingerprint: str
    matches: bool
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    key_fingerprint: str | None = None
    signature_valid: bool | None = None
    trusted: bool | None = None
    manifest_intact: bool = True
    #: The name the centre's trust list binds to the signing key (None: not on it, or no list).
    trusted_name: str | None = None
    #: Criteria judged in the signed manifest, and the unit's criteria (sign-offs only).
    judged: int = 0
    criteria_total: int = 0

    @property
    def interim(self) -> bool:
        """A sign-off made before every criterion of the unit was judged."""
        return self.kind == SIGNOFF and self.judged < self.criteria_total

    @property
    def signer(self) -> str:
        """Who the page may say signed: the trusted name, else the typed name, marked as such."""
        if self.trusted_name:
            return self.trusted_name
        return self.signed_by

    @property
    def ok(self) -> bool:
        """Nothing changed, and the signature (if any) is valid and trusted (if asked)."""
        return self.matches and self.signature_valid is not False and self.trusted is not False

    @property
    def differences(self) -> list[str]:
        """Every entry added, removed or changed, in one sorted list."""
        return sorted({*self.added, *self.removed, *self.changed})

    @property
    def summary(self) -> str:
        """What was signed, by whom, and what changed since, in plain English."""
        if self.kind == DECLARATION:
            head = f"Declared by {self.signed_by} on {_when(self.signed_at)}"
        else:
            key = short_fingerprint(self.key_fingerprint or "") or "no key"
            kind = "Interim sign-off" if self.interim else "Sign-off"
            if self.trusted:
                head = f"{kind} by {self.signer} on {_when(self.signed_at)} with key {key}…"
            else:
                head = (
                    f"{kind} NOT VERIFIED: made on {_when(self.signed_at)} with key {key}…, "
                    f"the name typed at signing was {self.signed_by!r}"
                )
            if self.interim:
                head += f" ({self.judged} of {self.criteria_total} criteria judged)"
        parts = [head]
        if self.signature_valid is False:
            parts.append(
                "the signature is NOT valid: the sign-off was altered or not made with that key"
            )
        if self.trusted is False:
            parts.append("the key is NOT on the centre's list of its assessors' keys")
        elif self.trusted:
            parts.append("the key is on the centre's list of its assessors' keys")
        elif self.kind == SIGNOFF:
            parts.append(
                "the key was not checked against the centre's list of its assessors' keys "
                "(verify with --trust CENTRE_KEYS)"
            )
        if not self.manifest_intact:
            parts.append("the recorded manifest does not add up to its fingerprint (edited)")
        for names, verb in (
            (self.changed, "changed"),
            (self.added, "added"),
            (self.removed, "removed"),
        ):
            if names:
                parts.append(f"{_plural(len(names), 'file')} {verb} since: {', '.join(names)}")
        if self.matches:
            parts.append("nothing has changed since")
        return "; ".join(parts) + "."


@dataclass(frozen=True)
class Verification:
    """The result of :func:`verify_portfolio`: each recorded manifest checked, and now."""

    declaration: SignatureCheck | None
    signoff: SignatureCheck | None
    current_fingerprint: str
    trust_checked: bool = False
    iqa: IQACheck | None = None
    #: The assessment plan or a review changed after it was agreed, in words.
    stale_agreements: tuple[str, ...] = ()

    @property
    def checks(self) -> list[SignatureCheck]:
        return [c for c in (self.declaration, self.signoff) if c is not None]

    @property
    def ok(self) -> bool:
        """Everything recorded still matches and every signature is valid (and trusted).

        With a trust list, a portfolio with no sign-off is not ok: removing the sign-off
        must not pass for a clean bill of health. Without one, a sign-off is not ok either:
        anyone can make a key and sign with an assessor's name.
        """
        if self.trust_checked and self.signoff is None:
            return False
        if self.signoff is not None and not self.trust_checked:
            return False
        if self.iqa is not None and not self.iqa.ok:
            return False
        return all(check.ok for check in self.checks)

    @property
    def summary(self) -> str:
        """One paragraph per recorded manifest, in plain English."""
        lines = [check.summary for check in self.checks]
        if self.declaration is None:
            lines.append("The learner has not declared the work their own yet.")
        if self.signoff is None:
            lines.append(
                "The assessor has not signed it off"
                + (", so nothing is trusted." if self.trust_checked else " yet.")
            )
        if self.iqa is not None:
            lines.append(self.iqa.summary)
        lines += self.stale_agreements
        lines.append(f"Fingerprint of the portfolio now: {self.current_fingerprint}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON, with ``ok`` and the summaries."""
        data = asdict(self)
        for name, check in ((DECLARATION, self.declaration), (SIGNOFF, self.signoff)):
            if check is not None:
                data[name]["ok"] = check.ok
                data[name]["summary"] = check.summary
                data[name]["signed_at"] = check.signed_at.isoformat()
                data[name]["interim"] = check.interim
        if self.iqa is not None:
            data["iqa"]["ok"] = self.iqa.ok
        data["ok"] = self.ok
        data["summary"] = self.summary
        return data


def _compare(recorded: Manifest, current: Manifest) -> dict[str, Any]:
    added, removed, changed = diff_manifest(recorded, current)
    intact = manifest_is_consistent(recorded)
    return {
        "fingerprint": recorded.fingerprint,
        "current_fingerprint": current.fingerprint,
        "matches": intact and recorded.fingerprint == current.fingerprint,
        "added": added,
        "removed": removed,
        "changed": changed,
        "manifest_intact": intact,
    }


def _declaration_check(declaration: Declaration, current: Manifest) -> SignatureCheck:
    return SignatureCheck(
        kind=DECLARATION,
        signed_by=declaration.signed_by,
        signed_at=declaration.signed_at,
        **_compare(declaration.manifest, current),
    )


def _signoff_check(
    signoff: SignOff, current: Manifest, trust: Mapping[str, str] | None, criteria: Sequence[str]
) -> SignatureCheck:
    try:
        public = public_key_b64(signoff.public_key)
        fingerprint: str | None = key_fingerprint(public)
    except UsageError:
        public, fingerprint = "", None
    valid = (
        bool(public and signoff.signature)
        and verify_signature(
            signoff.manifest,
            signoff.signature,
            public,
            signed_by=signoff.signed_by,
            page_sha256=signoff.page_sha256,
            base=signoff.base,
        )
        and signoff.key_fingerprint in ("", fingerprint)
    )
    return SignatureCheck(
        kind=SIGNOFF,
        signed_by=signoff.signed_by,
        # The manifest's time is the one the signature covers.
        signed_at=signoff.manifest.created_at,
        key_fingerprint=fingerprint,
        signature_valid=valid,
        trusted=None if trust is None else public in trust,
        trusted_name=(trust.get(public) or signoff.signed_by)
        if trust is not None and public in trust
        else None,
        judged=sum(f"{JUDGEMENT_ENTRY}{c}" in signoff.manifest.files for c in criteria),
        criteria_total=len(criteria),
        **_compare(signoff.manifest, current),
    )


def _profile_on_disk(portfolio: Portfolio) -> Profile:
    profile, problems = load_model(Profile, portfolio.profile_path)
    if profile is None:
        raise RecordError(problems, hint="fix portfolio.yaml by hand; nothing was changed")
    return profile


def verify_portfolio(
    portfolio: Portfolio | str | os.PathLike[str],
    trust: str | os.PathLike[str] | set[str] | Mapping[str, str] | None = None,
) -> Verification:
    """Check the declaration and sign-off of a portfolio against its files now.

    ``trust`` is the centre's list of assessors' public keys: a file, a folder of ``.pub``
    files, or keys already loaded with :func:`load_trust`.
    """
    known = remembered(portfolio, trust)
    if isinstance(known, Verification):
        return known
    folio = (
        portfolio if isinstance(portfolio, Portfolio) else open_portfolio(portfolio, readonly=True)
    )
    result = _verify(folio, trust)
    remember(portfolio, trust, result)
    return result


def _verify(
    folio: Portfolio, trust: str | os.PathLike[str] | set[str] | Mapping[str, str] | None
) -> Verification:
    keys: Mapping[str, str] | None
    if isinstance(trust, str | Path | os.PathLike):
        keys = load_trust_names(trust)
    elif isinstance(trust, set | frozenset):
        keys = dict.fromkeys(trust, "")
    else:
        keys = trust
    full = full_manifest(folio)
    learner = learner_part(full)
    profile = _profile_on_disk(folio)
    assessment = folio.read_assessment()
    signoff = assessment.signoff
    # Each record is compared in its own terms: one made before the unit copy was added
    # (schema 1) does not cover unit.yaml.
    return Verification(
        declaration=_declaration_check(
            profile.declaration,
            learner_part(
                current_manifest(folio, profile.declaration.manifest, include_assessment=True)
            ),
        )
        if profile.declaration
        else None,
        signoff=_signoff_check(
            signoff,
            current_manifest(folio, signoff.manifest, include_assessment=True),
            keys,
            list(folio.standard.criteria),
        )
        if signoff
        else None,
        current_fingerprint=learner.fingerprint,
        trust_checked=keys is not None,
        iqa=check_iqa(assessment.iqa, signoff, keys) if assessment.iqa else None,
        stale_agreements=tuple(stale_agreements(folio)),
    )
