"""A record read once is not parsed again, nor a file hashed again, while its file is as it
was, and an edit is never missed: every kind of change to the file (in place with its times
put back, replaced, removed, broken, mended, or by another Portfolio object) is seen on the
next read."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.errors import NotFoundError, PortfolioInvalidError, RecordError
from cpc306_portfolio.files import stamps
from cpc306_portfolio.portfolio import records
from cpc306_portfolio.portfolio.manifest import build_manifest

from .conftest import files_opened

TICK = 0.02  # past a tick of the file system's clock (the same-tick case has its own test)


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The record files parsed, in order."""
    seen: list[str] = []
    real = records.read_yaml

    def counted(path, *args, **kwargs):
        seen.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(records, "read_yaml", counted)
    return seen


@pytest.fixture
def settled_files(monkeypatch) -> None:
    """Every file counts as settled the moment it is written (the racy window closed)."""
    monkeypatch.setattr(stamps, "RACY_NS", -(10**12))


def _rewrite_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    assert len(old) == len(new)
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    with path.open("r+", encoding="utf-8") as handle:  # same inode, same size
        handle.write(text.replace(old, new, 1))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        info.st_size,
        info.st_mtime_ns,
        info.st_ino,
    )


def test_an_unchanged_record_is_parsed_once(sample_copy, parsed, settled_files):
    folio = open_portfolio(sample_copy)
    first = folio.evidence()
    again = folio.evidence()
    assert [r.to_data() for r in first] == [r.to_data() for r in again]
    assert sorted(parsed) == sorted(f"{r.id}.yaml" for r in first)


def test_validate_then_scan_reads_each_record_once(sample_copy, settled_files):
    records = [
        p.relative_to(sample_copy).as_posix()
        for p in [*sample_copy.glob("evidence/E*.yaml"), *sample_copy.glob("reflections/R*.yaml")]
    ]
    assert len(records) == 25
    folio = open_portfolio(sample_copy)
    with files_opened(sample_copy) as opened:
        assert folio.validate() == []
        folio.notices()
    assert {r: opened[r] for r in records} == dict.fromkeys(records, 1)


def test_each_caller_gets_its_own_record(sample_copy, settled_files):
    folio = open_portfolio(sample_copy)
    mine = folio.read_evidence("E001")
    on_disk = mine.to_data()
    mine.title = "Changed in memory, never saved"
    mine.criteria.append("C6")
    again = folio.read_evidence("E001")
    assert again is not mine
    assert again.to_data() == on_disk != mine.to_data()


def test_an_edit_keeping_size_mtime_and_inode_is_seen(sample_copy, parsed, settled_files):
    folio = open_portfolio(sample_copy)
    title = folio.read_evidence("E001").title
    time.sleep(TICK)
    path = folio.record_path("E001")
    _rewrite_keeping_size_and_mtime(path, title, title[::-1])
    assert folio.read_evidence("E001").title == title[::-1]
    assert parsed.count("E001.yaml") == 2


