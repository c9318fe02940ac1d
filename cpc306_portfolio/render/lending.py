"""The portfolio a render has open, lent to the report notebook that runs in the same process.

``render_portfolio`` opens (and the batch validates) a portfolio before the report
notebook runs; the notebook then calls :func:`~.data.load_report` with the folder's path,
as it must when it runs on a kernel. Where the notebook runs in this process's memory (the
in-process and forked engines), the render lends its open :class:`Portfolio` for the time
of the run and ``load_report`` borrows it, so no record is parsed and no file hashed again
for it (what the portfolio object read and hashed is reused while each file's stamp holds).

A kernel is another process: nothing can be lent to it, and it opens the folder itself.

A loan is keyed by the portfolio's resolved folder and the unit file it is read against, so
a notebook that asks for another folder, or for the same folder against another unit, opens
that afresh.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..portfolio.store import Portfolio

Pathish = str | os.PathLike[str]

_lent: dict[tuple[str, str], Portfolio] = {}


def _key(root: Pathish, unit: Pathish | None) -> tuple[str, str]:
    where = str(Path(root).expanduser().resolve())
    return where, str(Path(unit).expanduser().resolve()) if unit else ""


@contextmanager
def lend(portfolio: Portfolio, unit: Pathish) -> Iterator[None]:
    """Lend ``portfolio``, read against the unit file ``unit``, while the block runs."""
    key = _key(portfolio.root, unit)
    before = _lent.get(key)
    _lent[key] = portfolio
    try:
        yield
    finally:
        if before is None:
            _lent.pop(key, None)
        else:
            _lent[key] = before


def borrow(root: Pathish, unit: Pathish | None) -> Portfolio | None:
    """The portfolio lent for folder ``root`` and unit file ``unit``, or None."""
    return _lent.get(_key(root, unit))
