"""Atomic writes: a reader sees the old file or the new one, and a failed write leaves no trace."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from cpc306_portfolio.errors import UnsafeFileError
from cpc306_portfolio.files import atomic
from cpc306_portfolio.files.atomic import (
    TEMP_SUFFIX,
    atomic_copy,
    atomic_write_bytes,
    atomic_write_text,
    clean_temp_files,
    fsync_dir,
    sha256_file,
    temp_files,
)


def test_a_new_file_is_made_with_its_folders_and_the_usual_mode(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "E001.yaml"
    atomic_write_text(target, "title: Café review\n")
    assert target.read_bytes() == "title: Café review\n".encode()
    # mkstemp makes 0600 files; a record must be readable by the assessor's tools too.
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert list(temp_files(tmp_path)) == []


def test_replacing_a_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("old\n")
    target.chmod(0o640)
    atomic_write_bytes(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_write_that_fails_half_way_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "E001.yaml"
    target.write_bytes(b"the learner's record\n")

    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        atomic_write_bytes(target, b"half a record")
    assert target.read_bytes() == b"the learner's record\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["E001.yaml"]


def test_an_interrupted_write_is_cleaned_up_too(tmp_path: Path) -> None:
    target = tmp_path / "E001.yaml"
    with pytest.raises(KeyboardInterrupt), atomic._replacing(target) as handle:
        handle.write(b"partial")
        raise KeyboardInterrupt
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_atomic_copy_returns_the_digest_and_size_of_what_it_copied(tmp_path: Path) -> None:
    data = os.urandom(3 * (1 << 20) + 17)  # more than one chunk
    source = tmp_path / "scan.pdf"
    source.write_bytes(data)
    digest, size = atomic_copy(source, tmp_path / "evidence" / "E001" / "scan.pdf")
    assert (digest, size) == (hashlib.sha256(data).hexdigest(), len(data))
    assert (tmp_path / "evidence" / "E001" / "scan.pdf").read_bytes() == data


def test_sha256_file_matches_hashlib_and_refuses_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"minutes of the meeting\n")
    assert sha256_file(real) == (hashlib.sha256(b"minutes of the meeting\n").hexdigest(), 23)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with pytest.raises(UnsafeFileError, match="symbolic link"):
        sha256_file(link)


def test_temp_files_finds_only_leftovers_and_cleaning_keeps_the_records(tmp_path: Path) -> None:
    (tmp_path / "evidence").mkdir()
    record = tmp_path / "evidence" / "E001.yaml"
    record.write_text("id: E001\n")
    left = tmp_path / "evidence" / f".E001.yaml.abc123{TEMP_SUFFIX}"
    left.write_text("id: E0")
    folder_named_like_one = tmp_path / f"odd{TEMP_SUFFIX}"
    folder_named_like_one.mkdir()
    assert list(temp_files(tmp_path)) == [left]
    assert clean_temp_files(tmp_path) == [left]
    assert not left.exists()
    assert record.read_text() == "id: E001\n"
    assert folder_named_like_one.is_dir()
    assert clean_temp_files(tmp_path) == []


def test_fsync_dir_is_quiet_where_a_folder_cannot_be_opened(tmp_path: Path) -> None:
    fsync_dir(tmp_path / "missing")  # no error: the OS cannot open it, nothing to make durable
    fsync_dir(tmp_path)


def test_text_written_piece_by_piece_lands_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    target.write_text("the old page", encoding="utf-8")

    def broken():
        yield "<html>"
        yield "é" * 1000
        raise RuntimeError("a section failed half way")

    with pytest.raises(RuntimeError):
        atomic.atomic_write_chunks(target, broken())
    assert target.read_text(encoding="utf-8") == "the old page"
    assert list(tmp_path.iterdir()) == [target]
    atomic.atomic_write_chunks(target, iter(["<html>", "é" * 1000, "</html>"]))
    assert target.read_text(encoding="utf-8") == "<html>" + "é" * 1000 + "</html>"
