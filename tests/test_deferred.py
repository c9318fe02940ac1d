"""The stand-in for rfc3987_syntax: imported late, and jsonschema's iri checks unchanged."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import types

import pytest

from cpc306_portfolio import deferred

from .conftest import require

CHECK = """
import sys
import cpc306_portfolio, nbformat, jsonschema
stand_in = getattr(sys.modules["rfc3987_syntax"], "_cpc306_stand_in", False)
checker = jsonschema.FormatChecker()
good = checker.conforms("https://example.org/caf\\u00e9", "iri")
bad = checker.conforms("http://a/b c", "iri")
real = not getattr(sys.modules["rfc3987_syntax"], "_cpc306_stand_in", False)
print(stand_in, good, bad, real)
"""


def test_the_grammar_waits_for_first_use_and_then_answers_as_before():
    # jupyter-events asks for jsonschema[format-nongpl], which brings it: in CI, where every
    # check must run, its absence is a failure, never a silent skip.
    installed = importlib.util.find_spec("rfc3987_syntax") is not None
    require(installed, "rfc3987_syntax is not installed, so nothing is deferred")
    out = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True
    ).stdout.split()
    # Before any check, nbformat's import left the stand-in; the first check loaded the
    # real module, which accepts a real IRI and refuses a space.
    assert out == ["True", "True", "False", "True"]


@pytest.fixture
def not_imported(monkeypatch):
    """No rfc3987_syntax in sys.modules during the test; as it was afterwards."""
    monkeypatch.setitem(sys.modules, "rfc3987_syntax", types.ModuleType("placeholder"))
    monkeypatch.delitem(sys.modules, "rfc3987_syntax")


def test_nothing_is_put_in_place_of_a_module_that_is_not_installed(not_imported, monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert deferred.defer_rfc3987_syntax() is False
    assert "rfc3987_syntax" not in sys.modules


def test_a_module_already_imported_is_left_as_it_is(monkeypatch):
    real = types.ModuleType("rfc3987_syntax")
    monkeypatch.setitem(sys.modules, "rfc3987_syntax", real)
    assert deferred.defer_rfc3987_syntax() is False
    assert sys.modules["rfc3987_syntax"] is real


def test_the_stand_in_hands_each_call_to_the_real_module(not_imported, monkeypatch):
    calls = []
    real = types.ModuleType("rfc3987_syntax")
    real.is_valid_syntax = lambda *args, **kwargs: calls.append((args, kwargs)) or "answer"
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    assert deferred.defer_rfc3987_syntax() is True
    stand_in = sys.modules["rfc3987_syntax"]
    assert stand_in._cpc306_stand_in is True

    def load(name):
        assert name == "rfc3987_syntax" and "rfc3987_syntax" not in sys.modules
        sys.modules[name] = real
        return real

    monkeypatch.setattr(deferred.importlib, "import_module", load)
    assert stand_in.is_valid_syntax("x", rule="iri") == "answer"
    assert calls == [(("x",), {"rule": "iri"})]
    assert sys.modules["rfc3987_syntax"] is real
