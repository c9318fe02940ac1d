"""CPU seconds per learner of one cohort's batch: on a real local Dask cluster and on the
local pool, side by side in one run.

    .venv/bin/python bench/cluster_cost.py COHORT [--workers 2]

Each mode runs in its own process; the CPU counted is that of its whole process tree (the
batch, its pool or the Dask scheduler, nannies and workers, their warm processes and every
forked learner), from just before ``run_batch`` to just after it. The Dask cluster is started
before counting (two worker processes of one thread each, as the local pool has two
processes), so what is counted is what the learners cost on it, not its start-up.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
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


def _one(mode: str, cohort: Path, out: Path, workers: int) -> float:
    from cpc306_portfolio.cohort.batch import run_batch

    learners = sum(1 for p in cohort.iterdir() if p.is_dir())
    if mode == "local":
        before = tree_cpu()
        run_batch(cohort, out, workers=workers, force=True)
        return (tree_cpu() - before) / learners
    import distributed

    with distributed.LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        before = tree_cpu()
        run_batch(cohort, out, scheduler=cluster.scheduler_address, force=True)
        return (tree_cpu() - before) / learners


def measure(cohort: Path, workers: int = 2) -> dict[str, float]:
    """``dask_core_s_per_learner`` and ``local_core_s_per_learner``, one after the other."""
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
                    "--out",
                    str(Path(tmp) / mode),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise SystemExit(f"cluster_cost {mode} failed:\n{done.stderr[-3000:]}")
            figures[f"{mode}_core_s_per_learner"] = json.loads(done.stdout.splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cohort", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mode", choices=["local", "dask"])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(round(_one(args.mode, args.cohort, args.out, args.workers), 4)))
        return
    print(json.dumps(measure(args.cohort, args.workers)))


if __name__ == "__main__":
    main()
