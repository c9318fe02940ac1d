"""`cpc306 standard import` as a library call: the draft's header, overwriting, and the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cpc306_portfolio import import_unit
from cpc306_portfolio.errors import StandardError, UsageError
from cpc306_portfolio.files.yamlio import parse_yaml
from cpc306_portfolio.standard import Standard, load_standard
from cpc306_portfolio.standard.drafting import DRAFT_HEADER, draft_text
from cpc306_portfolio.standard.importer import ImportResult
from cpc306_portfolio.standard.mahara import to_matrix
from cpc306_portfolio.standard.placeholders import PLACEHOLDER

from .units_in_code import unit

GLS = Path(__file__).parent / "data" / "unit_sources" / "gls218_source.txt"


def test_the_header_names_the_source_on_one_comment_line() -> None:
    text = draft_text(ImportResult({"schema": "nos-unit/1"}), "odd\nname\twith  spaces.txt")
    header = text.split("\n\n", 1)[0]
    assert "from odd name with spaces.txt." in header
    assert all(line.startswith("#") for line in text.splitlines()[: DRAFT_HEADER.count("\n")])
    assert PLACEHOLDER in header
    tree, problems = parse_yaml(text, "draft.yaml")
    assert problems == [] and tree == {"schema": "nos-unit/1"}


def test_import_reports_what_it_wrote_and_the_draft_loads(tmp_path: Path) -> None:
    out = tmp_path / "gls218.yaml"
    report = import_unit(GLS, out)
    unit = load_standard(out)
    assert report.output == out
    assert report.code == unit.code == "GLS 218"
    assert report.criteria == len(unit.criteria) == 6
    assert report.knowledge == len(unit.knowledge_ids)
    assert any("K3" in str(n) for n in report.notes)  # the source's gap, kept and noted
    assert out.read_text(encoding="utf-8").startswith(
        "# A unit drafted by `cpc306 standard import` from gls218_source.txt."
    )


def test_import_refuses_to_replace_a_file_unless_asked(tmp_path: Path) -> None:
    out = tmp_path / "unit.yaml"
    out.write_text("# someone's careful work\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        import_unit(GLS, out)
    assert caught.value.message == f"{out} already exists"
    assert "--force" in caught.value.hint
    assert out.read_text(encoding="utf-8") == "# someone's careful work\n"
    import_unit(GLS, out, overwrite=True)
    assert load_standard(out).code == "GLS 218"


def test_a_matrix_is_imported_by_its_suffix_whatever_its_case(tmp_path: Path) -> None:
    source = tmp_path / "tools.MATRIX"
    source.write_text(json.dumps(to_matrix(Standard.model_validate(unit()))), encoding="utf-8")
    report = import_unit(source, tmp_path / "tools.yaml")
    assert (report.code, report.criteria) == ("ZZT 901", 3)
    drafted = load_standard(tmp_path / "tools.yaml")
    assert drafted.criteria["A1"].explanation.startswith(PLACEHOLDER)


def test_two_entries_with_one_shortname_keep_both_under_ids_of_their_own(tmp_path: Path) -> None:
    data = to_matrix(Standard.model_validate(unit()))
    data["framework"]["standardelements"][1]["shortname"] = "A1"
    source = tmp_path / "clash.matrix"
    source.write_text(json.dumps(data), encoding="utf-8")
    report = import_unit(source, tmp_path / "clash.yaml")
    assert report.criteria == 3
    assert any("id 'A1' is taken; this one is 'A1_2'" in n.message for n in report.notes)


def test_a_draft_that_does_not_load_is_kept_with_its_notes_and_reported(tmp_path: Path) -> None:
    data = to_matrix(Standard.model_validate(unit()))
    data["framework"]["standardelements"] = []
    source = tmp_path / "empty.matrix"
    source.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "empty.yaml"
    with pytest.raises(StandardError) as caught:
        import_unit(source, out)
    assert any(p.field == "elements" for p in caught.value.problems)
    assert "the unit has no criteria" in caught.value.hint
    assert f"cpc306 standard check {out}" in caught.value.hint
    assert "# Check by hand" in out.read_text(encoding="utf-8")
    assert "the unit has no criteria" in out.read_text(encoding="utf-8")
