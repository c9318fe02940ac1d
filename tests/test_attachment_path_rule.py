"""An attachment's path is accepted exactly when it is '<record id>/<file name>'.

The model takes the usual shape without parsing a path (thousands of records are read at
once); what it accepts must be what the pathlib rule accepts, on every short combination.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from pydantic import ValidationError

from cpc306_portfolio.portfolio.models import Attachment

SHA = "0" * 64
PIECES = ["E001", "a", ".", "..", "/", "", "x.pdf", " ", "\\", "//"]


def _pathlib_rule(value: str) -> bool:
    path = Path(value)
    return not (path.is_absolute() or ".." in path.parts or len(path.parts) != 2)


def _accepted(value: str) -> bool:
    """What the model's own rule says (other checks of the field, such as blank text, aside)."""
    try:
        assert Attachment._relative(value) == value
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("length", [1, 2, 3, 4])
def test_the_model_accepts_what_the_pathlib_rule_accepts(length):
    for combo in itertools.product(PIECES, repeat=length):
        value = "".join(combo)
        assert _accepted(value) == _pathlib_rule(value), repr(value)


def test_the_model_still_refuses_a_path_out_of_the_evidence_folder():
    for value in ("../secret.txt", "E001/../../x", "/etc/passwd", "E001", "E001/a/b"):
        with pytest.raises(ValidationError):
            Attachment(path=value, sha256=SHA, size=1)
    assert Attachment(path="E001/notes.pdf", sha256=SHA, size=1).path == "E001/notes.pdf"
