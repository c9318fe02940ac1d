"""validate hashes each attachment and the scan reads the same bytes: never stale, no link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cpc306_portfolio.confidentiality import extract
from cpc306_portfolio.portfolio import kept_files

from .conftest import evidence_fields

PHONE = "07700 900123"


@pytest.fixture
def attached(portfolio, tmp_path, monkeypatch):
    """A record with one clean text attachment, whose bytes validate will keep for the scan."""
    notes = tmp_path / "notes.txt"
    notes.write_text("We met the provider and agreed the milestones.\n", encoding="utf-8")
    record = portfolio.add_evidence(evidence_fields(), attach=[notes])
    # Kept only from a file still for a while; the test cannot wait, so it says it was.
    monkeypatch.setattr(kept_files, "settled", lambda *_: True)
    return portfolio, portfolio.attachment_path(record.attachments[0])


def test_the_scan_reads_the_bytes_validate_kept(attached, monkeypatch):
    portfolio, _ = attached
    assert portfolio.validate() == []

    def no_read(*_args, **_kwargs):
        raise AssertionError("read again")

    monkeypatch.setattr(extract, "read_chunks", no_read)
    assert portfolio.scan() == []


def test_a_file_changed_after_validate_is_read_again(attached):
    portfolio, path = attached
    assert portfolio.validate() == []
    with open(path, "a", encoding="utf-8") as stream:  # the same file (inode), new bytes
        stream.write(f"Call them on {PHONE}.\n")
    [(finding, ack)] = portfolio.scan()
    assert finding.kind == "phone" and ack is None


def test_a_file_swapped_for_a_link_after_validate_is_not_followed(attached, tmp_path):
    portfolio, path = attached
    assert portfolio.validate() == []
    outside = tmp_path / "outside.txt"
    outside.write_text(f"Call them on {PHONE}.\n", encoding="utf-8")
    path.unlink()
    os.symlink(outside, path)
    assert Path(path).is_symlink()
    assert portfolio.scan() == []  # the link is not read (validate reports it)
