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

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "summary.py"

pytestmark = [pytest.mark.kernel, pytest.mark.browser]

EXPECTED = {
    "cli_help_s",
    "python_start_s",
    "status_sample_s",
    "render_sample_s",
    "render_stock_s",
    "big_status_s",
    "big_validate_s",
    "big_scan_s",
    "big_list_s",
    "big_render_s",
    "big_render_peak_mib",
    "scan_mb_s",
    "open_large_html_s",
    "batch_s",
    "hand_loop_s",
    "batch_ratio",
    "batch_core_s_per_learner",
    "app_start_s",
    "app_home_s",
    "app_criterion_s",
    "pdf_render_s",
    "pdf_plain_render_s",
    "pdf_attach_s",
    "dask_core_s_per_learner",
    "local_core_s_per_learner",
    "huge_status_s",
    "huge_validate_s",
    "huge_scan_s",
    "huge_list_s",
    "huge_render_s",
    "huge_render_peak_mib",
}


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
    assert set(figures) == EXPECTED
    assert all(isinstance(v, (int, float)) and v > 0 for v in figures.values()), figures
    assert figures["batch_ratio"] == pytest.approx(
        figures["hand_loop_s"] / figures["batch_s"], rel=0.01
    )
