"""What one learner costs the batch at 10, 50 and 200 learners: the cost should be flat.

Run: .venv/bin/python bench/batch_scaling.py [sizes ...] [--workers N]
(default sizes 10 50 200, workers one per core). For each size it builds a cohort of copies
of the sample (bench/batch.py's ``make_cohort``, 2 broken), runs ``cpc306 batch`` once and
prints wall seconds per learner, CPU seconds per learner over the whole process tree, and
the peak resident memory of the largest process (a worker) and of the tree. Figures only.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import BIN, PeakMemory, make_cohort


def run(size: int, workers: int) -> tuple[float, float, int, int]:
    import subprocess

    with tempfile.TemporaryDirectory(prefix="cpc306-scaling-") as tmp:
        cohort = make_cohort(Path(tmp), size)
        argv = [str(BIN / "cpc306"), "batch", str(cohort), "-o", str(Path(tmp) / "out")]
        argv += ["--workers", str(workers)]
        before = os.times()
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        memory = PeakMemory(process)
        process.wait()
        memory.stop()
        wall = time.perf_counter() - started
        after = os.times()
        cpu = (after.children_user - before.children_user) + (
            after.children_system - before.children_system
        )
        return wall / size, cpu / size, memory.largest, memory.total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10, 50, 200])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    print(
        f"{'learners':>8}  {'wall s/learner':>14}  {'core s/learner':>14}  "
        f"{'worker MiB':>10}  {'tree MiB':>8}"
    )
    for size in args.sizes:
        wall, cpu, largest, total = run(size, args.workers)
        print(
            f"{size:>8}  {wall:>14.3f}  {cpu:>14.3f}  {largest / 2**20:>10.0f}  "
            f"{total / 2**20:>8.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
