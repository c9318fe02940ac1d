"""Shared helpers: portfolios and records built in code, on temporary folders."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio import Portfolio, create_portfolio, load_standard, open_portfolio

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = ROOT / "evidence"


def profile_fields(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "unit": "CPC 306",
        "learner": {"name": "Robin Testperson", "job_title": "Contracts Officer"},
        "centre": {"name": "Fictional Training Centre"},
        "assessor": {"name": "Alex Assessor"},
        "keep_out": ["Mrs Ivy Example"],
    }
    base.update(over)
    return base


def evidence_fields(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "title": "Contract review meeting with the provider",
        "date": "2025-06-12",
        "method": "product",
        "evidence_kind": ["evidence/documentary"],
        "description": "Minutes of the review meeting where the missed milestones were discussed.",
        "criteria": ["A3", "A5"],
        "scope": ["non_compliance/milestones"],
        "knowledge": ["K8b", "K14"],
    }
    base.update(over)
    return base


def reflection_fields(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "title": "Looking back on the improvement notice",
        "date": "2025-07-01",
        "model": "gibbs",
        "stages": {
            "description": "I led the review after the provider missed three milestones.",
            "feelings": "I was anxious about the relationship with the provider.",
            "action_plan": "I will book contract law training.",
        },
        "criteria": ["B7"],
        "knowledge": ["K17"],
    }
    base.update(over)
    return base


@pytest.fixture
def cpc306():
    return load_standard("CPC 306")


@pytest.fixture
def portfolio(tmp_path: Path) -> Portfolio:
    return create_portfolio(tmp_path / "folio", profile_fields())


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A throwaway copy of the sample portfolio: tests never change evidence/."""
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE, target)
    return target


def before_assessment(folder: Path) -> Path:
    """Take a copy of the sample back to before its learner declared it and it was judged.

    The sample is declared, judged and signed off; tests of a portfolio still being built
    (forms, an unsigned render, a cohort awaiting assessment) start from this state.
    """
    (folder / "assessment.yaml").unlink(missing_ok=True)
    folio = open_portfolio(folder)
    folio.save_profile(folio.profile.model_copy(update={"declaration": None}))
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes, to prove nothing changed."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".cpc306.lock"
    }


@pytest.fixture(autouse=True)
def _own_config_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keys of keep-out lists go to a throwaway config folder, never the user's own."""
    monkeypatch.setenv("CPC306_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))


@pytest.fixture(scope="session")
def learner_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One `cpc306 app` (on a planted copy of the sample) for every app test in the run."""
    from .app_server import running_app

    with running_app(tmp_path_factory.mktemp("app")) as app:
        yield app
