"""The declaration and sign-off as the report shows them: who signed, and is it still true.

Verification belongs to :mod:`cpc306_portfolio.assessor.verification`; this module only turns its
result into what the report needs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..assessor.iqa_record import IQACheck
from ..assessor.signing import load_trust_names, trust_list_fingerprint
from ..assessor.verification import SignatureCheck, verify_portfolio
from ..portfolio.store import Portfolio

ROLES = {"declaration": "Learner's declaration", "signoff": "Assessor's sign-off"}
#: How to make an unverified sign-off verified, said wherever one is shown.
HOW_TO_VERIFY = (
    "To verify it, render or check the portfolio against the centre's list of its "
    "assessors' keys: cpc306 verify PORTFOLIO --trust CENTRE_KEYS"
)


@dataclass
class SealView:
    """One seal on the portfolio: the learner's declaration or the assessor's sign-off."""

    role: str
    signed: bool = False
    signed_by: str = ""
    signed_at: datetime | None = None
    fingerprint: str = ""
    key_fingerprint: str = ""
    #: True / False once checked; None when not applicable or not checked.
    signature_valid: bool | None = None
    trusted: bool | None = None
    #: The name the centre's trust list binds to the key: the only signer name shown green.
    trusted_name: str = ""
    interim: bool = False
    judged: int = 0
    criteria_total: int = 0
    matches: bool = False
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def declaration(self) -> bool:
        return self.role == ROLES["declaration"]

    @property
    def state(self) -> str:
        """One of: unsigned, invalid, changed, untrusted, unverified, declared, intact.

        ``intact`` (the only green one) means valid, unchanged and on the centre's list;
        ``unverified`` means no list was given, so the key's owner is unknown.
        """
        if not self.signed:
            return "unsigned"
        if self.signature_valid is False:
            return "invalid"
        if not self.matches:
            return "changed"
        if self.declaration:
            return "declared"
        if self.trusted is False:
            return "untrusted"
        if self.trusted is None:
            return "unverified"
        return "intact"

    @property
    def differences(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)


@dataclass
class SealsView:
    declaration: SealView
    signoff: SealView
    current_fingerprint: str = ""
    iqa: IQACheck | None = None
    #: The centre's list the sign-off was checked against: its file name and fingerprint
    #: ("" when no list was given).
    trust_list: str = ""
    trust_fingerprint: str = ""


def _view(kind: str, check: SignatureCheck | None, trust_checked: bool) -> SealView:
    view = SealView(role=ROLES[kind])
    if check is None:
        return view
    view.signed = True
    view.signed_by, view.signed_at = check.signed_by, check.signed_at
    view.fingerprint = check.fingerprint
    view.key_fingerprint = check.key_fingerprint or ""
    view.signature_valid, view.trusted, view.matches = (
        check.signature_valid,
        check.trusted,
        check.matches,
    )
    view.trusted_name = check.trusted_name or ""
    view.interim, view.judged, view.criteria_total = (
        check.interim,
        check.judged,
        check.criteria_total,
    )
    view.added, view.removed, view.changed = (
        list(check.added),
        list(check.removed),
        list(check.changed),
    )
    if not check.manifest_intact:
        view.notes.append(
            "The recorded manifest does not add up to its own fingerprint: it was edited."
        )
    if kind == "signoff" and not trust_checked:
        view.notes.append(
            "The signing key was not checked against the centre's list of its assessors' "
            "keys, so this page cannot say who signed: anyone can make a key and type any "
            f"name. {HOW_TO_VERIFY}."
        )
    if kind == "declaration":
        view.notes.append("A declaration records the fingerprint; it is not signed with a key.")
    return view


def seals_of(portfolio: Portfolio, trust: str | os.PathLike[str] | None = None) -> SealsView:
    """The declaration and sign-off of a portfolio, verified against its files now."""
    result = verify_portfolio(portfolio, trust)
    listed = Path(trust).expanduser() if trust else None
    return SealsView(
        declaration=_view("declaration", result.declaration, result.trust_checked),
        signoff=_view("signoff", result.signoff, result.trust_checked),
        current_fingerprint=result.current_fingerprint,
        iqa=result.iqa,
        trust_list=listed.name if listed else "",
        trust_fingerprint=trust_list_fingerprint(load_trust_names(listed)) if listed else "",
    )
