"""Only the start: ``cpc306 app`` to a usable Start here, N times, and the median.

Run: .venv/bin/python bench/app_start.py [ROUNDS]. Each round starts the app afresh on the
same copy of the sample (so from the second on, its pages are the ones generated before)
and drives Debian's Chromium to the first input on Start here, as ``bench/app.py`` does
for ``app_start_s`` (issue 28: within 3 s). Prints each round with the load average.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.app import FORM, launch  # noqa: E402
from tests.browser import chromium  # noqa: E402


def start_once(browser, folio: Path) -> tuple[float, float]:
    """Seconds from the command to its address printed, and to a usable Start here."""
    page = browser.new_page()
    started = time.monotonic()
    process, url, printed = launch(folio)
    try:
        page.goto(url, timeout=300_000)
        page.locator(FORM).first.wait_for(state="visible", timeout=300_000)
        return printed, time.monotonic() - started
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        page.close()


def main(rounds: int = 5) -> None:
    with tempfile.TemporaryDirectory(prefix="cpc306-bench-start-") as tmp:
        folio = Path(tmp) / "folio"
        shutil.copytree(ROOT / "evidence", folio, ignore=shutil.ignore_patterns("exports"))
        usable = []
        with chromium() as browser:
            for n in range(rounds):
                load = os.getloadavg()[0]
                printed, ready = start_once(browser, folio)
                usable.append(ready)
                print(f"round {n + 1}: address {printed:5.2f} s, usable {ready:5.2f} s", end="")
                print(f" (load {load:.1f})")
                time.sleep(2)
    print(f"cpc306 app -> usable Start here: median {statistics.median(usable):.2f} s of {rounds}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
