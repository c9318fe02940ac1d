"""Attachment text is extracted once per content and never served stale or torn."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cpc306_portfolio.confidentiality import extract, pdftext, textcache
from cpc306_portfolio.confidentiality.extract import extract_text
from cpc306_portfolio.errors import AttachmentError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from pdfs import write_text_pdf


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = extract.pdf_text

    def counted(data: bytes, path: Path, digest: str = "") -> str:
        calls.append(len(data))
        return real(data, path, digest)

    monkeypatch.setattr(extract, "pdf_text", counted)
    return calls


def _entries() -> list[Path]:
    return sorted(textcache.cache_folder().glob("*.txt"))


def test_a_pdf_is_read_once_then_served_from_the_users_cache(tmp_path, monkeypatch):
    pdf = write_text_pdf(tmp_path / "report.pdf", pages=3)
    calls = _counting(monkeypatch)
    first = extract_text(pdf)
    second = extract_text(pdf)
    assert first == second
    assert first is not None and "Monitoring report, page 3" in first
    assert len(calls) == 1
    [entry] = _entries()
    assert not entry.is_relative_to(tmp_path)  # outside the portfolio
    assert entry.parent == Path(textcache.os.environ["XDG_CACHE_HOME"]) / "cpc306" / "text"


def test_a_file_replaced_with_the_same_name_and_size_is_never_served_stale(tmp_path):
    pdf = tmp_path / "contract.pdf"
    write_text_pdf(pdf, pages=2, heading="Visit to Alder House")
    size = pdf.stat().st_size
    assert "Alder House" in (extract_text(pdf) or "")
    write_text_pdf(pdf, pages=2, heading="Visit to Birch Court")
    assert pdf.stat().st_size == size  # same name, same size, other content
    text = extract_text(pdf) or ""
    assert "Birch Court" in text and "Alder House" not in text
    assert len(_entries()) == 2


def test_a_deleted_cache_is_rebuilt(tmp_path, monkeypatch):
    pdf = write_text_pdf(tmp_path / "policy.pdf", pages=2)
    text = extract_text(pdf)
    for entry in _entries():
        entry.unlink()
    textcache.cache_folder().rmdir()
    calls = _counting(monkeypatch)
    assert extract_text(pdf) == text
    assert len(calls) == 1 and len(_entries()) == 1


@pytest.mark.parametrize("damage", ["truncate", "edit", "header", "empty"])
def test_a_torn_or_edited_entry_is_never_served(tmp_path, monkeypatch, damage):
    pdf = write_text_pdf(tmp_path / "policy.pdf", pages=2)
    text = extract_text(pdf)
    [entry] = _entries()
    raw = entry.read_bytes()
    damaged = {
        "truncate": raw[: len(raw) // 2],
        "edit": raw.replace(b"Monitoring", b"Monitorinx", 1),
        "header": b"garbage" + raw,
        "empty": b"",
    }[damage]
    entry.write_bytes(damaged)
    calls = _counting(monkeypatch)
    assert extract_text(pdf) == text
    assert len(calls) == 1
    assert entry.read_bytes() == raw  # replaced by a good entry


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    pdf = write_text_pdf(tmp_path / "report.pdf", pages=1)
    assert "Monitoring report, page 1" in (extract_text(pdf) or "")


def test_a_pdf_past_the_page_limit_is_refused_in_words(tmp_path, monkeypatch):
    pdf = write_text_pdf(tmp_path / "long.pdf", pages=4)
    monkeypatch.setattr(pdftext, "MAX_PDF_BYTES", 10)
    with pytest.raises(AttachmentError, match="larger than the"):
        extract_text(pdf)
    assert _entries() == []


def _bomb(path: Path, megabytes: int) -> Path:
    """A one-page PDF whose content stream inflates to ``megabytes`` MB of spaces."""
    import zlib

    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    stream = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    data = write_text_pdf(path, pages=1).read_bytes()
    head = f"5 0 obj\n<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
    # An incremental update replacing the page's content stream (object 5) with the bomb.
    start = len(data)
    data += head + stream + b"\nendstream\nendobj\n"
    xref = len(data)
    data += f"xref\n0 1\n0000000000 65535 f \n5 1\n{start:010d} 00000 n \n".encode()
    prev = data[:start].rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0].decode()
    data += f"trailer\n<< /Size 6 /Root 1 0 R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(data)
    return path


def test_a_decompression_bomb_meets_the_childs_memory_limit(tmp_path, monkeypatch):
    pdf = _bomb(tmp_path / "bomb.pdf", megabytes=600)
    assert pdf.stat().st_size < 2_000_000
    monkeypatch.setattr(pdftext, "MEMORY_BYTES", 400 << 20)
    with pytest.raises(AttachmentError, match="cannot read the text") as caught:
        extract_text(pdf)
    assert "memory or time" in caught.value.problems[0].message
    assert _entries() == []


def test_too_many_pages_are_refused_in_words(tmp_path, monkeypatch):
    pdf = write_text_pdf(tmp_path / "long.pdf", pages=5)
    monkeypatch.setattr(pdftext, "MAX_PDF_PAGES", 3)
    with pytest.raises(AttachmentError, match="more than 3 pages"):
        extract_text(pdf)
    assert _entries() == []


def test_too_much_text_is_refused_in_words(tmp_path, monkeypatch):
    pdf = write_text_pdf(tmp_path / "long.pdf", pages=5)
    monkeypatch.setattr(pdftext, "MAX_PDF_CHARS", 1000)
    with pytest.raises(AttachmentError, match="more than 1,000 characters"):
        extract_text(pdf)


def test_a_child_that_runs_too_long_is_stopped(tmp_path, monkeypatch):
    pdf = write_text_pdf(tmp_path / "slow.pdf", pages=55)
    monkeypatch.setattr(pdftext, "TIMEOUT_S", 0.001)
    with pytest.raises(AttachmentError, match="took longer than"):
        extract_text(pdf)
    assert _entries() == []


def _children(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The PDFs a child process was started for, in order."""
    started: list[bytes] = []
    real = pdftext._Reading

    class Counted(real):  # type: ignore[misc,valid-type]
        def __init__(self, data: bytes, early: bool = False) -> None:
            started.append(data)
            super().__init__(data, early)

    monkeypatch.setattr(pdftext, "_Reading", Counted)
    return started


