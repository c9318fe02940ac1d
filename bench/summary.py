"""Every speed figure of the toolkit in one run, each beside the floor it is measured against.

    .venv/bin/python bench/summary.py [--json] [--tiny] [--keep]

Builds its own inputs in a temporary folder: a copy of the sample portfolio, a portfolio of
2,000 records (one attachment each), a portfolio of 300 items with about 50 MB of attachments,
and a cohort of 50 learners of whom 2 are broken (``--tiny`` shrinks all of them, for the smoke
test that keeps this script from rotting). Then it times, one after another on this machine:

- ``python -c pass`` (the floor every command stands on) and ``cpc306 --help``;
- ``cpc306 status`` and ``cpc306 render`` of the sample, and the same report made the way a
  user would by hand (papermill injects the parameters, ``jupyter nbconvert --execute --to html``);
- ``status``, ``validate``, ``scan``, ``evidence list`` and ``render`` of the 2,000 records, with
  the render's peak memory over its whole process tree;
- the confidentiality scan's throughput over generated text (MB/s);
- Chromium (Playwright) loading the 300-item HTML to its ``load`` event;
- the learner's app (``bench/app.py``): ``cpc306 app`` to a usable Start here, then the
  median of 5 navigations to Start here and to A2 (visited in turn) until each can be used;
- ``cpc306 batch`` of the cohort, and the hand loop (papermill then nbconvert per learner) run
  with the same parallelism through ``xargs -P``; their ratio; the batch's CPU seconds per
  learner over its whole process tree;
- at size (bench/scale.py): a 300-item portfolio rendered with and without three 55-page text
  PDFs and ``evidence attach`` of one; the same cohort's CPU seconds per learner on a real local
  Dask cluster (two one-thread workers) and on the local pool (bench/cluster_cost.py); and
  ``status``, ``validate``, ``scan``, ``evidence list`` and ``render`` of 10,000 records.

It prints a table, or with ``--json`` one JSON object with exactly the keys in ``KEYS``.
Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "evidence"
REPORT = ROOT / "templates" / "render" / "report.ipynb"
BIN = Path(sys.executable).parent

KEYS = (
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
)

#: What each figure is, and its target where the performance issue sets one.
LABELS = {
    "python_start_s": ("python -c pass (the floor)", ""),
    "cli_help_s": ("cpc306 --help", "floor + 0.3 s"),
    "status_sample_s": ("cpc306 status, sample", "floor + 0.3 s"),
    "render_sample_s": ("cpc306 render, sample", "< 1.5 s, 5x stock"),
    "render_stock_s": ("papermill + nbconvert --execute, sample", ""),
    "big_status_s": ("status, 2,000 records", "< 1 s"),
    "big_validate_s": ("validate, 2,000 records", "< 1 s"),
    "big_scan_s": ("scan, 2,000 records", "< 1 s"),
    "big_list_s": ("evidence list, 2,000 records", "< 1 s"),
    "big_render_s": ("render, 2,000 records", "< 8 s"),
    "big_render_peak_mib": ("render peak memory, 2,000 records (MiB)", "< 300"),
    "scan_mb_s": ("confidentiality scan (MB/s)", ">= 10"),
    "open_large_html_s": ("Chromium load, 300 items / 50 MB HTML", ""),
    "batch_s": ("cpc306 batch, cohort", ""),
    "hand_loop_s": ("hand loop, same parallelism", ""),
    "batch_ratio": ("hand loop / batch", ">= 10"),
    "batch_core_s_per_learner": ("batch CPU s per learner", "<= 0.25"),
    "app_start_s": ("cpc306 app -> usable Start here", "< 3 s"),
    "app_home_s": ("app: navigation -> usable Start here (median)", "< 1 s"),
    "app_criterion_s": ("app: navigation -> usable A2 (median)", "< 1 s"),
    "pdf_render_s": ("render, 300 items + three 55-page PDFs", "<= 2x plain"),
    "pdf_plain_render_s": ("render, the same 300 items, no PDFs", ""),
    "pdf_attach_s": ("evidence attach, 55-page PDF", "< 1 s"),
    "dask_core_s_per_learner": ("CPU s per learner, Dask (2 workers)", "<= 1.2x local"),
    "local_core_s_per_learner": ("CPU s per learner, local pool (2)", ""),
    "huge_status_s": ("status, 10,000 records", "< 5 s"),
    "huge_validate_s": ("validate, 10,000 records", "< 5 s"),
    "huge_scan_s": ("scan, 10,000 records", "< 5 s"),
    "huge_list_s": ("evidence list, 10,000 records", "< 5 s"),
    "huge_render_s": ("render, 10,000 records", "< 12 s"),
    "huge_render_peak_mib": ("render peak memory, 10,000 records (MiB)", "< 400"),
}


@dataclass(frozen=True)
class Sizes:
    big_records: int
    large_items: int
    large_megabytes: float
    learners: int
    broken: int
    scan_megabytes: float
    huge_records: int = 10_000
    pdf_items: int = 300
    pdf_megabytes: float = 5.0
    pdf_pages: int = 55


FULL = Sizes(2000, 300, 50.0, 50, 2, 8.0)
TINY = Sizes(12, 4, 0.2, 3, 1, 0.2, huge_records=15, pdf_items=4, pdf_megabytes=0.1, pdf_pages=3)


class Run:
    """One command, timed, with the peak memory and CPU time of its whole process tree."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        self.argv = argv
        started = time.perf_counter()
        before = os.times()
        self.process = subprocess.Popen(
            argv,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        self.peak = 0
        self._stop = threading.Event()
        sampler = threading.Thread(target=self._sample, daemon=True)
        sampler.start()
        _, err = self.process.communicate()
        self._stop.set()
        sampler.join()
        self.seconds = time.perf_counter() - started
        after = os.times()
        self.cpu = (after.children_user - before.children_user) + (
            after.children_system - before.children_system
        )
        self.code = self.process.returncode
        self.stderr = err.decode("utf-8", "replace")

    def _sample(self) -> None:
        root = psutil.Process(self.process.pid)
        while not self._stop.is_set():
            with contextlib.suppress(psutil.Error):
                tree = [root, *root.children(recursive=True)]
                total = 0
                for proc in tree:
                    with contextlib.suppress(psutil.Error):
                        total += proc.memory_info().rss
                self.peak = max(self.peak, total)
            self._stop.wait(0.05)

    def ok(self, *allowed: int) -> Run:
        if self.code not in (0, *allowed):
            raise SystemExit(f"{' '.join(self.argv)} exited {self.code}:\n{self.stderr[-2000:]}")
        return self


def best(argv: list[str], repeat: int = 3, allowed: tuple[int, ...] = ()) -> float:
    """The fastest of a few runs of a quick command (the least disturbed by the machine)."""
    return min(Run(argv).ok(*allowed).seconds for _ in range(repeat))


def cpc306(*args: str) -> list[str]:
    return [str(BIN / "cpc306"), *args]


def _profile(name: str, assessor: str) -> dict[str, object]:
    return {
        "unit": "CPC 306",
        "learner": {"name": name, "job_title": "Contracts Officer"},
        "centre": {"name": "Benchmark Centre"},
        "assessor": {"name": assessor},
    }


def big_portfolio(folder: Path, records: int, seed: int = 306) -> Path:
    """``records`` valid evidence records, one small text attachment each (built through
    the library so every record is exactly what the toolkit writes)."""
    from cpc306_portfolio import create_portfolio, load_standard

    rng = random.Random(seed)
    unit = load_standard("CPC 306")
    criteria, scope, knowledge = (
        list(unit.criteria),
        list(unit.scope_options),
        list(unit.knowledge_ids),
    )
    folio = create_portfolio(folder / "big", _profile("Sam Synthetic", "Ari Assessor"))
    notes = folder / "monitoring-notes.txt"
    text = "The provider missed the milestone and I agreed corrective action with them. " * 12
    methods = ["product", "professional_discussion", "question_and_answer", "product"]
    for n in range(1, records + 1):
        notes.write_text(f"Visit {n}: {text}\n", encoding="utf-8")
        folio.add_evidence(
            {
                "title": f"Monitoring visit {n}",
                "date": "2026-05-01",
                "method": methods[n % len(methods)],
                "evidence_kind": ["evidence/documentary"],
                "description": text,
                "criteria": rng.sample(criteria, 3),
                "scope": rng.sample(scope, 3),
                "knowledge": rng.sample(knowledge, 2),
            },
            attach=[notes],
        )
    return folio.root


def large_portfolio(folder: Path, items: int, megabytes: float) -> Path:
    """``items`` records with about ``megabytes`` MB of attachments (bench/render.py's)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import render as render_bench  # bench/render.py
    finally:
        sys.path.pop(0)
    return Path(render_bench.synthetic(folder, items, megabytes))


def cohort(folder: Path, learners: int, broken: int) -> Path:
    """Copies of the sample under other names; the last ``broken`` have a record that will
    not parse (a learner the batch must report and step past)."""
    from ruamel.yaml import YAML

    yaml = YAML()
    rng = random.Random(306)
    first = ["Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Nico", "Kai", "Lee", "Ash"]
    last = ["Rowe", "Patel", "Nowak", "Evans", "Okoro", "Lind", "Moss", "Khan", "Reid", "Wu"]
    out = folder / "cohort"
    for i in range(learners):
        target = out / f"learner-{i + 1:03d}"
        shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("exports", ".cpc306.lock"))
        path = target / "portfolio.yaml"
        data = yaml.load(path.read_text(encoding="utf-8"))
        data["learner"]["name"] = f"{rng.choice(first)} {rng.choice(last)}"
        with path.open("w", encoding="utf-8") as stream:
            yaml.dump(data, stream)
        if i >= learners - broken:
            (target / "evidence" / "E999.yaml").write_text("id: E999\ntitle: [\n")
    return out


def scan_throughput(megabytes: float) -> float:
    """MB/s of the confidentiality scan over realistic evidence text with a few identifiers."""
    from cpc306_portfolio.confidentiality.scan import scan_text

    rng = random.Random(306)
    words = [
        "the",
        "provider",
        "agreed",
        "an",
        "action",
        "plan",
        "on",
        "12",
        "March",
        "2026",
        "after",
        "the",
        "visit;",
        "calls",
        "were",
        "late",
        "on",
        "4",
        "of",
        "20",
        "days,",
        "the",
        "manager",
        "replied",
        "within",
        "10",
        "working",
        "days",
        "and",
        "the",
        "council",
        "checked",
        "the",
        "rota",
        "against",
        "the",
        "invoices",
        "for",
        "week",
        "14",
        "and",
        "found",
        "37.5",
        "hours",
        "not",
        "delivered",
    ]
    parts: list[str] = []
    size = 0
    target = int(megabytes * 1_000_000)
    while size < target:
        line = " ".join(rng.choice(words) for _ in range(40))
        if rng.random() < 0.02:
            line += " Call 07700 900123 or write to LS1 4AP."
        parts.append(line)
        size += len(line) + 1
    text = "\n".join(parts)
    chunk = 20_000  # scanned as records are: a field at a time
    started = time.perf_counter()
    for i in range(0, len(text), chunk):
        scan_text(text[i : i + chunk], field="description", record="E001")
    return len(text.encode("utf-8")) / 1_000_000 / (time.perf_counter() - started)


def open_in_chromium(html: Path) -> float:
    """Seconds from ``goto`` to the ``load`` event of a local HTML file in Debian's Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=["--no-sandbox", "--disable-background-networking"],
        )
        page = browser.new_page()
        started = time.perf_counter()
        page.goto(html.as_uri(), wait_until="load", timeout=300_000)
        took = time.perf_counter() - started
        browser.close()
    return took


