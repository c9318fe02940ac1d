"""Editing an item of evidence is one save: its text, files attached and files detached."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cpc306_portfolio import (
    ConfidentialityError,
    ConflictError,
    FileSystemError,
    NotFoundError,
    open_portfolio,
)

from .conftest import evidence_fields


def files_of(folder: Path) -> dict[str, str]:
    """Every file under a folder with its SHA-256 (what a save may or may not change)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".cpc306.lock"
    }


@pytest.fixture
def item(portfolio, tmp_path):
    old = tmp_path / "minutes.txt"
    old.write_text("Minutes of the contract review.\n")
    return portfolio.add_evidence(evidence_fields(), attach=[old])


def test_text_attach_and_detach_in_one_save(portfolio, item, tmp_path):
    new = tmp_path / "action-plan.txt"
    new.write_text("The provider's action plan.\n")
    item.title = "Contract review and the action plan"
    saved = portfolio.update_evidence(item, attach=[new], detach=["minutes.txt"])
    assert saved.revision == item.revision + 1
    assert [a.path for a in saved.attachments] == ["E001/action-plan.txt"]
    on_disk = open_portfolio(portfolio.root).read_evidence("E001")
    assert on_disk.title == "Contract review and the action plan"
    assert on_disk.attachments == saved.attachments
    assert sorted(p.name for p in (portfolio.evidence_dir / "E001").iterdir()) == [
        "action-plan.txt"
    ]
    assert portfolio.validate() == []


def test_a_file_replacing_one_of_the_same_name_never_lands_on_its_path(portfolio, item, tmp_path):
    newer = tmp_path / "again" / "minutes.txt"
    newer.parent.mkdir()
    newer.write_text("Corrected minutes.\n")
    saved = portfolio.update_evidence(item, attach=[newer], detach=["minutes.txt"])
    assert [a.path for a in saved.attachments] == ["E001/minutes-2.txt"]
    assert (portfolio.evidence_dir / "E001" / "minutes-2.txt").read_text() == "Corrected minutes.\n"
    assert not (portfolio.evidence_dir / "E001" / "minutes.txt").exists()
    assert portfolio.validate() == []


def test_detaching_a_file_the_record_does_not_have_changes_nothing(portfolio, item):
    before = files_of(portfolio.root)
    item.title = "A new title"
    with pytest.raises(NotFoundError, match=r"no attachment 'agenda\.txt'") as caught:
        portfolio.update_evidence(item, detach=["agenda.txt"])
    assert "minutes.txt" in (caught.value.hint or "")
    assert files_of(portfolio.root) == before


def test_a_file_naming_someone_listed_is_refused_and_nothing_changes(portfolio, item, tmp_path):
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear Mrs Ivy Example, about your care package.\n")
    before = files_of(portfolio.root)
    with pytest.raises(ConfidentialityError):
        portfolio.update_evidence(item, attach=[letter], detach=["minutes.txt"])
    assert files_of(portfolio.root) == before
    assert open_portfolio(portfolio.root).validate() == []


def test_a_stale_copy_attaches_nothing(portfolio, item, tmp_path):
    other = open_portfolio(portfolio.root).read_evidence("E001")
    other.title = "Changed elsewhere"
    portfolio.update_evidence(other)
    new = tmp_path / "action-plan.txt"
    new.write_text("The provider's action plan.\n")
    before = files_of(portfolio.root)
    with pytest.raises(ConflictError):
        portfolio.update_evidence(item, attach=[new])
    assert files_of(portfolio.root) == before


def test_a_failed_copy_leaves_the_old_record_and_its_files(portfolio, item, tmp_path, monkeypatch):
    from cpc306_portfolio.portfolio import writes

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    new = tmp_path / "action-plan.txt"
    new.write_text("The provider's action plan.\n")
    before = files_of(portfolio.root)
    monkeypatch.setattr(writes, "copy_attachments", broken)
    with pytest.raises(FileSystemError, match="disk is full"):
        portfolio.update_evidence(item, attach=[new], detach=["minutes.txt"])
    assert files_of(portfolio.root) == before
    assert open_portfolio(portfolio.root).validate() == []


def test_an_unchanged_record_with_nothing_to_attach_writes_nothing(portfolio, item):
    before = (portfolio.record_path("E001")).stat().st_mtime_ns
    same = portfolio.update_evidence(item)
    assert same.revision == item.revision
    assert portfolio.record_path("E001").stat().st_mtime_ns == before
