"""Each learner's report in a fork of a warm worker: a kernel's isolation at a fork's price.

A batch worker process imports papermill, nbconvert, IPython and this package once, builds
the exporter and compiles the report's templates (:func:`warm_up`). For each learner it
then forks: the child runs the report notebook in its own copy of that warm process (the
in-process engine, :mod:`..render.inprocess`), writes the HTML and exits. Nothing one
learner's notebook does reaches the next, since the next starts from the parent again;
a child that crashes, exits or runs past the time limit is one failed learner, and the
worker goes on.

Forking needs ``os.fork`` and a parent with no other threads (a fork copies only the
calling thread, and a lock another thread held stays held in the child). The local pool's
workers are such processes; elsewhere (Windows, a Dask worker) :func:`usable` is False
and the batch keeps its warm kernels (:mod:`.kernels`).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import select
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

#: Exit code of a child whose report failed in an expected way (the reason is on the pipe).
_FAILED = 3

#: How much of a failure report the parent reads from the pipe.
_LIMIT = 1 << 16


class ForkedFailure(Exception):
    """A learner's report failed in its child process, classified there."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def usable() -> bool:
    """True where learners can be forked from this process safely."""
    return hasattr(os, "fork") and threading.active_count() == 1


def warm_up() -> None:
    """Load and build, once in the parent, everything each child would otherwise repeat.

    Importing is not all of it: a first render also compiles templates, regular
    expressions and schema validators, and loads what libraries import on first use. So
    the parent renders a small made-up portfolio once (:func:`_prime`), which halves what
    each learner's child costs. Then what the parent holds is frozen (:func:`gc.freeze`),
    so a child's collections never visit, and so never copy, the pages it shares with it.
    """
    from ..render import exporter, inprocess, sections

    inprocess.register_engine()
    inprocess.prepare()
    exporter.exporter()
    sections.compile_templates()
    with contextlib.suppress(Exception):  # only a head start: without it learners still render
        _prime()
    inprocess.clear_shell()  # each child starts with the namespace a fresh kernel has
    gc.collect()
    gc.freeze()


def _prime() -> None:
    """Render a made-up portfolio (nobody's: one item, one reflection) and throw it away."""
    from pypdf import PdfWriter

    from .. import render
    from ..portfolio.store import create_portfolio
    from ..render.inprocess import ENGINE_NAME

    with tempfile.TemporaryDirectory(prefix="cpc306-warm-up-") as folder:
        notes = Path(folder) / "visit-notes.txt"
        notes.write_text("The provider agreed an action plan at the monitoring visit.\n")
        letter = PdfWriter()  # a PDF as well: its reader loads most of itself on first use
        letter.add_blank_page(width=200, height=200)
        letter.write(Path(folder) / "letter.pdf")
        folio = create_portfolio(
            Path(folder) / "portfolio",
            {
                "unit": "CPC 306",
                "learner": {"name": "Warm Up", "job_title": "Contracts Officer"},
                "centre": {"name": "Warm-up Centre"},
                "assessor": {"name": "Warm-up Assessor"},
            },  # no keep-out list: hashing one would leave a key in the user's config folder
        )
        folio.add_evidence(
            {
                "title": "Monitoring visit",
                "date": "2026-01-05",
                "method": "product",
                "evidence_kind": ["evidence/documentary"],
                "description": "Notes of the **monitoring visit** and the agreed actions.",
                "criteria": ["A1", "A3"],
                "scope": ["non_compliance/milestones"],
                "knowledge": ["K1"],
            },
            attach=[notes, Path(folder) / "letter.pdf"],
        )
        folio.add_reflection(
            {
                "title": "What the visit taught me",
                "date": "2026-01-06",
                "model": "gibbs",
                "stages": {"description": "I led the visit.", "action_plan": "Train."},
                "criteria": ["B7"],
                "knowledge": ["K17"],
            }
        )
        render.export_html(render.execute_report(folio, engine_name=ENGINE_NAME))


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def run_forked(
    work: Callable[[], None],
    classify: Callable[[BaseException], tuple[str, str]],
    time_limit: float,
) -> None:
    """Run ``work`` in a child of this process; raise what went wrong there.

    ``classify`` turns an exception raised in the child into ``(kind, reason)``; it is
    raised here as :class:`ForkedFailure`. A child still running after ``time_limit``
    seconds is killed (:class:`TimeoutError`); one that dies is a ``kernel_died``
    failure, as a kernel's death is.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into the parent's code
        os.close(read_end)
        code = 0
        try:
            work()
        except BaseException as exc:
            code = _FAILED
            try:
                kind, reason = classify(exc)
                os.write(write_end, json.dumps([kind, reason]).encode()[:_LIMIT])
            except BaseException:
                code = 4
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        message = _read_until(read_end, pid, time.monotonic() + time_limit)
    finally:
        os.close(read_end)
    _pid, status = os.waitpid(pid, 0)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == _FAILED and message:
        kind, reason = json.loads(message)
        raise ForkedFailure(kind, reason)
    how = (
        f"signal {os.WTERMSIG(status)}"
        if os.WIFSIGNALED(status)
        else f"exit code {os.WEXITSTATUS(status)}"
    )
    raise ForkedFailure("kernel_died", f"the process running the report died ({how})")


def _read_until(fd: int, pid: int, deadline: float) -> bytes:
    """What the child writes before it closes the pipe; kill it at the deadline."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            _kill(pid)
            os.waitpid(pid, 0)
            raise TimeoutError("past the time limit")
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, _LIMIT)
        if not chunk:  # the child closed its end: it has exited or is exiting
            return b"".join(chunks)
        chunks.append(chunk)
