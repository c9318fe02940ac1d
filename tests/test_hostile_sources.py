"""Sources no unit looks like: each is refused quickly, naming the file, writing nothing."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpc306_portfolio.cli import main
from cpc306_portfolio.errors import UsageError
from cpc306_portfolio.standard import limits
from cpc306_portfolio.standard.drafting import import_unit
from cpc306_portfolio.standard.sources import read_source_text

from .test_pdf_layout import pdf

HEAD = (
    "Unit: ZZT 901 Tools (X)\n\nAbout this unit\n\nx\n\nZZT 901 A Lend\n\nPerformance criteria\n\n"
)


def refused(tmp_path: Path, source: Path, match: str) -> None:
    out = tmp_path / "draft.yaml"
    started = time.monotonic()
    result = CliRunner().invoke(main, ["standard", "import", str(source), "-o", str(out)])
    assert time.monotonic() - started < 15
    assert result.exit_code == UsageError.exit_code, result.output
    assert "Traceback" not in result.output
    assert str(source) in result.output
    assert match in result.output
    assert not out.exists()


def test_a_text_of_too_many_lines(tmp_path: Path) -> None:
    source = tmp_path / "long.txt"
    source.write_text(HEAD + "more words\n" * (limits.MAX_TEXT_LINES + 1), encoding="utf-8")
    refused(tmp_path, source, "lines of text, more than the 50,000 a unit prints")


def test_a_text_of_too_many_numbered_entries(tmp_path: Path) -> None:
    source = tmp_path / "many.txt"
    source.write_text(HEAD + "".join(f"{n}. x {n}\n" for n in range(1, 20_002)), encoding="utf-8")
    refused(tmp_path, source, "numbered lines, more than the 20,000 a unit may have")


def test_a_single_giant_line_makes_a_draft_too_large_to_write(tmp_path: Path) -> None:
    source = tmp_path / "giant.txt"
    source.write_text(HEAD + "1. " + "word " * 600_000 + "\n", encoding="utf-8")
    refused(tmp_path, source, "nothing was written")


def test_a_source_over_the_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_SOURCE_BYTES", 1_000)
    source = tmp_path / "big.txt"
    source.write_text(HEAD + "x" * 2_000, encoding="utf-8")
    with pytest.raises(UsageError, match=r"big\.txt: 0\.0 MB, larger than the 0 MB"):
        read_source_text(source)


def test_a_docx_whose_document_claims_to_be_huge(tmp_path: Path) -> None:
    source = tmp_path / "bomb.docx"
    with zipfile.ZipFile(source, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<a>" + " " * 25_000_000 + "</a>")
    assert source.stat().st_size < 1_000_000
    refused(tmp_path, source, "word/document.xml is too large for a unit")


def test_a_pdf_of_too_many_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cpc306_portfolio.standard.pdf.MAX_PDF_PAGES", 3)
    source = tmp_path / "pages.pdf"
    source.write_bytes(pdf([[(40.0, 780.0, "F1", "x")]] * 4))
    with pytest.raises(UsageError, match=r"pages\.pdf: 4 pages, more than the 3"):
        read_source_text(source)


def test_a_pdf_that_is_not_one_is_refused_by_the_cli(tmp_path: Path) -> None:
    source = tmp_path / "fake.pdf"
    source.write_bytes(b"%PDF-1.4\n" + b"\x00" * 100)
    refused(tmp_path, source, "cannot be read")


def test_a_draft_refused_leaves_an_existing_output_alone(tmp_path: Path) -> None:
    source = tmp_path / "many.txt"
    source.write_text(HEAD + "more words\n" * (limits.MAX_TEXT_LINES + 1), encoding="utf-8")
    out = tmp_path / "kept.yaml"
    out.write_text("mine\n", encoding="utf-8")
    with pytest.raises(UsageError):
        import_unit(source, out, overwrite=True)
    assert out.read_text(encoding="utf-8") == "mine\n"
