from __future__ import annotations

import ast
import pickle

import pytest

import cpc306_portfolio.errors as errors
from cpc306_portfolio.errors import (
    ConfidentialityError,
    PortfolioError,
    Problem,
    ProblemsError,
    error_classes,
    exit_codes,
)

from .conftest import ROOT


def _all_subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_all_subclasses(sub)]
    return out


def _example(cls: type) -> PortfolioError:
    problem = Problem("evidence/E001.yaml", "unknown criterion 'Z1'", field="criteria[0]", line=7)
    if issubclass(cls, ProblemsError):
        return cls([problem], hint="fix it")
    if issubclass(cls, ConfidentialityError):
        return cls("text names someone", [{"kind": "nhs_number"}], hint="edit it")
    return cls("went wrong", hint="do this")


@pytest.mark.parametrize("cls", [PortfolioError, *_all_subclasses(PortfolioError)])
def test_every_error_pickles_with_its_details(cls):
    error = _example(cls)
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is cls
    assert str(again) == str(error)
    assert again.hint == error.hint
    assert again.exit_code == error.exit_code
    if isinstance(error, ProblemsError):
        assert again.problems == error.problems


def test_every_error_is_in_the_one_hierarchy():
    public = [
        obj
        for name, obj in vars(errors).items()
        if isinstance(obj, type) and issubclass(obj, Exception) and not name.startswith("_")
    ]
    assert all(issubclass(cls, PortfolioError) for cls in public)


def test_a_problem_reads_as_file_line_field_message_hint():
    problem = Problem("evidence/E001.yaml", "unknown criterion 'Z1'", "criteria[0]", 7, "use A1")
    assert str(problem) == "evidence/E001.yaml:7: criteria[0]: unknown criterion 'Z1' (use A1)"


def test_several_problems_are_all_listed():
    problems = [Problem("a.yaml", "one"), Problem("b.yaml", "two")]
    text = str(ProblemsError(problems))
    assert "2 problems" in text
    assert "a.yaml: one" in text
    assert "b.yaml: two" in text


def test_each_exit_code_is_introduced_by_one_class_that_says_what_it_means():
    introduced: dict[int, type] = {}
    for cls in error_classes():
        parent = next((b for b in cls.__mro__[1:] if issubclass(b, PortfolioError)), None)
        if parent is None or cls.exit_code != parent.exit_code:
            assert cls.exit_code not in introduced, (cls, introduced.get(cls.exit_code))
            assert "exit_meaning" in vars(cls), f"{cls.__name__} needs its own exit_meaning"
            introduced[cls.exit_code] = cls
    assert set(exit_codes()) == {0, *introduced}
    assert all(exit_codes()[code] == cls.exit_meaning for code, cls in introduced.items())


def test_the_cli_exits_only_with_codes_from_error_classes():
    numbered = []
    for path in sorted((ROOT / "cpc306_portfolio").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute | ast.Name)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) == "exit"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value != 0
            ):
                numbered.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert numbered == [], "exit with SomeError.exit_code, not a number"
