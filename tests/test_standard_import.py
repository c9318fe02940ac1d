"""``cpc306 standard import``: a unit's published text, .docx or Mahara .matrix, to a draft.

Imported from the CPC 306 source, every SOURCE field must equal the hand-encoded
``cpc306.yaml``'s; a unit text written only for this file imports to a draft that loads
with the right ids and texts; a Mahara export imports back to the same ids.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from cpc306_portfolio.errors import UsageError
from cpc306_portfolio.standard import Standard, load_standard
from cpc306_portfolio.standard.drafting import import_unit
from cpc306_portfolio.standard.importer import parse_unit_text
from cpc306_portfolio.standard.mahara import parse_matrix, to_matrix
from cpc306_portfolio.standard.placeholders import PLACEHOLDER
from cpc306_portfolio.standard.sources import docx_text
from tools.pdf_writer import pdf_file, pdf_string

from .conftest import run_cli

DATA = Path(__file__).parent / "data"
CPC_SOURCE = DATA / "cpc306_source.txt"
GLS_SOURCE = DATA / "unit_sources" / "gls218_source.txt"
UNITS = DATA / "units"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Standard:
    out = tmp_path_factory.mktemp("import") / "cpc306-draft.yaml"
    import_unit(CPC_SOURCE, out)
    return load_standard(out)


@pytest.fixture(scope="module")
def cpc306() -> Standard:
    return load_standard("CPC 306")


def test_every_source_text_field_is_reproduced(imported: Standard, cpc306: Standard) -> None:
    for name in (
        "code",
        "title",
        "suite",
        "key_purpose",
        "about",
        "scope_intro",
        "values",
        "key_words_intro",
    ):
        assert getattr(imported, name) == getattr(cpc306, name), name
    assert imported.knowledge.intro == cpc306.knowledge.intro


def test_elements_criteria_and_bold_terms_are_reproduced(
    imported: Standard, cpc306: Standard
) -> None:
    assert [(e.id, e.title) for e in imported.elements] == [
        (e.id, e.title) for e in cpc306.elements
    ]
    assert {c: x.text for c, x in imported.criteria.items()} == {
        c: x.text for c, x in cpc306.criteria.items()
    }
    for cid, crit in cpc306.criteria.items():
        ours = imported.criteria[cid]
        assert [t.term for t in ours.bold_terms] == [t.term for t in crit.bold_terms], cid
        for mine, theirs in zip(ours.bold_terms, crit.bold_terms, strict=True):
            # A link the source makes by name is the hand-encoded one; the rest are
            # readings a person adds (and the importer reports).
            mapped = [imported.scope_categories[c].heading for c in mine.scope]
            wanted = [cpc306.scope_categories[c].heading for c in theirs.scope]
            assert set(mapped) <= set(wanted), (cid, mine.term)
            if mine.key_word:
                assert mine.key_word == theirs.key_word, (cid, mine.term)
    links = {(c, t.term) for c, x in imported.criteria.items() for t in x.bold_terms if t.scope}
    assert ("A2", "risks") in links and ("B4", "evidence") in links
    assert ("A3", "explanation") in links  # "Provide an explanation" names it


def test_scope_and_key_words_are_reproduced(imported: Standard, cpc306: Standard) -> None:
    def by_heading(std: Standard) -> list[tuple[str | None, list[str]]]:
        return [(c.heading, [o.label for o in c.options]) for c in std.scope]

    assert by_heading(imported) == by_heading(cpc306)
    for cat in imported.scope:
        if cat.heading:
            assert cat.label == cat.heading
        else:
            assert cat.label.startswith(PLACEHOLDER)
    assert [(k.id, k.term, k.definition) for k in imported.key_words] == [
        (k.id, k.term, k.definition) for k in cpc306.key_words
    ]


def test_knowledge_is_reproduced_with_its_gaps(imported: Standard, cpc306: Standard) -> None:
    assert imported.knowledge_ids == cpc306.knowledge_ids
    assert [(g.title, [i.id for i in g.items]) for g in imported.knowledge.groups] == [
        (g.title, [i.id for i in g.items]) for g in cpc306.knowledge.groups
    ]
    assert "K3" not in imported.knowledge_ids and "K9" not in imported.knowledge_ids


def test_ours_fields_are_marked_placeholders(imported: Standard) -> None:
    for crit in imported.criteria.values():
        assert crit.explanation.startswith(PLACEHOLDER)
        assert all(p.startswith(PLACEHOLDER) for p in crit.prompts)
        assert all(t.startswith(PLACEHOLDER) for t in crit.typical_evidence)
    assert imported.assessment_strategy.notes[0].startswith(PLACEHOLDER)


def test_what_could_not_be_placed_is_reported_with_its_line() -> None:
    result = parse_unit_text(CPC_SOURCE.read_text(encoding="utf-8"))
    notes = [str(n) for n in result.notes]
    lines = CPC_SOURCE.read_text(encoding="utf-8").splitlines()
    unheaded = next(n for n in result.notes if "no heading" in n.message)
    assert unheaded.line is not None
    assert lines[unheaded.line - 1].startswith("Directly to those concerned")
    joined = next(n for n in result.notes if "joined to K1" in n.message)
    assert lines[joined.line - 1].startswith("- discrimination")
    assert any("K3, K9" in n for n in notes)
    assert any("'directing their own support'" in n for n in notes)


def test_a_unit_text_never_seen_imports_to_a_draft_that_loads(tmp_path: Path) -> None:
    out = tmp_path / "gls.yaml"
    report = import_unit(GLS_SOURCE, out)
    unit = load_standard(out)
    assert (unit.code, unit.title, unit.suite) == (
        "GLS 218",
        "Look after the glass collection of a small museum",
        "Museum Practice",
    )
    assert unit.key_purpose.startswith("Care for collections")
    assert list(unit.criteria) == ["A1", "A2", "A3", "B4", "B5", "B6"]  # numbered on
    assert unit.criteria["B5"].text == (
        "Inspect objects for crizzling and other signs of deterioration"
    )
    assert [t.term for t in unit.criteria["A2"].bold_terms] == ["supports"]
    assert unit.criteria["A2"].bold_terms[0].scope == ["supports"]
    assert unit.criteria["B4"].bold_terms[0].scope == ["conditions"]
    assert unit.criteria["B5"].bold_terms[0].key_word == "crizzling"
    assert [o.label for o in unit.scope_categories["supports"].options] == [
        "padded trays",
        "fitted boxes",
        "open shelving with lips",
    ]
    assert list(unit.knowledge_ids) == ["K1", "K2", "K4", "K5", "K5a", "K5b", "K5c", "K6"]
    assert unit.knowledge_ids["K5"] == "The signs of deterioration in glass:"
    assert unit.knowledge_ids["K5b"] == "weeping"
    assert [g.title for g in unit.knowledge.groups] == ["Handling", "Condition"]
    assert report.criteria == 6 and report.code == "GLS 218"
    assert any("K3" in str(n) for n in report.notes)


def test_import_refuses_to_overwrite_and_the_cli_lists_what_to_check(tmp_path: Path) -> None:
    out = tmp_path / "unit.yaml"
    out.write_text("mine\n")
    with pytest.raises(UsageError):
        import_unit(GLS_SOURCE, out)
    assert out.read_text() == "mine\n"
    shown = run_cli("standard", "import", CPC_SOURCE, "-o", out, "--force")
    assert "CPC 306, 21 criteria" in shown
    assert f"{CPC_SOURCE}: line 27: scope paragraph with no heading" in shown
    assert out.read_text().startswith("# A unit drafted by `cpc306 standard import`")


def _docx(path: Path, paragraphs: list[tuple[str, list[tuple[str, bool]], int | None]]) -> None:
    """A minimal Word document: (style, runs of (text, bold), list level or None)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = []
    for _style, runs, level in paragraphs:
        ppr = (
            f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="7"/></w:numPr></w:pPr>'
            if level is not None
            else ""
        )
        rs = "".join(
            f"<w:r>{'<w:rPr><w:b/></w:rPr>' if bold else ''}"
            f'<w:t xml:space="preserve">{text}</w:t></w:r>'
            for text, bold in runs
        )
        body.append(f"<w:p>{ppr}{rs}</w:p>")
    xml = f'<w:document xmlns:w="{w}"><w:body>{"".join(body)}</w:body></w:document>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", xml)


