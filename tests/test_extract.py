"""The text of an attachment for the scan: every part of a Word file, locked PDFs, bad bytes."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

from cpc306_portfolio.confidentiality import extract
from cpc306_portfolio.confidentiality.extract import extract_text, iter_text
from cpc306_portfolio.confidentiality.scan import scan_file
from cpc306_portfolio.errors import AttachmentError, UnsafeFileError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _part(*paragraphs: str) -> str:
    body = "".join(f"<w:p>{p}</w:p>" for p in paragraphs)
    return f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'


def _docx(path: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return path


def _pdf(path: Path, *, user_password: str | None) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if user_password is not None:
        writer.encrypt(user_password=user_password, owner_password="centre-owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_a_docx_is_read_in_every_part_a_reader_sees(tmp_path: Path) -> None:
    doc = _docx(
        tmp_path / "letter.docx",
        {
            "word/document.xml": _part(
                "<w:r><w:t>Body text</w:t><w:tab/><w:t>after a tab</w:t></w:r>"
            ),
            "word/header1.xml": _part("<w:r><w:t>Re: Edith Marlowe</w:t></w:r>"),
            "word/footer2.xml": _part("<w:r><w:t>LS1 4AP</w:t></w:r>"),
            "word/comments.xml": _part("<w:r><w:t>call 07700 900123</w:t></w:r>"),
            "word/footnotes.xml": _part("<w:r><w:t>line</w:t><w:br/><w:t>break</w:t></w:r>"),
            "word/styles.xml": _part("<w:r><w:t>NOT SHOWN</w:t></w:r>"),
        },
    )
    text = extract_text(doc)
    assert text is not None
    for expected in ("Body text\tafter a tab", "Re: Edith Marlowe", "LS1 4AP", "07700 900123"):
        assert expected in text
    assert "line\nbreak" in text
    assert "NOT SHOWN" not in text
    kinds = sorted(f.kind for f in scan_file(doc, record="E001", keep_out=["Edith Marlowe"]))
    assert kinds == ["listed_name", "phone", "postcode"]


def test_a_docx_part_too_large_to_scan_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(extract, "_DOCX_MAX_BYTES", 100)
    doc = _docx(tmp_path / "big.docx", {"word/document.xml": _part("<w:r><w:t>x</w:t></w:r>" * 20)})
    with pytest.raises(AttachmentError) as caught:
        extract_text(doc)
    [problem] = caught.value.problems
    assert "word/document.xml is too large to scan" in problem.message
    assert "plain-text copy" in caught.value.hint


def test_a_password_protected_pdf_cannot_be_scanned_and_says_what_to_attach(tmp_path: Path):
    pdf = _pdf(tmp_path / "locked.pdf", user_password="learner-secret")
    with pytest.raises(AttachmentError) as caught:
        extract_text(pdf)
    assert "password protected" in caught.value.problems[0].message
    assert caught.value.problems[0].path == str(pdf)
    assert caught.value.hint == "attach a copy without a password"


def test_a_pdf_locked_only_against_editing_is_read(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "owner-only.pdf", user_password="")
    assert extract_text(pdf) == ""


def test_a_corrupt_docx_is_an_attachment_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 but not a zip at all")
    with pytest.raises(AttachmentError) as caught:
        extract_text(bad)
    assert caught.value.problems[0].path == str(bad)
    assert "cannot read the text of this attachment" in caught.value.problems[0].message


def test_iter_text_streams_plain_text_and_warns_once_about_bad_bytes(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(extract, "read_chunks", _chunked(4))
    path = tmp_path / "notes.txt"
    path.write_bytes(b"\xef\xbb\xbfab\xffcd\xfeef")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pieces = list(iter_text(path))
    assert "".join(pieces) == "ab\ufffdcd\ufffdef"  # the byte-order mark is dropped
    assert len(pieces) > 2
    [warning] = caught
    assert issubclass(warning.category, UnicodeWarning)
    # Streamed, the warning names the piece the first bad byte is in (here byte 5, in 4..7).
    assert "notes.txt: not valid UTF-8 (from byte 4)" in str(warning.message)


def test_a_replacement_character_already_in_the_file_is_not_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("already \ufffd here", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "".join(iter_text(path)) == "already \ufffd here"


def test_iter_text_gives_other_formats_whole_and_images_nothing(tmp_path: Path) -> None:
    doc = _docx(tmp_path / "a.docx", {"word/document.xml": _part("<w:r><w:t>hello</w:t></w:r>")})
    assert list(iter_text(doc)) == ["hello"]
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert list(iter_text(image)) == []
    assert extract_text(image) is None


def test_a_missing_text_attachment_is_an_attachment_error(tmp_path: Path) -> None:
    with pytest.raises(AttachmentError) as caught:
        list(iter_text(tmp_path / "gone.txt"))
    assert "cannot be read" in caught.value.problems[0].message
    assert caught.value.hint == "check the file's permissions"


def test_a_linked_attachment_is_refused_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("NHS 943 476 5919")
    link = tmp_path / "notes.txt"
    link.symlink_to(secret)
    with pytest.raises(UnsafeFileError):
        list(iter_text(link, tmp_path))


def _chunked(size: int):
    def read_chunks(path: Path, root: Path | None = None, chunk: int = 0):
        data = path.read_bytes()
        for i in range(0, len(data), size):
            yield data[i : i + size]

    return read_chunks
