"""Warm a process up to render: load and build, once, what each render would otherwise repeat.

A batch worker forks a child per learner (``execute.engines.Forked``); whatever the parent
has loaded and built before forking, no child pays for again.
"""

from __future__ import annotations

import contextlib
import gc
import tempfile
from pathlib import Path


def warm_up() -> None:
    """Load and build, once in this process, everything each forked child would repeat.

    Importing is not all of it: a first render also compiles templates, regular
    expressions and schema validators, and loads what libraries import on first use. So
    this process renders a small made-up portfolio once (:func:`prime`), which halves what
    each learner's child costs. Then what it holds is frozen (:func:`gc.freeze`), so a
    child's collections never visit, and so never copy, the pages it shares with it.

    A child renders as the direct engine does (:mod:`.direct`), so that is what is warmed:
    IPython, papermill and nbconvert are loaded only where the report notebook holds a
    cell the direct path does not know, and the children run it on the in-process shell.
    """
    from . import page_template, sections

    shell = _needs_shell()
    if shell:
        from ..execute import inprocess
        from . import exporter

        inprocess.register_engine()
        inprocess.prepare()
        exporter.exporter()
    sections.compile_templates()
    page_template.page_template()
    with contextlib.suppress(Exception):  # only a head start: without it learners still render
        prime()
    if shell:
        inprocess.clear_shell()  # each child starts with the namespace a fresh kernel has
    gc.collect()
    gc.freeze()


def _needs_shell() -> bool:
    """Whether a forked child runs the report notebook on the in-process shell."""
    from .direct import report_sections_of_notebook

    return report_sections_of_notebook() is None


def prime() -> None:
    """Render a made-up portfolio (nobody's: one item, one reflection) and throw it away.

    It goes through :func:`~.report.render_portfolio` with the engine a forked child
    renders with (:class:`~cpc306_portfolio.execute.engines.Forked`), here in this process.
    """
    from ..execute.engines import Direct, InProcess
    from ..portfolio.store import create_portfolio
    from .report import render_portfolio

    with tempfile.TemporaryDirectory(prefix="cpc306-warm-up-") as folder:
        notes = Path(folder) / "visit-notes.txt"
        notes.write_text("The provider agreed an action plan at the monitoring visit.\n")
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
            # No PDF: its text is read in a child process (and cached), nothing to warm here.
            attach=[notes],
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
        engine = InProcess() if _needs_shell() else Direct()
        render_portfolio(folio, Path(folder) / "warm-up.html", engine=engine)
