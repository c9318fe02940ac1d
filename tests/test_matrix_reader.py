"""Mahara frameworks of our own, in each shape Mahara reads, and hostile ones.

Every framework here is made up in the test: flat with ``parentelementid`` or ``parentid``,
the older nested ``standards[].standardelement[]``, three levels, HTML descriptions,
shortnames in te reo Māori words, no unit code; and files that must be refused quickly.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cpc306_portfolio.cli import main
from cpc306_portfolio.errors import UsageError
from cpc306_portfolio.standard import Standard, load_standard
from cpc306_portfolio.standard.drafting import import_unit
from cpc306_portfolio.standard.mahara import parse_matrix, to_matrix
from cpc306_portfolio.standard.placeholders import PLACEHOLDER

from .units_in_code import unit

HTML = re.compile(r"<[a-z/][^>]*>")


def flat(parent_key: str = "parentelementid") -> dict[str, Any]:
    return {
        "framework": {
            "name": "Kaiako practice for a fictional kura",
            "description": "<p>Standards for <strong>fictional</strong> teachers.</p>",
            "standards": [
                {"shortname": "1", "name": "Ngā hononga ngaio", "standardid": 1},
                {"shortname": "2", "name": "Professional learning", "standardid": 2},
            ],
            "standardelements": [
                {
                    "shortname": "1.1",
                    "name": "1.1 Relationships with learners",
                    "description": "<p>Build trust:</p><ul><li>listen</li><li>respond</li></ul>",
                    "standardid": 1,
                    "elementid": "1.1",
                },
                {
                    "shortname": "2.1",
                    "name": "2.1 Inquiry into practice",
                    "standardid": 2,
                    "elementid": "2.1",
                },
                {
                    "shortname": "2.1.a",
                    "name": "Gather evidence of learning",
                    "standardid": 2,
                    "elementid": "2.1.a",
                    parent_key: "2.1",
                },
                {
                    "shortname": "2.1.b",
                    "name": "Try a change &amp; review it",
                    "description": "Try a change &amp; review it",
                    "standardid": 2,
                    "elementid": "2.1.b",
                    parent_key: "2.1",
                },
                {
                    "shortname": "2.2",
                    "name": "Share what was learned",
                    "standardid": 2,
                    "elementid": "2.2",
                },
            ],
        }
    }


def nested() -> dict[str, Any]:
    return {
        "framework": {
            "name": "ZZM 410 Keep a fictional beehive",
            "standards": [
                {
                    "shortname": "A",
                    "name": "Inspect the hive",
                    "standardid": 1,
                    "standardelement": [
                        {"shortname": "A1", "name": "Smoke the entrance", "elementid": "1"},
                        {
                            "shortname": "A2",
                            "name": "Check each frame",
                            "elementid": "2",
                            "standardelement": [
                                {"shortname": "A2a", "name": "for eggs", "elementid": "2a"},
                                {"shortname": "A2b", "name": "for queen cells"},
                            ],
                        },
                    ],
                },
                {
                    "shortname": "B",
                    "name": "Harvest honey",
                    "standardid": 2,
                    "standardelement": [
                        {"shortname": "B1", "name": "Leave enough for winter", "elementid": "1"}
                    ],
                },
            ],
        }
    }


@pytest.mark.parametrize("parent_key", ["parentelementid", "parentid"])
def test_a_flat_framework_keeps_every_level_letter_and_word(parent_key: str) -> None:
    result = parse_matrix(flat(parent_key), "kaiako.matrix", code="ZZK 100")
    draft = result.draft
    assert draft["code"] == "ZZK 100"
    assert draft["title"] == "Kaiako practice for a fictional kura"
    assert draft["key_purpose"] == "Standards for fictional teachers."
    assert "knowledge" not in draft
    shape = [(e["id"], e["title"], [c["id"] for c in e["criteria"]]) for e in draft["elements"]]
    # Standard 2's element 2.1 has children: it is a heading, its leaves its criteria.
    assert shape == [
        ("E1", "Ngā hononga ngaio", ["P1_1"]),
        ("E2", "Professional learning", ["P2_2"]),
        ("E2_1", "Inquiry into practice", ["P2_1_a", "P2_1_b"]),
    ]
    texts = {c["id"]: c["text"] for e in draft["elements"] for c in e["criteria"]}
    assert texts["P1_1"] == "Build trust:\n- listen\n- respond"
    assert texts["P2_1_a"] == "Gather evidence of learning"
    assert texts["P2_1_b"] == "Try a change & review it"
    assert not any(HTML.search(t) for t in texts.values())
    Standard.model_validate(draft)


def test_ids_keep_every_letter_of_a_shortname() -> None:
    data = flat()
    data["framework"]["standards"][0]["shortname"] = "Ngā hononga ngaio"
    draft = parse_matrix(data, code="ZZK 100").draft
    assert draft["elements"][0]["id"] == "Ngā_hononga_ngaio"
    assert Standard.model_validate(draft).elements[0].id == "Ngā_hononga_ngaio"


def test_the_older_nested_layout_keeps_its_criteria_and_third_level() -> None:
    result = parse_matrix(nested(), "hive.matrix")
    draft = result.draft
    assert draft["code"] == "ZZM 410"
    shape = [(e["id"], [c["id"] for c in e["criteria"]]) for e in draft["elements"]]
    assert shape == [("A", ["A1"]), ("A2", ["A2a", "A2b"]), ("B", ["B1"])]
    Standard.model_validate(draft)


def test_no_code_is_a_marked_placeholder_and_the_draft_still_loads(tmp_path: Path) -> None:
    source = tmp_path / "kaiako.matrix"
    source.write_text(json.dumps(flat()), encoding="utf-8")
    report = import_unit(source, tmp_path / "kaiako.yaml")
    assert report.code.startswith(PLACEHOLDER)
    assert report.knowledge == 0
    assert any(p.field == "code" and p.line for p in report.placeholders)
    assert "--code CODE" in (tmp_path / "kaiako.yaml").read_text(encoding="utf-8")


def _php_loose_equal(a: str, b: str) -> bool:
    """PHP 8's ``==`` on two strings: numeric strings compare as numbers."""
    numeric = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")
    if numeric.match(a) and numeric.match(b):
        return float(a) == float(b)
    return a == b