def stock_render(portfolio: Path, work: Path) -> float:
    """The report the way a user makes it by hand: papermill injects the parameters
    (without running), then ``jupyter nbconvert --execute --to html`` runs and converts it."""
    prepared = work / "stock-report.ipynb"
    prepare = [
        str(BIN / "papermill"),
        str(REPORT),
        str(prepared),
        "-p",
        "portfolio",
        str(portfolio),
        "--prepare-only",
    ]
    convert = [
        str(BIN / "jupyter"),
        "nbconvert",
        "--execute",
        "--to",
        "html",
        "--log-level",
        "ERROR",
        str(prepared),
    ]
    started = time.perf_counter()
    Run(prepare).ok()
    Run(convert).ok()
    return time.perf_counter() - started


def hand_loop(learners: Path, work: Path, parallel: int) -> float:
    """papermill then nbconvert per learner, as a shell loop would, ``xargs -P`` wide."""
    script = work / "one-learner.sh"
    script.write_text(
        "#!/bin/sh\n"
        f'"{BIN / "papermill"}" "{REPORT}" "{work}/$(basename "$1").ipynb" -p portfolio "$1" '
        ">/dev/null 2>&1 && "
        f'"{BIN / "jupyter"}" nbconvert --to html --log-level ERROR '
        f'"{work}/$(basename "$1").ipynb" >/dev/null 2>&1\n'
        "exit 0\n"
    )
    script.chmod(0o755)
    folders = "\n".join(str(p) for p in sorted(learners.iterdir()) if p.is_dir())
    started = time.perf_counter()
    subprocess.run(
        ["xargs", "-P", str(parallel), "-n", "1", str(script)],
        input=folders.encode(),
        check=True,
    )
    return time.perf_counter() - started


