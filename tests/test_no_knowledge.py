"""A unit with no knowledge specification is a unit (professional frameworks have none).

Every view, the coverage tables, the generated notebooks, the report's sections, the
status command and the cohort batch work with zero knowledge groups, and say nothing
about knowledge rather than show an empty table.
"""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpc306_portfolio import create_portfolio
from cpc306_portfolio.analysis.status import portfolio_status
from cpc306_portfolio.cli import main
from cpc306_portfolio.cohort.batch import run_batch
from cpc306_portfolio.files.yamlio import dump_yaml
from cpc306_portfolio.notebooks import views
from cpc306_portfolio.notebooks.generate import notebook_names
from cpc306_portfolio.portfolio.store import Portfolio
from cpc306_portfolio.render import report_sections
from cpc306_portfolio.standard import Standard, load_standard
from cpc306_portfolio.standard.mahara import to_matrix

from .units_in_code import unit

KNOWLEDGE = re.compile(r"knowledge", re.I)


def _unit_file(folder: Path) -> Path:
    data = unit()
    del data["knowledge"]
    for element in data["elements"]:
        for crit in element["criteria"]:
            crit.pop("knowledge", None)
    path = folder / "zzt901.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    return path


@pytest.fixture
def bare(tmp_path: Path) -> Standard:
    return load_standard(_unit_file(tmp_path))


@pytest.fixture
def folio(tmp_path: Path, bare: Standard) -> Portfolio:
    profile = {
        "unit": bare.code,
        "learner": {"name": "Sam Learner"},
        "centre": {"name": "Centre"},
        "assessor": {"name": "Ana Assessor"},
    }
    folio = create_portfolio(tmp_path / "cohort" / "sam", profile, standard=bare)
    folio.add_evidence(
        {
            "title": "Loan check",
            "date": "2025-06-12",
            "method": "product",
            "description": "Checked each tool on the shelf against its record.",
            "criteria": ["A1"],
        }
    )
    return folio


def test_the_unit_loads_with_no_knowledge(bare: Standard) -> None:
    assert not bare.has_knowledge
    assert bare.knowledge.groups == []
    assert bare.knowledge_ids == {}
    assert [s["shortname"] for s in to_matrix(bare)["framework"]["standards"]] == ["A", "B"]


def test_coverage_has_no_knowledge_rows_and_counts_none(folio: Portfolio) -> None:
    cov = portfolio_status(folio).coverage
    assert cov.knowledge.empty
    assert (cov.progress.knowledge_total, cov.progress.knowledge_covered) == (0, 0)
    assert not any(g.kind == "knowledge" for g in cov.gaps)


def test_the_learner_s_views_say_nothing_about_knowledge(folio: Portfolio) -> None:
    assert views.knowledge_html(folio) == ""
    assert not KNOWLEDGE.search(views.progress_html(folio))
    assert not KNOWLEDGE.search(views.nav_html(folio, folio.standard, "A1"))
    assert "knowledge.ipynb" not in notebook_names(folio.standard)
    assert [b.label for b in views.progress_bars(folio, portfolio_status(folio).coverage)] == [
        "Element A",
        "Element B",
        "All criteria",
        "Scope options",
    ]


def test_the_report_has_no_knowledge_section_or_rows(folio: Portfolio) -> None:
    sections = dict(report_sections(folio))
    assert sections["knowledge"] == ""
    assert not KNOWLEDGE.search(sections["cover"])
    assert not KNOWLEDGE.search(sections["evidence"])
    assert "Loan check" in sections["evidence"]


def test_status_says_nothing_about_knowledge(folio: Portfolio) -> None:
    result = CliRunner().invoke(main, ["status", str(folio.root)])
    assert result.exit_code == 0, result.output
    assert not KNOWLEDGE.search(result.output)


def test_the_batch_summarises_a_cohort_on_such_a_unit(folio: Portfolio, tmp_path: Path) -> None:
    report = run_batch(folio.root.parent, tmp_path / "out", workers=1, render=False)
    assert not report.failed
    table = (tmp_path / "out" / "cohort.csv").read_text(encoding="utf-8")
    [row] = csv.DictReader(io.StringIO(table))
    assert row["knowledge_total"] == row["knowledge_covered"] == ""
    assert row["criteria_total"] == "3"
    assert not KNOWLEDGE.search((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))


def test_the_rendered_portfolio_has_no_knowledge_section(folio: Portfolio, tmp_path: Path) -> None:
    from cpc306_portfolio.render import render_portfolio

    started = time.monotonic()
    out = render_portfolio(folio, tmp_path / "sam.html")  # in this process: no kernel
    html = out.read_text(encoding="utf-8")
    assert "Loan check" in html
    assert "Knowledge coverage" not in html
    assert not re.search(r">[^<]*\bKnowledge\b[^<]*<", html)
    assert time.monotonic() - started < 60
