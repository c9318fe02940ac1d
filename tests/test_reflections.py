"""Reflective accounts checked for completeness: each stage of the model written, none too short."""

from __future__ import annotations

import pytest

import cpc306_portfolio as cp
from cpc306_portfolio.analysis.reflections import (
    MIN_STAGE_WORDS,
    missing_stages,
    reflection_gaps,
    stage_problem,
)

ENOUGH = " ".join(["word"] * MIN_STAGE_WORDS)


def account(model: str = "gibbs", draft: bool = False, **stages: str):
    return cp.Reflection.model_validate(
        {
            "id": "R001",
            "title": "The improvement notice",
            "date": "2025-07-01",
            "model": model,
            "stages": stages,
            "criteria": ["B7"],
            "draft": draft,
        }
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "is empty"),
        ("   \n\t", "is empty"),
        ("Fine.", "is very short (1 word)"),
        (" ".join(["w"] * (MIN_STAGE_WORDS - 1)), f"is very short ({MIN_STAGE_WORDS - 1} words)"),
        (ENOUGH, ""),
    ],
)
def test_stage_problem(text: str, problem: str) -> None:
    assert stage_problem(text) == problem


def test_every_stage_of_the_model_is_checked_in_the_model_s_order() -> None:
    stages = {s.id: ENOUGH for s in cp.reflection_model("gibbs").stages}
    stages["feelings"] = "Anxious."
    del stages["conclusion"]
    missing = missing_stages(account(**stages))
    assert [(s.id, why) for s, why in missing] == [
        ("feelings", "is very short (1 word)"),
        ("conclusion", "is empty"),
    ]


def test_a_complete_account_has_no_gap_whatever_its_model() -> None:
    for model in cp.reflection_models().values():
        done = account(model.id, **{s.id: ENOUGH for s in model.stages})
        assert missing_stages(done) == []
        assert reflection_gaps([done]) == []


def test_an_unknown_model_is_left_to_validation_not_reported_twice() -> None:
    assert missing_stages(account("made_up_model", anything="x")) == []


def test_a_gap_names_the_account_its_stages_and_whether_it_was_saved_as_a_draft() -> None:
    stages = {s.id: ENOUGH for s in cp.reflection_model("gibbs").stages}
    stages["analysis"] = ""
    [gap] = reflection_gaps([account(draft=True, **stages)])
    assert gap.target == "R001" and gap.kind == "reflection_stage"
    assert gap.message == "R001 'The improvement notice' (saved as a draft): \"Analysis\" is empty"
    assert f"at least {MIN_STAGE_WORDS} words" in gap.next_step
    [not_draft] = reflection_gaps([account(**stages)])
    assert "(saved as a draft)" not in not_draft.message
