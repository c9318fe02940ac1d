"""One render path: the page is what it was whatever runs it, and nothing is read twice.

``render_portfolio`` is the one place the report runs and its page is written. These tests
hold the sample's page to the bytes it had before that path was made one (a SHA-256 in
``tests/data/sample-page.json``), make every engine write that same page, and show that a
batch learner's portfolio is read once: the report borrows the object the worker opened
and validated rather than opening the folder again.
"""

from __future__ import annotations

import builtins
import hashlib
import io
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version
from pathlib import Path

import pytest

from cpc306_portfolio.cohort import worker
from cpc306_portfolio.cohort.worker import RENDERED, LearnerTask, render_learner
from cpc306_portfolio.execute import forked
from cpc306_portfolio.execute.engines import Direct, Forked, FreshKernel, InProcess
from cpc306_portfolio.portfolio.store import open_portfolio
from cpc306_portfolio.render import load_report, render_portfolio
from cpc306_portfolio.render.lending import lend

from .conftest import ROOT

PAGE = ROOT / "tests" / "data" / "sample-page.json"
TRUST = ROOT / "demo-keys" / "demo-trust-list.txt"
#: The cover's "Rendered <date> at <time> UTC": the one part of the page that is the clock's.
RENDERED_AT = re.compile(r"<dt>Rendered</dt><dd>[^<]*</dd>")


def _page(path: Path) -> bytes:
    """The page's bytes with the time it was rendered taken out."""
    text = path.read_text(encoding="utf-8")
    assert len(RENDERED_AT.findall(text)) == 1, "the cover should say once when it was rendered"
    return RENDERED_AT.sub("<dt>Rendered</dt><dd>(when)</dd>", text).encode("utf-8")


