"""A short run of the fault-injection script (``python -m tests.fault_injection`` runs more)."""

from __future__ import annotations

import pytest

from .fault_injection import run


@pytest.mark.parametrize("seed", [7])
def test_killed_operations_lose_nothing_and_leave_no_orphan(seed, capsys):
    outcome = run(trials=30, seed=seed)
    print(f"{outcome.trials} trials, {outcome.killed} killed, {len(outcome.failures)} failures")
    assert outcome.trials == 30
    assert outcome.failures == []
