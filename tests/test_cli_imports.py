"""``cpc306 --help`` and ``cpc306 status`` import only what they need (``render`` no pandas).

Each command runs in a fresh interpreter (the test process has imported everything) and
reports which heavy modules it left loaded. No time is asserted: bench/summary.py measures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cpc306_portfolio.analysis.coverage import compute_coverage
from cpc306_portfolio.analysis.coverage_rows import coverage_rows
from cpc306_portfolio.assessor.outcomes import OUTCOMES
from cpc306_portfolio.cli import choices
from cpc306_portfolio.portfolio.evidence_rules import RULES_OF_EVIDENCE
from cpc306_portfolio.portfolio.reflection import reflection_models
from cpc306_portfolio.portfolio.store import open_portfolio
from cpc306_portfolio.standard.methods import AssessmentMethod

from .conftest import before_assessment

#: Loaded by no command that does not use them.
THIRD_PARTY = (
    "pandas",
    "numpy",
    "nbconvert",
    "nbformat",
    "nbclient",
    "papermill",
    "jupyter_client",
    "ipykernel",
    "ipywidgets",
    "voila",
    "cryptography",
    "pypdf",
    "jinja2",
    "markdown_it",
    "nh3",
    "phonenumbers",
    "stdnum",
)
#: What ``--help`` needs none of either: it lists commands, it reads no file.
HELP_ONLY = (
    "pydantic",
    "ruamel.yaml",
    "yaml",
    "rich",
    "filelock",
    "cpc306_portfolio.portfolio.models",
    "cpc306_portfolio.standard.model",
)
#: Parts of the package that ``status`` (which reads and prints) has no use for.
NOT_STATUS = (
    "cpc306_portfolio.analysis.coverage",
    "cpc306_portfolio.assessor.assessment",
    "cpc306_portfolio.assessor.signing",
    "cpc306_portfolio.assessor.verification",
    "cpc306_portfolio.portfolio.manifest",
    "cpc306_portfolio.confidentiality.scan",
    "cpc306_portfolio.render",
    "cpc306_portfolio.cohort",
    "cpc306_portfolio.notebooks",
)

_RUN = """
import json, sys
from cpc306_portfolio.cli import main
code = main(json.loads(sys.argv[1]), standalone_mode=False)
names = json.loads(sys.argv[2])
print(json.dumps({"code": code, "loaded": [n for n in names if n in sys.modules]}), file=sys.stderr)
"""


def _run(args: list[str], names: tuple[str, ...]) -> tuple[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _RUN, json.dumps(args), json.dumps(names)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] in (None, 0), done.stderr
    return done.stdout, report["loaded"]


def test_help_imports_nothing_heavy() -> None:
    out, loaded = _run(["--help"], THIRD_PARTY + HELP_ONLY + NOT_STATUS)
    assert "Commands:" in out and "status" in out
    assert loaded == []


def test_a_group_help_imports_nothing_heavy() -> None:
    # The options with fixed choices show them without loading the models they name.
    out, loaded = _run(["reflection", "add", "--help"], THIRD_PARTY + HELP_ONLY)
    assert "[gibbs|driscoll|kolb|schon|rolfe|free]" in out
    assert "gibbs: description, feelings" in out
    assert loaded == []


def test_status_imports_only_what_it_reads(sample_copy: Path) -> None:
    out, loaded = _run(["status", str(sample_copy)], THIRD_PARTY + NOT_STATUS)
    assert "Jordan Ashby" in out and "Criteria" in out
    assert loaded == []
    out, loaded = _run(["status", str(sample_copy), "--json"], THIRD_PARTY + NOT_STATUS)
    assert json.loads(out)["progress"]["criteria_total"] == 21
    assert loaded == []


def test_fixed_choices_match_the_library() -> None:
    assert tuple(m.value for m in AssessmentMethod) == choices.METHODS
    assert choices.RULES == RULES_OF_EVIDENCE
    assert choices.OUTCOMES == OUTCOMES
    assert {
        m.id: tuple(m.stage_ids) for m in reflection_models().values()
    } == choices.REFLECTION_STAGES


def test_status_rows_are_the_tables_rows(sample_copy: Path) -> None:
    # status prints the rows; the renderer and notebooks read the tables made from them.
    folio = open_portfolio(before_assessment(sample_copy))
    for path in sorted((folio.root / "evidence").glob("E00[2-6].yaml")):
        path.unlink()  # leaves criteria not started and scope not covered
    folio = open_portfolio(folio.root)
    args = (folio.standard, folio.evidence(), folio.reflections(), folio.read_assessment())
    rows = coverage_rows(*args)
    tables = compute_coverage(*args)
    assert len({r["status"] for r in rows.criteria}) > 1
    assert not all(r["covered"] for r in rows.scope)
    assert rows.criteria == tables.criteria.to_dict(orient="records")
    assert rows.scope == tables.scope.to_dict(orient="records")
    assert rows.knowledge == tables.knowledge.to_dict(orient="records")
    assert rows.gaps == tables.gaps and rows.progress == tables.progress


def test_render_loads_no_pandas(sample_copy: Path, tmp_path: Path) -> None:
    # The report's sections take the coverage rows as plain data; pandas would be a fifth
    # of the render's time to import for nothing.
    out, loaded = _run(
        ["render", str(sample_copy), "-o", str(tmp_path / "p.html")], ("pandas", "numpy")
    )
    assert (tmp_path / "p.html").is_file() and "p.html" in out
    assert loaded == []


def test_render_loads_no_notebook_machinery(sample_copy: Path, tmp_path: Path) -> None:
    # The direct engine calls the report's sections and renders the page template itself:
    # importing these was most of a one-shot render's time.
    heavy = ("nbconvert", "nbformat", "nbclient", "papermill", "IPython", "bs4", "jsonschema")
    _, loaded = _run(["render", str(sample_copy), "-o", str(tmp_path / "p.html")], heavy)
    assert (tmp_path / "p.html").stat().st_size > 10_000
    assert loaded == []


def test_a_batch_worker_loads_no_pandas(sample_copy: Path) -> None:
    # What a spawned worker imports (the pool's initializer and task modules), and a
    # learner's summary: pandas is the parent's alone, for the dashboard's tables.
    code = (
        "import json, sys\n"
        "import cpc306_portfolio.cohort.batch, cpc306_portfolio.cohort.worker\n"
        "from cpc306_portfolio import open_portfolio\n"
        "from cpc306_portfolio.cohort.summary import learner_summary\n"
        f"summary = learner_summary(open_portfolio({str(sample_copy)!r}))\n"
        "print(json.dumps([summary['evidence_count'], 'pandas' in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, pandas_loaded = json.loads(done.stdout)
    assert count > 0 and not pandas_loaded
