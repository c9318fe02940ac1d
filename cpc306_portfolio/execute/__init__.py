"""Running notebooks: in this process, in a warm forked child, or on a kernel; one engine choice.

``engines`` holds the choice (:class:`Direct`, :class:`InProcess`, :class:`Forked`,
:class:`FreshKernel`, :class:`WorkerKernel`, :func:`default_engine`), which
``render.render_portfolio(engine=)`` takes; ``inprocess`` is the papermill engine over
this process's IPython shell, ``alarm`` a time limit on the main thread, ``forked`` runs
work in a child of a warm process, ``kernels`` keeps a batch worker's warm kernel, and
``failures`` names the kind of failure that stopped a notebook. This part knows nothing
of portfolios: it imports only the package's errors.

Names are imported on first use: papermill, nbclient and IPython take seconds to import.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..errors import ForkedFailure
    from .engines import (
        Direct,
        Engine,
        Forked,
        FreshKernel,
        InProcess,
        WorkerKernel,
        default_engine,
    )
    from .failures import classify_failure

_WHERE = {
    "Engine": ".engines",
    "Forked": ".engines",
    "ForkedFailure": "..errors",
    "FreshKernel": ".engines",
    "Direct": ".engines",
    "InProcess": ".engines",
    "WorkerKernel": ".engines",
    "classify_failure": ".failures",
    "default_engine": ".engines",
}

__all__ = [
    "Direct",
    "Engine",
    "Forked",
    "ForkedFailure",
    "FreshKernel",
    "InProcess",
    "WorkerKernel",
    "classify_failure",
    "default_engine",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_WHERE[name], __name__), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