def test_a_pdf_read_ahead_is_collected_by_the_scan_not_read_again(tmp_path, monkeypatch):
    pdf = write_text_pdf(tmp_path / "report.pdf", pages=3)
    started = _children(monkeypatch)
    extract.prefetch_text(pdf)
    assert len(started) == 1 and len(pdftext._started) == 1
    text = extract_text(pdf) or ""
    assert "Monitoring report, page 3" in text
    assert len(started) == 1 and pdftext._started == {}  # collected, not started again
    extract.prefetch_text(pdf)  # cached now: nothing to read ahead
    assert len(started) == 1 and len(_entries()) == 1


def test_a_pdf_replaced_after_its_read_ahead_is_read_again_never_stale(tmp_path, monkeypatch):
    pdf = tmp_path / "contract.pdf"
    write_text_pdf(pdf, pages=2, heading="Visit to Alder House")
    started = _children(monkeypatch)
    extract.prefetch_text(pdf)
    write_text_pdf(pdf, pages=2, heading="Visit to Birch Court")  # same name, same size
    text = extract_text(pdf) or ""
    assert "Birch Court" in text and "Alder House" not in text
    assert len(started) == 2
    [stale] = pdftext._started.values()
    pdftext._stop_started()  # what happens at exit to one never collected
    assert stale.process.poll() is not None and pdftext._started == {}


def test_a_read_ahead_of_anything_but_a_regular_pdf_starts_nothing(tmp_path, monkeypatch):
    import os

    started = _children(monkeypatch)
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer: never here
    extract.prefetch_text(fifo)
    extract.prefetch_text(tmp_path / "missing.pdf")
    extract.prefetch_text(write_text_pdf(tmp_path / "report.txt", pages=1))
    (tmp_path / "folder.pdf").mkdir()
    extract.prefetch_text(tmp_path / "folder.pdf")
    assert started == [] and pdftext._started == {}


def test_evidence_attach_reads_a_pdf_once(tmp_path, monkeypatch):
    import shutil

    from .conftest import SAMPLE, cli_result

    folio = tmp_path / "folio"
    shutil.copytree(SAMPLE, folio, ignore=shutil.ignore_patterns("exports", ".cpc306.lock"))
    pdf = write_text_pdf(tmp_path / "report.pdf", pages=3)
    started = _children(monkeypatch)
    result = cli_result("evidence", "attach", str(folio), "E002", str(pdf))
    assert "Attached E002/report.pdf" in result.output
    assert len(started) == 1 and pdftext._started == {}
    assert (folio / "evidence" / "E002" / "report.pdf").read_bytes() == pdf.read_bytes()
    assert len(_entries()) == 1
