"""YAML in: every bound holds and every refusal names the file and the line; YAML out: stable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from cpc306_portfolio.errors import Problem
from cpc306_portfolio.files import yamlio
from cpc306_portfolio.files.fastyaml import FastTree
from cpc306_portfolio.files.yamlio import (
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    dump_yaml,
    field_loc,
    field_name,
    line_of,
    load_model,
    locate,
    parse_yaml,
    plain_data,
    read_yaml,
    validate_tree,
)


class Note(BaseModel):
    """A record small enough to read at a glance, strict like the portfolio's own."""

    model_config = ConfigDict(extra="forbid")

    title: str
    day: date
    count: int = 0
    tags: list[str] = []
    done: bool = False


def _one(text: str) -> Problem:
    tree, problems = parse_yaml(text, "folio/E001.yaml")
    assert tree is None
    assert len(problems) == 1
    assert problems[0].path == "folio/E001.yaml"
    return problems[0]


def test_an_alias_is_refused_with_its_line() -> None:
    problem = _one("title: a\nbase: &shared [1, 2]\ncopy: *shared\n")
    assert "alias (*shared)" in problem.message
    assert problem.line == 3


def test_a_billion_laughs_stops_at_the_first_alias_not_after_expanding() -> None:
    layers = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        layers.append(f"a{i}: &a{i} [{refs}]")
    problem = _one("\n".join(layers) + "\n")
    assert "aliases are not allowed" in problem.message
    assert problem.line == 2


def test_block_nesting_past_the_limit_is_refused_with_a_plain_message() -> None:
    levels = MAX_YAML_DEPTH + 6
    text = "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "v: 1\n"
    problem = _one(text)
    assert problem.message == f"not valid YAML: nested more than {MAX_YAML_DEPTH} levels deep"
    assert problem.line is not None and problem.line <= MAX_YAML_DEPTH + 1


def test_nesting_just_inside_the_limit_reads() -> None:
    levels = MAX_YAML_DEPTH // 2
    text = "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "v: 1\n"
    tree, problems = parse_yaml(text, "t.yaml")
    assert problems == []
    node = tree
    for i in range(levels):
        node = node[f"k{i}"]
    assert node == {"v": 1}


def test_a_run_of_flow_openers_is_refused_before_the_scanner_sees_it() -> None:
    problem = _one("title: a\nnotes: " + "[" * (MAX_YAML_DEPTH + 1) + "\n")
    assert "nested more than" in problem.message
    assert problem.line == 2
    assert "restore it from a backup" in problem.hint


def test_too_many_values_in_one_file_is_refused() -> None:
    text = "items:\n" + "- 1\n" * (MAX_YAML_NODES + 1)
    problem = _one(text)
    assert f"more than {MAX_YAML_NODES} values" in problem.message
    assert problem.line is not None and problem.line > MAX_YAML_NODES - 10