def test_the_export_survives_mahara_s_loose_parent_match() -> None:
    data = unit()
    criteria = data["elements"][0]["criteria"]
    template = criteria[0]
    data["elements"][0]["criteria"] = [
        {**template, "id": f"A{n}", "bold_terms": []} for n in range(1, 12)
    ]  # A1 and A10, A11: the 4.1 / 4.10 case if ids were dotted numbers
    data["knowledge"]["groups"][0]["items"] = [
        {"id": f"K{n}", "text": f"item {n}", "sub_items": [{"id": f"K{n}a", "text": "a part"}]}
        for n in range(1, 12)
    ]
    framework = to_matrix(Standard.model_validate(data))["framework"]
    ids = [e["elementid"] for e in framework["standardelements"]]
    for entry in framework["standardelements"]:
        parent = entry.get("parentelementid")
        if parent:
            assert [i for i in ids if _php_loose_equal(i, parent)] == [parent]
    for a in ids:
        assert [b for b in ids if _php_loose_equal(a, b)] == [a]


def test_the_export_reads_back_with_a_dotted_loose_case(tmp_path: Path) -> None:
    data = flat()
    data["framework"]["standardelements"] += [
        {"shortname": f"1.{n}", "name": f"crit {n}", "standardid": 1, "elementid": f"1.{n}"}
        for n in range(2, 11)
    ] + [{"shortname": "1.10.x", "name": "under 1.10", "standardid": 1, "parentid": "1.10"}]
    draft = parse_matrix(data, code="ZZK 100").draft
    # "1.10" is its own heading; "1.1" keeps no child.
    headings = {e["id"]: [c["id"] for c in e["criteria"]] for e in draft["elements"]}
    assert headings["E1_10"] == ["P1_10_x"]
    assert "P1_1" in headings["E1"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"framework": {"standards": "x"}}, "standards is str, not a list"),
        ({"framework": {"standards": [1]}}, "standards[0] is int, not an object"),
        (
            {"framework": {"standards": [{"shortname": ["A"]}]}},
            "standards[0].shortname is list, not text or a number",
        ),
        (
            {"framework": {"standardelements": [{"standardid": {"x": 1}}]}},
            "standardelements[0].standardid is dict, not text or a number",
        ),
        (
            {"framework": {"standards": [{"standardelement": {"x": 1}}]}},
            "standards[0].standardelement is dict, not a list",
        ),
    ],
)
def test_wrong_types_are_refused_naming_the_field(data: Any, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_matrix(data, "odd.matrix")
    assert caught.value.message == f"odd.matrix: {message}"


def test_deep_json_is_refused_without_a_traceback(tmp_path: Path) -> None:
    source = tmp_path / "deep.matrix"
    source.write_text('{"framework": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = CliRunner().invoke(main, ["standard", "import", str(source), "-o", "x.yaml"])
    assert result.exit_code == UsageError.exit_code
    assert "Traceback" not in result.output
    assert "nested too deep" in result.output or "not a SmartEvidence" in result.output


def test_deep_nesting_of_standard_elements_is_refused(tmp_path: Path) -> None:
    inner: dict[str, Any] = {"shortname": "x"}
    for _ in range(300):
        inner = {"shortname": "x", "standardelement": [inner]}
    data = {"framework": {"standards": [{"shortname": "A", "standardelement": [inner]}]}}
    with pytest.raises(UsageError, match="nested more than 200 levels deep"):
        parse_matrix(data, "deep.matrix")


def test_a_million_elements_are_refused_quickly_and_nothing_is_written(tmp_path: Path) -> None:
    source = tmp_path / "huge.matrix"
    element = '{"shortname":"1","standardid":1}'
    source.write_text(
        '{"framework":{"name":"ZZT 1 x","standards":[{"shortname":"A","standardid":1}],'
        '"standardelements":[' + ",".join([element] * 1_000_000) + "]}}"
    )
    out = tmp_path / "huge.yaml"
    started = time.monotonic()
    result = CliRunner().invoke(main, ["standard", "import", str(source), "-o", str(out)])
    assert time.monotonic() - started < 15
    assert result.exit_code == UsageError.exit_code
    assert "Traceback" not in result.output
    assert "MB" in result.output or "20,000" in result.output
    assert not out.exists()


def test_a_draft_too_large_for_a_unit_file_is_refused_before_writing(tmp_path: Path) -> None:
    data = flat()
    data["framework"]["standardelements"] = [
        {"shortname": f"P{n}", "name": f"crit {n}", "standardid": 1} for n in range(3000)
    ]
    source = tmp_path / "wide.matrix"
    source.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "wide.yaml"
    with pytest.raises(UsageError, match="nothing was written"):
        import_unit(source, out)
    assert not out.exists()


def test_cli_import_with_code_then_check_says_what_is_left(tmp_path: Path) -> None:
    source = tmp_path / "hive.matrix"
    source.write_text(json.dumps(nested()), encoding="utf-8")
    out = tmp_path / "hive.yaml"
    runner = CliRunner()
    result = runner.invoke(main, ["standard", "import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 criteria, no knowledge" in result.output
    assert re.search(
        rf"{re.escape(str(out))}:\d+: elements\[0\]\.criteria\[0\]\.explanation", result.output
    )
    checked = runner.invoke(main, ["standard", "check", str(out)])
    assert checked.exit_code == 4
    assert "not ready" in checked.output
    text = out.read_text(encoding="utf-8")
    done = re.sub(r"TO WRITE \(ours\):", "Written:", text.split("\n\n", 1)[1])
    out.write_text(done, encoding="utf-8")
    checked = runner.invoke(main, ["standard", "check", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "ready to use (4 criteria)" in checked.output
    assert load_standard(out).code == "ZZM 410"


def test_many_entries_with_one_shortname_cost_linear_time() -> None:
    elements = [{"shortname": "x", "name": "y", "standardid": 1} for _ in range(19_000)]
    data = {"framework": {"name": "ZZ 1 x", "standards": [{"shortname": "A", "standardid": 1}]}}
    data["framework"]["standardelements"] = elements
    started = time.monotonic()
    result = parse_matrix(data)
    assert time.monotonic() - started < 10
    ids = [c["id"] for c in result.draft["elements"][0]["criteria"]]
    assert ids[:3] == ["x", "x_2", "x_3"] and len(set(ids)) == 19_000


@pytest.mark.parametrize(
    "html",
    ["<!--" * 200_000, "<a " * 200_000, "<" * 500_000, "<!x" * 200_000, "A" * 500_000],
    ids=["open-comments", "open-tags", "brackets", "declarations", "capitals"],
)
def test_hostile_descriptions_and_names_read_in_linear_time(html: str) -> None:
    data = flat()
    data["framework"]["name"] = html
    data["framework"]["standardelements"][0]["description"] = html
    started = time.monotonic()
    parse_matrix(data, code="ZZK 100")
    assert time.monotonic() - started < 10
