"""A unit as a Mahara SmartEvidence framework: what Mahara needs, and odd files read back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio import export_matrix
from cpc306_portfolio.errors import NotFoundError, UsageError
from cpc306_portfolio.standard import Standard
from cpc306_portfolio.standard.mahara import parse_matrix, read_matrix, to_matrix
from cpc306_portfolio.standard.placeholders import PLACEHOLDER

from .units_in_code import unit


def framework(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "ZZT 901 Keep a fictional tool library in order",
        "description": "Tools that last",
        "standards": [
            {
                "shortname": "A",
                "name": "A - Lend tools",
                "description": "Lend tools",
                "standardid": 1,
            },
            {"shortname": "Knowledge", "name": "Knowledge", "standardid": 2},
        ],
        "standardelements": [
            {
                "shortname": "A1",
                "description": "Check each tool",
                "standardid": 1,
                "elementid": "1.1",
            },
            {
                "shortname": "K1",
                "description": "How tools wear",
                "standardid": 2,
                "elementid": "2.1",
            },
        ],
    }
    base.update(over)
    return {"framework": base}


def test_names_are_cut_to_mahara_s_limit_but_descriptions_keep_every_word() -> None:
    data = unit()
    long_text = "Check each tool against its **condition** record " + "and more " * 40
    data["elements"][0]["criteria"][0]["text"] = long_text.strip()
    matrix = to_matrix(Standard.model_validate(data))["framework"]
    a1 = next(e for e in matrix["standardelements"] if e["shortname"] == "A1")
    assert len(a1["name"]) == 255
    assert a1["name"].startswith("A1 - Check each tool") and a1["name"].endswith("…")
    assert a1["description"] == long_text.strip()
    b1 = next(e for e in matrix["standardelements"] if e["shortname"] == "B1")
    assert b1["name"] == "B1 - Log each repair"


def test_sub_items_hang_under_their_item_and_ids_count_per_standard() -> None:
    matrix = to_matrix(Standard.model_validate(unit()))["framework"]
    assert [s["shortname"] for s in matrix["standards"]] == ["A", "B", "Knowledge"]
    by_id = {e["shortname"]: e for e in matrix["standardelements"]}
    # Element ids are the entries' own ids, never dotted numbers Mahara could confuse.
    assert by_id["A2"]["elementid"] == "A2"
    assert by_id["B1"]["elementid"] == "B1"
    assert by_id["K2"]["elementid"] == "K2"
    assert by_id["K2a"]["parentelementid"] == "K2"
    assert by_id["K2a"]["elementid"] == "K2a"
    assert "parentelementid" not in by_id["K4"]
    # A unit with no key purpose and no knowledge intro still says something for each.
    assert matrix["description"] == "Keep a fictional tool library in order"
    assert matrix["standards"][-1]["description"] == "Knowledge"


def test_export_writes_json_that_reads_back_to_the_same_ids(tmp_path: Path) -> None:
    out = export_matrix(Standard.model_validate(unit()), tmp_path / "zzt901.matrix")
    assert out == tmp_path / "zzt901.matrix"
    assert out.read_text(encoding="utf-8").endswith("}\n")
    result = read_matrix(out)
    draft = result.draft
    assert draft["code"] == "ZZT 901"
    assert draft["title"] == "Keep a fictional tool library in order"
    assert [[c["id"] for c in e["criteria"]] for e in draft["elements"]] == [["A1", "A2"], ["B1"]]
    [group] = draft["knowledge"]["groups"]
    assert [i["id"] for i in group["items"]] == ["K1", "K2", "K4"]
    assert group["items"][1]["sub_items"] == [{"id": "K2a", "text": "dry"}]
    assert result.notes == []


@pytest.mark.parametrize("data", [[], {"name": "x"}, {"framework": "x"}, None])
def test_a_file_that_is_not_a_framework_says_how_to_get_one(data: Any) -> None:
    with pytest.raises(UsageError) as caught:
        parse_matrix(data, "odd.matrix")
    assert caught.value.message.startswith("odd.matrix: not a SmartEvidence framework")
    assert "export the framework from Mahara" in caught.value.hint


def test_a_name_with_no_unit_code_becomes_a_placeholder_and_a_note() -> None:
    result = parse_matrix(framework(name="Tool library care"))
    assert result.draft["code"] == f"{PLACEHOLDER} the unit's code"
    assert result.draft["title"] == "Tool library care"
    [note] = result.notes
    assert note.message.startswith("the framework's name 'Tool library care' starts with no")
    assert "--code CODE" in note.message
    given = parse_matrix(framework(name="Tool library care"), code="ZZT  902")
    assert given.draft["code"] == "ZZT 902"
    assert given.notes == []


def test_entries_that_cannot_be_placed_are_noted_never_dropped_silently() -> None:
    data = framework()
    data["framework"]["standardelements"] += [
        {"shortname": "X9", "description": "orphan", "standardid": 7},
        {
            "shortname": "A1a",
            "description": "a sub-criterion",
            "standardid": 1,
            "parentelementid": "1.9",
        },
        {
            "shortname": "K1a",
            "description": "lost child",
            "standardid": 2,
            "parentelementid": "2.9",
        },
    ]
    result = parse_matrix(data)
    assert [n.message for n in result.notes] == [
        "standardelements[2]: no standard 7; not placed",
        "standardelements[3]: parent '1.9' is not an element of its standard; kept at the "
        "top level",
        "standardelements[4]: parent '2.9' is not an element of its standard; kept at the "
        "top level",
    ]
    assert [c["id"] for c in result.draft["elements"][0]["criteria"]] == ["A1", "A1a"]


def test_ids_mahara_allows_but_a_unit_does_not_are_made_valid() -> None:
    data = framework()
    data["framework"]["standards"][0]["shortname"] = "1"
    data["framework"]["standardelements"][0]["shortname"] = "1.1"
    data["framework"]["standardelements"][1]["shortname"] = "K-1 (a)"
    draft = parse_matrix(data).draft
    assert draft["elements"][0]["id"] == "E1"
    assert draft["elements"][0]["criteria"][0]["id"] == "P1_1"
    assert draft["knowledge"]["groups"][0]["items"][0]["id"] == "K_1_a"


def test_text_falls_back_to_the_name_without_its_id_prefix() -> None:
    data = framework()
    data["framework"]["standardelements"][0] = {
        "shortname": "A1",
        "name": "A1 - Check each tool",
        "standardid": 1,
        "elementid": "1.1",
    }
    draft = parse_matrix(data).draft
    assert draft["elements"][0]["criteria"][0]["text"] == "Check each tool"
    assert draft["elements"][0]["title"] == "Lend tools"


def test_a_knowledge_standard_with_no_items_is_left_out() -> None:
    data = framework()
    data["framework"]["standardelements"].pop()
    assert "knowledge" not in parse_matrix(data).draft


def test_read_matrix_refuses_a_missing_file_and_one_that_is_not_json(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such file"):
        read_matrix(tmp_path / "gone.matrix")
    bad = tmp_path / "bad.matrix"
    bad.write_text("{not json")
    with pytest.raises(UsageError, match=r"not a JSON \.matrix file"):
        read_matrix(bad)
    latin = tmp_path / "latin.matrix"
    latin.write_bytes(json.dumps(framework()).encode() + b"\xff")
    with pytest.raises(UsageError, match=r"not UTF-8 text"):
        read_matrix(latin)
