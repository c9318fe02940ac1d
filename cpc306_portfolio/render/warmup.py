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
    """
    from ..execute import inprocess
    from . import exporter, sections

    inprocess.register_engine()
    inprocess.prepare()
    exporter.exporter()
    sections.compile_templates()
    with contextlib.suppress(Exception):  # only a head start: without it learners still render
        prime()
    inprocess.clear_shell()  # each child starts with the namespace a fresh kernel has
    gc.collect()
    gc.freeze()


def prime() -> None:
    """Render a made-up portfolio (nobody's: one item, one reflection) and throw it away.

    It goes through :func:`~.report.render_portfolio` on this process's shell, as each
    learner's render then does in its child.
    """
    from ..execute.engines import InProcess
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
        render_portfolio(folio, Path(folder) / "warm-up.html", engine=InProcess())
