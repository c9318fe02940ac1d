"""Which pages the app keeps a pre-heated kernel for: a bounded few, near the learner.

A pre-heated kernel (the toolkit imported, its page built ahead, waiting to be opened) holds
about 140 MiB; one for each of a unit's 27 pages would hold 3.8 GiB, too much for a
learner's laptop. The app keeps at most :data:`PREHEAT_KERNELS` of them: Start here (where
every visit begins and the navigation leads back to), the page open now (a reload, or a
second tab), the pages just after and before it (the next criterion is the usual next
step), the pages visited most recently (a learner goes back and forth between a few), then
the pages after it in order. A page outside that set opens in a kernel started
when asked for, and the set moves with the learner.

Some pages keep spares besides (:func:`pool_depths`): the page open now two (a reload, a
second tab, then another), Start here and the two pages after the one open now one each (a
return, a visit there and back). Each page taken finds one ready while the next starts,
instead of waiting 2-4 s for a kernel still starting. The spares come out of a budget of
:data:`POOL_KERNELS` kernels in all (about 62 MiB each once settled), so fewer pages far from
the learner stay warm; the first kernel of every page wanted is started before any spare.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: Pre-heated kernels kept waiting at most (about 140 MiB each: under 1 GiB in all).
PREHEAT_KERNELS = 6
#: Pre-heated kernels kept waiting at most, spares included (about 62 MiB each once settled).
POOL_KERNELS = 10
#: Kernels kept waiting for Start here and for the next pages: one to hand out, a spare.
SPARE_DEPTH = 2
#: Kernels kept waiting for the page open now: reloaded twice in a row, each still finds one.
CURRENT_DEPTH = 3
#: The pages after the one open now that keep a spare (the learner's usual next steps).
NEXT_WITH_SPARE = 2


def wanted(
    pages: Sequence[str],
    start: str,
    current: str,
    budget: int = PREHEAT_KERNELS,
    recent: Sequence[str] = (),
) -> list[str]:
    """The pages to keep a pre-heated kernel for, most wanted first, at most ``budget``.

    ``recent``: the pages visited, most recent first.
    """
    order = list(pages)
    out = [start] if start in order else []
    if current in order:
        here = order.index(current)
        after = order[here + 1 :] + order[:here]
        out += [*after[:1], current, *after[-1:]]
        out += [page for page in recent if page in order]
        out += after[1:-1]
    else:
        out += [page for page in recent if page in order] + order
    return list(dict.fromkeys(out))[: max(budget, 0)]


def pool_depths(
    order: Sequence[str],
    start: str,
    current: str,
    kernels: int = POOL_KERNELS,
    pages: Sequence[str] = (),
) -> dict[str, int]:
    """How many pre-heated kernels to keep for each page of ``order`` (as :func:`wanted` gives).

    ``current`` gets :data:`CURRENT_DEPTH`; Start here and the :data:`NEXT_WITH_SPARE` pages
    after ``current`` in ``pages`` (the unit's order) :data:`SPARE_DEPTH`; every other page
    one, most wanted first, until ``kernels`` are given out; pages left over get none.
    """
    spare = {start}
    if current in pages:
        here = list(pages).index(current)
        spare.update(list(pages)[here + 1 : here + 1 + NEXT_WITH_SPARE])
    out: dict[str, int] = {}
    left = max(kernels, 0)
    for page in order:
        want = CURRENT_DEPTH if page == current else SPARE_DEPTH if page in spare else 1
        depth = min(want, left)
        if depth <= 0:
            break
        out[page] = depth
        left -= depth
    return out


def set_pool_sizes(manager: Any, depth: dict[str, int]) -> None:
    """Voilà refills a page's pool to its ``pool_size`` once a page takes a kernel from it."""
    config = dict(getattr(manager, "kernel_pools_config", {}) or {})
    default = dict(config.get("default", {}))
    for page in set(config) - {"default"} - set(depth):
        del config[page]  # back to the default (one) for pages no longer near the learner
    for page, size in depth.items():
        config[page] = {**default, "pool_size": size}
    manager.kernel_pools_config = config
