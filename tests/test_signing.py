from __future__ import annotations

import base64
import hashlib
import shutil
import stat
from pathlib import Path

import pytest

from cpc306_portfolio import (
    NotFoundError,
    RecordError,
    SigningError,
    UsageError,
    build_manifest,
    key_fingerprint,
    load_private_key,
    load_trust,
    new_key,
    open_portfolio,
    sign_manifest,
    verify_signature,
)
from cpc306_portfolio.portfolio.manifest import fingerprint_of


def test_new_key_writes_a_private_key_0600_and_a_public_key_line(tmp_path: Path):
    info = new_key(tmp_path / "keys" / "priya.key", comment="Priya Castellan")
    assert stat.S_IMODE(info.private_path.stat().st_mode) == 0o600
    assert info.public_path == tmp_path / "keys" / "priya.key.pub"
    kind, key, comment = info.public_path.read_text().strip().split(" ", 2)
    assert (kind, key, comment) == ("cpc306-ed25519", info.public_key, "Priya Castellan")
    assert info.fingerprint == hashlib.sha256(base64.b64decode(key)).hexdigest()
    assert info.short_fingerprint == info.fingerprint[:16]
    assert key_fingerprint(info.public_key) == info.fingerprint
    assert b"PRIVATE KEY" in info.private_path.read_bytes()


def test_new_key_refuses_to_overwrite_either_file(tmp_path: Path):
    first = new_key(tmp_path / "a.key")
    before = first.private_path.read_bytes()
    with pytest.raises(UsageError, match="already exists"):
        new_key(tmp_path / "a.key")
    assert first.private_path.read_bytes() == before
    (tmp_path / "b.key.pub").write_text("someone else's\n")
    with pytest.raises(UsageError, match=r"b\.key\.pub already exists"):
        new_key(tmp_path / "b.key")
    assert not (tmp_path / "b.key").exists()


def test_new_key_refuses_to_write_inside_a_portfolio(portfolio):
    with pytest.raises(UsageError, match="inside the portfolio"):
        new_key(portfolio.root / "keys" / "assessor.key")
    assert not (portfolio.root / "keys").exists()


def test_passphrase_protects_the_key(tmp_path: Path):
    info = new_key(tmp_path / "a.key", passphrase="correct horse")
    assert b"ENCRYPTED" in info.private_path.read_bytes()
    key = load_private_key(info.private_path, "correct horse")
    assert key_fingerprint(key.public_key()) == info.fingerprint
    with pytest.raises(SigningError, match="wrong passphrase"):
        load_private_key(info.private_path, "wrong horse")
    with pytest.raises(SigningError, match="protected by a passphrase"):
        load_private_key(info.private_path)


def test_loading_something_that_is_not_a_private_key_says_what_it_is(tmp_path: Path):
    info = new_key(tmp_path / "a.key")
    with pytest.raises(SigningError, match="is a public key"):
        load_private_key(info.public_path)
    junk = tmp_path / "junk.key"
    junk.write_text("not a key")
    with pytest.raises(SigningError, match="not a private key"):
        load_private_key(junk)
    with pytest.raises(NotFoundError):
        load_private_key(tmp_path / "missing.key")


def test_signature_verifies_and_fails_after_any_change(sample_copy: Path, tmp_path: Path):
    manifest = build_manifest(open_portfolio(sample_copy), include_assessment=False)
    key = load_private_key(new_key(tmp_path / "a.key").private_path)
    signature, public = sign_manifest(manifest, key, signed_by="Priya Castellan")
    assert verify_signature(manifest, signature, public, signed_by="Priya Castellan")
    assert not verify_signature(manifest, signature, public, signed_by="Someone Else")

    files = dict(manifest.files)
    files["evidence/E001.yaml"] = "0" * 64
    forged = manifest.model_copy(update={"files": files, "fingerprint": fingerprint_of(files)})
    assert not verify_signature(forged, signature, public, signed_by="Priya Castellan")

    other = load_private_key(new_key(tmp_path / "b.key").private_path)
    _, other_public = sign_manifest(manifest, other)
    assert not verify_signature(manifest, signature, other_public, signed_by="Priya Castellan")
    assert not verify_signature(manifest, "not base64!", public)
    assert not verify_signature(manifest, signature, "c2hvcnQ=")


def test_trust_list_file_with_comments(tmp_path: Path):
    a = new_key(tmp_path / "a.key", comment="A")
    b = new_key(tmp_path / "b.key", comment="B")
    trust = tmp_path / "assessors.txt"
    trust.write_text(
        "# Northmoor Skills Academy assessors\n\n"
        + a.public_path.read_text()
        + "   "
        + b.public_path.read_text()
    )
    assert load_trust(trust) == {a.public_key, b.public_key}


def test_trust_list_folder_of_pub_files(tmp_path: Path):
    a = new_key(tmp_path / "a.key")
    b = new_key(tmp_path / "b.key")
    assert load_trust(tmp_path) == {a.public_key, b.public_key}


def test_trust_list_errors_name_the_line(tmp_path: Path):
    trust = tmp_path / "assessors.txt"
    trust.write_text("# ok\ncpc306-ed25519 c2hvcnQ= Too Short\n")
    with pytest.raises(RecordError) as caught:
        load_trust(trust)
    assert caught.value.line == 2
    trust.write_text("ssh-ed25519 AAAA someone\n")
    with pytest.raises(RecordError, match="not a public key line"):
        load_trust(trust)
    trust.write_text("# nobody yet\n")
    with pytest.raises(UsageError, match="lists no public keys"):
        load_trust(trust)
    with pytest.raises(NotFoundError):
        load_trust(tmp_path / "missing.txt")


def test_a_fresh_copy_of_the_sample_signed_with_the_demo_key_verifies_at_once(tmp_path: Path):
    # Regression (issue 24): sign hashed assessment.yaml as on disk, then wrote it with
    # fields the sample's file lacked (``replies: {}``), so verify said NOT OK at once.
    from cpc306_portfolio.assessor.assessment import sign_off
    from cpc306_portfolio.assessor.verification import verify_portfolio

    root = Path(__file__).resolve().parents[1]
    copy = tmp_path / "x"
    shutil.copytree(root / "evidence", copy)
    # As an older toolkit wrote it: without the fields the model now writes by default.
    path = copy / "assessment.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("replies: {}\n", ""), "utf-8")
    assert "replies" not in path.read_text(encoding="utf-8")
    sign_off(open_portfolio(copy), root / "demo-keys" / "demo-assessor.key")
    assert "replies" in (copy / "assessment.yaml").read_text(encoding="utf-8")
    result = verify_portfolio(open_portfolio(copy), root / "demo-keys" / "demo-trust-list.txt")
    assert result.ok, result.summary
