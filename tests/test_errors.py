from __future__ import annotations

import pickle

import pytest

import cpc306_portfolio.errors as errors
from cpc306_portfolio.errors import ConfidentialityError, PortfolioError, Problem, ProblemsError


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
