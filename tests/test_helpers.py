"""The shared test helpers in conftest.py keep their promises: other tests' honesty rests
on them (a watch on opened files that saw nothing would let a "read nothing" test pass)."""

from __future__ import annotations

import ipywidgets as w
import pytest

from .conftest import (
    files_opened,
    find_widget,
    find_widgets,
    in_ci,
    only_widget,
    require,
    run_cli,
    widgets_in,
)


def test_files_opened_counts_each_open_under_its_folder_only(tmp_path):
    inside = tmp_path / "watched" / "a.txt"
    inside.parent.mkdir()
    inside.write_text("a", encoding="utf-8")
    outside = tmp_path / "b.txt"
    outside.write_text("b", encoding="utf-8")
    with files_opened(tmp_path / "watched") as opened:
        inside.read_text(encoding="utf-8")
        inside.read_bytes()
        outside.read_text(encoding="utf-8")
    assert opened == {"a.txt": 2}
    inside.read_text(encoding="utf-8")  # after the watch: not counted
    assert opened == {"a.txt": 2}


def test_files_opened_sees_os_open_too_and_can_be_nested(tmp_path):
    import os

    path = tmp_path / "x.yaml"
    path.write_text("x: 1\n", encoding="utf-8")
    with files_opened(tmp_path) as outer:
        with files_opened(tmp_path) as inner:
            os.close(os.open(path, os.O_RDONLY))
        path.read_text(encoding="utf-8")
    assert inner == {"x.yaml": 1} and outer == {"x.yaml": 2}


def test_run_cli_checks_the_exit_code_and_hands_back_the_output():
    assert "Usage:" in run_cli("--help")
    with pytest.raises(AssertionError):
        run_cli("no-such-command")  # exit 2, not 0
    assert "No such command" in run_cli("no-such-command", code=2)


def test_widgets_are_found_by_class_anywhere_in_the_tree():
    leaf = w.HTML(value="x")
    leaf.add_class("cpc306-leaf")
    twin = w.HTML(value="y")
    twin.add_class("cpc306-leaf")
    tree = w.VBox([w.HBox([leaf]), twin])
    assert list(widgets_in(tree))[:3] == [tree, tree.children[0], leaf]
    assert find_widgets(tree, "cpc306-leaf") == [leaf, twin]
    assert find_widget(tree, "cpc306-leaf") is leaf
    with pytest.raises(AssertionError, match="2 widgets have the class 'cpc306-leaf'"):
        only_widget(tree, "cpc306-leaf")
    with pytest.raises(AssertionError, match="no widget has the class 'cpc306-none'"):
        find_widget(tree, "cpc306-none")
    w.Widget.close_all()


def test_a_check_that_cannot_run_skips_here_and_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert in_ci()
    with pytest.raises(pytest.fail.Exception, match="must run in CI: no widget"):
        require(False, "no widget")
    require(True, "ready")  # nothing happens when the check can run
    monkeypatch.setenv("CI", "0")
    with pytest.raises(pytest.skip.Exception, match="no widget"):
        require(False, "no widget")
