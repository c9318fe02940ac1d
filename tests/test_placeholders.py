"""Placeholders left in a unit are found with their line: on import, on init, by check."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cpc306_portfolio.cli import main
from cpc306_portfolio.standard import load_standard
from cpc306_portfolio.standard.drafting import import_unit
from cpc306_portfolio.standard.placeholders import (
    PLACEHOLDER,
    find_placeholders,
    unit_placeholders,
)

TEXT = """\
Unit: ZZT 901 Keep a fictional tool library in order (Tool Libraries)

Key Purpose

To keep tools in use.

About this unit

A fictional unit about lending tools.

ZZT 901 A Lend tools

Performance criteria

You need to show that you:

1. Check each tool before a loan
2. Record each loan
"""


def test_every_placeholder_is_named_with_its_own_line(tmp_path: Path) -> None:
    source = tmp_path / "unit.txt"
    source.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "unit.yaml"
    report = import_unit(source, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert report.placeholders
    for found in report.placeholders:
        assert found.line is not None
        assert PLACEHOLDER in lines[found.line - 1] or found.text[:20] in lines[found.line - 1]
    fields = [p.field for p in report.placeholders]
    assert "elements[0].criteria[0].explanation" in fields
    assert "elements[0].criteria[1].prompts[1]" in fields
    assert "assessment_strategy.notes[0]" in fields
    assert str(report.placeholders[0]).startswith(f"{out}:")


def test_comments_are_not_placeholders_and_a_finished_unit_has_none() -> None:
    assert find_placeholders(f"# {PLACEHOLDER} in a comment\nschema: nos-unit/1\n", "x") == []
    assert unit_placeholders(load_standard()) == []


def test_init_warns_about_each_placeholder_left(tmp_path: Path) -> None:
    source = tmp_path / "unit.txt"
    source.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "unit.yaml"
    import_unit(source, out)
    result = CliRunner().invoke(
        main,
        [
            "init",
            str(tmp_path / "folio"),
            "--unit",
            str(out),
            "--name",
            "Sam Learner",
            "--centre",
            "Centre",
            "--assessor",
            "Ana Assessor",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "still has" in result.output and "placeholders" in result.output
    assert f"{out}:" in result.output
    assert "explanation: TO WRITE (ours): A1 in plain English" in result.output


def test_check_says_a_bundled_unit_is_ready() -> None:
    path = load_standard().source_path
    result = CliRunner().invoke(main, ["standard", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "CPC 306 is ready to use (21 criteria)" in result.output


def test_check_refuses_a_file_that_does_not_load(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: nos-unit/1\ncode: ZZ 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["standard", "check", str(bad)])
    assert result.exit_code == 4
    assert "bad.yaml" in result.output