@pytest.fixture
def on_the_recorded_day(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The day the recorded page was made, for the unit's currency window (24 months)."""
    recorded = json.loads(PAGE.read_text(encoding="utf-8"))
    day = date.fromisoformat(recorded["today"])

    class _Day(date):
        @classmethod
        def today(cls) -> date:
            return day

    from cpc306_portfolio.analysis import coverage_rows

    monkeypatch.setattr(coverage_rows, "date", _Day)
    return dict(recorded)


@pytest.mark.parametrize("engine", [InProcess(), Direct()], ids=["in-process", "direct"])
def test_the_sample_page_is_byte_for_byte_what_it_was(
    sample_copy, tmp_path, on_the_recorded_day, engine
):
    out = render_portfolio(sample_copy, tmp_path / "page.html", trust=TRUST, engine=engine)
    digest = hashlib.sha256(_page(out)).hexdigest()
    if digest != on_the_recorded_day["sha256"]:
        made_with: dict[str, str] = on_the_recorded_day["libraries"]  # type: ignore[assignment]
        moved = {lib: (was, version(lib)) for lib, was in made_with.items() if version(lib) != was}
        pytest.fail(
            "the sample's page changed (a SHA-256 of it is in tests/data/sample-page.json). "
            + (f"These libraries moved since it was recorded: {moved}; " if moved else "")
            + "if the change is meant, look at the page, then record its digest again"
        )


def test_the_page_does_not_depend_on_where_the_portfolio_lies(sample_copy, tmp_path):
    elsewhere = tmp_path / "a" / "much" / "longer" / "path to the learner"
    elsewhere.parent.mkdir(parents=True)
    sample_copy.rename(elsewhere)
    page = _page(render_portfolio(elsewhere, tmp_path / "page.html", engine=InProcess()))
    assert str(tmp_path).encode() not in page and b"path to the learner" not in page


@pytest.fixture
def may_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork from this test process even if an idle thread of another test lives on in it.

    A batch worker is a fresh spawned process with no thread but its own, so it may fork;
    this one may hold threads other tests left behind (Dask's offload thread outlives its
    cluster), which would turn the forked engine down. None of them runs while we fork.
    """
    monkeypatch.setattr(forked, "usable", lambda: hasattr(os, "fork"))


@pytest.mark.kernel
def test_every_engine_writes_the_same_page(sample_copy, tmp_path, may_fork):
    pages = {
        "forked": _page(render_portfolio(sample_copy, tmp_path / "f.html", engine=Forked(120))),
        "in-process": _page(render_portfolio(sample_copy, tmp_path / "i.html", engine=InProcess())),
        "direct": _page(render_portfolio(sample_copy, tmp_path / "d.html")),
        "fresh kernel": _page(
            render_portfolio(sample_copy, tmp_path / "k.html", engine=FreshKernel())
        ),
    }
    assert len(set(pages.values())) == 1, [name for name in pages if pages[name] != pages["direct"]]


# Reading each file once -----------------------------------------------------------------


def _purpose() -> str:
    """Why the files layer opened a file, from the function that did: hash, parse or read."""
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if f"{os.sep}files{os.sep}" in code.co_filename:
            if code.co_name == "sha256_file":
                return "hash"
            if code.co_name == "read_yaml":
                return "parse"
        frame = frame.f_back  # type: ignore[assignment]
    return "read"


@dataclass
class _Opens:
    #: How many times each file (relative to the root) was opened for each purpose.
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: The processes that opened them (the worker, and the child it forked).
    pids: set[int] = field(default_factory=set)


@contextmanager
def _opens_under(root: Path, monkeypatch: pytest.MonkeyPatch, log: Path) -> Iterator[_Opens]:
    """Count every open of a file under ``root``, by purpose, in this process and its forks.

    Counted at the operating system's door (``os.open``, ``io.open``, ``open``), which any
    reader of the portfolio passes through however the portfolio is built; a forked child
    inherits the counting and writes to the same log, opened for appending.
    """
    prefix = str(root.resolve()) + os.sep
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    real_os_open, real_io_open = os.open, io.open

    def note(path: object) -> None:
        try:
            where = os.path.abspath(os.fsdecode(path))  # type: ignore[call-overload]
        except TypeError:
            return
        if where.startswith(prefix) and not os.path.isdir(where):
            os.write(fd, f"{os.getpid()}\t{_purpose()}\t{where[len(prefix) :]}\n".encode())

    def os_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("dir_fd") is None:
            note(path)
        return real_os_open(path, flags, *args, **kwargs)

    def io_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not isinstance(file, int):
            note(file)
        return real_io_open(file, *args, **kwargs)

    opens = _Opens()
    with monkeypatch.context() as patch:
        patch.setattr(os, "open", os_open)
        patch.setattr(io, "open", io_open)
        patch.setattr(builtins, "open", io_open)
        try:
            yield opens
        finally:
            os.close(fd)
    for line in log.read_text(encoding="utf-8").splitlines():
        pid, purpose, path = line.split("\t")
        opens.counts[purpose, path] += 1
        opens.pids.add(int(pid))


def _settled(root: Path) -> None:
    """Wait until every file under ``root`` is old enough for a reader to trust its stamp.

    A file changed in the last two seconds may change again unseen within the same tick of
    the file system's clock, so what was read from it is never reused: a fresh copy would
    be read again whatever the render did. A learner's files in a real batch are older.
    """
    from cpc306_portfolio.files import stamps

    racy = getattr(stamps, "RACY_NS", 2_000_000_000) / 1e9
    newest = max(os.lstat(p).st_ctime for p in root.rglob("*"))
    time.sleep(max(0.0, newest + racy + 0.2 - time.time()))


def _records_and_attachments(root: Path) -> tuple[list[str], list[str]]:
    files = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    pattern = r"(evidence|reflections)/[^/]+\.yaml|assessment\.yaml"
    records = sorted(f for f in files if re.fullmatch(pattern, f))
    attachments = sorted(f for f in files if re.fullmatch(r"evidence/[^/]+/.+", f))
    assert records and attachments
    return records, attachments


def _assert_read_once(counts: Counter[tuple[str, str]], root: Path) -> None:
    records, attachments = _records_and_attachments(root)
    parsed = {r: counts["parse", r] for r in records}
    files = [r for r in records if r != "assessment.yaml"] + attachments  # judgements hashed
    hashed = {f: counts["hash", f] for f in files}
    assert parsed == dict.fromkeys(records, 1), "each record is parsed once"
    assert hashed == dict.fromkeys(files, 1), "each file is hashed once"


def test_a_forked_batch_learner_parses_each_record_and_hashes_each_file_once(
    sample_copy, tmp_path, monkeypatch, may_fork
):
    # Once: the worker validates the portfolio (parsing every record, hashing every
    # attachment) and the report, in the forked child, borrows that same object; before
    # the render path was one, the child opened the folder again and read it all twice.
    _settled(sample_copy)
    monkeypatch.setattr(worker, "FORKING", True)
    task = LearnerTask(
        "sample",
        str(sample_copy),
        str(tmp_path / "sample.html"),
        str(tmp_path / "ipc"),
        time_limit=120,
    )
    with _opens_under(sample_copy, monkeypatch, tmp_path / "opens.log") as opens:
        result = render_learner(task)
    assert result.outcome == RENDERED, result.reason
    assert (tmp_path / "sample.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert len(opens.pids) == 2, "the worker validated it, and a child it forked rendered it"
    _assert_read_once(opens.counts, sample_copy)


def test_an_in_process_render_of_a_validated_portfolio_reads_nothing_again(
    sample_copy, tmp_path, monkeypatch
):
    _settled(sample_copy)
    with _opens_under(sample_copy, monkeypatch, tmp_path / "opens.log") as opens:
        folio = open_portfolio(sample_copy, readonly=True)
        assert folio.validate() == []
        render_portfolio(folio, tmp_path / "page.html", engine=InProcess())
    assert opens.pids == {os.getpid()}
    _assert_read_once(opens.counts, sample_copy)


def test_a_lent_portfolio_is_found_only_for_its_own_folder_and_unit(sample_copy, tmp_path):
    folio = open_portfolio(sample_copy, readonly=True)
    unit = sample_copy / "unit.yaml"
    with lend(folio, unit):
        assert load_report(str(sample_copy), standard=str(unit)).portfolio is folio
        # The same folder by another spelling of its path is the same loan.
        again = sample_copy.parent / ".." / sample_copy.parent.name / sample_copy.name
        assert load_report(again, standard=unit).portfolio is folio
        # Another unit file is another reading of the folder: opened afresh.
        other = tmp_path / "other-unit.yaml"
        other.write_bytes(unit.read_bytes())
        assert load_report(sample_copy, standard=other).portfolio is not folio
    assert load_report(sample_copy, standard=unit).portfolio is not folio  # the loan is over
