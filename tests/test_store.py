from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from cpc306_portfolio import (
    NotFoundError,
    PortfolioInvalidError,
    RecordError,
    UsageError,
    create_portfolio,
    open_portfolio,
)
from cpc306_portfolio.files.atomic import TEMP_SUFFIX
from cpc306_portfolio.portfolio.layout import LOCK_FILE

from .conftest import evidence_fields, profile_fields, reflection_fields, snapshot


def test_create_then_open(portfolio):
    again = open_portfolio(portfolio.root)
    assert again.profile.learner.name == "Robin Testperson"
    assert again.standard.code == "CPC 306"
    assert (portfolio.root / "evidence").is_dir()
    assert (portfolio.root / "reflections").is_dir()
    assert LOCK_FILE in (portfolio.root / ".gitignore").read_text()


def test_create_refuses_an_existing_portfolio(portfolio):
    before = snapshot(portfolio.root)
    with pytest.raises(UsageError, match="already a portfolio"):
        create_portfolio(portfolio.root, profile_fields())
    assert snapshot(portfolio.root) == before


def test_open_a_folder_that_is_not_a_portfolio(tmp_path):
    with pytest.raises(NotFoundError) as info:
        open_portfolio(tmp_path)
    assert "portfolio.yaml" in str(info.value)
    assert "cpc306 init" in info.value.hint


def test_add_allocates_ids_and_copies_attachments(portfolio, tmp_path):
    note = tmp_path / "minutes of meeting.txt"
    note.write_text("Minutes: provider agreed the action plan.")
    first = portfolio.add_evidence(evidence_fields(), attach=[note])
    second = portfolio.add_evidence(evidence_fields(title="Second"))
    assert (first.id, second.id) == ("E001", "E002")
    [att] = first.attachments
    assert att.path == "E001/minutes-of-meeting.txt"
    assert att.size == note.stat().st_size
    assert len(att.sha256) == 64
    copied = portfolio.evidence_dir / att.path
    assert copied.read_text() == note.read_text()
    note.write_text("changed afterwards")
    assert copied.read_text().startswith("Minutes")
    assert [e.id for e in portfolio.evidence()] == ["E001", "E002"]
    assert portfolio.validate() == []


def test_records_are_written_in_a_stable_readable_order(portfolio):
    record = portfolio.add_evidence(evidence_fields(description="Line one.\nLine two."))
    text = portfolio.record_path(record.id).read_text()
    keys = [line.split(":")[0] for line in text.splitlines() if line and not line[0].isspace()]
    assert keys[:4] == ["schema", "id", "title", "date"]
    assert keys[-4:] == ["confidentiality", "created", "modified", "revision"]
    assert "description: |-\n  Line one.\n  Line two.\n" in text


def test_an_unchanged_save_writes_nothing(portfolio):
    record = portfolio.add_evidence(evidence_fields())
    path = portfolio.record_path(record.id)
    before = path.read_bytes(), path.stat().st_mtime_ns
    same = portfolio.update_evidence(portfolio.read_evidence(record.id))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert same.modified == record.modified


