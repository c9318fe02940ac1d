"""``cpc306 standard show|export|import``: which unit each uses, and what it prints."""

from __future__ import annotations

import json
import re

from cpc306_portfolio import load_standard

from .conftest import DATA, run_cli

SECOND_UNIT = DATA / "units" / "sgx035.yaml"
CPC_SOURCE = DATA / "cpc306_source.txt"


def test_show_prints_every_element_criterion_scope_option_and_knowledge_item(cpc306):
    out = run_cli("standard", "show")
    lines = [line.strip() for line in out.splitlines()]
    assert lines[0] == f"{cpc306.code} {cpc306.title}"
    for element in cpc306.elements:
        assert f"{element.id}  {element.title}" in lines
    for crit in cpc306.criteria.values():
        assert any(line.startswith(crit.id) and crit.text[:40] in line for line in lines), crit.id
    assert "Scope" in lines and "Knowledge" in lines
    for cat in cpc306.scope:
        for opt in cat.options:
            assert any(line.startswith(f"{cat.id}/{opt.id}") for line in lines), opt.id
    for item in cpc306.knowledge_items.values():
        assert any(line.startswith(item.id) for line in lines), item.id


def test_show_takes_the_unit_from_standard_when_none_is_named():
    unit = load_standard(SECOND_UNIT)
    out = run_cli("--standard", SECOND_UNIT, "standard", "show")
    assert out.splitlines()[0] == f"{unit.code} {unit.title}"
    assert "CPC 306" not in out


def test_a_named_unit_wins_over_standard():
    out = run_cli("--standard", SECOND_UNIT, "standard", "show", "CPC 306")
    assert out.startswith("CPC 306 ")


def test_show_json_is_the_whole_unit():
    data = json.loads(run_cli("standard", "show", str(SECOND_UNIT), "--json"))
    unit = load_standard(SECOND_UNIT)
    assert data["code"] == unit.code
    assert [e["id"] for e in data["elements"]] == [e.id for e in unit.elements]


def test_show_an_unknown_unit_names_the_known_ones():
    out = run_cli("standard", "show", "ZZZ 000", code=3)
    assert "no unit standard called 'ZZZ 000'" in out and "known units: CPC 306" in out


def test_export_defaults_to_the_standard_option_then_cpc306(tmp_path):
    first = tmp_path / "cpc306.matrix"
    assert run_cli("standard", "export", "-o", first).strip() == str(first)
    assert json.loads(first.read_text(encoding="utf-8"))["framework"]["name"].startswith("CPC 306")
    second = tmp_path / "second.matrix"
    run_cli("--standard", SECOND_UNIT, "standard", "export", "-o", second)
    framework = json.loads(second.read_text(encoding="utf-8"))["framework"]
    assert framework["name"].startswith(load_standard(SECOND_UNIT).code)


def test_export_needs_an_output_file():
    out = run_cli("standard", "export", code=2)
    assert "Missing option '-o' / '--output'" in out


def test_import_lists_what_to_check_by_hand_and_what_to_do_next(tmp_path):
    out_file = tmp_path / "unit.yaml"
    out = run_cli("standard", "import", CPC_SOURCE, "-o", out_file)
    lines = out.splitlines()
    assert lines[0].startswith(f"Wrote {out_file}: CPC 306, 21 criteria, ")
    assert lines[0].endswith(" knowledge ids")
    assert "Check by hand:" in lines
    header = next(n for n, line in enumerate(lines) if line.endswith("still to write:"))
    notes = lines[lines.index("Check by hand:") + 1 : header]
    assert notes and all(n.startswith(f"  {CPC_SOURCE}: ") for n in notes)
    # Every placeholder left, each with its line in the draft.
    placeholders = lines[header + 1 : -1]
    assert lines[header] == f'{len(placeholders)} placeholders ("TO WRITE (ours):") still to write:'
    assert placeholders and all(
        re.match(rf"  {re.escape(str(out_file))}:\d+: \S+: TO WRITE \(ours\):", p)
        for p in placeholders
    )
    assert lines[-1] == f"Next: write every placeholder, then cpc306 standard check {out_file}"


def test_import_will_not_replace_a_file_without_force(tmp_path):
    out_file = tmp_path / "unit.yaml"
    out_file.write_text("mine\n", encoding="utf-8")
    out = run_cli("standard", "import", CPC_SOURCE, "-o", out_file, code=2)
    assert "--force" in out
    assert out_file.read_text(encoding="utf-8") == "mine\n"
