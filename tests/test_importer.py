"""The unit importer on a source laid out unlike CPC 306: what it places, and every note it owes."""

from __future__ import annotations

import pytest

from cpc306_portfolio.standard import Standard
from cpc306_portfolio.standard.importer import ImportNote, parse_unit_text
from cpc306_portfolio.standard.placeholders import PLACEHOLDER

SOURCE = """\
Unit: ZZT 901 Keep a fictional tool library in order (Tool Libraries)

Key Purpose

The purpose is to: "Lend tools that work"

Elements of competence

ZZT 901 A Lend tools
ZZT 901 B Repair tools
ZZT 901 C Retire tools
Nonsense line here

About this unit

About the tool library.

Scope

Options below.

Condition: worn; broken; or rusty.

Evidence: loan slips; repair logs

Quietly; by phone

Key words and concepts

Intro to key words.

Loan terms: how long a borrower may keep a tool

Stray paragraph with no colon

ZZT 901 A Lend tools

You need to show that you:

1. Check each tool's **condition** before lending
2. Explain the **loan terms** to each
borrower in plain words
3. Record the **deposit** taken
45 stray numbers

ZZT 901 B Repair tools

P1 Log each repair

Knowledge specification for the whole of this unit

You need to show that you know, understand and can apply in practice:

Tools

1. How tools wear
2. Safe storage:
 a. dry
 b. locked
- the rest of item two
5. Who repairs what

Empty group

This long sentence ends with a full stop and is not a heading of any group at all.
"""


def line_of(text: str) -> int:
    """The line number of the first source line holding ``text``."""
    return next(i for i, line in enumerate(SOURCE.splitlines(), 1) if text in line)


@pytest.fixture(scope="module")
def result():
    return parse_unit_text(SOURCE)


def notes(result) -> dict[str, int | None]:
    return {n.message: n.line for n in result.notes}


def test_the_title_line_gives_code_title_and_suite(result) -> None:
    draft = result.draft
    assert (draft["code"], draft["title"], draft["suite"]) == (
        "ZZT 901",
        "Keep a fictional tool library in order",
        "Tool Libraries",
    )
    assert draft["key_purpose"] == "Lend tools that work"
    assert draft["about"] == "About the tool library."
    assert draft["scope_intro"] == "Options below."
    assert draft["key_words_intro"] == "Intro to key words."


def test_criteria_keep_their_printed_numbers_and_a_p_number_is_kept_as_it_is(result) -> None:
    elements = result.draft["elements"]
    assert [(e["id"], e["title"]) for e in elements] == [("A", "Lend tools"), ("B", "Repair tools")]
    assert [c["id"] for c in elements[0]["criteria"]] == ["A1", "A2", "A3"]
    assert [c["id"] for c in elements[1]["criteria"]] == ["P1"]


def test_a_criterion_broken_over_two_lines_is_joined_and_the_join_noted(result) -> None:
    a2 = result.draft["elements"][0]["criteria"][1]
    assert a2["text"] == "Explain the loan terms to each borrower in plain words"
    assert notes(result)["joined to A2 as the rest of its text"] == line_of("borrower in plain")


def test_a_stray_numbered_line_is_not_placed_and_says_where(result) -> None:
    assert notes(result)["not placed in element A: '45 stray numbers'"] == line_of("45 stray")


def test_bold_terms_link_to_scope_headings_and_key_words_or_are_noted(result) -> None:
    a1, a2, a3 = result.draft["elements"][0]["criteria"]
    assert a1["bold_terms"] == [{"term": "condition", "scope": ["condition"]}]
    assert a2["bold_terms"] == [{"term": "loan terms", "scope": [], "key_word": "loan_terms"}]
    assert a3["bold_terms"] == [{"term": "deposit", "scope": []}]
    message = "bold term 'deposit' in A3 names no scope category or key word: link it by hand"
    assert notes(result)[message] == line_of("**deposit**")


def test_scope_options_lose_list_punctuation_and_an_unheaded_paragraph_is_named(result):
    scope = {c["id"]: c for c in result.draft["scope"]}
    assert [o["label"] for o in scope["condition"]["options"]] == ["worn", "broken", "rusty"]
    unheaded = scope["unheaded_1"]
    assert unheaded["heading"] is None
    assert unheaded["label"].startswith(PLACEHOLDER)
    assert [o["id"] for o in unheaded["options"]] == ["quietly", "by_phone"]
    message = (
        "scope paragraph with no heading: named 'unheaded_1'; give it an id and label that "
        "explain themselves"
    )
    assert notes(result)[message] == line_of("Quietly; by phone")


def test_a_scope_category_called_evidence_becomes_the_kinds_of_evidence(result) -> None:
    assert result.draft["evidence_kind_category"] == "evidence"
    assert "scope category 'evidence' taken as the kinds of evidence (ours)" in notes(result)


