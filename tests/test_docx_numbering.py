"""Word documents as authors make them: Word's own numbering, list styles, tables.

Each document is written here as OOXML through zipfile, from the CPC 306 text the tests
already hold, in three shapes: numbers drawn by Word from ``word/numbering.xml`` (lists
restarted and set to a value as Word writes them), numbers from the "List Number"
styles, and the unit laid out as tables. Each must give the text import's ids.
"""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from cpc306_portfolio.errors import UsageError
from cpc306_portfolio.standard import load_standard
from cpc306_portfolio.standard.drafting import import_unit
from cpc306_portfolio.standard.importer import parse_unit_text
from cpc306_portfolio.standard.sources import docx_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SOURCE = Path(__file__).parent / "data" / "cpc306_source.txt"
_NUMBERED = re.compile(r"^\s*(?:-\s+)?(\d+)\.\s+(.*)$")
_LETTERED = re.compile(r"^\s+-\s+([a-z])\.\s+(.*)$")
_BULLET = re.compile(r"^-\s+(.*)$")


def runs(text: str) -> str:
    out = []
    for i, part in enumerate(text.split("**")):
        if part:
            bold = "<w:rPr><w:b/></w:rPr>" if i % 2 else ""
            out.append(f'<w:r>{bold}<w:t xml:space="preserve">{escape(part)}</w:t></w:r>')
    return "".join(out)


def paragraph(text: str, num: tuple[int, int] | None = None, style: str = "") -> str:
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{runs(text)}</w:p>"


def level(ilvl: int, fmt: str, text: str, start: int = 1) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


def package(path: Path, body: str, numbering: str = "", styles: str = "") -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>',
        )
        if numbering:
            archive.writestr(
                "word/numbering.xml", f'<w:numbering xmlns:w="{W}">{numbering}</w:numbering>'
            )
        if styles:
            archive.writestr("word/styles.xml", f'<w:styles xmlns:w="{W}">{styles}</w:styles>')
    return path


class _Lists:
    """Word's way: one w:num per list, a new one where a list restarts or skips a number."""

    def __init__(self) -> None:
        self.nums: list[str] = []
        self.expected: dict[str, int] = {}
        self.current: dict[str, int] = {}

    def num_for(self, kind: str, abstract: int, number: int) -> int:
        if self.expected.get(kind) != number:
            num_id = len(self.nums) + 1
            self.nums.append(
                f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>'
                f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{number}"/></w:lvlOverride>'
                "</w:num>"
            )
            self.current[kind] = num_id
        self.expected[kind] = number + 1
        return self.current[kind]


def _source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").splitlines()


def word_numbered(path: Path, with_styles: bool = False) -> Path:
    """Numbers from the numbering part; with ``with_styles``, through List Number styles."""
    lists = _Lists()
    body, knowledge = [], False
    bullets = 1000
    for line in _source_lines():
        if not line.strip():
            continue
        knowledge = knowledge or line.startswith("Knowledge specification")
        kind = "knowledge" if knowledge else "criteria"
        if (m := _LETTERED.match(line)) and knowledge:
            num = lists.current["knowledge"]
            style = "ListNumber2" if with_styles else ""
            body.append(paragraph(m.group(2), (num, 1), style))
        elif m := _NUMBERED.match(line):
            num = lists.num_for(kind, 0 if kind == "criteria" else 1, int(m.group(1)))
            if with_styles:
                # The style carries the list; a paragraph names a list only where it restarts.
                own = None if num == STYLE_NUM else (num, 0)
                body.append(paragraph(m.group(2), own, "ListNumber"))
            else:
                body.append(paragraph(m.group(2), (num, 0)))
        elif (m := _BULLET.match(line)) and knowledge:
            body.append(paragraph(m.group(1), (bullets, 0)))
        else:
            body.append(paragraph(line.strip()))
    numbering = (
        f'<w:abstractNum w:abstractNumId="0">{level(0, "decimal", "%1.")}</w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="1">{level(0, "decimal", "%1)")}'
        f"{level(1, 'lowerLetter', '(%2)')}</w:abstractNum>"
        f'<w:abstractNum w:abstractNumId="2">{level(0, "bullet", "•")}</w:abstractNum>'
        + "".join(lists.nums)
        + f'<w:num w:numId="{bullets}"><w:abstractNumId w:val="2"/></w:num>'
    )
    styles = ""
    if with_styles:
        styles = (
            '<w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/>'
            f'<w:pPr><w:numPr><w:numId w:val="{STYLE_NUM}"/></w:numPr></w:pPr></w:style>'
            '<w:style w:type="paragraph" w:styleId="ListNumber2">'
            '<w:name w:val="List Number 2"/><w:basedOn w:val="ListNumber"/></w:style>'
        )
    return package(path, "".join(body), numbering, styles)


STYLE_NUM = 1  # the first list Word makes is the one the List Number style names


