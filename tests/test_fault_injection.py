"""A short run of the fault-injection script (``python -m tests.fault_injection`` runs more)."""

from __future__ import annotations

import pytest

from .fault_injection import run


@pytest.mark.parametrize("seed", [7])
def test_killed_operations_lose_nothing_and_leave_no_orphan(seed, capsys):
    outcome = run(trials=30, seed=seed)
    acknowledged = sum(outcome.acknowledged.values())
    print(f"{outcome.trials} trials, {outcome.killed} killed, {acknowledged} acknowledged")
    assert outcome.trials == 30
    assert outcome.failures == []
    # Both sides were exercised: some operations were killed part-way (what the checks are
    # for), and some returned, so an acknowledged change was looked for on disk.
    assert outcome.killed >= 1, outcome
    assert acknowledged >= 1, outcome
    assert outcome.killed + acknowledged == outcome.trials, outcome
