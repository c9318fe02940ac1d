"""One regression test per defect of issue 15: links, YAML bombs, stale updates, torn adds,
OS errors, terminal escapes, large attachments and unclear messages."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from cpc306_portfolio import create_portfolio, open_portfolio
from cpc306_portfolio.confidentiality.scan import scan_file
from cpc306_portfolio.errors import (
    ConflictError,
    FileSystemError,
    NotFoundError,
    RecordError,
    UnsafeFileError,
)
from cpc306_portfolio.files.yamlio import MAX_YAML_DEPTH, parse_yaml
from cpc306_portfolio.portfolio.journal import journal_path, staging_path
from cpc306_portfolio.render.attachments import view_attachment

from .conftest import evidence_fields, profile_fields, reflection_fields, snapshot
from .conftest import run_cli as run


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "id_ed25519"
    path.parent.mkdir()
    path.write_text("PRIVATE KEY OF THE ASSESSOR\n")
    return path


# 1. Links are never followed ----------------------------------------------------------


def _link_attachment(folio, secret: Path) -> Path:
    text = folio.root.parent / "notes.txt"
    text.write_text("Notes of the meeting.\n")
    record = folio.add_evidence(evidence_fields(), attach=[text])
    target = folio.attachment_path(record.attachments[0])
    target.unlink()
    target.symlink_to(secret)
    # With the recorded hash and size set to match, the old validate said "valid".
    data = folio.record_path(record.id).read_text()
    from cpc306_portfolio.files.atomic import sha256_file

    digest, size = sha256_file(secret)
    data = data.replace(record.attachments[0].sha256, digest)
    data = data.replace(f"size: {record.attachments[0].size}", f"size: {size}")
    folio.record_path(record.id).write_text(data)
    return target


def test_a_linked_attachment_is_a_problem_and_never_read(portfolio, secret):
    target = _link_attachment(portfolio, secret)
    problems = portfolio.validate()
    assert any(p.path == str(target) and "symbolic link" in p.message for p in problems)
    view = view_attachment(portfolio.evidence()[0].attachments[0], target, root=portfolio.root)
    assert view.kind == "missing" and "link" in view.problem
    assert "PRIVATE" not in view.text and not view.download_href
    out = run("validate", str(portfolio.root), code=4)
    assert "symbolic link" in out and "PRIVATE" not in out


def test_a_linked_record_file_or_folder_is_refused(portfolio, secret, tmp_path):
    (portfolio.evidence_dir / "E009.yaml").symlink_to(secret)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.txt").write_text("x")
    (portfolio.evidence_dir / "E010").symlink_to(outside)
    problems = portfolio.validate()
    messages = "\n".join(str(p) for p in problems)
    assert "E009.yaml" in messages and "E010" in messages and "PRIVATE" not in messages


@pytest.mark.parametrize("spelling", ["{root}", "{root}/", "{root}/.", "{root}//"])
def test_a_linked_folder_on_the_way_to_a_file_is_found_however_the_root_is_written(
    tmp_path, spelling
):
    from cpc306_portfolio.files.regular import links_between, open_regular

    root = tmp_path / "folio"
    (root / "evidence" / "E001").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "notes.txt").write_text("PRIVATE")
    (root / "evidence" / "E002").symlink_to(tmp_path / "elsewhere")
    given = spelling.format(root=root)  # as a user or a caller might write it
    linked = root / "evidence" / "E002" / "notes.txt"
    assert links_between(given, linked) == root / "evidence" / "E002"
    assert links_between(given, root / "evidence" / "E001" / "notes.txt") is None
    assert links_between(given, tmp_path / "elsewhere" / "notes.txt") is None  # not under it
    with pytest.raises(UnsafeFileError):
        open_regular(linked, given)


def test_attaching_a_link_copies_the_file_it_points_to(portfolio, tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("the minutes\n")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    record = portfolio.add_evidence(evidence_fields(), attach=[link])
    copy = portfolio.attachment_path(record.attachments[0])
    assert not copy.is_symlink() and copy.read_text() == "the minutes\n"


def test_a_fifo_is_not_read(portfolio):
    fifo = portfolio.evidence_dir / "E001.yaml"
    os.mkfifo(fifo)
    problems = portfolio.validate()  # would block for ever if the FIFO were opened blocking
    assert any("not a regular file" in p.message for p in problems)


# 2. Bounded YAML ----------------------------------------------------------------------


def test_an_alias_bomb_is_refused_with_its_line(portfolio):
    record = portfolio.add_evidence(evidence_fields())
    path = portfolio.record_path(record.id)
    bomb = ['a0: &a0 ["lol"]']
    for i in range(1, 10):
        bomb.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    path.write_text(path.read_text() + "\n".join(bomb) + "\n")
    (problem,) = [p for p in portfolio.validate() if p.path == str(path)]
    assert "alias" in problem.message and problem.line is not None


def test_deep_nesting_is_a_problem_not_a_recursion_error():
    tree, problems = parse_yaml("[" * 20_000, "deep.yaml")
    assert tree is None and str(MAX_YAML_DEPTH) in problems[0].message
    assert problems[0].line == 1


def test_a_huge_record_is_refused_before_it_is_parsed(portfolio):
    path = portfolio.evidence_dir / "E001.yaml"
    path.write_text("description: " + "x" * 3_000_000 + "\n")
    (problem,) = [p for p in portfolio.validate() if p.path == str(path)]
    assert "larger than" in problem.message


def test_a_record_too_large_to_read_back_is_never_written(portfolio):
    before = snapshot(portfolio.root)
    with pytest.raises(RecordError, match="larger than"):
        # A field with no limit of its own (a witness's organisation) past the file's.
        witness = {"name": "Pat Witness", "role": "Manager", "organisation": "long " * 450_000}
        portfolio.add_evidence(evidence_fields(witness=witness))
    assert snapshot(portfolio.root) == before


# 3. Stale updates -----------------------------------------------------------------------


def test_a_stale_update_is_refused_and_keeps_both_versions(portfolio, tmp_path):
    record = portfolio.add_evidence(evidence_fields())
    stale = portfolio.read_evidence(record.id)
    extra = tmp_path / "extra.txt"
    extra.write_text("added by another program\n")
    open_portfolio(portfolio.root).attach(record.id, extra)
    stale.title = "My new title"
    with pytest.raises(ConflictError) as info:
        portfolio.update_evidence(stale)
    assert info.value.mine.title == "My new title"
    assert len(info.value.theirs.attachments) == 1
    assert "title" in str(info.value) and "attachments" in str(info.value)
    on_disk = portfolio.read_evidence(record.id)
    assert len(on_disk.attachments) == 1 and on_disk.title == record.title
    assert portfolio.validate() == []
    fresh = portfolio.read_evidence(record.id)
    fresh.title = "My new title"
    assert portfolio.update_evidence(fresh).revision == fresh.revision + 1


# 4. Atomic add and remove ---------------------------------------------------------------


def test_a_killed_add_leaves_nothing_after_the_next_open(portfolio, tmp_path):
    from cpc306_portfolio.files.atomic import atomic_write_text

    # As a kill between staging and writing the record leaves it: journal, staged copy.
    staging = staging_path(portfolio, "E001")
    staging.mkdir()
    (staging / "a.txt").write_text("copied")
    atomic_write_text(
        journal_path(portfolio, "E001"),
        '{"record": "E001", "provisional": ["E001", ".E001.cpc306-staging"]}',
    )
    assert open_portfolio(portfolio.root, readonly=True).validate()  # reported, not repaired
    folio = open_portfolio(portfolio.root)
    assert folio.validate() == []
    assert not staging.exists() and not journal_path(folio, "E001").exists()
    assert folio.add_evidence(evidence_fields()).id == "E001"  # the id was not used up


def test_an_orphan_folder_and_file_are_problems(portfolio, tmp_path):
    (portfolio.evidence_dir / "E007").mkdir()
    record = portfolio.add_evidence(evidence_fields())
    (portfolio.evidence_dir / record.id).mkdir(exist_ok=True)
    (portfolio.evidence_dir / record.id / "stray.pdf").write_bytes(b"%PDF")
    messages = [str(p) for p in portfolio.validate()]
    assert any("E007" in m and "no record" in m for m in messages)
    assert any("stray.pdf" in m and "no record lists" in m for m in messages)


def test_remove_deletes_the_record_before_its_files(portfolio, tmp_path, monkeypatch):
    text = tmp_path / "a.txt"
    text.write_text("x")
    record = portfolio.add_evidence(evidence_fields(), attach=[text])
    import shutil

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # as a kill would, after the record is gone

    monkeypatch.setattr(shutil, "rmtree", killed)
    with pytest.raises(KeyboardInterrupt):
        portfolio.remove_evidence(record.id)
    monkeypatch.undo()
    assert not portfolio.record_path(record.id).exists()
    assert open_portfolio(portfolio.root).validate() == []
    assert not (portfolio.evidence_dir / record.id).exists()


# 5. Operating-system errors -------------------------------------------------------------


def test_a_full_disk_is_a_message_and_nothing_half_written(portfolio, tmp_path, monkeypatch):
    import cpc306_portfolio.files.atomic as atomic

    text = tmp_path / "a.txt"
    text.write_text("some text")
    before = snapshot(portfolio.root)
    real = os.fsync

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(FileSystemError) as info:
        portfolio.add_evidence(evidence_fields(), attach=[text])
    monkeypatch.setattr(atomic.os, "fsync", real)
    assert info.value.exit_code == 9 and "disk is full" in str(info.value)
    assert snapshot(portfolio.root) == before
    assert open_portfolio(portfolio.root).validate() == []


def test_an_os_error_in_the_lock_is_a_message(portfolio, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(30, "Read-only file system", str(portfolio.root / ".cpc306.lock"))

    monkeypatch.setattr(type(portfolio.records._lock), "acquire", refuse)
    out = run("evidence", "remove", str(portfolio.root), "E001", "--yes", code=3)
    assert "Traceback" not in out
    with pytest.raises(FileSystemError, match="read-only"):
        portfolio.add_evidence(evidence_fields())


def test_a_description_file_that_is_not_utf8_is_a_message(portfolio, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_bytes(b"line one\nna\xefve \xff\n")
    out = run(
        "evidence",
        "add",
        str(portfolio.root),
        "--title",
        "t",
        "--date",
        "2025-01-01",
        "--method",
        "product",
        "--description-file",
        str(bad),
        code=2,
    )
    assert "notes.txt" in out and "UTF-8" in out and "line 2" in out


def test_a_record_that_cannot_be_unlinked_is_a_message(portfolio, monkeypatch):
    record = portfolio.add_evidence(evidence_fields())

    unlink = Path.unlink

    def denied(self, *args, **kwargs):
        if self.name == "E001.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return unlink(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", denied)
    out = run("evidence", "remove", str(portfolio.root), record.id, "--yes", code=9)
    assert "E001.yaml" in out and "permission" in out


# 6. Terminal control characters ---------------------------------------------------------


def test_control_characters_are_shown_escaped(portfolio):
    title = "Review \x1b]0;pwned\x07\x1b[2J done"
    portfolio.add_evidence(evidence_fields(title=title))
    for args in (("evidence", "list"), ("evidence", "show")):
        extra = ("E001",) if args[1] == "show" else ()
        out = run(*args, str(portfolio.root), *extra)
        assert "\x1b" not in out and "\x07" not in out
        assert "\\x1b]0;pwned\\x07" in out.replace("\n", "").replace(" ", "")
    assert portfolio.read_evidence("E001").title == title  # stored exactly as typed


def test_list_tables_show_titles_as_typed_not_as_markup_or_emoji(portfolio):
    title = "[i]x[/i] :smile: [red]"
    portfolio.add_evidence(evidence_fields(title=title))
    portfolio.add_reflection(reflection_fields(title=title))
    for noun in ("evidence", "reflection"):
        out = run(noun, "list", str(portfolio.root))
        for typed in ("[i]x[/i]", ":smile:", "[red]"):
            assert typed in out, (noun, typed)
        assert "\U0001f604" not in out, noun  # the emoji rich would put for :smile:


# 7. Large attachments ---------------------------------------------------------------------


def test_a_large_text_file_is_scanned_in_bounded_memory(tmp_path):
    path = tmp_path / "big.txt"
    line = "The provider missed the milestone again; we met on Tuesday.\n"
    with path.open("w") as out:
        out.write("DOB: 12/03/1941\n")
        for _ in range(170_000):  # ~10 MB, ten scan windows
            out.write(line)
        out.write("Call 07700 900123 today.\n")
    tracemalloc.start()
    findings = scan_file(path, record="E001")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [f.kind for f in findings] == ["date_of_birth", "phone"]
    assert findings[-1].start > 10_000_000  # offsets are the file's
    assert peak < 10_000_000, peak  # less than the file: it was never read whole


def test_render_has_a_time_limit_that_grows_with_the_attachments(portfolio, tmp_path):
    from cpc306_portfolio.render.report import time_limit

    small = time_limit(portfolio.root)
    big = tmp_path / "big.bin"
    with big.open("wb") as out:
        out.truncate(50_000_000)
    portfolio.add_evidence(evidence_fields(), attach=[big])
    assert time_limit(portfolio.root) > small + 50
    assert "--timeout" in run("render", "--help")


# 8. Clear messages ----------------------------------------------------------------------


def test_a_number_for_a_date_says_it_is_not_a_date(portfolio):
    path = portfolio.evidence_dir / "E001.yaml"
    portfolio.add_evidence(evidence_fields())
    path.write_text(path.read_text().replace("date: '2025-06-12'", "date: 12345"))
    (problem,) = portfolio.validate()
    assert problem.message == "12345 is not a date" and problem.field == "date"
    assert "YYYY-MM-DD" in problem.hint


def test_an_empty_title_names_the_option(portfolio):
    out = run(
        "evidence",
        "add",
        str(portfolio.root),
        "--title",
        "",
        "--date",
        "2025-01-01",
        "--method",
        "product",
        "--description",
        "d",
        code=4,
    )
    assert "--title: must not be empty" in out and "E001.yaml" not in out


def test_a_nul_byte_is_reported_with_its_line(portfolio):
    path = portfolio.evidence_dir / "E001.yaml"
    path.write_text("schema: cpc306-portfolio/2\nid: E001\ntitle: a\x00b\n")
    (problem,) = portfolio.validate()
    assert problem.line == 3 and "U+0000" in problem.message


def test_an_unknown_judged_criterion_is_named_by_its_key(portfolio):
    portfolio.assessment_path.write_text(
        "schema: cpc306-portfolio/2\njudgements:\n  Z9:\n    outcome: met\n"
        "    judged_on: '2025-01-01'\n"
    )
    (problem,) = portfolio.validate()
    assert problem.field == "judgements.Z9" and problem.line == 3


def test_an_unknown_scope_id_suggests_the_closest_not_all_forty(portfolio):
    with pytest.raises(RecordError) as info:
        portfolio.add_evidence(evidence_fields(scope=["nonsense/thing"]))
    (problem,) = info.value.problems
    assert len(problem.hint) < 200 and "standard show" in problem.hint
    with pytest.raises(RecordError) as info:
        portfolio.add_evidence(evidence_fields(scope=["risks/financial_los"]))
    assert "did you mean risks/financial_loss" in info.value.problems[0].hint


def test_a_missing_attachment_exits_3(portfolio, tmp_path):
    out = run(
        "evidence",
        "add",
        str(portfolio.root),
        "--title",
        "t",
        "--date",
        "2025-01-01",
        "--method",
        "product",
        "--description",
        "d",
        "--attach",
        str(tmp_path / "nope.pdf"),
        code=3,
    )
    assert "nope.pdf" in out
    with pytest.raises(NotFoundError):
        portfolio.add_evidence(evidence_fields(), attach=[tmp_path / "nope.pdf"])


def test_a_media_type_must_look_like_one(portfolio, tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("x")
    record = portfolio.add_evidence(evidence_fields(), attach=[text])
    path = portfolio.record_path(record.id)
    path.write_text(path.read_text().replace("media_type: text/plain", "media_type: whatever"))
    (problem,) = portfolio.validate()
    assert problem.field == "attachments[0].media_type"


def test_create_in_an_unwritable_place_is_a_message(tmp_path, monkeypatch):
    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", denied)
    with pytest.raises(FileSystemError, match="permission"):
        create_portfolio(tmp_path / "new", profile_fields())


def test_the_evidence_form_shows_a_conflict_and_keeps_the_text(sample_copy, tmp_path):
    import ipywidgets as w

    from cpc306_portfolio.notebooks.evidence_form import evidence_form

    folio = open_portfolio(sample_copy)
    form = evidence_form(folio, "A1")
    form.record.value = "E002"
    extra = tmp_path / "extra.txt"
    extra.write_text("added from the command line\n")
    open_portfolio(sample_copy).attach("E002", extra)  # another program, after the form read
    form.title.value = "A clearer title"
    form.save_button.click()
    assert "changed in another window" in form.errors.general.value
    assert "A clearer title" in form.conflict.table.value  # both versions, side by side
    assert form.title.value == "A clearer title"  # the learner's words stay in the form
    assert folio.read_evidence("E002").attachments[-1].path.endswith("extra.txt")
    w.Widget.close_all()
