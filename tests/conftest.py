"""Shared helpers: portfolios and records built in code, on temporary folders.

Also what many test files need alike: :func:`run_cli` (the command line in-process),
:func:`find_widget` and friends (a form's controls by CSS class) and :func:`in_ci` (where a
check that cannot run fails instead of skipping). Import them from here.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from cpc306_portfolio import Portfolio, create_portfolio, load_standard, open_portfolio
from cpc306_portfolio.cli import main

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


#: The sample as schema 2 left it, before the assessor's own records, plans and witnesses.
OLD_SAMPLE = ROOT / "tests" / "data" / "sample-schema2"


@pytest.fixture
def old_sample_copy(tmp_path: Path) -> Path:
    """A throwaway copy of the schema-2 sample: a real portfolio with no assessor's records."""
    target = tmp_path / "sample"
    shutil.copytree(OLD_SAMPLE, target)
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


def without_iqa(folder: Path) -> Path:
    """Drop the sample's IQA sample from a copy a test signs off again with its own key.

    The sample's IQA sample is sealed against the sample's own sign-off: after a new
    sign-off it is rightly reported as taken against an earlier one.
    """
    folio = open_portfolio(folder)
    folio.save_assessment(folio.read_assessment().model_copy(update={"iqa": None}))
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes, to prove nothing changed."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".cpc306.lock"
    }


@pytest.fixture(autouse=True)
def _close_widgets() -> Iterator[None]:
    """Close the widgets a test made: ipywidgets keeps every one alive until told."""
    yield
    widgets = sys.modules.get("ipywidgets")
    if widgets is not None:
        widgets.Widget.close_all()


@pytest.fixture(autouse=True)
def _own_config_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keys of keep-out lists go to a throwaway config folder, never the user's own.

    It starts with the sample learner's DEMO keep-out key (demo-keys/learner-config), as on
    the learner's own machine, so the sample's hashed names can be checked.
    """
    config = tmp_path_factory.mktemp("config")
    shutil.copytree(ROOT / "demo-keys" / "learner-config", config, dirs_exist_ok=True)
    monkeypatch.setenv("CPC306_CONFIG_DIR", str(config))
    # Extracted attachment texts too (the cache would otherwise be the user's own).
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


def cli_result(*args: str | os.PathLike[str], code: int = 0, **kwargs: Any) -> Result:
    """Run ``cpc306 ARGS`` in this process; assert it exits ``code`` without a traceback.

    An exception the CLI does not turn into an exit code propagates (it is a bug, never an
    exit 1). ``kwargs`` go to click's ``CliRunner.invoke`` (``input=``, ``env=``).
    """
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output, result.output
    return result


def run_cli(*args: str | os.PathLike[str], code: int = 0, **kwargs: Any) -> str:
    """:func:`cli_result`'s output (stdout and stderr as a terminal shows them)."""
    return cli_result(*args, code=code, **kwargs).output


#: The counters of :func:`files_opened` calls in progress (the audit hook feeds them all).
_OPENING: list[tuple[Path, Counter[str]]] = []


def _audit_open(event: str, args: tuple[Any, ...]) -> None:
    if event != "open" or not _OPENING or not isinstance(args[0], str | bytes | os.PathLike):
        return
    path = Path(os.path.realpath(os.fsdecode(args[0])))
    for root, opened in _OPENING:
        if path.is_relative_to(root):
            opened[path.relative_to(root).as_posix()] += 1


@contextmanager
def files_opened(root: Path) -> Iterator[Counter[str]]:
    """Count the files under ``root`` this process opens meanwhile (relative path: times).

    Seen through Python's audit hooks (every ``open`` and ``os.open``), so it watches what
    the package does to the disk, whatever its internals are called.
    """
    if not getattr(sys, "_cpc306_audit_open", False):
        sys.addaudithook(_audit_open)  # a hook cannot be removed: it is added once
        sys._cpc306_audit_open = True  # type: ignore[attr-defined]
    opened: Counter[str] = Counter()
    entry = (Path(os.path.realpath(root)), opened)
    _OPENING.append(entry)
    try:
        yield opened
    finally:
        # By identity: two watches of one folder may have counted the same so far.
        del _OPENING[next(i for i, e in enumerate(_OPENING) if e is entry)]