def test_a_word_document_reads_with_its_bold_terms_and_numbering(tmp_path: Path) -> None:
    doc = tmp_path / "unit.docx"
    text = GLS_SOURCE.read_text(encoding="utf-8")
    paragraphs: list[tuple[str, list[tuple[str, bool]], int | None]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        level: int | None = None
        if stripped[:2] in {"1.", "2.", "3.", "4.", "5.", "6."}:
            stripped, level = stripped[3:], 0
        runs = [(part, i % 2 == 1) for i, part in enumerate(stripped.split("**")) if part]
        paragraphs.append(("", runs, level))
    _docx(doc, paragraphs)
    read = docx_text(doc)
    assert "2. Carry one object at a time using suitable **supports**" in read
    out = tmp_path / "from-word.yaml"
    import_unit(doc, out)
    unit = load_standard(out)
    assert unit.criteria["A2"].bold_terms[0].term == "supports"
    # One Word list numbers on across both elements, as the text prints them.
    assert list(unit.criteria) == ["A1", "A2", "A3", "B4", "B5", "B6"]


@pytest.mark.parametrize("unit_file", ["cpc306", "hvm112.yaml", "tdw407.yaml", "sgx035.yaml"])
def test_mahara_export_then_import_gives_back_the_same_ids(tmp_path: Path, unit_file: str) -> None:
    unit = load_standard("CPC 306" if unit_file == "cpc306" else UNITS / unit_file)
    matrix = tmp_path / "unit.matrix"
    run_cli("standard", "export", unit.source_path, "-o", matrix)
    data = json.loads(matrix.read_text(encoding="utf-8"))
    framework = data["framework"]
    assert {"name", "description", "standards", "standardelements"} <= set(framework)
    for entry in framework["standardelements"]:
        assert {"shortname", "name", "description", "standardid", "elementid"} <= set(entry)
        assert len(entry["name"]) <= 255
    assert parse_matrix(data).draft["code"] == unit.code

    back = tmp_path / "back.yaml"
    import_unit(matrix, back)
    again = load_standard(back)
    assert again.code == unit.code and again.title == unit.title
    assert [e.id for e in again.elements] == [e.id for e in unit.elements]
    assert {c: x.text for c, x in again.criteria.items()} == {
        c: x.text for c, x in unit.criteria.items()
    }
    assert again.knowledge_ids == unit.knowledge_ids
    parents = {s.id: i.id for g in again.knowledge.groups for i in g.items for s in i.sub_items}
    assert parents == {
        s.id: i.id for g in unit.knowledge.groups for i in g.items for s in i.sub_items
    }
    assert to_matrix(again)["framework"]["standardelements"] == framework["standardelements"]


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF holding ``lines`` as text, written by hand (no PDF writer needed)."""
    body = "BT /F1 9 Tf 11 TL 30 810 Td " + " ".join(f"({pdf_string(x)}) Tj T*" for x in lines)
    body += " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(body.encode('latin-1'))} >>\nstream\n{body}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_file(objects)


def test_a_pdf_reads_through_pypdf_into_the_same_ids(tmp_path: Path) -> None:
    lines = GLS_SOURCE.read_text(encoding="utf-8").replace("**", "").splitlines()
    pdf = tmp_path / "unit.pdf"
    pdf.write_bytes(_pdf(lines))
    out = tmp_path / "from-pdf.yaml"
    report = import_unit(pdf, out)
    unit = load_standard(out)
    assert list(unit.criteria) == ["A1", "A2", "A3", "B4", "B5", "B6"]
    assert list(unit.knowledge_ids) == ["K1", "K2", "K4", "K5", "K5a", "K5b", "K5c", "K6"]
    # A PDF keeps no blank lines, but each "Heading: options" line is still its own category.
    assert list(unit.scope_categories) == ["supports", "conditions"]
    # Bold is lost in PDF text: no term is linked, and the draft says where to look.
    assert not any(c.bold_terms for c in unit.criteria.values())
    assert report.code == "GLS 218"
