"""Reflective accounts checked for completeness: every stage of the model written, none very short.

A stage left empty or very short is a gap until it is filled; an account saved as a draft
says so. Pure over records and the reflection models.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..portfolio.models import Reflection
from ..portfolio.reflection import Stage, reflection_models
from .rules import Gap

#: A stage with fewer words than this is "very short": a sentence or two says more.
MIN_STAGE_WORDS = 12


def stage_problem(text: str) -> str:
    """Why a stage's text is not enough yet ("is empty", "is very short"), or ``""``."""
    words = len(text.split())
    if words == 0:
        return "is empty"
    if words < MIN_STAGE_WORDS:
        return f"is very short ({words} word{'s' if words != 1 else ''})"
    return ""


def missing_stages(reflection: Reflection) -> list[tuple[Stage, str]]:
    """Each stage of the account's model that is empty or very short, with why."""
    model = reflection_models().get(reflection.model)
    if model is None:
        return []  # an unknown model is a validation problem, reported there
    out = []
    for stage in model.stages:
        why = stage_problem(reflection.stages.get(stage.id, ""))
        if why:
            out.append((stage, why))
    return out


def reflection_gaps(reflections: Sequence[Reflection]) -> list[Gap]:
    """A gap for every reflective account with a stage still to write."""
    gaps = []
    for r in reflections:
        missing = missing_stages(r)
        if not missing:
            continue
        what = "; ".join(f'"{stage.title}" {why}' for stage, why in missing)
        draft = " (saved as a draft)" if r.draft else ""
        gaps.append(
            Gap(
                r.id,
                "reflection_stage",
                f"{r.id} {r.title!r}{draft}: {what}",
                f"finish {r.id} in the reflection page: write each stage in a few sentences "
                f"(at least {MIN_STAGE_WORDS} words)",
            )
        )
    return gaps
