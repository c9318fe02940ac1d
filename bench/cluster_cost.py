"""CPU seconds per learner of one cohort's batch: on a real local Dask cluster and on the
local pool, side by side in one run.

    .venv/bin/python bench/cluster_cost.py COHORT [--workers 2]

Each mode runs in its own process; the CPU counted is that of its whole process tree (the
batch, its pool or the Dask scheduler, nannies and workers, their warm processes and every
forked learner), from just before ``run_batch`` to just after it. The Dask cluster is started
before counting (two worker processes of one thread each, as the local pool has two
processes), so what is counted is what the learners cost on it, not its start-up.

Both sides count the same things: what the batch makes the machine do. The local pool exists
only for the batch, so all its CPU is the batch's, its start-up and warm-up included; so are
the Dask workers' warm render processes, started and warmed for the batch. But a Dask cluster
keeps house whether or not anyone uses it (heartbeats, the event loop's ticks, memory and
system monitors: about a tenth of a core for this one, all the time), and on a loaded machine a
batch that takes longer would be charged more of that for the same learners. So the cluster
is also watched idle, just before and just after the batch, and its idle rate times the
batch's duration is taken off: ``dask_core_s_per_learner`` is what the learners add to a
running cluster (scheduling, serialisation, the workers' and warm processes' work). The gross
figure and the idle rate are printed beside it (``--mode dask`` alone prints all three).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil


def tree_cpu() -> float:
    total = 0.0
    me = psutil.Process()
    for proc in [me, *me.children(recursive=True)]:
        try:
            t = proc.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


#: Seconds the cluster is watched idle before the batch and again after it.
IDLE_WATCH_S = 8.0


def idle_rate(seconds: float) -> float:
    """Core-seconds a second that this process tree burns while nothing is asked of it."""
    before, started = tree_cpu(), time.monotonic()
    time.sleep(seconds)
    return (tree_cpu() - before) / (time.monotonic() - started)


def _one(mode: str, cohort: Path, out: Path, workers: int, idle_s: float) -> dict[str, float]:
    from cpc306_portfolio.cohort.batch import run_batch

    learners = sum(1 for p in cohort.iterdir() if p.is_dir())
    if mode == "local":
        before = tree_cpu()
        run_batch(cohort, out, workers=workers, force=True)
        return {"per_learner": (tree_cpu() - before) / learners}
    import distributed

    with distributed.LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        with distributed.Client(cluster.scheduler_address) as client:
            client.wait_for_workers(workers)
        rates = [idle_rate(idle_s)]
        before, started = tree_cpu(), time.monotonic()
        run_batch(cohort, out, scheduler=cluster.scheduler_address, force=True)
        gross, took = tree_cpu() - before, time.monotonic() - started
        rates.append(idle_rate(idle_s))
    idle = sum(rates) / len(rates)
    return {
        "per_learner": (gross - idle * took) / learners,
        "gross_per_learner": gross / learners,
        "idle_core_s_per_s": idle,
        "batch_s": took,
    }


def measure(
    cohort: Path, workers: int = 2, idle_s: float = IDLE_WATCH_S, detail: bool = False
) -> dict[str, float]:
    """``dask_core_s_per_learner`` and ``local_core_s_per_learner``, one after the other.

    ``detail`` adds the Dask side's gross figure, idle rate and duration (``dask_*``).
    """
    figures = {}
    with tempfile.TemporaryDirectory(prefix="cpc306-cluster-") as tmp:
        for mode in ("local", "dask"):
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    str(cohort),
                    "--mode",
                    mode,
                    "--workers",
                    str(workers),
                    "--idle",
                    str(idle_s),
                    "--out",
                    str(Path(tmp) / mode),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise SystemExit(f"cluster_cost {mode} failed:\n{done.stderr[-3000:]}")
            one = json.loads(done.stdout.splitlines()[-1])
            figures[f"{mode}_core_s_per_learner"] = one.pop("per_learner")
            if detail:
                figures |= {f"{mode}_{key}": value for key, value in one.items()}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cohort", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mode", choices=["local", "dask"])
    parser.add_argument("--idle", type=float, default=IDLE_WATCH_S, help="seconds watched idle")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.mode:
        one = _one(args.mode, args.cohort, args.out, args.workers, args.idle)
        print(json.dumps({key: round(value, 4) for key, value in one.items()}))
        return
    print(json.dumps(measure(args.cohort, args.workers, args.idle, detail=True)))


if __name__ == "__main__":
    main()
