"""The internal quality assurer's record in one portfolio: sealed with its own hash.

The IQA sample is made after the assessor's sign-off, by someone else, so the sign-off's
manifest leaves it out. It carries its own seal instead: the SHA-256 of its fields, the
fingerprint of the sign-off it sampled, and, when the quality assurer has a key, an
Ed25519 signature. A change by hand then shows; a hash alone cannot stop someone who
recomputes it, which is why a key (and the centre's trust list) is better.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..errors import UsageError
from ..portfolio.manifest import canonical_hash
from ..portfolio.models import Assessment, IQASample, SignOff
from .signing import public_key_b64

_SEAL_FIELDS = ("sha256", "public_key", "signature")


def iqa_hash(sample: IQASample) -> str:
    """SHA-256 of a sample's own fields (everything but its seal), as canonical JSON."""
    data = sample.model_dump(mode="json")
    return canonical_hash({k: v for k, v in data.items() if k not in _SEAL_FIELDS})


def seal_iqa(sample: IQASample, key: Ed25519PrivateKey | None = None) -> IQASample:
    """The sample with its hash (and, given a key, its signature over the hash) filled in."""
    digest = iqa_hash(sample)
    update: dict[str, str] = {"sha256": digest, "public_key": "", "signature": ""}
    if key is not None:
        update["public_key"] = public_key_b64(key)
        update["signature"] = base64.b64encode(key.sign(digest.encode("ascii"))).decode("ascii")
    return sample.model_copy(update=update)


@dataclass(frozen=True)
class IQACheck:
    """The IQA record checked: unchanged since it was recorded, and against which sign-off."""

    sampled_by: str
    #: False when it carries no hash at all (recorded by hand, or by an older version).
    sealed: bool
    intact: bool
    signed: bool
    signature_valid: bool | None
    trusted: bool | None
    same_signoff: bool

    @property
    def ok(self) -> bool:
        return (
            (self.intact or not self.sealed)
            and self.signature_valid is not False
            and self.trusted is not False
        )

    @property
    def summary(self) -> str:
        if not self.sealed:
            return (
                f"The IQA sample by {self.sampled_by} carries no hash, so a change to it "
                "cannot be shown (record it again with cpc306 assess --iqa-by)."
            )
        if not self.intact:
            return (
                f"The IQA sample by {self.sampled_by} has CHANGED since it was recorded "
                "(its hash no longer matches)."
            )
        if self.signature_valid is False:
            return f"The IQA sample by {self.sampled_by} has a signature that is NOT valid."
        text = f"The IQA sample by {self.sampled_by} is unchanged since it was recorded"
        if self.trusted is False:
            text += ", but its key is NOT on the centre's list"
        if not self.same_signoff:
            text += "; it was taken against an earlier sign-off (or none)"
        return text + "."


def _signature_ok(sample: IQASample) -> bool:
    try:
        raw = base64.b64decode(public_key_b64(sample.public_key))
        public = Ed25519PublicKey.from_public_bytes(raw)
        public.verify(base64.b64decode(sample.signature, validate=True), sample.sha256.encode())
    except (InvalidSignature, UsageError, binascii.Error, ValueError):
        return False
    return True


def check_iqa(
    sample: IQASample, signoff: SignOff | None, trust: Mapping[str, str] | None = None
) -> IQACheck:
    """Whether an IQA sample still matches its own hash (and signature, if it has one)."""
    signed = bool(sample.signature)
    valid = _signature_ok(sample) if signed else None
    trusted = None
    if signed and trust is not None:
        trusted = sample.public_key in trust
    return IQACheck(
        sampled_by=sample.sampled_by,
        sealed=bool(sample.sha256),
        intact=bool(sample.sha256) and sample.sha256 == iqa_hash(sample),
        signed=signed,
        signature_valid=valid,
        trusted=trusted,
        same_signoff=signoff is not None
        and sample.signoff_fingerprint == signoff.manifest.fingerprint,
    )


def seal_against(
    sample: IQASample, assessment: Assessment, key: Ed25519PrivateKey | None
) -> IQASample:
    """The sample bound to the sign-off it was taken against, and sealed."""
    if assessment.signoff is not None:
        sample = sample.model_copy(
            update={"signoff_fingerprint": assessment.signoff.manifest.fingerprint}
        )
    return seal_iqa(sample, key)