def widgets_in(widget: Any) -> Iterator[Any]:
    """Every widget of an ipywidgets tree, ``widget`` first, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from widgets_in(child)


def find_widgets(widget: Any, css_class: str) -> list[Any]:
    """Every widget in the tree that carries ``css_class`` (the forms' ``cpc306-...`` names)."""
    return [w for w in widgets_in(widget) if css_class in getattr(w, "_dom_classes", ())]


def find_widget(widget: Any, css_class: str) -> Any:
    """The first widget in the tree that carries ``css_class``; fails the test if none does."""
    found = find_widgets(widget, css_class)
    assert found, f"no widget has the class {css_class!r}"
    return found[0]


def only_widget(widget: Any, css_class: str) -> Any:
    """The one widget in the tree that carries ``css_class``; fails if none or several do."""
    found = find_widgets(widget, css_class)
    assert len(found) == 1, f"{len(found)} widgets have the class {css_class!r}"
    return found[0]


def uploaded(name: str, content: bytes) -> dict[str, Any]:
    """One file as ipywidgets' ``FileUpload.value`` gives it (a tuple of these)."""
    return {
        "name": name,
        "type": "text/plain",
        "size": len(content),
        "content": memoryview(content),
        "last_modified": datetime(2026, 1, 1, tzinfo=UTC),
    }


def html_of(widget: Any) -> list[str]:
    """Every HTML text shown in a widget tree (``HTML`` and live views), depth first."""
    return [
        w.value
        for w in widgets_in(widget)
        if isinstance(getattr(w, "value", None), str)
        and w.__class__.__name__ in {"HTML", "LiveView"}
    ]


#: Values of ``CI`` that mean "not in CI"; any other value (``true``, ``True``, ``1``,
#: ``yes``, ``on``, a CI system's own name) means every check must run.
NOT_CI = {"", "0", "false", "no", "off"}


def in_ci() -> bool:
    """True when running in CI, where a check that cannot run fails instead of skipping."""
    return os.environ.get("CI", "").strip().lower() not in NOT_CI


def require(ready: bool, problem: str) -> None:
    """Skip the test when ``ready`` is false (saying ``problem``), but fail it in CI."""
    if ready:
        return
    if in_ci():
        pytest.fail(f"this check must run in CI: {problem}")
    pytest.skip(problem)


@pytest.fixture(scope="session")
def learner_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One `cpc306 app` (on a planted copy of the sample) for every app test in the run."""
    from .app_server import running_app

    with running_app(tmp_path_factory.mktemp("app")) as app:
        yield app


@pytest.fixture(scope="session")
def assessor_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One `cpc306 assess app` (a planted caseload of two learners) for every workspace test."""
    from .assessor_server import running_workspace

    with running_workspace(tmp_path_factory.mktemp("assess-app")) as workspace:
        yield workspace


#: What a "met" needs under the default assessment strategy, as ``cpc306 assess`` flags
#: (the five rules of evidence, an item relied on, a method sampled, feedback).
RULE_FLAGS = ("--valid", "--authentic", "--current", "--sufficient", "--reliable")
MET_FLAGS = (*RULE_FLAGS, "--evidence", "E001", "--method", "product", "--feedback", "Well shown.")
#: The same for the library's ``assess`` and ``judge``.
MET_KWARGS: dict[str, Any] = {
    "rules": dict.fromkeys(("valid", "authentic", "current", "sufficient", "reliable"), True),
    "evidence": ["E001"],
    "methods_sampled": ["product"],
    "feedback": "Well shown.",
}


#: The sample's keep-out names (kept in portfolio.yaml only as keyed hashes).
SAMPLE_KEEP_OUT = ("Mrs Edith Marlowe", "Mr Tomasz Wren", "Ms Aisha Lindqvist")


def with_clear_keep_out(folder: Path, names: Sequence[str] = SAMPLE_KEEP_OUT) -> Path:
    """Make a copy of the sample look like an older portfolio: keep-out names in clear."""
    path = folder / "portfolio.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.pop("keep_out_hashed", None)
    data["keep_out"] = list(names)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return folder