def test_a_text_over_the_size_cap_is_refused_without_parsing(monkeypatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_YAML_BYTES", 100)
    problem = _one("title: " + "x" * 200 + "\n")
    assert "too large for a portfolio file" in problem.message
    assert "attached file" in problem.hint


def test_a_control_character_is_named_with_line_and_column() -> None:
    problem = _one("title: ok\ndescription: bell\x07here\n")
    assert "U+0007" in problem.message
    assert "column 18" in problem.message
    assert problem.line == 2


def test_a_duplicate_key_names_the_second_line() -> None:
    problem = _one("title: a\ncount: 1\ncount: 2\n")
    assert 'duplicate key "count"' in problem.message
    assert problem.line == 3


def test_an_impossible_date_names_its_line() -> None:
    problem = _one("title: a\ncount: 1\nday: 2025-13-45\n")
    assert "month must be in 1..12" in problem.message
    assert problem.line == 3


def test_an_impossible_date_is_still_refused_not_read_as_text() -> None:
    problem = _one("title: a\nday: 2025-13-45\n")
    assert problem.message == "not valid YAML: month must be in 1..12"


def test_read_yaml_names_the_line_of_a_byte_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "E001.yaml"
    data = b"title: a\ncount: 1\nnote: caf\xe9\n"
    path.write_bytes(data)
    tree, [problem] = read_yaml(path)
    assert tree is None
    assert problem.line == 3
    assert f"not UTF-8 text (byte {data.index(0xE9)})" in problem.message
    assert problem.hint == "save the file as UTF-8"


def test_read_yaml_drops_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "E001.yaml"
    path.write_bytes("\ufefftitle: Überprüfung\n".encode())
    tree, problems = read_yaml(path)
    assert problems == []
    assert dict(tree) == {"title": "Überprüfung"}


def test_read_yaml_reports_a_link_and_an_unreadable_path_as_problems(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("title: a\n")
    link = tmp_path / "E001.yaml"
    link.symlink_to(real)
    tree, [problem] = read_yaml(link, tmp_path)
    assert tree is None and "symbolic link" in problem.message
    tree, [problem] = read_yaml(tmp_path / "missing.yaml")
    assert tree is None and problem.message.startswith("cannot be read:")
    assert problem.path == str(tmp_path / "missing.yaml")


def test_read_yaml_never_reads_more_than_the_cap(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_YAML_BYTES", 64)
    path = tmp_path / "E001.yaml"
    path.write_text("title: " + "y" * 1000 + "\n")
    tree, [problem] = read_yaml(path)
    assert tree is None and "too large" in problem.message and problem.line == 1


def test_a_missing_field_an_unknown_one_and_a_bad_date_are_each_located(tmp_path: Path):
    path = tmp_path / "E001.yaml"
    path.write_text("day: 20250612\ncount: lots\ncolour: blue\n")
    model, problems = load_model(Note, path)
    assert model is None
    by_field = {p.field: p for p in problems}
    assert set(by_field) == {"title", "day", "count", "colour"}
    assert by_field["title"].hint == "add this field"
    assert by_field["day"].message == "20250612 is not a date"
    assert by_field["day"].hint.startswith("write the date as YYYY-MM-DD")
    assert by_field["day"].line == 1
    assert by_field["count"].line == 2 and by_field["count"].hint == "write a whole number"
    assert by_field["colour"].message == "unknown field"
    assert by_field["colour"].line == 3
    assert all(p.path == str(path) for p in problems)


def test_a_problem_inside_a_list_names_the_item_and_its_line() -> None:
    text = "title: a\nday: 2025-06-12\ntags:\n  - one\n  - [two]\n"
    tree, _ = parse_yaml(text, "t.yaml")
    model, [problem] = validate_tree(Note, tree, "t.yaml")
    assert model is None
    assert problem.field == "tags[1]"
    assert problem.line == 5
    assert "write text here" in problem.hint


def test_validate_tree_refuses_an_empty_file_and_a_list() -> None:
    _, [empty] = validate_tree(Note, None, "E001.yaml")
    assert empty.message == "the file is empty"
    _, [listed] = validate_tree(Note, [1, 2], "E001.yaml")
    assert listed.message == "expected a mapping of fields at the top level"
    assert listed.line == 1


def test_the_fast_path_still_gives_lines_when_a_problem_is_found() -> None:
    tree, _ = parse_yaml("title: a\nday: 2025-06-12\ncount: many\n", "t.yaml")
    assert isinstance(tree, FastTree)
    assert line_of(tree, ("count",)) == 3


def test_line_of_falls_back_to_the_nearest_known_parent() -> None:
    tree, _ = parse_yaml("a: 1\nnested:\n  inner: [x, y]\n", "t.yaml")
    assert line_of(tree, ("nested", "inner", 1)) == 3
    assert line_of(tree, ("nested", "inner", 9)) == 3
    assert line_of(tree, ("nowhere",)) == 1
    assert line_of({"plain": "dict"}, ("plain",)) is None


def test_field_name_and_field_loc_are_inverse() -> None:
    for loc in [("title",), ("criteria", 2), ("learner", "name"), ("a", 0, "b", 12, "c")]:
        assert field_loc(field_name(loc)) == loc
    assert field_name(("criteria", 2, "id")) == "criteria[2].id"
    assert field_name((0, "x")) == "[0].x"


def test_locate_fills_only_problems_with_a_field_and_no_line() -> None:
    tree, _ = parse_yaml("title: a\ncount: x\n", "t.yaml")
    problems = [
        Problem("t.yaml", "bad", field="count"),
        Problem("t.yaml", "kept", field="title", line=9),
        Problem("t.yaml", "no field"),
    ]
    located = locate(problems, tree)
    assert [p.line for p in located] == [2, 9, None]


def test_plain_data_gives_builtin_types_from_a_ruamel_tree() -> None:
    tree = yamlio._reader().load("title: 'quoted'\nlist: [a, {b: c}]\n")
    data = plain_data(tree)
    assert data == {"title": "quoted", "list": ["a", {"b": "c"}]}
    assert type(data) is dict and type(data["list"]) is list
    assert type(data["title"]) is str and type(data["list"][1]) is dict


def test_dump_yaml_keeps_key_order_and_writes_long_or_multiline_text_as_blocks() -> None:
    long_line = "word " * 20
    text = dump_yaml({"z": 1, "a": "two\nlines", "m": long_line.strip(), "short": "x"})
    assert text.splitlines()[0] == "z: 1"
    assert [line.split(":")[0] for line in text.splitlines() if not line.startswith(" ")] == [
        "z",
        "a",
        "m",
        "short",
    ]
    assert "a: |" in text and "m: |" in text
    tree, problems = parse_yaml(text, "t.yaml")
    assert problems == []
    assert tree["a"] == "two\nlines" and tree["m"] == long_line.strip()


def test_dump_yaml_output_is_stable_and_lists_are_indented() -> None:
    data = {"criteria": ["A1", "B2"], "nested": {"k": ["v"]}}
    assert dump_yaml(data) == dump_yaml(data)
    assert "criteria:\n  - A1\n  - B2\n" in dump_yaml(data)


def test_without_libyaml_every_read_takes_the_line_tracking_parser(monkeypatch) -> None:
    from cpc306_portfolio.files import fastyaml

    text = "title: a\nday: 2025-06-12\ncount: 0x1F\ntags: [x, 'y']\n"
    fast, _ = parse_yaml(text, "t.yaml")
    monkeypatch.setattr(fastyaml, "_C_LOADER", False)
    slow, problems = parse_yaml(text, "t.yaml")
    assert problems == []
    assert not isinstance(slow, FastTree) and isinstance(fast, FastTree)
    assert (
        plain_data(slow)
        == dict(fast)
        == {
            "title": "a",
            "day": date(2025, 6, 12),
            "count": 31,
            "tags": ["x", "y"],
        }
    )
