"""`cpc306 batch` against the loop a trainer would write by hand, on the same cohort.

Run: .venv/bin/python bench/batch.py [learners] [--workers N] [--keep]
(default 50 learners, 2 of them broken). Builds a synthetic cohort in a temporary folder
(copies of the sample portfolio with other names, assessors, sites and fewer records),
then times, one after the other on this machine:

1. ``cpc306 batch COHORT -o OUT`` (one command; warm kernels, one exporter per worker);
2. for each learner, ``papermill templates/render/report.ipynb out.ipynb -p portfolio X`` then
   ``jupyter nbconvert --to html out.ipynb`` (each a new process, as a shell loop would).

It prints both times, their ratio, and peak memory (the largest process, and the sum over
the command's process tree sampled every 0.1 s). Figures only, no assertions.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "evidence"
REPORT = ROOT / "templates" / "render" / "report.ipynb"
BIN = Path(sys.executable).parent
ASSESSORS = ["Priya Castellan", "Morgan Hale", "Dee Okafor"]
SITES = ["Northmoor Borough Council", "Eastbrook Trust", "Westfield Care Partnership"]
FIRST = ["Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Nico", "Kai", "Lee", "Ash"]
LAST = ["Rowe", "Patel", "Nowak", "Evans", "Okoro", "Lind", "Moss", "Khan", "Reid", "Wu"]


def make_cohort(folder: Path, learners: int, broken: int = 2, seed: int = 306) -> Path:
    """``learners`` copies of the sample, perturbed; the last ``broken`` are invalid."""
    rng = random.Random(seed)
    cohort = folder / "cohort"
    for i in range(learners):
        target = cohort / f"learner-{i + 1:03d}"
        shutil.copytree(SAMPLE, target)
        profile = target / "portfolio.yaml"
        text = profile.read_text(encoding="utf-8")
        text = text.replace("name: Jordan Ashby", f"name: {rng.choice(FIRST)} {rng.choice(LAST)}")
        text = text.replace("name: Priya Castellan", f"name: {rng.choice(ASSESSORS)}")
        text = text.replace(
            "organisation: Northmoor Borough Council, Adult Social Care Commissioning",
            f"organisation: {rng.choice(SITES)}",
        )
        records = sorted((target / "evidence").glob("E*.yaml"))
        for record in rng.sample(records, rng.randint(0, len(records) - 3)):
            shutil.rmtree(record.with_suffix(""), ignore_errors=True)
            record.unlink()
        if i >= learners - broken:
            text += "learner: [unclosed\n" if i % 2 else ""
            if not i % 2:
                (target / "evidence" / "E999.yaml").write_text("id: E999\ntitle: [\n")
        profile.write_text(text, encoding="utf-8")
    return cohort


class PeakMemory:
    """Peak resident memory of a process and its children, sampled in a thread."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.root = psutil.Process(process.pid)
        self.total = self.largest = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                tree = [self.root, *self.root.children(recursive=True)]
                sizes = []
                for proc in tree:
                    with contextlib.suppress(psutil.Error):
                        sizes.append(proc.memory_info().rss)
                self.total = max(self.total, sum(sizes))
                self.largest = max(self.largest, max(sizes, default=0))
            except psutil.Error:
                pass
            self._stop.wait(0.1)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def timed(argv: list[str]) -> tuple[float, int, PeakMemory]:
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    memory = PeakMemory(process)
    code = process.wait()
    memory.stop()
    return time.perf_counter() - started, code, memory


def hand_loop(cohort: Path, work: Path) -> tuple[float, int, int, int]:
    """The loop a trainer writes: papermill then nbconvert per learner, in new processes."""
    started = time.perf_counter()
    failures, peak_total, peak_largest = 0, 0, 0
    for learner in sorted(p for p in cohort.iterdir() if p.is_dir()):
        executed = work / f"{learner.name}.ipynb"
        steps = [
            [str(BIN / "papermill"), str(REPORT), str(executed), "-p", "portfolio", str(learner)],
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)],
        ]
        for argv in steps:
            _, code, memory = timed(argv)
            peak_total = max(peak_total, memory.total)
            peak_largest = max(peak_largest, memory.largest)
            if code:
                failures += 1
                break
    return time.perf_counter() - started, failures, peak_total, peak_largest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("learners", nargs="?", type=int, default=50)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cpc306-bench-"))
    try:
        cohort = make_cohort(folder, args.learners)
        print(f"cohort: {args.learners} learners (2 broken) in {cohort}")
        print(f"machine: {psutil.cpu_count()} cores, load {psutil.getloadavg()[0]:.1f}")
        argv = [str(BIN / "cpc306"), "batch", str(cohort), "-o", str(folder / "out")]
        if args.workers:
            argv += ["--workers", str(args.workers)]
        batch_s, code, memory = timed(argv)
        print(
            f"cpc306 batch:      {batch_s:7.1f} s  (exit {code}; "
            f"peak {memory.largest / 2**20:.0f} MiB largest process, "
            f"{memory.total / 2**20:.0f} MiB whole tree)"
        )
        work = folder / "loop"
        work.mkdir()
        loop_s, failures, total, largest = hand_loop(cohort, work)
        print(
            f"hand-written loop: {loop_s:7.1f} s  ({failures} learners failed; "
            f"peak {largest / 2**20:.0f} MiB largest process, {total / 2**20:.0f} MiB tree)"
        )
        print(f"ratio: cpc306 batch is {loop_s / batch_s:.1f}x faster than the loop")
        print(f"load after: {psutil.getloadavg()[0]:.1f}")
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
