"""Our guidance in the bundled CPC 306 file (issue 31): accurate, readable, four nations.

The unit's own words are checked against the source in ``test_standard.py``; these tests
hold the project's additions (the fields marked OURS) to what a verifier asked of them.
"""

from __future__ import annotations

import re

import pyphen
import pytest

from cpc306_portfolio.standard import Standard, load_standard

_DICTIONARY = pyphen.Pyphen(lang="en_GB")
# Flesch-Kincaid grade 12 is about what a contracts officer reads comfortably.
MOST_GRADE = 12.0


def syllables(word: str) -> int:
    """Syllables of one word, from where British English hyphenates it (at least one)."""
    return max(1, len(_DICTIONARY.positions(word.lower())) + 1)


def flesch_kincaid_grade(text: str) -> float:
    """The Flesch-Kincaid grade of TEXT: 0.39 words a sentence + 11.8 syllables a word - 15.59."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", text.strip()) if s]
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*|\d+", text)
    per_word = sum(syllables(w) for w in words) / len(words)
    return 0.39 * len(words) / len(sentences) + 11.8 * per_word - 15.59


@pytest.fixture(scope="module")
def unit() -> Standard:
    return load_standard("CPC 306")


def test_the_grade_measure_tells_plain_from_dense_text() -> None:
    plain = "Tell the person straight away. Agree what happens next. Write it down."
    dense = (
        "Notwithstanding organisational considerations, commissioning authorities must "
        "systematically communicate contractual non-compliance implications, "
        "incorporating proportionate, evidence-based recommendations regarding "
        "remediation, termination, and associated reputational considerations."
    )
    assert flesch_kincaid_grade(plain) < 6 < MOST_GRADE < flesch_kincaid_grade(dense)


def test_every_explanation_reads_at_grade_12_or_lower(unit: Standard) -> None:
    grades = {cid: flesch_kincaid_grade(c.explanation) for cid, c in unit.criteria.items()}
    assert {cid: round(g, 1) for cid, g in grades.items() if g > MOST_GRADE} == {}


def test_a1_says_who_holds_the_contract_for_each_kind_of_budget(unit: Standard) -> None:
    text = " ".join(unit.criteria["A1"].explanation.split())
    assert "direct payment or an individual budget" not in text
    assert "the contract with the provider is theirs" in text  # a direct payment
    assert "With a personal budget the council manages, the council holds the contract" in text
    assert "Individual Service Fund" in text
    for cid in ("A1", "C2"):  # and what to do when no one directs their own support
        assert "If no one" in unit.criteria[cid].explanation


def test_each_criterion_has_a_note_for_each_other_nation(unit: Standard) -> None:
    missing = [cid for cid, c in unit.criteria.items() if c.nations is None]
    assert missing == []
    notes = " ".join(
        f"{n.wales} {n.scotland} {n.northern_ireland}"
        for c in unit.criteria.values()
        if (n := c.nations) is not None
    )
    for must in (
        "section 126",  # Wales: enquiries about adults at risk
        "Care Inspectorate Wales",
        "Procurement (Wales) Regulations 2024",
        "Adult Support and Protection (Scotland) Act 2007",
        "Adults with Incapacity (Scotland) Act 2000",
        "Social Care (Self-directed Support) (Scotland) Act 2013",
        "Procurement Reform (Scotland) Act 2014",
        "Public Contracts (Scotland) Regulations 2015",
        "Schedule 7A",
        "Mental Capacity Act (Northern Ireland) 2016",
        "RQIA",
        "section 75 of the Northern Ireland Act 1998",
        "no statutory duty to make enquiries",
    ):
        assert must in " ".join(notes.split()), must


def test_contract_performance_notices_are_explained_where_they_arise(unit: Standard) -> None:
    b3 = " ".join(unit.criteria["B3"].explanation.split())
    for must in ("section 71", "30 days", "Public Contracts Regulations 2015", "light-touch"):
        assert must in b3
    assert "NHS Standard Contract" in b3  # a different thing of the same name
    assert "contract performance notice" in unit.criteria["C5"].explanation


def test_safeguarding_shares_on_public_task_not_consent(unit: Standard) -> None:
    c6 = " ".join(unit.criteria["C6"].explanation.split())
    assert "Making Safeguarding Personal" in c6
    assert "public task, not consent" in c6


def test_the_councils_own_part_is_named(unit: Standard) -> None:
    text = {cid: " ".join(c.explanation.split()) for cid, c in unit.criteria.items()}
    assert "section 5" in text["B2"] and "section 5" in text["A3"]
    assert "Human Rights Act 1998" in text["A3"] and "section 73" in text["A3"]
    assert "Section 43" in text["B3"] and "Schedule 12A" in text["B3"]
    assert "police" in text["B1"] and "other commissioners" in text["B1"]
    assert "Accessible Information Standard" in text["C1"]
    assert "deemed service" in text["C4"] and "legal entity" in text["C4"]


def test_witnesses_who_agreed_to_be_named_are_exempt(unit: Standard) -> None:
    assert "other than a witness who has agreed to be named" in unit.terms.protected_people
    assert "witnesses who have agreed to be named" in unit.terms.declaration_statement
    criteria = unit.assessment_strategy.expert_witness_criteria
    assert {"working_knowledge", "occupational_competence", "independent"} <= set(criteria)
    assert "conflict of interest" in criteria["independent"]


def test_our_heading_for_the_unheaded_list_says_it_is_ours(unit: Standard) -> None:
    category = unit.scope_categories["reaching_relevant_people"]
    assert category.heading is None
    assert "The heading is ours" in category.note and "B6" in category.note


def test_the_guidance_carries_a_version_and_a_date(unit: Standard) -> None:
    assert unit.guidance is not None
    assert unit.guidance.version and unit.guidance.date.year >= 2026


def test_the_nations_notes_sit_folded_on_the_criterion_page(unit: Standard) -> None:
    from cpc306_portfolio.notebooks.views import criterion_html

    page = criterion_html(unit, "B3")
    folded = re.search(r"<details class=\"cpc306-nations\">(.*?)</details>", page, re.S)
    assert folded is not None  # closed by default: England's learners read past it
    assert "Working in Wales, Scotland or Northern Ireland?" in folded.group(1)
    assert "Schedule 7A" in folded.group(1)
    assert "The heading is ours" in criterion_html(unit, "A3")


def test_the_cover_names_the_guidance_edition(tmp_path, unit: Standard) -> None:
    from cpc306_portfolio import create_portfolio
    from cpc306_portfolio.render import report_sections

    from .conftest import profile_fields

    folio = create_portfolio(tmp_path / "folio", profile_fields())
    cover = dict(report_sections(folio.root))["cover"]
    assert unit.guidance is not None
    edition = f"Version {unit.guidance.version} of {unit.guidance.date:%d %B %Y}".replace(" 0", " ")
    assert edition in cover and "not part of the standard" in cover


def test_every_knowledge_item_and_sub_item_has_two_bank_questions(unit: Standard) -> None:
    asked: dict[str, int] = {}
    for question in unit.question_bank:
        asked[question.knowledge] = asked.get(question.knowledge, 0) + 1
        assert question.model_answer and question.must_include, question.id
    assert {k: asked.get(k, 0) for k in unit.knowledge_ids if asked.get(k, 0) < 2} == {}
    # where the law differs outside England, the question says so
    nations = {q.knowledge for q in unit.question_bank if q.nations}
    assert {"K1", "K7", "K8", "K8a", "K8b", "K8d"} <= nations


def test_the_law_named_is_the_law_in_force(unit: Standard) -> None:
    """The second re-read's corrections: each names the right Act or the rule as it stands."""
    b5 = " ".join(unit.criteria["B5"].explanation.split())
    # CQC reviews councils under s46A of the 2008 Act (inserted by the Health and Care Act 2022)
    assert "Health and Social Care Act 2008, section 46A" in b5
    assert "Care Act 2014, section 46A" not in b5
    bank = {q.id: q for q in unit.question_bank}
    light_touch = " ".join(bank["K8a-Q1"].model_answer.split())
    # the Procurement Act 2023's mandatory standstill (s51) does not apply to light-touch contracts
    assert "A standstill period is not required for a light-touch contract" in light_touch
    a1 = " ".join(unit.criteria["A1"].explanation.split())
    assert "section 31" in a1 and "section 32" in a1  # nominated and authorised persons
    assert "Record the agreement" in a1  # what a good record of agreement holds
    b3 = " ".join(unit.criteria["B3"].explanation.split())
    assert "above the threshold" in b3 and "section 80" in b3
    assert "without their permission" not in unit.terms.declaration_statement
    # the page joins these with "; ", so none ends with a full stop
    criteria = unit.assessment_strategy.expert_witness_criteria.values()
    assert not [text for text in criteria if text.rstrip().endswith(".")]
