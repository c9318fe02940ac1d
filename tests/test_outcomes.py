"""The words a judgement is made of: outcomes and rules of evidence, and the choices named."""

from __future__ import annotations

import pytest

import cpc306_portfolio as cp
from cpc306_portfolio.assessor.outcomes import (
    OUTCOMES,
    RuleCheck,
    did_you_mean,
    outcome_of,
    rule_checks,
    with_unit_outcome,
)
from cpc306_portfolio.errors import UsageError

from .conftest import evidence_fields


@pytest.mark.parametrize(
    ("typed", "outcome"),
    [
        ("met", "met"),
        ("  MET ", "met"),
        ("not yet met", "not_yet_met"),
        ("Not-Yet-Met", "not_yet_met"),
        ("not_yet_met", "not_yet_met"),
    ],
)
def test_an_outcome_is_read_however_it_is_typed(typed: str, outcome: str) -> None:
    assert outcome_of(typed) == outcome


@pytest.mark.parametrize("typed", ["passed", "not met", "", "metx"])
def test_an_unknown_outcome_lists_the_valid_ones(typed: str) -> None:
    with pytest.raises(UsageError) as caught:
        outcome_of(typed)
    assert caught.value.message == f"unknown outcome {typed!r}"
    assert caught.value.hint == f"use one of: {', '.join(OUTCOMES)}"


def test_did_you_mean_offers_close_choices_then_lists_all() -> None:
    valid = ["valid", "authentic", "current", "sufficient", "reliable"]
    assert did_you_mean("vaild", valid).startswith("did you mean valid? use one of: valid, ")
    assert did_you_mean("zzz", valid) == "use one of: " + ", ".join(valid)


def test_rules_come_back_in_vacsr_order_whatever_order_they_were_given() -> None:
    checks = rule_checks(
        {
            "Reliable": False,
            "valid": True,
            " current ": "dated within the unit's window ",
            "authentic": RuleCheck(met=True, note="witness confirmed"),
        }
    )
    assert list(checks) == ["valid", "authentic", "current", "reliable"]
    assert checks["valid"] == RuleCheck(met=True)
    assert checks["current"] == RuleCheck(met=True, note="dated within the unit's window")
    assert checks["authentic"].note == "witness confirmed"
    assert checks["reliable"] == RuleCheck(met=False)


def test_an_unknown_rule_of_evidence_suggests_the_one_meant() -> None:
    with pytest.raises(UsageError) as caught:
        rule_checks({"sufficent": True})
    assert caught.value.message == "unknown rule of evidence 'sufficent'"
    assert caught.value.hint.startswith("did you mean sufficient?")


def test_the_unit_is_met_only_when_every_criterion_is_judged_met(portfolio) -> None:
    portfolio.add_evidence(evidence_fields())
    criteria = list(portfolio.standard.criteria)
    cp.judge_many(portfolio, criteria[:-1], "met")
    cp.judge(portfolio, criteria[-1], "not_yet_met")
    assessment = portfolio.read_assessment()
    with pytest.raises(UsageError) as caught:
        with_unit_outcome(portfolio, assessment, "met")
    assert caught.value.message == (
        f"the unit cannot be met while {criteria[-1]} are not judged met"
    )
    assert "record the unit not_yet_met" in caught.value.hint
    assert with_unit_outcome(portfolio, assessment, "not_yet_met").outcome == "not_yet_met"
    cp.judge(portfolio, criteria[-1], "met")
    assert with_unit_outcome(portfolio, portfolio.read_assessment(), "met").outcome == "met"
    assert with_unit_outcome(portfolio, assessment, None).outcome is None


def test_unjudged_criteria_are_listed_in_the_unit_s_order(portfolio) -> None:
    cp.judge(portfolio, "B2", "met")
    with pytest.raises(UsageError) as caught:
        with_unit_outcome(portfolio, portfolio.read_assessment(), "met")
    listed = caught.value.message.split("while ")[1].split(" are not")[0].split(", ")
    assert listed == [c for c in portfolio.standard.criteria if c != "B2"]


def test_the_unit_outcome_is_recorded_cleared_and_refused_in_one_write(portfolio) -> None:
    from cpc306_portfolio.assessor.assessment import set_unit_outcome

    cp.assess(portfolio, unit_outcome="Not yet met")
    assert portfolio.read_assessment().outcome == "not_yet_met"
    set_unit_outcome(portfolio, None)
    assert portfolio.read_assessment().outcome is None
    before = portfolio.assessment_path.read_bytes()
    with pytest.raises(UsageError, match="the unit cannot be met"):
        set_unit_outcome(portfolio, "met")
    assert portfolio.assessment_path.read_bytes() == before


def test_a_later_not_yet_met_clears_the_unit_recorded_met(portfolio) -> None:
    portfolio.add_evidence(evidence_fields())
    criteria = list(portfolio.standard.criteria)
    cp.judge_many(portfolio, criteria, "met")
    cp.assess(portfolio, unit_outcome="met")
    assert portfolio.read_assessment().outcome == "met"
    cp.judge(portfolio, criteria[1], "met")  # a met changes nothing
    assert portfolio.read_assessment().outcome == "met"
    cp.judge(portfolio, criteria[2], "not_yet_met")
    assessment = portfolio.read_assessment()
    assert assessment.outcome is None
    assert assessment.judgements[criteria[2]].outcome == "not_yet_met"
    cp.assess(portfolio, unit_outcome="not_yet_met")
    cp.judge(portfolio, criteria[3], "not_yet_met")  # a recorded not yet met stays
    assert portfolio.read_assessment().outcome == "not_yet_met"
