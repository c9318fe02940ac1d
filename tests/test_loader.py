"""Finding units by the code inside them, and why a file in the search path is not a unit."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from cpc306_portfolio.errors import NotFoundError, StandardError
from cpc306_portfolio.files.yamlio import dump_yaml
from cpc306_portfolio.standard import (
    Standard,
    find_units,
    load_standard,
    same_code,
    standard_dirs,
    unit_sha256,
    unit_text,
)
from cpc306_portfolio.standard.loader import BUNDLED_DIR, STANDARD_PATH_ENV

from .units_in_code import unit

UNITS = Path(__file__).parent / "data" / "units"


@pytest.fixture
def centre(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "centre-units"
    folder.mkdir()
    monkeypatch.setenv(STANDARD_PATH_ENV, str(folder))
    return folder


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("CPC 306", "cpc306", True),
        ("CPC 306", "C.P.C-306", True),
        ("CPC 306", "CPC 3060", False),
        ("HVM 112", "HVM112 ", True),
        ("ZZT 901", "ZZT 910", False),
    ],
)
def test_same_code_ignores_case_spaces_and_punctuation_only(a: str, b: str, same: bool):
    assert same_code(a, b) is same


def test_standard_dirs_puts_the_centre_folders_first_and_skips_empty_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    monkeypatch.setenv(STANDARD_PATH_ENV, f"{one}{os.pathsep}{os.pathsep}{two}{os.pathsep}")
    assert standard_dirs() == [one, two, BUNDLED_DIR]
    monkeypatch.delenv(STANDARD_PATH_ENV)
    assert standard_dirs() == [BUNDLED_DIR]


def test_every_file_in_the_search_path_is_listed_with_why_it_is_not_a_unit(centre: Path):
    (centre / "shopping.yaml").write_text("items: [milk]\n")
    (centre / "nocode.yml").write_text("schema: nos-unit/1\ntitle: A unit with no code\n")
    (centre / "broken.yaml").write_text("schema: nos-unit/1\ncode: [unclosed\n")
    (centre / "latin1.yaml").write_bytes(b"schema: nos-unit/1\ncode: caf\xe9\n")
    (centre / "readme.txt").write_text("not looked at\n")
    shutil.copy(UNITS / "hvm112.yaml", centre / "venue.yml")
    found = {u.path.name: u for u in find_units() if not u.bundled}
    assert set(found) == {"shopping.yaml", "nocode.yml", "broken.yaml", "latin1.yaml", "venue.yml"}
    assert found["shopping.yaml"].problem == "not a unit file (no 'schema: nos-unit/1')"
    assert found["nocode.yml"].problem == "no 'code' field"
    assert "not valid YAML" in found["broken.yaml"].problem
    assert found["latin1.yaml"].problem.startswith("cannot be read:")
    assert (found["venue.yml"].code, found["venue.yml"].problem) == ("HVM 112", "")
    assert found["venue.yml"].origin == f"from {STANDARD_PATH_ENV}"
    assert all(u.code is None for n, u in found.items() if n != "venue.yml")
    bundled = [u for u in find_units() if u.bundled]
    assert [u.code for u in bundled] == ["CPC 306"]
    assert bundled[0].origin == "bundled with cpc306-portfolio"


def test_a_unit_linked_twice_into_the_path_is_listed_once(
    centre: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(UNITS / "hvm112.yaml", centre / "hvm112.yaml")
    other = tmp_path / "other"
    other.mkdir()
    (other / "again.yaml").symlink_to(centre / "hvm112.yaml")
    monkeypatch.setenv(STANDARD_PATH_ENV, f"{centre}{os.pathsep}{other}")
    codes = [u.code for u in find_units()]
    assert codes.count("HVM 112") == 1
    assert load_standard("hvm112").code == "HVM 112"


def test_an_unknown_code_lists_the_units_known_and_how_to_add_one(centre: Path) -> None:
    shutil.copy(UNITS / "hvm112.yaml", centre / "a.yaml")
    with pytest.raises(NotFoundError) as caught:
        load_standard("ZZT 901")
    assert "no unit standard called 'ZZT 901'" in caught.value.message
    assert "known units: CPC 306, HVM 112" in caught.value.hint
    assert STANDARD_PATH_ENV in caught.value.hint


def test_a_folder_given_as_the_unit_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such unit file"):
        load_standard(tmp_path)
    with pytest.raises(NotFoundError, match="no such unit file"):
        load_standard(tmp_path / "missing.yml")


def test_a_unit_file_that_is_not_utf8_is_a_standard_error(tmp_path: Path) -> None:
    path = tmp_path / "unit.yaml"
    path.write_bytes(dump_yaml(unit(title="Caf\u00e9 tools")).encode("latin-1"))
    with pytest.raises(StandardError) as caught:
        load_standard(path)
    [problem] = caught.value.problems
    assert (problem.path, problem.message) == (str(path.resolve()), "not UTF-8 text")


def test_a_file_edited_since_it_was_loaded_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "unit.yaml"
    path.write_text(dump_yaml(unit()), encoding="utf-8")
    assert load_standard(path).title == "Keep a fictional tool library in order"
    path.write_text(dump_yaml(unit(title="A retitled fictional unit")), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert load_standard(path).title == "A retitled fictional unit"


def test_unit_text_is_the_file_byte_for_byte_comments_and_all(tmp_path: Path) -> None:
    text = "# our own comment, kept\n" + dump_yaml(unit())
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    standard = load_standard(path)
    assert standard.source_path == path.resolve()
    assert unit_text(standard) == text
    assert unit_sha256(standard) == hashlib.sha256(text.encode()).hexdigest()


def test_a_unit_built_in_code_has_a_text_that_loads_back_to_the_same_unit(tmp_path: Path):
    built = Standard.model_validate(unit())
    assert built.source_path is None
    text = unit_text(built)
    assert "schema: nos-unit/1" in text
    path = tmp_path / "again.yaml"
    path.write_text(text, encoding="utf-8")
    again = load_standard(path)
    assert again.model_dump() == built.model_dump()
    assert unit_sha256(built) == hashlib.sha256(text.encode()).hexdigest()


def test_the_slug_and_skipped_numbers_of_a_unit_built_in_code() -> None:
    built = Standard.model_validate(unit())
    assert built.slug == "zzt901"
    assert built.skipped_knowledge_numbers() == ["K3"]
    assert list(built.knowledge_ids) == ["K1", "K2", "K2a", "K4"]
    assert built.element_of["B1"].id == "B"
    assert built.criteria["A1"].scope_categories == ["condition"]
    assert built.evidence_kinds == {}
    mixed = unit()
    mixed["knowledge"]["groups"][0]["items"][2]["id"] = "S4"
    assert Standard.model_validate(mixed).skipped_knowledge_numbers() == []


def test_the_same_unit_text_in_two_files_is_checked_once_and_each_keeps_its_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cpc306_portfolio.standard import loader

    text = "# a cohort's copy\n" + dump_yaml(unit())
    first, second = tmp_path / "a" / "unit.yaml", tmp_path / "b" / "unit.yaml"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    a = load_standard(first)
    checked: list[object] = []
    monkeypatch.setattr(loader, "check_standard", lambda *args: checked.append(args) or [])
    b = load_standard(second)
    assert checked == []  # the text was checked when the first file loaded
    assert (a.source_path, b.source_path) == (first.resolve(), second.resolve())
    assert unit_text(b) == text and b.model_dump() == a.model_dump() and b is not a
    # A broken copy is not taken for the good one: it names its own file.
    broken = tmp_path / "c" / "unit.yaml"
    broken.parent.mkdir()
    broken.write_text(text.replace("code:", "code: [", 1), encoding="utf-8")
    with pytest.raises(StandardError) as caught:
        load_standard(broken)
    assert caught.value.problems[0].path == str(broken.resolve())