def batch_workers() -> int:
    """The parallelism `cpc306 batch` picks by default: one worker per core."""
    return os.cpu_count() or 1


def measure(sizes: Sizes, work: Path, say) -> dict[str, float]:
    figures: dict[str, float] = {}
    tiny = sizes is not FULL
    # A smoke run only has to show each figure can be measured: once is enough.
    repeat = 1 if tiny else 5
    sample = work / "sample"
    shutil.copytree(SAMPLE, sample, ignore=shutil.ignore_patterns("exports", ".cpc306.lock"))

    say("start-up")
    figures["python_start_s"] = best([sys.executable, "-c", "pass"], repeat=repeat)
    figures["cli_help_s"] = best(cpc306("--help"), repeat=repeat)
    figures["status_sample_s"] = best(cpc306("status", str(sample)), repeat=repeat)

    say("render of the sample, ours and stock")
    figures["render_sample_s"] = min(
        Run(cpc306("render", str(sample), "-o", str(work / "sample.html"))).ok().seconds
        for _ in range(1 if tiny else 2)
    )
    figures["render_stock_s"] = stock_render(sample, work)

    say(f"building {sizes.big_records} records")
    big = big_portfolio(work, sizes.big_records)
    say("commands over the big portfolio")
    figures["big_status_s"] = Run(cpc306("status", str(big))).ok().seconds
    figures["big_validate_s"] = Run(cpc306("validate", str(big))).ok().seconds
    figures["big_scan_s"] = Run(cpc306("scan", str(big))).ok(1, 2, 3, 4, 5, 6, 7, 8).seconds
    figures["big_list_s"] = Run(cpc306("evidence", "list", str(big))).ok().seconds
    rendered = Run(cpc306("render", str(big), "-o", str(work / "big.html"))).ok()
    figures["big_render_s"] = rendered.seconds
    figures["big_render_peak_mib"] = rendered.peak / 2**20

    say("scan throughput")
    figures["scan_mb_s"] = scan_throughput(sizes.scan_megabytes)

    say(f"building {sizes.large_items} items / {sizes.large_megabytes:g} MB")
    large = large_portfolio(work, sizes.large_items, sizes.large_megabytes)
    Run(cpc306("render", str(large), "-o", str(work / "large.html"))).ok()
    say("opening the large HTML in Chromium")
    figures["open_large_html_s"] = open_in_chromium(work / "large.html")

    say(f"cohort of {sizes.learners} ({sizes.broken} broken): batch and hand loop")
    learners = cohort(work, sizes.learners, sizes.broken)
    workers = batch_workers()
    batch = Run(
        cpc306("batch", str(learners), "-o", str(work / "batch"), "--workers", str(workers))
    )
    if batch.code not in (0, 8):  # 8: some learners failed, which two of them must
        batch.ok()
    figures["batch_s"] = batch.seconds
    figures["batch_core_s_per_learner"] = batch.cpu / sizes.learners
    loop = work / "loop"
    loop.mkdir()
    figures["hand_loop_s"] = hand_loop(learners, loop, workers)
    figures["batch_ratio"] = figures["hand_loop_s"] / figures["batch_s"]

    say("the learner's app in Chromium (median of 5 loads a page)")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench.app import SETTLE
    from bench.app import measure as app_measure

    app = app_measure(rounds=1 if tiny else 5, settle=5.0 if tiny else SETTLE)
    figures["app_start_s"] = app["start"]
    figures["app_home_s"] = statistics.median(app["00_start_here"])
    figures["app_criterion_s"] = statistics.median(app["A2"])
    sys.path.insert(0, str(ROOT / "bench"))
    import scale  # bench/scale.py

    say(f"{sizes.pdf_items} items with and without three {sizes.pdf_pages}-page PDFs")
    pdf_folder = work / "pdf"
    pdf_folder.mkdir()
    figures |= scale.pdf_figures(
        pdf_folder, sizes.pdf_items, sizes.pdf_megabytes, sizes.pdf_pages, Run, cpc306
    )
    say(f"the cohort of {sizes.learners} on a local Dask cluster and on the local pool")
    figures |= scale.cluster_figures(learners, workers=2, idle_s=0.5 if tiny else 8.0)
    say(f"commands over {sizes.huge_records} records")
    huge_folder = work / "huge-build"
    huge_folder.mkdir()
    figures |= scale.huge_figures(huge_folder, sizes.huge_records, big_portfolio, Run, cpc306)
    return {key: round(figures[key], 3) for key in KEYS}


def table(figures: dict[str, float]) -> str:
    width = max(len(label) for label, _ in LABELS.values())
    lines = [f"{'figure':<{width}}  {'value':>9}  target", "-" * (width + 30)]
    for key in KEYS:
        label, target = LABELS[key]
        lines.append(f"{label:<{width}}  {figures[key]:>9.3f}  {target}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--tiny", action="store_true", help="tiny inputs (smoke test)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    sizes = TINY if args.tiny else FULL
    folder = Path(tempfile.mkdtemp(prefix="cpc306-summary-"))

    def say(step: str) -> None:
        if not args.json:
            print(f"  ... {step}", file=sys.stderr, flush=True)

    try:
        figures = measure(sizes, folder, say)
    finally:
        if args.keep:
            print(f"kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        print(json.dumps(figures))
    else:
        cores = psutil.cpu_count()
        print(f"python {sys.version.split()[0]}, {cores} cores, load {os.getloadavg()[0]:.1f}")
        print(
            f"inputs: big portfolio {sizes.big_records} records, large {sizes.large_items} items "
            f"/ {sizes.large_megabytes:g} MB, cohort {sizes.learners} ({sizes.broken} broken)"
        )
        print(table(figures))


if __name__ == "__main__":
    main()