def test_a_file_replaced_by_another_of_the_same_size_and_times_is_seen(sample_copy, settled_files):
    folio = open_portfolio(sample_copy)
    path = folio.record_path("E002")
    title = folio.read_evidence("E002").title
    info = path.stat()
    time.sleep(TICK)
    replacement = path.with_name("E002.new")
    replacement.write_text(
        path.read_text(encoding="utf-8").replace(title, title.upper(), 1), encoding="utf-8"
    )
    os.utime(replacement, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(replacement, path)  # a new inode, as an editor's save-by-rename gives
    assert folio.read_evidence("E002").title == title.upper()


def test_a_just_written_file_is_always_read_again(sample_copy, parsed, monkeypatch):
    # The real window: a file changed within RACY_NS of being read may change again within
    # the same tick of the file system's clock, times unchanged. Here the clock never
    # moves at all (times left out of the stamp), so only the window can see the edit.
    monkeypatch.setattr(stamps, "stamp", lambda info: [info.st_size, info.st_ino])
    folio = open_portfolio(sample_copy)
    path = folio.record_path("E003")
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    title = folio.read_evidence("E003").title
    _rewrite_keeping_size_and_mtime(path, title, title[::-1])
    assert folio.read_evidence("E003").title == title[::-1]
    assert parsed.count("E003.yaml") == 2


def test_a_removed_record_is_missed_at_once(sample_copy, settled_files):
    folio = open_portfolio(sample_copy)
    folio.read_evidence("E004")
    folio.record_path("E004").unlink()
    with pytest.raises(NotFoundError):
        folio.read_evidence("E004")


def test_a_broken_then_mended_record_is_seen_each_time(sample_copy, settled_files):
    folio = open_portfolio(sample_copy)
    path = folio.record_path("E005")
    good = path.read_text(encoding="utf-8")
    folio.read_evidence("E005")
    time.sleep(TICK)
    path.write_text(good.replace("title:", "titel:", 1), encoding="utf-8")
    with pytest.raises(RecordError, match="titel"):
        folio.read_evidence("E005")
    with pytest.raises(PortfolioInvalidError):
        folio.evidence()
    time.sleep(TICK)
    path.write_text(good, encoding="utf-8")
    assert (
        folio.read_evidence("E005").to_data()
        == open_portfolio(sample_copy).read_evidence("E005").to_data()
    )


def test_a_change_saved_through_another_portfolio_object_is_seen(sample_copy, settled_files):
    reader, writer = open_portfolio(sample_copy), open_portfolio(sample_copy)
    before = reader.read_evidence("E006")
    time.sleep(TICK)
    record = writer.read_evidence("E006")
    record.title = before.title + " (revised)"
    writer.update_evidence(record)
    assert reader.read_evidence("E006").title == before.title + " (revised)"
    assert reader.read_evidence("E006").revision == (before.revision or 0) + 1


def test_random_edits_never_leave_a_stale_record(sample_copy, settled_files):
    rng = random.Random(306)
    folio = open_portfolio(sample_copy)
    ids = folio.evidence_ids()
    for _ in range(25):
        record_id = rng.choice(ids)
        path = folio.record_path(record_id)
        folio.read_evidence(record_id)
        time.sleep(TICK)
        title = open_portfolio(sample_copy).read_evidence(record_id).title
        marked = "".join(rng.choice("ABCDEFGHJK") for _ in range(6))
        how = rng.choice(["in place", "replace", "grow"])
        if how == "in place" and len(title) >= 6:
            _rewrite_keeping_size_and_mtime(path, title[:6], marked)
        elif how == "replace":
            new = path.with_name(path.name + ".new")
            new.write_text(path.read_text(encoding="utf-8").replace(title, marked, 1), "utf-8")
            os.replace(new, path)
        else:
            path.write_text(path.read_text(encoding="utf-8").replace(title, marked, 1), "utf-8")
        fresh = open_portfolio(sample_copy).read_evidence(record_id).to_data()
        assert folio.read_evidence(record_id).to_data() == fresh, how
        assert [r.to_data() for r in folio.evidence()] == [
            r.to_data() for r in open_portfolio(sample_copy).evidence()
        ]


@pytest.fixture
def hashed(monkeypatch) -> list[str]:
    """The files hashed for a manifest, in order."""
    seen: list[str] = []
    real = records.sha256_file

    def counted(path, *args, **kwargs):
        seen.append(Path(path).relative_to(path.parents[1]).as_posix())
        return real(path, *args, **kwargs)

    monkeypatch.setattr(records, "sha256_file", counted)
    return seen


def test_each_file_is_hashed_once_for_several_manifests(sample_copy, hashed, settled_files):
    folio = open_portfolio(sample_copy)
    first = build_manifest(folio, include_assessment=True)
    again = build_manifest(folio, include_assessment=False)
    assert first.files.items() >= {k: v for k, v in again.files.items() if "#" not in k}.items()
    assert len(hashed) == len(set(hashed)) > 20


def test_an_attachment_edited_keeping_size_and_times_changes_the_manifest(
    sample_copy, settled_files
):
    folio = open_portfolio(sample_copy)
    before = build_manifest(folio, include_assessment=True)
    texts = (".md", ".csv", ".txt")
    attachment = next(p for p in sorted(folio.evidence_dir.glob("E*/*")) if p.suffix in texts)
    time.sleep(TICK)
    text = attachment.read_text(encoding="utf-8")
    swapped = "X" if text[0] != "X" else "Y"
    _rewrite_keeping_size_and_mtime(attachment, text[0], swapped)
    after = build_manifest(folio, include_assessment=True)
    key = attachment.relative_to(sample_copy).as_posix()
    assert after.files[key] != before.files[key]
    assert after.files == build_manifest(open_portfolio(sample_copy), include_assessment=True).files


def test_validate_sees_an_attachment_edited_since_it_last_looked(sample_copy, settled_files):
    folio = open_portfolio(sample_copy)
    assert folio.validate() == []
    texts = (".md", ".csv", ".txt")
    attachment = next(p for p in sorted(folio.evidence_dir.glob("E*/*")) if p.suffix in texts)
    time.sleep(TICK)
    text = attachment.read_text(encoding="utf-8")
    _rewrite_keeping_size_and_mtime(attachment, text[0], "X" if text[0] != "X" else "Y")
    problems = [str(p) for p in folio.validate()]
    assert any("has changed since it was attached" in p for p in problems), problems
