"""Which pages the app keeps a pre-heated kernel for: a bounded few, near the learner.

A pre-heated kernel (the toolkit imported, its page built ahead, waiting to be opened) holds
about 140 MiB; one for each of a unit's 27 pages would hold 3.8 GiB, too much for a
learner's laptop. The app keeps at most :data:`PREHEAT_KERNELS` of them: Start here (where
every visit begins and the navigation leads back to), the page open now (a reload, or a
second tab), the pages just after and before it (the next criterion is the usual next
step), the pages visited most recently (a learner goes back and forth between a few), then
the pages after it in order. A page outside that set opens in a kernel started
when asked for, and the set moves with the learner.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Pre-heated kernels kept waiting at most (about 140 MiB each: under 1 GiB in all).
PREHEAT_KERNELS = 6


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
