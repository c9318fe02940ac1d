"""Assessors' keys: what `cpc306 keys` and signing refuse, and the names a trust list binds."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cpc306_portfolio.assessor.signing import (
    key_fingerprint,
    load_private_key,
    load_trust_names,
    new_key,
    parse_public_key_line,
    public_key_b64,
    public_key_line,
)
from cpc306_portfolio.errors import RecordError, SigningError, UsageError


def test_a_key_is_the_same_key_as_object_bytes_or_base64(tmp_path: Path) -> None:
    info = new_key(tmp_path / "alex.key")
    public = load_private_key(info.private_path).public_key()
    raw = base64.b64decode(info.public_key)
    assert key_fingerprint(public) == key_fingerprint(raw) == key_fingerprint(info.public_key)
    assert key_fingerprint(raw) == hashlib.sha256(raw).hexdigest()
    assert public_key_b64(load_private_key(info.private_path)) == info.public_key
    assert key_fingerprint(f"  {info.public_key}\n") == info.fingerprint  # pasted with spaces


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not base64!", "a public key is not valid base64"),
        (base64.b64encode(b"x" * 31).decode(), "an Ed25519 public key has 32 bytes, this one 31"),
    ],
)
def test_a_pasted_key_that_is_not_one_says_where_to_copy_it_from(text: str, message: str):
    with pytest.raises(UsageError) as caught:
        key_fingerprint(text)
    assert caught.value.message == message
    assert caught.value.hint == "copy the key from its .pub file"


def test_a_private_key_named_like_a_public_one_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        new_key(tmp_path / "alex.pub")
    assert "should not end in .pub" in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_an_empty_passphrase_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="the passphrase is empty"):
        new_key(tmp_path / "keys" / "alex.key", passphrase="")
    assert not (tmp_path / "keys").exists()


def test_a_key_of_another_algorithm_is_named_and_refused(tmp_path: Path) -> None:
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = tmp_path / "old.key"
    path.write_bytes(pem)
    with pytest.raises(SigningError) as caught:
        load_private_key(path)
    assert caught.value.message == f"{path} holds a EC key, not Ed25519"
    assert "cpc306 keys new FILE" in caught.value.hint


def test_a_passphrase_given_for_an_unprotected_key_is_ignored(tmp_path: Path) -> None:
    info = new_key(tmp_path / "alex.key")
    assert public_key_b64(load_private_key(info.private_path, "unneeded")) == info.public_key


def test_the_public_key_line_keeps_its_comment_on_one_line(tmp_path: Path) -> None:
    info = new_key(tmp_path / "alex.key", comment="Alex\n  Assessor ")
    line = info.public_path.read_text(encoding="utf-8")
    assert line == f"cpc306-ed25519 {info.public_key} Alex Assessor\n"
    assert public_key_line(info.public_key) == f"cpc306-ed25519 {info.public_key}"
    assert parse_public_key_line(line) == info.public_key


def test_a_bad_line_in_a_trust_list_names_the_file_line_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(RecordError) as caught:
        parse_public_key_line("cpc306-ed25519", "centre.keys", 7)
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.message) == (
        "centre.keys",
        7,
        "not a public key line",
    )
    assert "starts with #" in problem.hint


def test_trust_names_bind_each_key_to_the_name_on_its_line(tmp_path: Path) -> None:
    a = new_key(tmp_path / "keys" / "a.key", comment="Alex  Assessor")
    b = new_key(tmp_path / "keys" / "b.key")
    (tmp_path / "keys" / "notes.txt").write_text("not a key file\n")
    (tmp_path / "keys" / "sub.pub").mkdir()  # a folder named like a key is not read
    assert load_trust_names(tmp_path / "keys") == {a.public_key: "Alex Assessor", b.public_key: ""}


def test_a_key_listed_twice_takes_the_last_name(tmp_path: Path) -> None:
    a = new_key(tmp_path / "a.key")
    trust = tmp_path / "centre.keys"
    trust.write_text(
        f"cpc306-ed25519 {a.public_key} Old Name\ncpc306-ed25519 {a.public_key} New Name\n"
    )
    assert load_trust_names(trust) == {a.public_key: "New Name"}


def test_a_key_pair_half_made_is_not_left_behind(tmp_path: Path, monkeypatch) -> None:
    from cpc306_portfolio.assessor import signing

    real = signing._write_new

    def fail_on_the_public_key(path: Path, data: bytes, mode: int) -> None:
        if path.suffix == ".pub":
            raise OSError(28, "No space left on device")
        real(path, data, mode)

    monkeypatch.setattr(signing, "_write_new", fail_on_the_public_key)
    with pytest.raises(OSError, match="No space left"):
        new_key(tmp_path / "alex.key")
    assert list(tmp_path.iterdir()) == []
