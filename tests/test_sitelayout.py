"""Units laid out as the standards site prints them today (pages of our own, fictional)."""

from __future__ import annotations

from pathlib import Path

from cpc306_portfolio.standard import Standard, load_standard
from cpc306_portfolio.standard.drafting import import_unit
from cpc306_portfolio.standard.importer import is_site_layout, parse_unit_text
from cpc306_portfolio.standard.placeholders import PLACEHOLDER

PAGE = """\
Run the loans desk of a community tool library

URN: ZZL101
Business Sectors (Suites): Community Tool Libraries
Developed by: Fictional Skills for Sharing
Approved on: 01 Feb 2026

Overview

This standard is about lending tools to members and taking them back.

It is for volunteers on the loans desk.

Performance criteria

You must be able to:

Lending tools
1. check the member's card before each loan
2. explain the loan period and what to do if a tool
   breaks while on loan
3. record the loan in the ledger
Taking tools back
4. inspect each tool for damage
5. log any repair the tool needs

Knowledge and understanding

You need to know and understand:

1. the library's rules for members
2. how tools wear, including:
2.1 blades and edges
2.2 handles and grips
3. the hazards of:
a. sharp edges
b. power tools
4. who to tell about a broken tool

Scope/range

Tools: hand tools; power tools; garden tools

Values

Treat every member with respect.

Glossary

Ledger: the book where every loan is written

Skills

Counting, Listening

Version Number\t1
Indicative Review Date\t01 Feb 2031
"""


def test_the_page_is_recognised_and_the_older_layout_is_not() -> None:
    assert is_site_layout(PAGE)
    older = (Path(__file__).parent / "data" / "cpc306_source.txt").read_text(encoding="utf-8")
    assert not is_site_layout(older)


def test_today_s_layout_gives_code_suite_owner_elements_and_criteria() -> None:
    result = parse_unit_text(PAGE)
    draft = result.draft
    assert draft["code"] == "ZZL101"
    assert draft["title"] == "Run the loans desk of a community tool library"
    assert draft["suite"] == "Community Tool Libraries"
    assert draft["developed_by"] == "Fictional Skills for Sharing"
    assert draft["about"].startswith("This standard is about lending tools")
    shape = [(e["id"], e["title"], [c["id"] for c in e["criteria"]]) for e in draft["elements"]]
    assert shape == [
        ("A", "Lending tools", ["A1", "A2", "A3"]),
        ("B", "Taking tools back", ["B4", "B5"]),
    ]
    texts = {c["id"]: c["text"] for e in draft["elements"] for c in e["criteria"]}
    assert texts["A2"] == "explain the loan period and what to do if a tool breaks while on loan"
    assert draft["values"] == "Treat every member with respect."
    assert [k["term"] for k in draft["key_words"]] == ["Ledger"]
    assert [c["id"] for c in draft["scope"]] == ["tools"]
    assert any(
        n.message == "section 'Skills' is not part of a unit: left out" for n in result.notes
    )


def test_knowledge_keeps_dotted_and_lettered_sub_items() -> None:
    unit = Standard.model_validate(parse_unit_text(PAGE).draft)
    assert unit.knowledge.intro == "You need to know and understand:"
    [group] = unit.knowledge.groups
    assert group.title == "Knowledge and understanding"
    assert list(unit.knowledge_ids) == [
        "K1", "K2", "K2_1", "K2_2", "K3", "K3a", "K3b", "K4",
    ]  # fmt: skip
    assert unit.knowledge_ids["K2_2"] == "handles and grips"


def test_labels_with_values_on_the_next_line_and_no_sub_heading(tmp_path: Path) -> None:
    page = PAGE.replace("URN: ZZL101", "URN\nZZL101").replace("Lending tools\n", "")
    page = page.replace("Developed by: Fictional Skills for Sharing\n", "")
    result = parse_unit_text(page)
    assert result.draft["code"] == "ZZL101"
    assert "developed_by" not in result.draft
    first = result.draft["elements"][0]
    assert first["title"] == "Run the loans desk of a community tool library"
    assert any("criteria before any sub-heading" in n.message for n in result.notes)
    source = tmp_path / "page.txt"
    source.write_text(page, encoding="utf-8")
    report = import_unit(source, tmp_path / "zzl101.yaml")
    assert (report.code, report.criteria, report.knowledge) == ("ZZL101", 5, 8)
    assert load_standard(tmp_path / "zzl101.yaml").developed_by == ""


def test_a_page_with_no_urn_gets_a_marked_code() -> None:
    page = PAGE.replace("URN: ZZL101\n", "")
    result = parse_unit_text(page)
    assert result.draft["code"].startswith(PLACEHOLDER)
    assert parse_unit_text(page, code="ZZL 101").draft["code"] == "ZZL 101"


def test_the_older_layout_keeps_a_dotted_line_as_a_sub_item_not_a_group() -> None:
    text = (
        "ZZT 901 Tools\n\nKnowledge specification\n\n"
        "You need to show that you know:\n\nLending\n\n"
        "1. How tools wear\n2. What members agree to, including:\n"
        "2.8 consent to the loan terms\n3. Safe storage\n"
        "a wrapped end of the storage item\n"
    )
    result = parse_unit_text(text)
    [group] = result.draft["knowledge"]["groups"]
    assert group["title"] == "Lending"
    k2, k3 = group["items"][1:]
    assert k2["sub_items"] == [{"id": "K2_8", "text": "consent to the loan terms"}]
    assert k3["text"] == "Safe storage a wrapped end of the storage item"
