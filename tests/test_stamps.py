"""A file's stamp: what was read from a file is reused only while it provably has not changed."""

from __future__ import annotations

import os
from pathlib import Path

from cpc306_portfolio.files import stamps
from cpc306_portfolio.files.stamps import RACY_NS, FileMemo, settled, stamp


def _age(path: Path, seconds: float = 60) -> None:
    """Set a file's modification time back; its change time is now, so also ``_look_later``."""
    st = path.stat()
    back = st.st_mtime_ns - int(seconds * 1e9)
    os.utime(path, ns=(back, back))


def _look_later(monkeypatch, seconds: float = 60) -> None:
    real = stamps.time.time_ns
    monkeypatch.setattr(stamps.time, "time_ns", lambda: real() + int(seconds * 1e9))


class Counter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return self.path.read_text()


def test_settled_needs_both_times_a_full_tick_in_the_past() -> None:
    looked = 10 * RACY_NS
    assert settled(looked - RACY_NS - 1, looked - RACY_NS - 1, looked)
    assert not settled(looked - RACY_NS, 0, looked)  # exactly on the edge: not yet
    assert not settled(0, looked - 1, looked)  # ctime recent (metadata changed): not yet


def test_stamp_is_size_times_inode_and_device(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("x")
    st = path.lstat()
    assert stamp(st) == [1, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def test_a_settled_file_is_read_once(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "E001.yaml"
    path.write_text("one")
    _look_later(monkeypatch)
    memo: FileMemo[str] = FileMemo()
    read = Counter(path)
    assert memo.get(path, read) == "one"
    assert memo.get(path, read) == "one"
    assert read.calls == 1


def test_a_file_that_just_changed_is_read_every_time(tmp_path: Path) -> None:
    path = tmp_path / "E001.yaml"
    path.write_text("one")
    memo: FileMemo[str] = FileMemo()
    read = Counter(path)
    memo.get(path, read)
    memo.get(path, read)
    # Within one tick of the file system's clock an edit could keep the stamp: never reused.
    assert read.calls == 2


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "E001.yaml"
    path.write_text("one")
    _age(path)
    _look_later(monkeypatch)
    memo: FileMemo[str] = FileMemo()
    assert memo.get(path, Counter(path)) == "one"
    mtime = path.stat().st_mtime_ns
    path.write_text("two")  # same size
    os.utime(path, ns=(mtime, mtime))  # and the old modification time put back
    # ctime cannot be set back, so the stamp differs and the new text is read.
    assert memo.get(path, Counter(path)) == "two"


def test_values_computed_different_ways_are_kept_apart(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "E001.yaml"
    path.write_text("abc")
    _look_later(monkeypatch)
    memo: FileMemo[object] = FileMemo()
    assert memo.get(path, lambda: "text", key="text") == "text"
    assert memo.get(path, lambda: 3, key="size") == 3
    assert memo.get(path, lambda: "other", key="text") == "text"


def test_a_missing_file_is_computed_and_forgotten(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "E001.yaml"
    path.write_text("one")
    _look_later(monkeypatch)
    memo: FileMemo[str] = FileMemo()
    memo.get(path, lambda: "one")
    path.unlink()
    assert memo.get(path, lambda: "gone") == "gone"
    path.write_text("one")  # the same size and maybe the same inode: still read afresh
    calls = []
    memo.get(path, lambda: calls.append(1) or "back")
    assert calls == [1]


def test_clear_forgets_everything(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "E001.yaml"
    path.write_text("one")
    _look_later(monkeypatch)
    memo: FileMemo[str] = FileMemo()
    read = Counter(path)
    memo.get(path, read)
    memo.clear()
    memo.get(path, read)
    assert read.calls == 2
