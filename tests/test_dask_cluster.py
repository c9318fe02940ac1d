"""Batches on a real local Dask cluster: one cluster (two one-thread worker processes) shared
by every test here, started once for the module.

A test may kill one of its workers: the nanny starts another, and each test waits until the
cluster has two again. The cluster is stopped at the end of this module, so no test elsewhere
runs beside its threads (a process with other threads cannot fork a learner).
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio.cohort.batch import run_batch
from cpc306_portfolio.cohort.worker import LearnerResult

from .cohorts import add_broken_yaml, add_learner, require_distributed
from .conftest import snapshot

pytestmark = pytest.mark.kernel  # a cluster of processes and warm render processes: slow

WORKERS = 2


@pytest.fixture(scope="module")
def shared_cluster() -> Iterator[Any]:
    distributed = require_distributed()
    with distributed.LocalCluster(
        n_workers=WORKERS, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster


@pytest.fixture
def dask_cluster(shared_cluster: Any) -> Any:
    """The shared cluster, once it has its two workers (a killed one is replaced)."""
    import distributed

    with distributed.Client(shared_cluster.scheduler_address, timeout="30s") as client:
        client.wait_for_workers(WORKERS, timeout=120)
    return shared_cluster


class KillOneWorker:
    """A progress sink that kills one of the cluster's worker processes mid-run."""

    def __init__(self, cluster: Any) -> None:
        self.cluster = cluster
        self.notes: list[str] = []
        self.seen = 0

    def start(self, total: int) -> None:
        pass

    def advance(self, result: LearnerResult) -> None:
        self.seen += 1
        if self.seen == 2:
            nanny = next(iter(self.cluster.workers.values()))
            os.kill(nanny.process.process.pid, signal.SIGKILL)

    def note(self, message: str) -> None:
        self.notes.append(message)

    def finish(self) -> None:
        pass


def _snapshots(cohort: Path) -> dict[str, dict[str, bytes]]:
    return {p.name: snapshot(p) for p in sorted(cohort.iterdir())}


def _warm_servers() -> list[int]:
    import psutil

    return [
        p.pid
        for p in psutil.process_iter(["cmdline"])
        if "cpc306_portfolio.cohort.warm_server" in " ".join(p.info["cmdline"] or [])
    ]


def test_batch_runs_on_a_dask_cluster(tmp_path, dask_cluster):
    cohort, out = tmp_path / "cohort", tmp_path / "out"
    add_learner(cohort, "amy", name="Amy Able")
    add_learner(cohort, "ben", name="Ben Bold", drop=5)
    add_broken_yaml(cohort)
    before = _snapshots(cohort)
    report = run_batch(cohort, out, scheduler=dask_cluster.scheduler_address, time_limit=120)
    assert sorted(r.key for r in report.rendered) == ["amy", "ben"]
    assert report.events == []
    assert [r.kind for r in report.failed] == ["invalid"]
    assert (out / "amy.html").is_file() and (out / "index.html").is_file()
    assert _snapshots(cohort) == before


def test_a_worker_lost_on_the_cluster_is_reported_and_no_learner_is_lost(tmp_path, dask_cluster):
    cohort = tmp_path / "cohort"
    for i in range(24):
        add_learner(cohort, f"l{i:02d}", name=f"Learner {i}", drop=i % 10)
    out = tmp_path / "out"
    progress = KillOneWorker(dask_cluster)
    report = run_batch(
        cohort, out, scheduler=dask_cluster.scheduler_address, render=False, progress=progress
    )
    assert sorted(r.key for r in report.results) == [f"l{i:02d}" for i in range(24)]
    assert not report.failed, [r.reason for r in report.failed]
    (event,) = report.events
    assert event["event"] == "worker_lost" and event["worker"].startswith("tcp://")
    assert progress.notes == [event["message"]]
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    assert status["events"] == [event]


def test_a_worker_killed_while_rendering_loses_no_learner_and_leaves_no_process(
    tmp_path, dask_cluster
):
    cohort = tmp_path / "cohort"
    for i in range(8):
        add_learner(cohort, f"l{i:02d}", name=f"Learner {i}", drop=i % 10)
    before = set(_warm_servers())
    progress = KillOneWorker(dask_cluster)
    report = run_batch(
        cohort,
        tmp_path / "out",
        scheduler=dask_cluster.scheduler_address,
        progress=progress,
        force=True,
    )
    assert sorted(r.key for r in report.rendered) == [f"l{i:02d}" for i in range(8)]
    assert not report.failed, [r.reason for r in report.failed]
    assert [e["event"] for e in report.events] == ["worker_lost"]
    deadline = time.monotonic() + 30
    while set(_warm_servers()) - before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert set(_warm_servers()) - before == set()  # none left running, not even the killed one's
