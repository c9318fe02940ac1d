"""A pre-heated page is built before it is asked for, and shown at once if nothing changed.

In the app (``cpc306 app``) each page's kernel is started ahead of the learner (pre-heated):
it imports the toolkit and then waits for its page to be opened. Building the page (reading
the portfolio, making its widgets) took most of a second more after that. Here a pre-heated
kernel builds its page while it waits, noting what the portfolio folder held (every file's
name, size and time of change); when the page is opened it looks again: unchanged, the page
built ahead is shown as it is; changed, the page is built afresh from the portfolio as it is
now, so a page never shows the portfolio as it was.

Outside a pre-heated kernel (JupyterLab, a page no kernel was pre-heated for) the page is
simply built.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .generate import portfolio_location

T = TypeVar("T")

#: One entry per file: its path inside the folder, its size and its time of change (ns).
Snapshot = frozenset[tuple[str, int, int]]


def snapshot(folder: Path) -> Snapshot:
    """What the folder holds now, cheaply (no file is read); empty if there is no folder."""
    out: set[tuple[str, int, int]] = set()
    todo = [folder]
    while todo:
        here = todo.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    todo.append(Path(entry.path))
                    continue
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            out.add((os.path.relpath(entry.path, folder), st.st_size, st.st_mtime_ns))
    return frozenset(out)


def preheated() -> bool:
    """True in a kernel Voilà started ahead of its page (until the page is asked for)."""
    return os.environ.get("VOILA_PREHEAT", "False") != "False"


def when_opened(
    build: Callable[..., T],
    portfolio: str,
    *args: Any,
    wait: Callable[[], object] | None = None,
    **kwargs: Any,
) -> T:
    """``build(portfolio, *args)``: ahead of time in a pre-heated kernel, afresh if stale.

    ``wait`` blocks until the page is asked for (default: Voilà's own wait, through
    :func:`.app.wait_for_page`).
    """
    if wait is None:
        from .app import wait_for_page

        wait = wait_for_page
    if not preheated():
        return build(portfolio, *args, **kwargs)
    folder = portfolio_location(portfolio)
    seen = snapshot(folder)
    try:
        page: T | None = build(portfolio, *args, **kwargs)
    except Exception:  # built again once opened, where the learner sees what is wrong
        page = None
    wait()
    if page is not None and snapshot(folder) == seen:
        return page
    # The page built ahead is left as it is, not closed: widgets closed in a pre-heated kernel
    # before its page connects left Voilà's page empty (seen here, Voilà 0.5.13).
    return build(portfolio, *args, **kwargs)
