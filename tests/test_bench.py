"""bench/summary.py cannot rot: it runs end to end on tiny inputs and prints its keys.

The figures themselves are not checked (no test asserts a time); only that every one is
measured, is a positive number, and that the JSON has exactly the documented keys.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from summary import KEYS, LABELS  # bench/summary.py

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "summary.py"

pytestmark = [pytest.mark.kernel, pytest.mark.browser]


def test_every_key_is_named_once_and_documented():
    assert len(set(KEYS)) == len(KEYS)
    assert set(LABELS) == set(KEYS)


def test_summary_runs_on_tiny_inputs_and_prints_every_key():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--tiny", "--json"],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert list(figures) == list(KEYS)
    assert all(isinstance(v, (int, float)) and v > 0 for v in figures.values()), figures
    assert figures["batch_ratio"] == pytest.approx(
        figures["hand_loop_s"] / figures["batch_s"], rel=0.01
    )