def test_knowledge_keeps_gaps_sub_items_and_joins_a_stray_bullet(result) -> None:
    [group] = result.draft["knowledge"]["groups"]
    assert group["title"] == "Tools"
    assert [i["id"] for i in group["items"]] == ["K1", "K2", "K5"]
    k2 = group["items"][1]
    assert k2["text"] == "Safe storage: the rest of item two"
    assert k2["sub_items"] == [{"id": "K2a", "text": "dry"}, {"id": "K2b", "text": "locked"}]
    found = notes(result)
    assert found["the source prints no knowledge item K3, K4: kept as a gap"] is None
    assert found["knowledge group 'Empty group' has no items; dropped"] is None
    assert found["joined to K2 as the rest of its text"] == line_of("- the rest of item two")
    placed = "not placed in the knowledge specification: 'This long sentence"
    assert any(m.startswith(placed) for m in found)


def test_lines_the_element_list_and_key_words_cannot_read_are_noted(result) -> None:
    found = notes(result)
    assert found["not an element line (ID Title): 'Nonsense line here'"] == line_of("Nonsense")
    message = "not a 'Term: definition' paragraph: 'Stray paragraph with no colon'"
    assert found[message] == line_of("Stray paragraph")
    assert found["element C is listed but prints no criteria"] is None


def test_the_draft_is_a_unit_once_validated_with_every_ours_field_a_placeholder(result):
    unit = Standard.model_validate(result.draft)
    assert list(unit.criteria) == ["A1", "A2", "A3", "P1"]
    for crit in unit.criteria.values():
        assert crit.explanation.startswith(PLACEHOLDER)
        assert all(p.startswith(PLACEHOLDER) for p in crit.prompts)
    assert any(n.startswith(PLACEHOLDER) for n in unit.assessment_strategy.notes)


def test_a_criterion_printed_twice_keeps_only_the_second() -> None:
    text = SOURCE.replace("45 stray numbers", "3. Record the loan in the ledger")
    result = parse_unit_text(text)
    assert any("criterion A3 printed twice" in n.message for n in result.notes)
    criteria = result.draft["elements"][0]["criteria"]
    assert [c["id"] for c in criteria] == ["A1", "A2", "A3"]
    assert criteria[-1]["text"] == "Record the loan in the ledger"


def test_a_text_with_no_title_line_gets_placeholders_and_says_so() -> None:
    result = parse_unit_text("Just some words\nmore words\n\nKey Purpose\n\nTo lend tools.\n")
    assert result.draft["code"] == f"{PLACEHOLDER} the unit's code"
    assert result.draft["title"] == f"{PLACEHOLDER} title"
    assert result.draft["key_purpose"] == "To lend tools."
    assert ImportNote(1, "not a title line (CODE Title (Suite)): 'Just some words'") in result.notes
    assert ImportNote(None, "no title line: write code and title by hand") in result.notes
    assert ImportNote(None, "no element with performance criteria was found") in result.notes


def test_knowledge_with_no_intro_line_is_noted_where_the_section_begins() -> None:
    result = parse_unit_text("ZZT 901 Tools\n\nKnowledge specification\n\n1. How tools wear\n")
    message = "no 'You need to show that you know' line: the knowledge intro was not found"
    assert ImportNote(4, message) in result.notes  # the first line after the heading
    assert result.draft["knowledge"] == {"intro": "", "groups": []}


def test_knowledge_before_any_group_heading_gets_a_placeholder_group() -> None:
    text = (
        "ZZT 901 Tools\n\nKnowledge specification\n\n"
        "You need to show that you know:\n\nK1: How tools wear\nK2. Safe storage\n"
    )
    result = parse_unit_text(text)
    [group] = result.draft["knowledge"]["groups"]
    assert group["title"].startswith(PLACEHOLDER)
    assert [(i["id"], i["text"]) for i in group["items"]] == [
        ("K1", "How tools wear"),
        ("K2", "Safe storage"),
    ]
    assert ImportNote(7, "knowledge items before any group heading") in result.notes


def test_a_scope_paragraph_with_no_options_is_noted_not_kept() -> None:
    result = parse_unit_text("ZZT 901 Tools\n\nScope\n\nCondition: ;\n\nValues\n\nBe kind.\n")
    assert result.draft["scope"] == []
    assert result.draft["values"] == "Be kind."
    assert ImportNote(5, "scope paragraph with no options: 'Condition: ;'") in result.notes


def test_a_note_reads_with_its_line_or_alone() -> None:
    assert str(ImportNote(12, "joined")) == "line 12: joined"
    assert str(ImportNote(None, "no title line")) == "no title line"
