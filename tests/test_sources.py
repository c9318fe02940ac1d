"""Reading a unit's published source: Word's bold and numbering, and files that cannot be read."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cpc306_portfolio.errors import NotFoundError, UsageError
from cpc306_portfolio.standard.sources import docx_text, read_source_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def run(text: str, bold: str | None = None) -> str:
    if bold is None:
        props = ""
    elif bold == "":
        props = "<w:rPr><w:b/></w:rPr>"
    else:
        props = f'<w:rPr><w:b w:val="{bold}"/></w:rPr>'
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*runs: str, level: int | None = None, list_id: str = "1") -> str:
    numbering = ""
    if level is not None:
        numbering = (
            f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{list_id}"/>'
            "</w:numPr></w:pPr>"
        )
    return f"<w:p>{numbering}{''.join(runs)}</w:p>"


def docx(path: Path, *paragraphs: str) -> Path:
    xml = f'<w:document xmlns:w="{W}"><w:body>{"".join(paragraphs)}</w:body></w:document>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", xml)
    return path


def test_bold_is_marked_only_where_it_is_on(tmp_path: Path) -> None:
    doc = docx(
        tmp_path / "unit.docx",
        para(run("Plain "), run("bold", ""), run(" and "), run("explicit", "true")),
        para(run("Turned "), run("off", "0"), run(" or "), run("false", "false")),
        para(run("Adjacent "), run("bo", ""), run("ld", ""), run(" runs join")),
        para(run("Bold space"), run("   ", "")),
    )
    text = docx_text(doc)
    assert text.endswith("\n")
    lines = text[:-1].split("\n\n")
    assert lines[0] == "Plain **bold** and **explicit**"
    assert lines[1] == "Turned off or false"
    assert lines[2] == "Adjacent **bold** runs join"
    assert lines[3] == "Bold space   "


def test_automatic_numbers_count_per_list_and_level(tmp_path: Path) -> None:
    doc = docx(
        tmp_path / "unit.docx",
        para(run("First item"), level=0),
        para(run("its part"), level=1),
        para(run("another part"), level=1),
        para(run("Second item"), level=0),
        para(run("a fresh part"), level=1),
        para(run("Another list"), level=0, list_id="7"),
        para(run(""), level=0),  # an empty numbered paragraph is not counted
        para(run("Third item"), level=0),
    )
    lines = docx_text(doc).strip().split("\n\n")
    assert lines == [
        "1. First item",
        " a. its part",
        " b. another part",
        "2. Second item",
        " a. a fresh part",
        "1. Another list",
        "",
        "3. Third item",
    ]


def test_read_source_text_reads_plain_text_and_dispatches_by_suffix(tmp_path: Path) -> None:
    text = tmp_path / "unit.txt"
    text.write_text("Unit: ZZT 901 Tools\n", encoding="utf-8")
    assert read_source_text(text) == "Unit: ZZT 901 Tools\n"
    doc = docx(tmp_path / "UNIT.DOCX", para(run("From Word")))
    assert read_source_text(doc) == "From Word\n"


def test_a_missing_source_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError) as caught:
        read_source_text(tmp_path / "unit.txt")
    assert "no such file" in caught.value.message
    assert ".docx or .pdf" in caught.value.hint


def test_a_text_source_that_is_not_utf8_says_what_to_save_it_as(tmp_path: Path) -> None:
    path = tmp_path / "unit.txt"
    path.write_bytes("Unit: ZZT 901 Café tools\n".encode("cp1252"))
    with pytest.raises(UsageError) as caught:
        read_source_text(path)
    assert caught.value.message == f"{path}: not UTF-8 text"
    assert "save it as UTF-8" in caught.value.hint


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("unit.docx", b"PK\x03\x04 not really a zip"),
        ("unit.pdf", b"%PDF-1.4\nnothing else"),
    ],
)
def test_a_broken_document_is_a_usage_error_not_a_crash(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UsageError) as caught:
        read_source_text(path)
    assert caught.value.message.startswith(f"{path}: cannot be read:")
    assert caught.value.hint == "check the file opens"


def test_a_docx_whose_xml_is_broken_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "unit.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><unclosed>")
    with pytest.raises(UsageError, match="cannot be read"):
        read_source_text(path)


def test_a_docx_with_no_document_part_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "unit.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/other.xml", "<x/>")
    with pytest.raises(UsageError, match="cannot be read"):
        read_source_text(path)