def test_a_changed_save_is_written(portfolio):
    record = portfolio.add_evidence(evidence_fields())
    record.title = "A better title"
    record.criteria = [*record.criteria, "B1"]
    portfolio.update_evidence(record)
    again = portfolio.read_evidence(record.id)
    assert again.title == "A better title"
    assert again.criteria == ["A3", "A5", "B1"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"date": "2025-02-30"}, "date", "YYYY-MM-DD"),
        ({"criteria": ["A3", "A9"]}, "criteria[1]", "A1, A2"),
        ({"scope": ["risks/everything"]}, "scope[0]", "risks/"),
        ({"knowledge": ["K3"]}, "knowledge[0]", "K2, K4"),
        ({"method": "gossip"}, "method", ""),
        ({"criteria": 7}, "criteria", "list"),
        ({"method": "observation"}, "observation", "cpc306 assess observe"),
        ({"method": "witness_testimony"}, "witness", "name and role"),
        ({"colour": "red"}, "colour", "remove it"),
        ({"date": "2999-01-01"}, "date", "in the future"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(portfolio, change, field, words):
    before = snapshot(portfolio.root)
    with pytest.raises(RecordError) as info:
        portfolio.add_evidence(evidence_fields(**change))
    problem = info.value.problems[0]
    assert problem.field == field
    assert problem.path.endswith("E001.yaml")
    assert words in str(problem)
    assert snapshot(portfolio.root) == before


def test_a_missing_attachment_is_refused_before_anything_is_written(portfolio, tmp_path):
    before = snapshot(portfolio.root)
    with pytest.raises(NotFoundError) as info:
        portfolio.add_evidence(evidence_fields(), attach=[tmp_path / "nope.pdf"])
    assert "nope.pdf" in str(info.value)
    assert info.value.exit_code == 3
    assert snapshot(portfolio.root) == before


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_a_broken_record_is_reported_never_dropped_or_repaired(portfolio):
    portfolio.add_evidence(evidence_fields())
    portfolio.add_evidence(evidence_fields())
    bad = portfolio.record_path("E002")
    _write(bad, bad.read_text().replace("title: ", "title: [unclosed\n", 1))
    text_before = bad.read_bytes()
    with pytest.raises(PortfolioInvalidError) as info:
        portfolio.evidence()
    [problem] = info.value.problems
    assert problem.path == str(bad)
    assert isinstance(problem.line, int)
    assert bad.read_bytes() == text_before
    assert portfolio.read_evidence("E001").id == "E001"


def test_validate_reports_every_problem_with_lines(portfolio, tmp_path):
    for _ in range(3):
        portfolio.add_evidence(evidence_fields())
    e1 = portfolio.record_path("E001")
    _write(e1, e1.read_text().replace("date: '2025-06-12'", "date: '2025-13-45'"))
    e2 = portfolio.record_path("E002")
    _write(e2, e2.read_text().replace("  - A5", "  - Z5"))
    e3 = portfolio.record_path("E003")
    _write(e3, e3.read_text().replace("confidentiality: []", "confidentiality: []\nsurprise: 1"))
    _write(portfolio.evidence_dir / "notes.txt", "stray")
    problems = portfolio.validate()
    by_file = {(Path(p.path).name, p.field) for p in problems}
    assert ("E001.yaml", "date") in by_file
    assert ("E002.yaml", "criteria[1]") in by_file
    assert ("E003.yaml", "surprise") in by_file
    assert ("notes.txt", "") in by_file
    lines = {Path(p.path).name: p.line for p in problems}
    assert e1.read_text().splitlines()[lines["E001.yaml"] - 1].startswith("date:")
    assert e2.read_text().splitlines()[lines["E002.yaml"] - 1].strip() == "- Z5"
    assert e3.read_text().splitlines()[lines["E003.yaml"] - 1].startswith("surprise:")


def test_validate_finds_changed_and_missing_attachments(portfolio, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("one")
    b.write_text("two")
    record = portfolio.add_evidence(evidence_fields(), attach=[a, b])
    (portfolio.evidence_dir / record.attachments[0].path).write_text("tampered")
    (portfolio.evidence_dir / record.attachments[1].path).unlink()
    messages = [p.message for p in portfolio.validate()]
    assert any("changed since" in m for m in messages)
    assert any("missing" in m for m in messages)


def test_a_record_whose_id_does_not_match_its_file(portfolio):
    portfolio.add_evidence(evidence_fields())
    path = portfolio.record_path("E001")
    _write(path, path.read_text().replace("id: E001", "id: E009"))
    [problem] = portfolio.validate()
    assert problem.field == "id"
    assert "E009" in problem.hint


def test_a_newer_schema_says_what_to_do(portfolio):
    portfolio.add_evidence(evidence_fields())
    path = portfolio.record_path("E001")
    _write(path, path.read_text().replace("cpc306-portfolio/4", "cpc306-portfolio/5"))
    [problem] = portfolio.validate()
    assert problem.field == "schema"
    assert "upgrade" in problem.hint


def test_temporary_files_of_a_killed_write_are_cleaned_at_open(portfolio):
    leftover = portfolio.evidence_dir / f".E001.yaml.abc123{TEMP_SUFFIX}"
    _write(leftover, "half a rec")
    open_portfolio(portfolio.root)
    assert not leftover.exists()


def test_remove_evidence_removes_its_files(portfolio, tmp_path):
    note = tmp_path / "n.txt"
    note.write_text("x")
    record = portfolio.add_evidence(evidence_fields(), attach=[note])
    portfolio.remove_evidence(record.id)
    assert not portfolio.record_path(record.id).exists()
    assert not (portfolio.evidence_dir / record.id).exists()
    with pytest.raises(NotFoundError):
        portfolio.read_evidence(record.id)


def test_attach_and_detach(portfolio, tmp_path):
    record = portfolio.add_evidence(evidence_fields())
    photo = tmp_path / "board.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 10)
    att = portfolio.attach(record.id, photo, description="Whiteboard")
    att2 = portfolio.attach(record.id, photo)
    assert att.path == "E001/board.png"
    assert att2.path == "E001/board-2.png"
    assert att.media_type == "image/png"
    assert portfolio.read_evidence(record.id).attachments[0].description == "Whiteboard"
    portfolio.detach(record.id, "board.png")
    assert [a.path for a in portfolio.read_evidence(record.id).attachments] == ["E001/board-2.png"]
    assert not (portfolio.evidence_dir / "E001" / "board.png").exists()
    assert portfolio.validate() == []


def test_reflections(portfolio):
    record = portfolio.add_reflection(reflection_fields())
    assert record.id == "R001"
    assert portfolio.read_reflection("R001").stages["feelings"].startswith("I was anxious")
    with pytest.raises(RecordError) as info:
        portfolio.add_reflection(reflection_fields(stages={"so_what": "x"}))
    assert info.value.field == "stages.so_what"
    assert "description" in info.value.problems[0].hint
    with pytest.raises(RecordError) as info:
        portfolio.add_reflection(reflection_fields(model="socrates"))
    assert "driscoll" in info.value.problems[0].hint


def _add_one(args: tuple[str, object]) -> str:
    root, barrier = args
    from cpc306_portfolio import open_portfolio as op

    folio = op(root)
    barrier.wait()  # type: ignore[attr-defined]
    return folio.add_evidence(evidence_fields(title=f"from pid {os.getpid()}")).id


def test_twenty_processes_adding_at_once_lose_nothing(portfolio):
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(20)
        with context.Pool(20) as pool:
            ids = pool.map(_add_one, [(str(portfolio.root), barrier)] * 20)
    assert sorted(ids) == [f"E{n:03d}" for n in range(1, 21)]
    records = portfolio.evidence()
    assert len({r.title for r in records}) == 20
    assert portfolio.validate() == []
    assert not list(portfolio.root.rglob(f"*{TEMP_SUFFIX}"))


def test_a_read_only_open_changes_nothing_even_leftovers(portfolio):
    portfolio.add_evidence(evidence_fields())
    leftover = portfolio.evidence_dir / f".E001.yaml.abc123{TEMP_SUFFIX}"
    _write(leftover, "half a rec")
    (portfolio.root / LOCK_FILE).unlink(missing_ok=True)
    before = snapshot(portfolio.root)
    folio = open_portfolio(portfolio.root, readonly=True)
    assert [e.id for e in folio.evidence()] == ["E001"]
    assert folio.validate() == []
    with pytest.raises(UsageError, match="read-only"):
        folio.add_evidence(evidence_fields())
    assert snapshot(portfolio.root) == before
    assert leftover.exists()
    assert not (portfolio.root / LOCK_FILE).exists()


def test_a_failed_copy_leaves_no_file_and_no_leftover(tmp_path, monkeypatch):
    from cpc306_portfolio.files import atomic as files

    source = tmp_path / "big.bin"
    source.write_bytes(b"x" * (3 << 20))
    target = tmp_path / "out" / "big.bin"

    def failing_replace(src, dst):
        raise OSError("disk went away")

    monkeypatch.setattr(files.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk went away"):
        files.atomic_copy(source, target)
    with pytest.raises(OSError, match="disk went away"):
        files.atomic_write_text(target, "text")
    assert list(target.parent.iterdir()) == []
