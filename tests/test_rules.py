"""The unit's assessment strategy applied to one criterion: every rule read from the unit file."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import cpc306_portfolio as cp
from cpc306_portfolio.analysis.rules import check_criterion, months_before
from cpc306_portfolio.standard import Standard

from .units_in_code import unit


def standard(**strategy: Any) -> Standard:
    return Standard.model_validate(
        unit(assessment_strategy={"performance_methods": ["observation", "product"], **strategy})
    )


def evidence(rid: str, method: str = "observation", day: str = "2025-06-01", **over: Any):
    return cp.Evidence.model_validate(
        {
            "id": rid,
            "title": "Lending day",
            "date": day,
            "method": method,
            "description": "Lent tools and checked them.",
            "criteria": ["A1"],
            **over,
        }
    )


def reflection(rid: str = "R001", day: str = "2025-06-01"):
    return cp.Reflection.model_validate(
        {
            "id": rid,
            "title": "Looking back",
            "date": day,
            "model": "free",
            "stages": {"reflection": "What I learnt."},
            "criteria": ["A1"],
        }
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 3, 31), 1, date(2025, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 15), 1, date(2024, 12, 15)),
        (date(2025, 6, 30), 24, date(2023, 6, 30)),
        (date(2025, 5, 31), 3, date(2025, 2, 28)),
        (date(2025, 7, 1), 0, date(2025, 7, 1)),
    ],
)
def test_months_before_stays_inside_the_month_it_lands_in(day, months, expected) -> None:
    assert months_before(day, months) == expected


def test_a_criterion_with_current_performance_evidence_has_nothing_to_say() -> None:
    unit_ = standard()
    result = check_criterion(unit_, unit_.criteria["A1"], [evidence("E001")], None)
    assert (result.reasons, result.gaps, result.notes) == ([], [], [])


def test_no_performance_evidence_names_the_methods_and_the_unit_s_examples() -> None:
    unit_ = standard()
    result = check_criterion(
        unit_, unit_.criteria["A1"], [evidence("E001", "professional_discussion")], None
    )
    assert result.reasons == ["no current evidence from an observation or a product / document"]
    [gap] = result.gaps
    assert gap.kind == "performance" and gap.target == "A1"
    assert gap.message == "A1 has no evidence from an observation or a product / document"
    assert gap.next_step.endswith("for example: a note of the meeting")


def test_out_of_date_evidence_is_noted_and_does_not_count() -> None:
    unit_ = standard(currency_months=12)
    old = evidence("E001", day="2023-01-10")
    result = check_criterion(unit_, unit_.criteria["A1"], [old], date(2024, 1, 1))
    assert result.notes == [
        "E001 (dated 2023-01-10) is out of date: this unit counts evidence from 2024-01-01 on"
    ]
    assert "(E001 (dated 2023-01-10) is out of date" in result.gaps[0].message


def test_simulated_evidence_counts_only_where_the_unit_allows_simulation() -> None:
    sim = evidence("E001", simulated=True)
    strict = standard()
    result = check_criterion(strict, strict.criteria["A1"], [sim], None)
    assert result.notes == ["E001 is simulated, and this unit accepts only real work"]
    assert [g.kind for g in result.gaps] == ["performance"]
    lenient = standard(simulation_allowed=True)
    assert check_criterion(lenient, lenient.criteria["A1"], [sim], None).gaps == []


def test_a_reflective_account_is_asked_for_only_where_the_unit_requires_one() -> None:
    unit_ = standard(reflective_account_required=["A1"])
    result = check_criterion(unit_, unit_.criteria["A1"], [evidence("E001")], None)
    assert result.reasons == ["no reflective account"]
    assert result.gaps[0].kind == "reflective_account"
    done = check_criterion(unit_, unit_.criteria["A1"], [evidence("E001"), reflection()], None)
    assert done.gaps == []
    assert check_criterion(unit_, unit_.criteria["A2"], [evidence("E002")], None).gaps == []


def test_a_minimum_number_of_items_counts_what_the_other_gaps_already_ask_for() -> None:
    unit_ = standard(min_items_per_criterion=3)
    one = check_criterion(unit_, unit_.criteria["A1"], [evidence("E001")], None)
    assert one.reasons == ["1 current item(s) of the 3 this unit asks for"]
    [gap] = one.gaps
    assert gap.kind == "items"
    assert gap.next_step.startswith("add 2 more item(s) of evidence that show A1")
    # No evidence at all: the performance gap asks for one of the three, two more are listed.
    none = check_criterion(unit_, unit_.criteria["A1"], [], None)
    assert [g.kind for g in none.gaps] == ["performance", "items"]
    assert none.gaps[1].next_step.startswith("add 2 more item(s)")
    assert none.gaps[1].message == "A1 has 0 current item(s) of evidence; this unit asks for 3"
