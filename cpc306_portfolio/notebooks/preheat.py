"""Keeping pre-heated kernels ready near the learner (the pages :mod:`.preheat_order` picks).

After each page asked for, one task (a later request only moves its aim) waits for the page
to settle, then starts the kernels missing, one after another, and stops those kept for
pages no longer wanted.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from voila.request_info_handler import RequestInfoSocketHandler

from .preheat_order import PREHEAT_KERNELS, pool_depths, set_pool_sizes, wanted
from .readiness import page_settled

#: Seconds after a page is asked for before the others' kernels start, and between two.
PREHEAT_PAUSE = 1.0
PREHEAT_STAGGER = 0.2
#: The longest wait for one pre-heated kernel to be ready before the next starts.
PREHEAT_WAIT = 30.0


def preheat_every_page(manager: Any, settings: dict[str, Any], current: str = "") -> None:
    """After each page asked for: pre-heated kernels for the pages near it, a bounded few.

    One after another (see :mod:`.preheat_order` for which, and how many), after a pause, so
    the page asked for is not slowed by kernels starting beside it; kernels kept for pages
    no longer wanted are stopped. One task does it; a later request only moves its aim.
    """
    if not hasattr(manager, "fill_if_needed"):
        return
    settings["cpc306_preheat_current"] = current or settings.get("cpc306_start", "")
    recent = [p for p in settings.get("cpc306_preheat_recent", []) if p != current]
    settings["cpc306_preheat_recent"] = [current, *recent][:PREHEAT_KERNELS] if current else recent
    settings["cpc306_requests"] = settings.get("cpc306_requests", 0) + 1
    running = settings.get("cpc306_preheating")
    if running is None or running.done():
        settings["cpc306_preheating"] = asyncio.ensure_future(_preheat(manager, settings))


async def _preheat(manager: Any, settings: dict[str, Any]) -> None:
    pages = sorted(settings["cpc306_pages"])
    start = str(settings.get("cpc306_start", ""))
    settled = -1
    while True:
        if settled != settings.get("cpc306_requests", 0):  # a page asked for since
            settled = settings.get("cpc306_requests", 0)
            await asyncio.sleep(PREHEAT_PAUSE)
            await page_settled(manager)  # kernels starting now would slow the page being built
            continue
        current = str(settings.get("cpc306_preheat_current", ""))
        recent = settings.get("cpc306_preheat_recent", [])
        order = wanted(pages, start, current, recent=recent)
        depth = pool_depths(order, start, current, pages=pages)
        await _stop_unwanted(manager, set(depth), depth)
        set_pool_sizes(manager, depth)
        missing = fill_order(depth, manager._pools)
        if not missing:
            return
        # One kernel, then the next page's (every page's first before any spare).
        _fill_one(manager, manager.fill_if_needed, missing[0], 0)
        for task in list(manager._pools.get(missing[0], [])):
            with contextlib.suppress(Exception):
                kid = (await task)["kernel_id"]
                # One at a time: the next starts once this one waits for its page.
                for _ in range(int(PREHEAT_WAIT / PREHEAT_STAGGER)):
                    if kid in RequestInfoSocketHandler._waiters:
                        break
                    await asyncio.sleep(PREHEAT_STAGGER)


async def _stop_unwanted(manager: Any, want: set[str], depth: dict[str, int] | None = None) -> None:
    """Stop the pre-heated kernels (ready, waiting) of pages no longer among ``want``.

    A page in ``want`` keeps at most ``depth[page]`` (one if not given); the newest go first.
    """
    for page, pool in list(manager._pools.items()):
        keep = (depth or {}).get(page, 1) if page in want else 0
        if len(pool) <= keep:
            continue
        for task in list(pool)[keep:][::-1] if keep else list(pool):
            # Still offered? A page may have taken it while an earlier one was stopping (each
            # stop awaits): that kernel is the page's now. Taken out of the pool before the
            # await, so no page can be handed a kernel being stopped.
            if task in pool and task.done() and not task.cancelled() and not task.exception():
                pool.remove(task)
                with contextlib.suppress(Exception):
                    await manager.shutdown_kernel(task.result()["kernel_id"])


def fill_order(depth: dict[str, int], pools: dict[str, list[Any]]) -> list[str]:
    """The pages still short of their ``depth`` of kernels, the next to start first.

    Every page's first kernel before any page's spare (a page with none opens in a kernel
    started when asked for, seconds slower than a reload that misses its spare); the most
    wanted first among pages with as many (``depth`` is in order of want).
    """
    short = [page for page in depth if len(pools.get(page, [])) < depth[page]]
    return sorted(short, key=lambda page: len(pools.get(page, [])))


def ready_first(pool: list[Any]) -> None:
    """Put the pool's ready kernels before those still starting (Voilà takes the first)."""
    pool.sort(key=lambda task: not task.done())


def refill_one_at_a_time(manager: Any) -> None:
    """Voilà, as a page takes a pre-heated kernel, starts one more only if it took the last.

    Voilà refilled the page's pool to its size at once, a few seconds later: for a page that
    keeps spares, two or three kernels importing side by side on a laptop's two cores, just
    as the learner opens the next page (measured: A2 from 0.75 s to 1.2-1.8 s while going
    back and forth with Start here). A page with a spare left needs none yet: the pre-heat
    loop tops it up once the learner stays on a page. A page that gave its last starts one
    after Voilà's delay, for the reload that may follow; but the first page of a run (Start
    here, as the app starts) only once it has settled: the browser, with nothing of the app
    in its cache, takes about 1 s to build it, and a kernel starting 1.5 s after the request
    took the cores from it (measured: 0.84-0.96 s from the address to a usable Start here
    without that kernel, 0.95-1.78 s with it). Later pages are usable well before the delay.
    """
    fill = manager.fill_if_needed
    taken = 0

    def one_more(
        delay: float | None = None, notebook_name: str | None = None, **kwargs: Any
    ) -> None:
        nonlocal taken
        if delay is None:  # Voilà's own refill, as a page takes a kernel
            taken += 1
            if manager._pools.get(notebook_name):
                return None  # a spare is left: the pre-heat loop refills once settled
            if taken > 1:
                return _fill_one(manager, fill, notebook_name, delay, **kwargs)
            task = asyncio.ensure_future(_refill_settled(manager, fill, notebook_name, **kwargs))
            _REFILLS.add(task)
            task.add_done_callback(_REFILLS.discard)
            return None
        return fill(delay, notebook_name, **kwargs)

    manager.fill_if_needed = one_more


#: The refills waiting for their page to settle (kept, so none is collected unfinished).
_REFILLS: set[asyncio.Future[None]] = set()


async def _refill_settled(manager: Any, fill: Any, page: str | None, **kwargs: Any) -> None:
    """One kernel for ``page``, once the page served last has settled, if none came since."""
    await asyncio.sleep(float(getattr(manager, "fill_delay", 0)))
    await page_settled(manager)
    if not manager._pools.get(page):
        _fill_one(manager, fill, page, 0, **kwargs)


def _fill_one(
    manager: Any, fill: Any, page: str | None, delay: float | None, **kwargs: Any
) -> None:
    """``fill`` (Voilà's ``fill_if_needed``) for ``page``, with room for one kernel more."""
    config = dict(manager.kernel_pools_config)
    if page not in config:  # the default size, one
        return fill(delay, page, **kwargs)
    room = len(manager._pools.get(page, [])) + 1
    manager.kernel_pools_config = {**config, page: {**config[page], "pool_size": room}}
    try:
        return fill(delay, page, **kwargs)
    finally:
        manager.kernel_pools_config = config
