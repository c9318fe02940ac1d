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

from .conftest import in_ci, require

__all__ = ["chromium", "chromium_path", "in_ci", "require_browser"]

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
    require(problem is None, f"browser checks: {problem}")
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
