"""Time from `cpc306 app` start to the first usable form, and from a page load to a usable form.

Run: .venv/bin/python bench/app.py [ROUNDS]. Starts the app on a copy of the sample (never
evidence/ itself) and drives Debian's Chromium. Target: under 3 s from page load.
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
from tests.browser import chromium  # noqa: E402

FORM = ".cpc306-page input, .cpc306-page select, .cpc306-page textarea"


def _usable(page, url: str) -> float:
    started = time.monotonic()
    page.goto(url, timeout=300_000)
    page.locator(FORM).first.wait_for(state="visible", timeout=300_000)
    return time.monotonic() - started


def main(rounds: int = 3) -> None:
    with tempfile.TemporaryDirectory(prefix="cpc306-bench-app-") as tmp:
        folio = Path(tmp) / "folio"
        shutil.copytree(ROOT / "evidence", folio)
        command = [sys.executable, "-m", "cpc306_portfolio.cli", "app", str(folio)]
        command += ["--no-browser", "--port", str(free_port())]
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        printed = time.monotonic() - started
        try:
            with chromium() as browser:
                page = browser.new_page()
                first = _usable(page, url)
                print(f"cpc306 app start -> URL printed:        {printed:6.2f} s")
                print(f"cpc306 app start -> first usable form:  {printed + first:6.2f} s")
                for name in ("00_start_here", "A2", "reflection"):
                    target = url.replace("00_start_here", name)
                    times = [_usable(page, target) for _ in range(rounds)]
                    print(
                        f"page load -> usable form, {name:14s} "
                        f"median {statistics.median(times):5.2f} s"
                        f" (min {min(times):.2f}, max {max(times):.2f}, {rounds} loads)"
                    )
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
