"""What kind of failure stopped a notebook: the words a batch reports, from the exception.

The render wraps papermill's and nbclient's errors in a
:class:`~cpc306_portfolio.errors.RenderError`; its cause says which kind of failure it
was. A forked child's failure arrives already classified
(:class:`~cpc306_portfolio.errors.ForkedFailure`).
"""

from __future__ import annotations

from ..errors import ForkedFailure, KernelStartError, PortfolioError, RenderError


def notebook_failure(ename: str, evalue: str, where: str) -> str:
    """Plain words for an exception a report cell raised, without its class name.

    One of the package's own errors already says the file, the field and what to do: its
    message is the reason. Anything else is a fault in the toolkit at ``where``.
    """
    from .. import errors

    kind = getattr(errors, ename, None)
    if isinstance(kind, type) and issubclass(kind, PortfolioError):
        return f"the report could not be built: {evalue}"
    return f"the report could not be built: a fault in the toolkit at {where} ({evalue})"


def classify_failure(exc: BaseException, time_limit: float) -> tuple[str, str]:
    """``(kind, reason)`` for an exception raised while executing or exporting a notebook.

    Kinds: ``timeout``, ``notebook_error``, ``kernel_died``, ``kernel_start``,
    ``render_error`` (any other error of this package) and ``internal`` (a bug).
    """
    if isinstance(exc, ForkedFailure):  # classified in the child that ran it
        return exc.kind, exc.reason
    if isinstance(exc, RenderError) and exc.kind == "timeout":  # the direct render's step
        return "timeout", f"the report took longer than the time limit of {time_limit:g} s"
    if isinstance(exc, RenderError) and exc.kind == "notebook_error":
        return "notebook_error", exc.message
    # Imported here: nbclient and papermill take seconds to import.
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    cause = exc.__cause__ if isinstance(exc, RenderError) and exc.__cause__ else exc
    if isinstance(exc, TimeoutError) or isinstance(cause, CellTimeoutError | TimeoutError):
        return "timeout", f"the report took longer than the time limit of {time_limit:g} s"
    if isinstance(cause, PapermillExecutionError):
        # The warm kernel's execution counts run on between learners; the index does not.
        index = getattr(cause, "cell_index", None)
        where = f"cell {index + 1}" if isinstance(index, int) else "a cell"
        return "notebook_error", notebook_failure(cause.ename, cause.evalue, where)
    if isinstance(cause, DeadKernelError):
        return "kernel_died", "the kernel died while running the report"
    if isinstance(cause, KernelStartError):
        return "kernel_start", str(cause)
    if isinstance(exc, PortfolioError):
        return "render_error", f"the report could not be rendered: {exc.message}"
    return "internal", f"{type(exc).__name__}: {exc}"
