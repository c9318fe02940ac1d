"""The batch's fingerprint shortcut: an unchanged file is not read, an edited one always is."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from cpc306_portfolio.cohort.folders import fingerprint_folder, fingerprint_with_stamps
from cpc306_portfolio.files.stamps import RACY_NS

from .conftest import files_opened

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def learner(tmp_path: Path) -> Path:
    target = tmp_path / "learner"
    shutil.copytree(ROOT / "evidence", target, ignore=shutil.ignore_patterns("exports"))
    return target


def _aged(stamps: dict[str, list]) -> dict[str, list]:
    """The stamps as if they were taken long after the files last changed."""
    return {k: [*v[:5], v[5] + 10 * RACY_NS, v[6]] for k, v in stamps.items()}


def test_the_shortcut_gives_the_full_fingerprint(learner):
    full = fingerprint_folder(learner)
    first, stamps = fingerprint_with_stamps(learner, {})
    again, _ = fingerprint_with_stamps(learner, _aged(stamps))
    assert first == again == full


def test_unchanged_files_are_not_read_again(learner):
    with files_opened(learner) as first:
        full, stamps = fingerprint_with_stamps(learner, {})
    # The first look reads every file of the portfolio, once: what the second one saves.
    assert dict(first) == dict.fromkeys(stamps, 1) and len(stamps) > 40
    with files_opened(learner) as again:
        fingerprint, _ = fingerprint_with_stamps(learner, _aged(stamps))
    assert again == {}
    assert fingerprint == full


def test_files_changed_just_before_they_were_looked_at_are_read_again(learner):
    _, stamps = fingerprint_with_stamps(learner, {})  # the copy was made a moment ago
    with files_opened(learner) as read:
        fingerprint_with_stamps(learner, stamps)
    assert dict(read) == dict.fromkeys(stamps, 1)


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(learner):
    before, stamps = fingerprint_with_stamps(learner, {})
    time.sleep(0.05)  # past a tick of the file system's clock (the racy case is above)
    record = learner / "evidence" / "E001.yaml"
    info = record.stat()
    text = record.read_text(encoding="utf-8")
    edited = text.replace("a", "b", 1)
    assert edited != text and len(edited) == len(text)
    record.write_text(edited, encoding="utf-8")
    os.utime(record, ns=(info.st_atime_ns, info.st_mtime_ns))  # mtime put back
    assert record.stat().st_size == info.st_size
    assert record.stat().st_mtime_ns == info.st_mtime_ns
    after, _ = fingerprint_with_stamps(learner, _aged(stamps))
    assert after == fingerprint_folder(learner) != before
