"""Reflection models (Gibbs, Driscoll, Kolb, Schön, Rolfe, free) and their stages, as data."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..errors import NotFoundError, StandardError
from ..files.yamlio import load_model

DATA_FILE = Path(__file__).with_name("reflection_models.yaml")


class Stage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    prompt: str
    plan: bool = Field(default=False, description="what the learner will do next: feeds the plan")


class ReflectionModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    summary: str
    stages: list[Stage] = Field(min_length=1)

    @property
    def stage_ids(self) -> list[str]:
        return [s.id for s in self.stages]


class _Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    models: list[ReflectionModel]


@cache
def reflection_models() -> dict[str, ReflectionModel]:
    """Every reflection model by id, in the order a learner is offered them."""
    catalogue, problems = load_model(_Catalogue, DATA_FILE)
    if catalogue is None:
        raise StandardError(problems, hint="the package's reflection models file is damaged")
    return {m.id: m for m in catalogue.models}


def reflection_model(model_id: str) -> ReflectionModel:
    """One reflection model by id; the error lists the valid ids."""
    models = reflection_models()
    try:
        return models[model_id]
    except KeyError:
        raise NotFoundError(
            f"no reflection model called {model_id!r}",
            hint=f"use one of: {', '.join(models)}",
        ) from None
