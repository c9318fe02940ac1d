"""Real-browser support: Playwright driving Debian's Chromium, never a downloaded browser.

In CI (``CI`` set to anything but empty, ``0``, ``false``, ``no`` or ``off``) a missing
Chromium or Playwright is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")

#: Keep Chromium off the network: no Google hosts, no background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


#: Values of ``CI`` that mean "not in CI"; any other value (``true``, ``True``, ``1``,
#: ``yes``, ``on``, a CI system's own name) means the checks must run.
NOT_CI = {"", "0", "false", "no", "off"}


def in_ci() -> bool:
    """True when running in CI, where a check that cannot run fails instead of skipping."""
    return os.environ.get("CI", "").strip().lower() not in NOT_CI


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CPC306_CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and shutil.which(candidate):
            return candidate
    return None


def require_browser() -> str:
    """The Chromium to use; skip locally without one, fail in CI."""
    path = chromium_path()
    problem = None
    if path is None:
        problem = "Debian's chromium is not installed (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "playwright is not installed (pip install -e '.[test]')"
    if problem:
        if in_ci():
            pytest.fail(f"browser checks must run in CI: {problem}")
        pytest.skip(problem)
    assert path is not None
    return path


@contextmanager
def chromium(**launch: Any) -> Iterator[Any]:
    """A headless Chromium browser (Playwright ``Browser``)."""
    from playwright.sync_api import sync_playwright

    executable = require_browser()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS, **launch
        )
        try:
            yield browser
        finally:
            browser.close()
