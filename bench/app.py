"""Time from `cpc306 app` start to a usable Start here, and from navigation to a usable page.

Run: .venv/bin/python bench/app.py [ROUNDS]. Starts the app on a copy of the sample (never
evidence/ itself) and drives Debian's Chromium. Targets (issue 28): a page usable within
1 s of navigation, `cpc306 app` to a usable Start here within 3 s. ``bench/summary.py``
keeps the medians as ``app_start_s``, ``app_home_s`` and ``app_criterion_s`` (Start here and
A2 visited in turn, each load coming from the other page). This script also prints A2
reloaded five times in a row, which outruns the spare kernels kept for a page.
"""

from __future__ import annotations

import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpc306_portfolio.notebooks.app import free_port  # noqa: E402
from cpc306_portfolio.notebooks.warm_kernel import KERNEL_MARKS  # noqa: E402
from tests.browser import chromium  # noqa: E402

#: A page is usable when its first form field (or, on a page with none, its first view) shows.
FORM = ".cpc306-page input, .cpc306-page select, .cpc306-page textarea"
#: Seconds the app is left alone after Start here, so the pages near it are pre-heated (a
#: bounded few: notebooks/preheat_order.py; a page outside them opens in a new kernel).
SETTLE = 45.0


def _usable(page, url: str) -> float:
    started = time.monotonic()
    page.goto(url, timeout=300_000)
    page.locator(FORM).first.wait_for(state="visible", timeout=300_000)
    return time.monotonic() - started


def kernel_memory(pid: int) -> tuple[int, float]:
    """The page kernels under process ``pid``: how many, and their memory in MiB (PSS)."""
    import psutil

    found = [
        p
        for p in psutil.Process(pid).children(recursive=True)
        if any(mark in " ".join(p.cmdline()) for mark in KERNEL_MARKS)
    ]
    return len(found), sum(p.memory_full_info().pss for p in found) / 2**20


def launch(folio: Path) -> tuple[subprocess.Popen[str], str, float]:
    """``cpc306 app FOLIO`` started: the process, the address it printed, seconds to print it."""
    command = [sys.executable, "-m", "cpc306_portfolio.cli", "app", str(folio)]
    command += ["--no-browser", "--port", str(free_port())]
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    return process, url, time.monotonic() - started


def measure(
    rounds: int = 5,
    pages: tuple[str, ...] = ("00_start_here", "A2"),
    settle: float = SETTLE,
    reloads: tuple[str, ...] = (),
) -> dict:
    """``start``: seconds from the command to a usable Start here; then per page, each load.

    The pages are visited in turn, ``rounds`` times (Start here, A2, Start here, A2, ...: a
    learner's navigation, each load coming from another page, with no pause); then each of
    ``reloads`` is loaded ``rounds`` times in a row (``reload <page>``: the same page again
    and again, which outruns the spare kernels kept for it).
    """
    with tempfile.TemporaryDirectory(prefix="cpc306-bench-app-") as tmp:
        folio = Path(tmp) / "folio"
        shutil.copytree(ROOT / "evidence", folio, ignore=shutil.ignore_patterns("exports"))
        with chromium() as browser:
            page = browser.new_page()
            process, url, printed = launch(folio)
            try:
                first = _usable(page, url)
                out: dict = {"printed": printed, "start": printed + first}
                page.wait_for_timeout(settle * 1000)
                out["kernels"], out["kernels_mib"] = kernel_memory(process.pid)
                for _ in range(rounds):
                    for name in pages:
                        target = url.replace("00_start_here", name)
                        out.setdefault(name, []).append(_usable(page, target))
                for name in reloads:
                    target = url.replace("00_start_here", name)
                    out[f"reload {name}"] = [_usable(page, target) for _ in range(rounds)]
                return out
            finally:
                process.send_signal(signal.SIGINT)
                process.wait(timeout=60)


def main(rounds: int = 5) -> None:
    # C6: far from Start here, so not pre-heated when first opened (then kept warm).
    figures = measure(rounds, ("00_start_here", "A2", "reflection", "C6"), reloads=("A2",))
    print(f"cpc306 app start -> URL printed:        {figures['printed']:6.2f} s")
    print(f"cpc306 app start -> usable Start here:  {figures['start']:6.2f} s")
    print(f"kernels after settling: {figures['kernels']}, {figures['kernels_mib']:.0f} MiB (PSS)")
    for name in ("00_start_here", "A2", "reflection", "C6", "reload A2"):
        times = figures[name]
        print(
            f"navigation -> usable page, {name:14s} median {statistics.median(times):5.2f} s"
            f" (min {min(times):.2f}, max {max(times):.2f}, {rounds} loads)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
