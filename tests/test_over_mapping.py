"""Over-mapping: items mapped to more criteria than the unit expects, and criteria on them alone."""

from __future__ import annotations

from typing import Any

import cpc306_portfolio as cp
from cpc306_portfolio.assessor.over_mapping import over_mapping
from cpc306_portfolio.standard import Standard

from .units_in_code import unit


def standard(limit: int | None) -> Standard:
    strategy: dict[str, Any] = {"performance_methods": ["observation"]}
    if limit is not None:
        strategy["max_criteria_per_item"] = limit
    return Standard.model_validate(unit(assessment_strategy=strategy))


def item(rid: str, *criteria: str):
    common = {"id": rid, "title": "An item", "date": "2025-06-01", "criteria": list(criteria)}
    if rid.startswith("R"):
        return cp.Reflection.model_validate({**common, "model": "free", "stages": {}})
    return cp.Evidence.model_validate(
        {**common, "method": "observation", "description": "What happened."}
    )


def test_a_unit_that_sets_no_limit_never_flags() -> None:
    result = over_mapping(standard(None), [item("E001", "A1", "A2", "B1")])
    assert (result.limit, result.items, result.criteria, result.messages) == (None, {}, {}, [])


def test_an_item_over_the_limit_is_flagged_and_one_at_it_is_not() -> None:
    result = over_mapping(standard(2), [item("E001", "A1", "A2", "B1"), item("E002", "A1", "A2")])
    assert list(result.items) == ["E001"]
    assert result.items["E001"] == (
        "mapped to 3 criteria, more than the 2 the unit's assessment strategy expects of one "
        "item: check it shows each one"
    )


def test_a_criterion_resting_only_on_wide_items_is_flagged_and_one_with_support_is_not():
    records = [item("E001", "A1", "A2", "B1"), item("E002", "A1"), item("R001", "A2", "A1", "B1")]
    result = over_mapping(standard(2), records)
    assert set(result.items) == {"E001", "R001"}
    assert set(result.criteria) == {"A2", "B1"}  # A1 also rests on E002, mapped to one
    assert result.criteria["B1"] == "rests only on E001, R001, each mapped to more than 2 criteria"
    assert result.messages[0].startswith("E001: mapped to 3 criteria")
    assert result.messages[-1].startswith("B1: rests only on")
    assert len(result.messages) == 4


def test_a_criterion_with_no_evidence_at_all_is_not_called_over_mapped() -> None:
    result = over_mapping(standard(1), [item("E001", "A1", "A2")])
    assert set(result.criteria) == {"A1", "A2"}
    assert "B1" not in result.criteria
