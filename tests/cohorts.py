"""Small cohorts built from the sample portfolio, for the batch and dashboard tests.

Every learner is a copy of ``evidence/`` (never the sample itself) with its own name,
assessor and number of records, so the IQA sample has something to choose between.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from .conftest import SAMPLE, before_assessment

#: A learner folder whose name contains one of these misbehaves inside the kernel only
#: (see :func:`misbehaving_kernels`): its portfolio is valid, its report notebook is not.
NOTEBOOK_FAILS, KERNEL_DIES, TOO_SLOW = "notebook-fails", "kernel-dies", "too-slow"


def add_learner(
    cohort: Path,
    folder: str,
    name: str = "Jordan Ashby",
    assessor: str = "Priya Castellan",
    drop: int = 0,
    organisation: str = "",
) -> Path:
    """Copy the sample into ``cohort/folder`` as another learner; drop the last records.

    The learner is still awaiting assessment: the sample's declaration and its assessor's
    judgements and sign-off belong to Jordan Ashby's portfolio, not to this copy.
    """
    target = cohort / folder
    shutil.copytree(SAMPLE, target)
    before_assessment(target)
    profile = target / "portfolio.yaml"
    text = profile.read_text(encoding="utf-8")
    text = text.replace("name: Jordan Ashby", f"name: {quote(name)}", 1)
    text = text.replace("name: Priya Castellan", f"name: {quote(assessor)}", 1)
    if organisation:
        text = text.replace(
            "organisation: Northmoor Borough Council, Adult Social Care Commissioning",
            f"organisation: {quote(organisation)}",
            1,
        )
    profile.write_text(text, encoding="utf-8")
    records = sorted((target / "evidence").glob("E*.yaml"))
    for record in records[len(records) - drop :] if drop else []:
        shutil.rmtree(record.with_suffix(""), ignore_errors=True)
        record.unlink()
    return target


def quote(text: str) -> str:
    """A YAML double-quoted scalar (names may hold anything, payloads included)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def add_broken_yaml(cohort: Path, folder: str = "broken-yaml") -> Path:
    """A learner whose portfolio.yaml is malformed YAML."""
    target = add_learner(cohort, folder, name="Broken Yaml")
    with (target / "portfolio.yaml").open("a", encoding="utf-8") as handle:
        handle.write("learner: [unclosed\n")
    return target


def misbehaving_kernels(tmp_path: Path) -> Path:
    """An IPython folder whose startup script makes the report fail for marked learners.

    Point ``IPYTHONDIR`` at it: kernels (started by the batch's worker processes, which
    inherit the environment) then raise for ``notebook-fails``, exit for ``kernel-dies``
    and hang for ``too-slow``, inside the report notebook's first call into the package.
    """
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-misbehave.py").write_text(
        textwrap.dedent(
            f"""
            import cpc306_portfolio.render as _render

            def _misbehave(real):
                # A closure: the batch clears the kernel's namespace between learners.
                import os
                import time

                def load_report(portfolio, **kwargs):
                    where = str(portfolio)
                    if {NOTEBOOK_FAILS!r} in where:
                        raise RuntimeError("forced failure for the test")
                    if {KERNEL_DIES!r} in where:
                        os._exit(9)
                    if {TOO_SLOW!r} in where:
                        time.sleep(600)
                    return real(portfolio, **kwargs)

                return load_report

            _load_report = _misbehave(_render.load_report)
            _render.load_report = _load_report
            """
        ),
        encoding="utf-8",
    )
    return tmp_path / "ipython"
