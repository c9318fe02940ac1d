"""The stand-in for rfc3987_syntax: imported late, and jsonschema's iri checks unchanged."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("rfc3987_syntax")

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
    out = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True
    ).stdout.split()
    # Before any check, nbformat's import left the stand-in; the first check loaded the
    # real module, which accepts a real IRI and refuses a space.
    assert out == ["True", "True", "False", "True"]