def word_table(path: Path) -> Path:
    """Numbered lines as table rows: the number in the first cell, the words in the second."""
    body: list[str] = []
    rows: list[str] = []

    def cell(text: str) -> str:
        return f"<w:tc>{paragraph(text)}</w:tc>"

    def flush() -> None:
        if rows:
            body.append(f"<w:tbl>{''.join(rows)}</w:tbl>")
            rows.clear()

    for line in _source_lines():
        if not line.strip():
            continue
        if (m := _LETTERED.match(line)) or (m := _NUMBERED.match(line)):
            rows.append(f"<w:tr>{cell(m.group(1))}{cell(m.group(2))}</w:tr>")
        elif (m := _BULLET.match(line)) and rows:
            rows.append(f"<w:tr>{cell('')}{cell('- ' + m.group(1))}</w:tr>")
        else:
            flush()
            body.append(paragraph(line.strip()))
    flush()
    return package(path, "".join(body))


@pytest.fixture(scope="module")
def expected() -> tuple[list[str], list[str]]:
    unit = parse_unit_text(SOURCE.read_text(encoding="utf-8")).draft
    criteria = [c["id"] for e in unit["elements"] for c in e["criteria"]]
    ids = []
    for group in unit["knowledge"]["groups"]:
        for item in group["items"]:
            ids.append(item["id"])
            ids.extend(s["id"] for s in item.get("sub_items", []))
    assert (len(criteria), len(ids)) == (21, 23)
    return criteria, ids


@pytest.mark.parametrize(
    "make",
    [word_numbered, lambda p: word_numbered(p, with_styles=True), word_table],
    ids=["numbering-part", "list-number-styles", "tables"],
)
def test_cpc306_in_word_gives_the_text_import_s_ids(
    tmp_path: Path, make, expected: tuple[list[str], list[str]]
) -> None:
    doc = make(tmp_path / "cpc306.docx")
    out = tmp_path / "cpc306.yaml"
    import_unit(doc, out)
    unit = load_standard(out)
    assert list(unit.criteria) == expected[0]
    assert list(unit.knowledge_ids) == expected[1]
    assert unit.criteria["A2"].bold_terms[0].term == "risks"
    assert unit.knowledge_ids["K8e"] == "risk assessment and management"


def test_word_numbers_follow_the_definitions(tmp_path: Path) -> None:
    text = docx_text(word_numbered(tmp_path / "cpc306.docx"))
    assert "\n\n4. The importance of working" in text  # "%1)" set to 4: the source has no 3
    assert "\n\n a. procurement of services" in text  # "(%2)" read as the importer's "a."
    assert "\n\n- discrimination, rights" in text  # a bullet, not a number


def test_a_dotted_level_is_kept_as_a_sub_item(tmp_path: Path) -> None:
    numbering = (
        f'<w:abstractNum w:abstractNumId="0">{level(0, "decimal", "%1.")}'
        f"{level(1, 'decimal', '%1.%2')}</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    body = paragraph("rules", (1, 0)) + paragraph("blades", (1, 1)) + paragraph("wear", (1, 0))
    body += paragraph("handles", (1, 1))
    text = docx_text(package(tmp_path / "k.docx", body, numbering))
    assert text.split("\n\n") == ["1. rules", " 1.1 blades", "2. wear", " 2.1 handles\n"]


def test_deeply_nested_runs_read_in_linear_time(tmp_path: Path) -> None:
    def nested(depth: int) -> str:
        return (
            "<w:p>" + "<w:r><w:t>x</w:t>" * depth + "</w:r>" * depth + "</w:p>"
        )  # runs inside runs: not valid Word, but a file can say it

    small = package(tmp_path / "small.docx", nested(2_000))
    large = package(tmp_path / "large.docx", nested(20_000))
    started = time.perf_counter()
    assert docx_text(small).strip() == "x" * 2_000
    small_time = time.perf_counter() - started
    started = time.perf_counter()
    assert docx_text(large).strip() == "x" * 20_000
    assert time.perf_counter() - started < max(2.0, small_time * 40)


def test_deeply_nested_containers_are_refused_with_the_file_named(tmp_path: Path) -> None:
    body = "<w:sdt><w:sdtContent>" * 300 + paragraph("x") + "</w:sdtContent></w:sdt>" * 300
    doc = package(tmp_path / "deep.docx", body)
    with pytest.raises(UsageError, match=r"deep\.docx: its parts are nested more than 200"):
        docx_text(doc)


def test_a_table_with_sub_items_one_column_in(tmp_path: Path) -> None:
    def row(*cells: str) -> str:
        return "<w:tr>" + "".join(f"<w:tc>{paragraph(c)}</w:tc>" for c in cells) + "</w:tr>"

    table = "<w:tbl>" + row("8", "Legislation for:", "") + row("", "a", "procurement")
    table += row("", "b", "compliance") + row("", "8.3", "termination") + "</w:tbl>"
    text = docx_text(package(tmp_path / "t.docx", table))
    assert text.split("\n\n") == [
        "8. Legislation for:",
        " a. procurement",
        " b. compliance",
        " 8.3 termination\n",
    ]
