"""What a schema cannot say about a unit file, each named with its field, line and the choices."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio.errors import StandardError
from cpc306_portfolio.files.yamlio import dump_yaml, parse_yaml
from cpc306_portfolio.standard import Standard, check_standard, load_standard

from .units_in_code import unit


def problems_of(data: dict[str, Any]) -> list:
    text = dump_yaml(data)
    tree, parse_problems = parse_yaml(text, "unit.yaml")
    assert parse_problems == []
    standard = Standard.model_validate(data)
    return check_standard(standard, tree, "unit.yaml")


def test_the_fictional_unit_is_clean() -> None:
    assert problems_of(unit()) == []


def test_an_unknown_key_word_names_the_bold_term_and_the_choices() -> None:
    data = unit()
    data["elements"][0]["criteria"][1]["bold_terms"][0]["key_word"] = "loan_rules"
    [problem] = problems_of(data)
    assert problem.field == "elements[0].criteria[1].bold_terms[0].key_word"
    assert problem.message == "unknown key word 'loan_rules'"
    assert problem.hint == "use one of: loan_terms"
    assert problem.line is not None


def test_a_bold_term_the_criterion_does_not_print_is_named() -> None:
    data = unit()
    data["elements"][0]["criteria"][0]["bold_terms"][0]["term"] = "state"
    [problem] = problems_of(data)
    assert problem.field == "elements[0].criteria[0].bold_terms[0].term"
    assert "does not appear in the criterion's text" in problem.message
    assert "exactly as the criterion prints it" in problem.hint


def test_bold_terms_are_matched_whatever_their_case() -> None:
    data = unit()
    data["elements"][0]["criteria"][0]["bold_terms"][0]["term"] = "CONDITION"
    assert problems_of(data) == []


def test_an_unknown_knowledge_item_lists_every_id_including_sub_items() -> None:
    data = unit()
    data["elements"][1]["criteria"][0]["knowledge"] = ["K3"]  # the gap in the numbering
    [problem] = problems_of(data)
    assert problem.field == "elements[1].criteria[0].knowledge[0]"
    assert problem.message == "unknown knowledge item 'K3'"
    assert problem.hint == "use one of: K1, K2, K2a, K4"


def test_a_reflective_account_for_a_criterion_the_unit_lacks() -> None:
    data = unit()
    data["assessment_strategy"]["reflective_account_required"] = ["B1", "C9"]
    [problem] = problems_of(data)
    assert problem.field == "assessment_strategy.reflective_account_required[1]"
    assert problem.message == "unknown criterion 'C9'"
    assert problem.hint == "use one of: A1, A2, B1"


def test_an_evidence_kind_category_that_is_no_scope_category() -> None:
    [problem] = problems_of(unit(evidence_kind_category="evidence"))
    assert problem.field == "evidence_kind_category"
    assert problem.hint == "use one of: condition"


def test_with_no_scope_at_all_the_hint_says_none_defined() -> None:
    data = unit(scope=[])
    problems = problems_of(data)
    assert [p.message for p in problems] == ["unknown scope category 'condition'"]
    assert problems[0].hint == "use one of: none defined"


def test_repeated_scope_key_word_and_option_ids_are_each_named() -> None:
    data = unit()
    data["scope"].append(copy.deepcopy(data["scope"][0]))
    data["scope"][1]["options"][1]["id"] = "worn"
    data["key_words"].append({"id": "loan_terms", "term": "Loan", "definition": "Again."})
    messages = sorted(p.message for p in problems_of(data))
    assert messages == [
        "key word id 'loan_terms' is used more than once",
        "key word id 'loan_terms' is used more than once",
        "option id 'worn' repeats",
        "option id 'worn' repeats",
        "scope category id 'condition' is used more than once",
        "scope category id 'condition' is used more than once",
    ]


def test_a_sub_item_id_that_repeats_an_item_id_is_caught() -> None:
    data = unit()
    data["knowledge"]["groups"][0]["items"][1]["sub_items"][0]["id"] = "K4"
    fields = sorted(p.field for p in problems_of(data))
    assert fields == [
        "knowledge.groups[0].items[1].sub_items[0].id",
        "knowledge.groups[0].items[2].id",
    ]


def test_the_loader_refuses_the_file_and_says_nothing_else_was_loaded(tmp_path: Path) -> None:
    data = unit()
    data["elements"][1]["criteria"][0]["knowledge"] = ["K9"]
    path = tmp_path / "zzt901.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    with pytest.raises(StandardError) as caught:
        load_standard(path)
    assert caught.value.hint == f"fix the unit file {path.resolve()}; nothing else was loaded"
    [problem] = caught.value.problems
    assert problem.path == str(path.resolve())
    assert problem.field == "elements[1].criteria[0].knowledge[0]"
    lines = path.read_text().splitlines()
    assert "K9" in lines[problem.line - 1]
