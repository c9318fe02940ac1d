"""PDFs written by hand here: wrapped lines, bold headings, two columns, broken pages.

A PDF keeps no paragraphs, only text at positions. The reader joins lines by where they
sit, so a wrapped item stays whole and a group title stays a title.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from cpc306_portfolio.errors import UsageError
from cpc306_portfolio.standard.drafting import import_unit
from cpc306_portfolio.standard.importer import parse_unit_text
from cpc306_portfolio.standard.pdf import pdf_text
from cpc306_portfolio.standard.sources import read_source_text
from tools.pdf_writer import pdf_file, pdf_string

SOURCE = Path(__file__).parent / "data" / "cpc306_source.txt"
Placed = tuple[float, float, str, str]  # x, y, font (F1 plain, F2 bold), text


def esc(text: str) -> str:
    text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("–", "-")
    return pdf_string(text)


def pdf(pages: list[list[Placed]], contents: list[str | None] | None = None) -> bytes:
    """A PDF of the pages, each text at its place (Helvetica and Helvetica-Bold, 9 pt)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    fonts = len(objects) + 1
    objects += [
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
    ]
    for n, placed in enumerate(pages):
        stream = (contents or [])[n] if contents and n < len(contents) else None
        if stream is None:
            stream = " ".join(
                f"BT /{font} 9 Tf 1 0 0 1 {x:.1f} {y:.1f} Tm ({esc(text)}) Tj ET"
                for x, y, font, text in placed
            )
        objects.append(
            f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream"
        )
        content = len(objects)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R "
            f"/Resources << /Font << /F1 {fonts} 0 R /F2 {fonts + 1} 0 R >> >> >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    return pdf_file(objects)


_HEADING = re.compile(r"^(?![-\d])(?!.*[.:;,]$).{1,80}$")


def laid_out(text: str, width: int = 90) -> list[list[Placed]]:
    """The text as printed pages: long lines wrapped, headings bold, a gap per blank line."""
    pages: list[list[Placed]] = [[]]
    y = 800.0
    for raw in text.splitlines():
        line = raw.replace("**", "").strip()
        if not line:
            y -= 6  # paragraph spacing
            continue
        font = "F2" if _HEADING.match(line) else "F1"
        indent = 40.0 + (12 if raw.startswith(" ") else 0)
        for n, part in enumerate(textwrap.wrap(line, width)):
            if y < 40:
                pages.append([])
                y = 800.0
            pages[-1].append((indent + (10 if n else 0), y, font, part))
            y -= 11
    return pages


def knowledge_texts(text: str) -> dict[str, str]:
    draft = parse_unit_text(text).draft
    out = {}
    for group in draft["knowledge"]["groups"]:
        for item in group["items"]:
            out[item["id"]] = item["text"]
            out.update({s["id"]: s["text"] for s in item.get("sub_items", [])})
    return out


def test_cpc306_as_a_pdf_gives_the_knowledge_the_text_gives(tmp_path: Path) -> None:
    source = SOURCE.read_text(encoding="utf-8")
    path = tmp_path / "cpc306.pdf"
    path.write_bytes(pdf(laid_out(source)))
    read = read_source_text(path)
    expected = knowledge_texts(source)
    got = knowledge_texts(read)
    assert got.keys() == expected.keys()
    for kid, text in expected.items():
        # Helvetica's standard encoding draws ' as a right quote, and pypdf reads it so.
        assert got[kid].replace("’", "'") == esc(text).replace("\\", ""), kid
    titles = [g["title"] for g in parse_unit_text(read).draft["knowledge"]["groups"]]
    assert titles == [g["title"] for g in parse_unit_text(source).draft["knowledge"]["groups"]]
    report = import_unit(path, tmp_path / "cpc306.yaml")
    assert (report.criteria, report.knowledge) == (21, 23)


TWO_COLUMNS_LEFT = [
    "ZZP 700 Run a fictional seed swap",
    "ZZP 700 A Take seeds in",
    "Performance criteria",
    "1. Label each packet with the plant, the year it was saved and the",
    "   name of the grower",
    "2. Store packets dry and cool",
]
TWO_COLUMNS_RIGHT = [
    "Knowledge specification",
    "You need to show that you know:",
    "Seeds",
    "1. How long seeds of common vegetables stay able to grow, and why",
    "   Brassicas differ",
    "2. How damp spoils stored seed",
]


def two_columns() -> list[Placed]:
    placed: list[Placed] = []
    # Written row by row, as some tools do: the reader must still read column by column.
    for row in range(max(len(TWO_COLUMNS_LEFT), len(TWO_COLUMNS_RIGHT))):
        y = 780 - row * 11
        for x, lines in ((40.0, TWO_COLUMNS_LEFT), (320.0, TWO_COLUMNS_RIGHT)):
            if row < len(lines):
                text = lines[row]
                wrapped = text.startswith(" ")  # a wrapped end keeps its item's font
                heading = _HEADING.match(text) and "ZZP" not in text and not wrapped
                font = "F2" if heading else "F1"
                placed.append((x + (10 if text.startswith(" ") else 0), y, font, text.strip()))
    return placed


def test_a_two_column_page_is_read_column_by_column(tmp_path: Path) -> None:
    path = tmp_path / "two.pdf"
    path.write_bytes(pdf([two_columns()]))
    lines = [line for line in pdf_text(path).splitlines() if line]
    assert lines.index("**Knowledge specification**") > lines.index("2. Store packets dry and cool")
    assert (
        "1. Label each packet with the plant, the year it was saved and the name of the grower"
        in lines
    )
    # A wrapped end that starts with a capital stays in its item: it is no group title.
    assert "1. How long seeds of common vegetables stay able to grow, and why Brassicas differ" in (
        lines
    )


def test_a_page_whose_text_cannot_be_read_is_named(tmp_path: Path) -> None:
    good = [(40.0, 780.0, "F1", "A page that reads")]
    path = tmp_path / "broken.pdf"
    broken = "BT /F1 9 Tf 1 0 0 1 40 780 Tm <zz> Tj ET"  # a hex string that is not hex
    path.write_bytes(pdf([good, good], contents=[None, broken]))
    with pytest.raises(UsageError) as caught:
        pdf_text(path)
    assert caught.value.message.startswith(f"{path}: page 2: its text cannot be read")


def test_a_file_that_is_not_a_pdf_is_refused_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "not.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n%%EOF\n")
    with pytest.raises(UsageError, match=r"not\.pdf: cannot be read"):
        read_source_text(path)


def test_a_page_with_no_text_is_noted_by_number(tmp_path: Path) -> None:
    source = SOURCE.read_text(encoding="utf-8")
    pages = laid_out(source)
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf([pages[0], [], *pages[1:]]))
    report = import_unit(path, tmp_path / "scan.yaml")
    assert report.criteria == 21
    [note] = [n for n in report.notes if "page 2" in n.message]
    assert note.message.startswith("page 2 has no text (an image of a page?)")
    assert "page 2 has no text" in (tmp_path / "scan.yaml").read_text(encoding="utf-8")
