"""Assessors' Ed25519 keys: make, load, sign a manifest, verify, and the centre's trust list.

A private key is a PKCS#8 PEM file, mode 0600, optionally encrypted with a passphrase,
kept outside every portfolio. Its public key sits beside it as ``<file>.pub``, one line::

    cpc306-ed25519 <base64 of the 32 raw key bytes> <comment, e.g. the assessor's name>

A centre's trust list is the same lines, one per assessor (``#`` comments allowed), a
folder of ``.pub`` files, or a centre folder (the list made from its assessor register).
A key's fingerprint is the SHA-256 (hex) of its raw bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..errors import NotFoundError, Problem, RecordError, SigningError, UsageError
from ..files.atomic import fsync_dir
from ..portfolio.layout import PROFILE_FILE
from ..portfolio.manifest import manifest_text
from ..portfolio.models import Manifest

PUBLIC_KEY_TYPE = "cpc306-ed25519"
PUBLIC_SUFFIX = ".pub"
SHORT_FINGERPRINT = 16

PublicKeyLike = str | bytes | Ed25519PublicKey


@dataclass(frozen=True)
class KeyInfo:
    """A key pair on disk: where its two files are, its public key and fingerprint."""

    private_path: Path
    public_path: Path
    public_key: str
    fingerprint: str
    comment: str = ""

    @property
    def short_fingerprint(self) -> str:
        return short_fingerprint(self.fingerprint)


def _raw_public(public_key: PublicKeyLike) -> bytes:
    if isinstance(public_key, Ed25519PublicKey):
        return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if isinstance(public_key, bytes):
        raw = public_key
    else:
        try:
            raw = base64.b64decode(public_key.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise UsageError(
                "a public key is not valid base64", hint="copy the key from its .pub file"
            ) from None
    if len(raw) != 32:
        raise UsageError(
            f"an Ed25519 public key has 32 bytes, this one {len(raw)}",
            hint="copy the key from its .pub file",
        )
    return raw


def public_key_b64(public_key: PublicKeyLike | Ed25519PrivateKey) -> str:
    """A public key (or a private key's public half) as base64 of its raw bytes."""
    if isinstance(public_key, Ed25519PrivateKey):
        public_key = public_key.public_key()
    return base64.b64encode(_raw_public(public_key)).decode("ascii")


def key_fingerprint(public_key: PublicKeyLike) -> str:
    """SHA-256 (64 hex digits) of a public key's raw bytes: the key's identity."""
    return hashlib.sha256(_raw_public(public_key)).hexdigest()


def short_fingerprint(fingerprint: str) -> str:
    """The first 16 hex digits of a fingerprint, as shown to people."""
    return fingerprint[:SHORT_FINGERPRINT]


def public_key_line(public_key: PublicKeyLike, comment: str = "") -> str:
    """One line of a ``.pub`` file or a trust list."""
    line = f"{PUBLIC_KEY_TYPE} {public_key_b64(public_key)}"
    comment = " ".join(comment.split())
    return f"{line} {comment}" if comment else line


def public_path_for(private_path: Path) -> Path:
    """Where a private key's public key lives: the same name with ``.pub`` added."""
    return private_path.with_name(private_path.name + PUBLIC_SUFFIX)


def _portfolio_around(path: Path) -> Path | None:
    for folder in path.parents:
        if (folder / PROFILE_FILE).is_file():
            return folder
    return None


def _write_new(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(fd, mode)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def new_key(
    path: str | os.PathLike[str], *, passphrase: str | None = None, comment: str = ""
) -> KeyInfo:
    """Make an Ed25519 key pair: the private key at ``path`` (0600), the public beside it.

    Refuses to overwrite either file and to write inside a portfolio folder (a key there
    would travel with the portfolio to the learner).
    """
    private_path = Path(path).expanduser().absolute()
    public_path = public_path_for(private_path)
    if private_path.name.endswith(PUBLIC_SUFFIX):
        raise UsageError(
            f"{private_path}: a private key file should not end in {PUBLIC_SUFFIX}",
            hint=f"name the private key without {PUBLIC_SUFFIX}; the public key gets it",
        )
    inside = _portfolio_around(private_path)
    if inside is not None:
        raise UsageError(
            f"{private_path} is inside the portfolio {inside}",
            hint="keep your key outside every portfolio, e.g. ~/.cpc306/assessor.key",
        )
    for existing in (private_path, public_path):
        if existing.exists():
            raise UsageError(
                f"{existing} already exists; it was not overwritten",
                hint="choose another file name, or delete the old key pair yourself",
            )
    if passphrase == "":
        raise UsageError("the passphrase is empty", hint="give a passphrase, or none at all")
    key = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    private_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _write_new(private_path, pem, 0o600)
    try:
        _write_new(
            public_path, (public_key_line(key.public_key(), comment) + "\n").encode("utf-8"), 0o644
        )
    except BaseException:
        private_path.unlink(missing_ok=True)
        raise
    fsync_dir(private_path.parent)
    public = public_key_b64(key)
    return KeyInfo(private_path, public_path, public, key_fingerprint(public), comment)


def load_private_key(
    path: str | os.PathLike[str], passphrase: str | None = None
) -> Ed25519PrivateKey:
    """Read a private key file; raises :class:`SigningError` naming what is wrong."""
    key_path = Path(path).expanduser()
    if not key_path.is_file():
        raise NotFoundError(
            f"{key_path}: no such key file", hint="make one with: cpc306 keys new FILE"
        )
    data = key_path.read_bytes()
    if data.lstrip().startswith(PUBLIC_KEY_TYPE.encode()):
        raise SigningError(
            f"{key_path} is a public key",
            hint=f"give the private key file (the one without {PUBLIC_SUFFIX})",
        )
    encrypted = b"ENCRYPTED" in data
    password = passphrase.encode("utf-8") if passphrase and encrypted else None
    if encrypted and password is None:
        raise SigningError(
            f"{key_path} is protected by a passphrase",
            hint="give its passphrase (cpc306: --passphrase-prompt)",
        )
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        if encrypted:
            raise SigningError(
                f"{key_path}: wrong passphrase", hint="try again with the key's passphrase"
            ) from None
        raise SigningError(
            f"{key_path} is not a private key file",
            hint="give the file made by: cpc306 keys new FILE",
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(
            f"{key_path} holds a {type(key).__name__.removesuffix('PrivateKey')} key, not Ed25519",
            hint="make an Ed25519 key with: cpc306 keys new FILE",
        )
    return key


def sign_manifest(
    manifest: Manifest,
    private_key: Ed25519PrivateKey,
    *,
    signed_by: str = "",
    page_sha256: str = "",
    base: str = "",
) -> tuple[str, str]:
    """Sign a manifest's canonical text; return ``(signature, public key)``, both base64.

    The text covers the manifest's time and, when given, the signer's name, so neither can
    be changed afterwards without breaking the signature.
    """
    text = manifest_text(manifest, signed_by=signed_by, page_sha256=page_sha256, base=base)
    signature = private_key.sign(text.encode("utf-8"))
    return base64.b64encode(signature).decode("ascii"), public_key_b64(private_key)


def verify_signature(
    manifest: Manifest,
    signature_b64: str,
    public_key_b64: str,
    *,
    signed_by: str = "",
    page_sha256: str = "",
    base: str = "",
) -> bool:
    """Whether a signature over a manifest's canonical text was made by that public key."""
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        public = Ed25519PublicKey.from_public_bytes(_raw_public(public_key_b64))
        text = manifest_text(manifest, signed_by=signed_by, page_sha256=page_sha256, base=base)
        public.verify(signature, text.encode("utf-8"))
    except (InvalidSignature, UsageError, binascii.Error, ValueError):
        return False
    return True


def parse_public_key_line(line: str, path: str = "", number: int | None = None) -> str:
    """The base64 key of one ``cpc306-ed25519 <base64> [comment]`` line."""
    parts = line.split(maxsplit=2)
    if len(parts) < 2 or parts[0] != PUBLIC_KEY_TYPE:
        raise RecordError(
            [
                Problem(
                    path,
                    "not a public key line",
                    line=number,
                    hint=f"each line reads '{PUBLIC_KEY_TYPE} <base64> <name>' or starts with #",
                )
            ]
        )
    try:
        return public_key_b64(parts[1])
    except UsageError as exc:
        raise RecordError([Problem(path, exc.message, line=number, hint=exc.hint)]) from None


def _keys_in(path: Path) -> dict[str, str]:
    keys: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            key = parse_public_key_line(stripped, str(path), number)
            parts = stripped.split(maxsplit=2)
            keys[key] = " ".join(parts[2].split()) if len(parts) > 2 else ""
    return keys


#: A centre folder (``cpc306 centre``) is marked by this file; its trust list is made from
#: its register into ``CENTRE_TRUST_FILE``, with the register's SHA-256 on a comment line.
CENTRE_MARKER, CENTRE_REGISTER, CENTRE_TRUST_FILE = (
    "centre.yaml",
    "assessors.yaml",
    "trust-list.txt",
)
REGISTER_DIGEST = "# register-sha256: "


def _centre_trust_file(folder: Path) -> Path:
    """A centre folder's trust list, refused if its register changed after it was made."""
    trust = folder / CENTRE_TRUST_FILE
    redo = f"make it again from the register: cpc306 centre trust {folder}"
    if not trust.is_file():
        raise NotFoundError(f"{trust}: the centre has no trust list yet", hint=redo)
    register = folder / CENTRE_REGISTER
    digest = hashlib.sha256(register.read_bytes()).hexdigest() if register.is_file() else ""
    lines = trust.read_text(encoding="utf-8").splitlines()
    made_from = next(
        (ln[len(REGISTER_DIGEST) :] for ln in lines if ln.startswith(REGISTER_DIGEST)), ""
    )
    if made_from.strip() != digest:
        raise UsageError(f"{register} changed after {trust} was made from it", hint=redo)
    return trust


def load_trust_names(path: str | os.PathLike[str]) -> dict[str, str]:
    """A centre's trusted public keys (base64), each with the name its line binds to it.

    The name is the comment after the key (``cpc306-ed25519 <base64> Priya Castellan``);
    it is the name a page shows for a signature made with that key, whatever name was
    typed when signing. ``path`` may also be a centre folder: its trust list, made from
    its assessor register, holds the keys of its active assessors.
    """
    source = Path(path).expanduser()
    if (source / CENTRE_MARKER).is_file():
        files = [_centre_trust_file(source)]
    elif source.is_dir():
        files = sorted(p for p in source.iterdir() if p.suffix == PUBLIC_SUFFIX and p.is_file())
    elif source.is_file():
        files = [source]
    else:
        raise NotFoundError(
            f"{source}: no such trust list",
            hint="give a file of public key lines or a folder of .pub files",
        )
    keys: dict[str, str] = {}
    for file in files:
        keys.update(_keys_in(file))
    if not keys:
        raise UsageError(
            f"{source} lists no public keys",
            hint=f"add one '{PUBLIC_KEY_TYPE} <base64> <name>' line per assessor",
        )
    return keys


def trust_list_fingerprint(keys: dict[str, str]) -> str:
    """SHA-256 (hex) of a trust list's keys and names, one sorted line each.

    The same list gives the same fingerprint as a file or a folder of ``.pub`` files,
    whatever its comments and order, so a page can say which list it was checked against.
    """
    lines = sorted(f"{PUBLIC_KEY_TYPE} {key} {name}".strip() for key, name in keys.items())
    return hashlib.sha256(("\n".join(lines) + "\n").encode("utf-8")).hexdigest()


def load_trust(path: str | os.PathLike[str]) -> set[str]:
    """A centre's trusted public keys (base64): a file of ``.pub`` lines or a folder of them."""
    return set(load_trust_names(path))
