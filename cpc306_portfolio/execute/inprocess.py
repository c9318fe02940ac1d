"""A papermill engine that runs the report notebook in this process's own IPython shell.

Starting a kernel for the report costs more than running it: a new Python process
imports IPython, pandas and this package again, then answers over ZeroMQ. A one-shot
``cpc306 render`` (and a batch worker process) has all of that loaded already, so this
engine runs each code cell with :meth:`IPython.core.interactiveshell.InteractiveShell.run_cell`
in this process and turns what the cell shows into the outputs a kernel would have sent:
``display_data`` from ``display()``, ``execute_result`` from a last expression, ``stream``
from ``print`` and warnings, and ``error`` with the same ``ename``, ``evalue`` and
traceback lines ipykernel sends. papermill still parameterises the notebook, tracks its
cells and raises :class:`~papermill.exceptions.PapermillExecutionError` on a failed cell;
nbconvert still exports it. The rendered HTML is byte-for-byte the kernel's (a test
compares them).

It is used only where no IPython shell is running (a script, the CLI, a batch worker):
inside Jupyter the report runs on a kernel as before (:func:`usable`). A cell's time limit
is enforced with ``SIGALRM`` in the main thread; elsewhere the caller's watchdog is the
limit.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from nbclient.exceptions import CellExecutionError, CellTimeoutError
from nbformat import NotebookNode
from nbformat.v4 import output_from_msg
from papermill.engines import Engine, papermill_engines
from traitlets.config import Config

from .alarm import alarm

#: The papermill engine name of this engine.
ENGINE_NAME = "cpc306-inprocess"

#: What ipykernel reports as its language (nbclient copies it into the notebook).
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": sys.version.split()[0],
}


class _CellTimeout(BaseException):
    """Raised inside a cell by the alarm when its time is up."""


class _Publisher(DisplayPublisher):
    """``display()`` in a cell: a ``display_data`` output of the running cell."""

    def publish(  # type: ignore[override]
        self,
        data: dict[str, Any],
        metadata: dict[str, Any] | None = None,
        source: Any = None,
        *,
        transient: dict[str, Any] | None = None,
        update: bool = False,
        **kwargs: Any,
    ) -> None:
        shell = self.shell
        assert isinstance(shell, _Shell)
        content = {"data": data, "metadata": metadata or {}, "transient": transient or {}}
        kind = "update_display_data" if update else "display_data"
        shell.emit(kind, content)

    def clear_output(self, wait: bool = False) -> None:
        shell = self.shell
        assert isinstance(shell, _Shell)
        shell.outputs.clear()


class _Hook(DisplayHook):
    """A cell's last expression: an ``execute_result`` output, as ipykernel sends it."""

    def start_displayhook(self) -> None:
        self._count = self.prompt_count
        self._data: dict[str, Any] = {}
        self._metadata: dict[str, Any] = {}

    def write_output_prompt(self) -> None:
        pass

    def write_format_data(
        self, format_dict: dict[str, Any], md_dict: dict[str, Any] | None = None
    ) -> None:
        self._data = format_dict
        self._metadata = md_dict or {}

    def finish_displayhook(self) -> None:
        shell = self.shell
        assert isinstance(shell, _Shell)
        if self._data:
            shell.emit(
                "execute_result",
                {
                    "data": self._data,
                    "metadata": self._metadata,
                    "execution_count": self._count,
                },
            )


