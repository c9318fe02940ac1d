"""An assessor's key on an agreement to the assessment plan or a progress review.

The portfolio layer records agreements and never holds a key; this brings the assessor's
own key (:mod:`.signing`) to sign one, and checks a signed one afterwards.
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..errors import UsageError
from ..portfolio.assessment_plan import Signer
from ..portfolio.planning import Agreement, Party, agreement_text
from .signing import key_fingerprint, load_private_key, public_key_b64


def agreement_signer(key_path: str | os.PathLike[str], passphrase: str | None = None) -> Signer:
    """Sign agreements with the private key at ``key_path`` (read once, here)."""
    key = load_private_key(key_path, passphrase)
    public = public_key_b64(key)

    def sign(text: str) -> tuple[str, str, str]:
        signature = base64.b64encode(key.sign(text.encode("utf-8"))).decode("ascii")
        return signature, public, key_fingerprint(public)

    return sign


def agreement_signature_ok(kind: str, ident: str, party: Party, agreement: Agreement) -> bool:
    """Whether a signed agreement's signature is good for its text and its own key.

    Whether that key is the centre's assessor's is the trust list's question, not this one.
    """
    if not agreement.signature:
        return False
    try:
        raw = base64.b64decode(agreement.public_key, validate=True)
        signature = base64.b64decode(agreement.signature, validate=True)
        Ed25519PublicKey.from_public_bytes(raw).verify(
            signature, agreement_text(kind, ident, party, agreement).encode("utf-8")
        )
    except (InvalidSignature, UsageError, binascii.Error, ValueError):
        return False
    return True
