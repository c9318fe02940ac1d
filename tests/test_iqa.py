"""The cohort's IQA sample from summaries built by hand: who is drawn, why, and what is missed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from cpc306_portfolio.assessor.iqa import (
    candidate_types,
    iqa_sample,
    method_label,
    requirement_text,
)

TODAY = date(2026, 12, 1)


def learner(name: str, **over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": name,
        "unit": "CPC 306",
        "assessor": "Alex Assessor",
        "assessors": ["Alex Assessor"],
        "started": "2025-01-01",
        "methods": ["product"],
        "elements": ["A", "B"],
        "elements_evidenced": ["A", "B"],
        "criteria": [],
        "signed_off": True,
        "judged": 3,
        "organisation": "Fictional Borough Council",
    }
    base.update(over)
    return base


@pytest.mark.parametrize("rate", [0, -0.1, 1.01])
def test_a_rate_outside_zero_to_one_is_refused(rate: float) -> None:
    with pytest.raises(ValueError, match="above 0 and at most 1"):
        iqa_sample({"a": learner("A")}, rate=rate, seed=1, today=TODAY)


def test_method_labels_read_as_words_and_unknown_ids_pass_through() -> None:
    assert method_label("observation") == "Observation"
    assert method_label("carrier_pigeon") == "carrier_pigeon"
    assert requirement_text(("method", "observation")) == "method: Observation"
    assert requirement_text(("site", "Fictional Borough Council")) == (
        "site: Fictional Borough Council"
    )


def test_a_start_date_that_cannot_be_read_counts_as_experienced() -> None:
    summaries = {
        "new": learner("N", started="2026-11-01"),
        "old": learner("O", started="2020-01-01"),
        "odd": learner("X", started="last spring"),
        "none": learner("Y", started=None),
    }
    assert candidate_types(summaries, TODAY) == {
        "new": "new",
        "old": "experienced",
        "odd": "experienced",
        "none": "experienced",
    }


def test_a_mixed_cohort_draws_one_learner_of_every_unit_too() -> None:
    cohort = {f"c{i}": learner(f"C{i}") for i in range(8)}
    cohort |= {"h0": learner("H0", unit="HVM 112"), "h1": learner("H1", unit="HVM 112")}
    sample = iqa_sample(cohort, rate=0.1, seed=5, today=TODAY)
    assert {s.unit for s in sample.learners} == {"CPC 306", "HVM 112"}
    assert sample.target == len(sample.learners) == 2
    first, second = sample.learners
    assert first.reason.startswith("Pick 1: the pick for assessor Alex Assessor (10 learners)")
    # The assessor's pick already stands for its own unit; the other unit gets a pick too.
    other, size = ("HVM 112", 2) if first.unit == "CPC 306" else ("CPC 306", 8)
    assert second.reason.startswith(f"Pick 2: the pick for unit {other} ({size} learners)")
    # Element A of one unit is not element A of the other.
    assert ("element", "HVM 112 A") in sample.requirements
    assert ("element", "CPC 306 A") in sample.requirements


def test_a_rarely_used_method_is_named_in_the_reason() -> None:
    cohort = {f"l{i}": learner(f"L{i}") for i in range(12)}
    cohort["l07"] = learner("L7", methods=["product", "observation"])
    sample = iqa_sample(cohort, rate=1.0, seed=1, today=TODAY)
    rare = next(s for s in sample.learners if s.key == "l07")
    assert rare.factors == ["rare_method"] and rare.weight == 2
    assert "weight 2: a method rarely used (Observation)" in rare.reason


def test_what_the_cohort_cannot_offer_is_said_and_what_the_sample_missed_is_listed() -> None:
    cohort = {
        f"l{i}": learner(
            f"L{i}", started="2026-11-20", elements_evidenced=["A"], organisation=f"Site {i}"
        )
        for i in range(4)
    }
    sample = iqa_sample(cohort, rate=0.1, seed=9, today=TODAY)
    reasons = dict(sample.uncovered)
    assert reasons[("candidate", "experienced")] == "the cohort has no experienced learner"
    assert reasons[("element", "CPC 306 B")] == "no learner has evidence for element CPC 306 B yet"
    assert ("records", "assessment decisions recorded") in sample.covered
    # One learner drawn: the three sites it does not stand for are listed as missed.
    [drawn] = sample.learners
    site = f"Site {drawn.key[1:]}"
    assert ("site", site) in sample.covered
    assert sorted(v for k, v in sample.missed if k == "site") == sorted(
        f"Site {i}" for i in range(4) if f"Site {i}" != site
    )
    assert not set(sample.covered) & set(sample.missed)