class _Stream:
    """``sys.stdout`` or ``sys.stderr`` while a cell runs: ``stream`` outputs."""

    encoding = "utf-8"

    def __init__(self, shell: _Shell, name: str) -> None:
        self.shell = shell
        self.name = name

    def write(self, text: str) -> int:
        if text:
            self.shell.emit("stream", {"name": self.name, "text": text})
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _Shell(InteractiveShell):
    """The shell the report's cells run in; it collects each cell's outputs."""

    display_pub_class = _Publisher  # type: ignore[assignment]
    displayhook_class = _Hook  # type: ignore[assignment]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.outputs: list[NotebookNode] = []
        self.error: dict[str, Any] | None = None
        self.timed_out = False
        #: Whether a cell has run since the namespace was last cleared.
        self.used = False

    def init_sys_modules(self) -> None:
        # InteractiveShell puts its namespace in sys.modules["__main__"]; a module
        # without __spec__ there breaks every later multiprocessing "spawn" (the
        # batch's pool, Dask's nanny) in this process. Leave __main__ alone, as
        # IPython's embedded shell does.
        return

    def emit(self, msg_type: str, content: dict[str, Any]) -> None:
        if msg_type == "stream" and self.outputs:
            last = self.outputs[-1]
            if last.get("output_type") == "stream" and last.get("name") == content["name"]:
                last["text"] += content["text"]  # as nbclient joins a stream's pieces
                return
        self.outputs.append(output_from_msg({"header": {"msg_type": msg_type}, "content": content}))

    def _showtraceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
        # What ipykernel's shell sends as an ``error`` message, from the same pieces.
        if issubclass(etype, _CellTimeout):
            self.timed_out = True
            return
        self.error = {"ename": etype.__name__, "evalue": str(evalue), "traceback": stb}
        self.emit("error", dict(self.error))

    def run(self, source: str, time_limit: float | None) -> list[NotebookNode]:
        """Run one cell's source; its outputs (an ``error`` output last if it failed)."""
        self.outputs, self.error, self.timed_out = [], None, False
        self.used = True
        streams = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Stream(self, "stdout"), _Stream(self, "stderr")
        try:
            with _alarm(time_limit):
                self.run_cell(source, store_history=True, silent=False)
        finally:
            sys.stdout, sys.stderr = streams
        return self.outputs


def _alarm(seconds: float | None) -> contextlib.AbstractContextManager[None]:
    return alarm(seconds, _CellTimeout)


def usable() -> bool:
    """True where this engine can run: no other IPython shell lives in this process."""
    return not InteractiveShell.initialized() or isinstance(InteractiveShell.instance(), _Shell)


def _run_startup_files(shell: _Shell) -> None:
    """The profile's startup scripts, run once as a kernel runs them when it starts."""
    from IPython.paths import get_ipython_dir

    startup = Path(get_ipython_dir()) / "profile_default" / "startup"
    for script in sorted(startup.glob("*.py")) if startup.is_dir() else ():
        shell.safe_execfile(str(script), shell.user_ns, raise_exceptions=True)


def prepare() -> _Shell:
    """The report shell of this process, made (and its startup scripts run) on first use."""
    if _Shell.initialized():
        return _Shell.instance()
    config = Config()
    config.HistoryManager.enabled = False  # no sqlite file under ~/.ipython
    shell = _Shell.instance(config=config)
    _run_startup_files(shell)
    return shell


def clear_shell() -> _Shell:
    """The report shell with its namespace cleared (imported modules stay loaded).

    A shell no cell has run in yet is clean already, and is used as it is: clearing it
    costs a full garbage collection (IPython's reset makes one), which in a batch's
    forked child would also copy every page of memory it shares with its parent.
    """
    shell = prepare()
    if shell.used:
        shell.reset(new_session=False)
        shell.used = False
    shell.execution_count = 1
    return shell


class InProcessEngine(Engine):
    """papermill's engine interface over :class:`_Shell` (see the module's docstring)."""

    @classmethod
    def execute_managed_notebook(  # type: ignore[override]
        cls,
        nb_man: Any,
        kernel_name: str,
        execution_timeout: float | None = None,
        **kwargs: Any,
    ) -> NotebookNode:
        shell = clear_shell()
        nb = nb_man.nb
        nb.metadata["language_info"] = dict(LANGUAGE_INFO)
        count = 0
        for index, cell in enumerate(nb.cells):
            nb_man.cell_start(cell, index)
            try:
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                count += 1
                cell.outputs = shell.run(cell.source, execution_timeout)
                cell.execution_count = count
                if shell.timed_out:
                    raise CellTimeoutError(
                        f"A cell timed out while it was being executed, after "
                        f"{execution_timeout} seconds."
                    )
                if shell.error is not None:
                    error = CellExecutionError("", shell.error["ename"], shell.error["evalue"])
                    nb_man.cell_exception(cell, cell_index=index, exception=error)
                    break
            finally:
                nb_man.cell_complete(cell, cell_index=index)
        return nb


def register_engine() -> None:
    """Make :data:`ENGINE_NAME` known to papermill (idempotent)."""
    papermill_engines.register(ENGINE_NAME, InProcessEngine)
