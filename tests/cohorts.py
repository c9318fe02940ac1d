"""Small cohorts built from the sample portfolio, for the batch and dashboard tests.

Every learner is a copy of the schema-2 sample (tests/data/sample-schema2: awaiting
assessment, no assessor's records, no plan naming records a cohort drops) with its own name,
assessor and number of records, so the IQA sample has something to choose between.
"""

from __future__ import annotations

import random
import re
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from .conftest import OLD_SAMPLE as SAMPLE
from .conftest import before_assessment, require

#: A learner folder whose name contains one of these misbehaves inside the report only
#: (see :func:`misbehaving_kernels` and :func:`misbehaving_workers`): its portfolio is
#: valid, its report is not.
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


_MISBEHAVE = f"""
def _misbehave(real):
    # A closure: the batch clears the kernel's namespace between learners.
    import os
    import time

    def load_report(portfolio, **kwargs):
        where = str(getattr(portfolio, "root", portfolio))
        if {NOTEBOOK_FAILS!r} in where:
            raise RuntimeError("forced failure for the test")
        if {KERNEL_DIES!r} in where:
            os._exit(9)
        if {TOO_SLOW!r} in where:
            time.sleep(600)
        return real(portfolio, **kwargs)

    return load_report
"""


def misbehaving_kernels(tmp_path: Path) -> Path:
    """An IPython folder whose startup script makes the report fail for marked learners.

    Point ``IPYTHONDIR`` at it: kernels (started by the batch's worker processes, which
    inherit the environment) then raise for ``notebook-fails``, exit for ``kernel-dies``
    and hang for ``too-slow``, inside the report notebook's first call into the package.
    """
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-misbehave.py").write_text(
        "import cpc306_portfolio.render as _render\n"
        + _MISBEHAVE
        + "\n_load_report = _misbehave(_render.load_report)\n_render.load_report = _load_report\n",
        encoding="utf-8",
    )
    return tmp_path / "ipython"


def misbehaving_workers(tmp_path: Path) -> Path:
    """A folder for ``PYTHONPATH`` whose ``sitecustomize`` makes the report fail likewise.

    A batch worker's forked children render as the direct engine does, in the worker's own
    process, where no IPython startup script runs: every new Python process (the spawned
    workers) loads this instead, and the report's first call misbehaves there.
    """
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(
        "import cpc306_portfolio.render.data as _data\n"
        + _MISBEHAVE
        + "\n_data.load_report = _misbehave(_data.load_report)\n",
        encoding="utf-8",
    )
    return folder


FIRST = ["Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Nico", "Kai", "Lee", "Ash", "Mo"]
LAST = ["Rowe", "Patel", "Nowak", "Evans", "Okoro", "Lind", "Moss", "Khan", "Reid", "Wu"]
ASSESSORS = ["Priya Castellan", "Morgan Hale", "Dee Okafor", "Sam Second"]
#: Folders of the two broken learners :func:`build_cohort` adds.
BROKEN = ("zz-broken-yaml", "zz-unknown-criterion")


def _redate(folder: Path, day: date) -> None:
    """Every record saved on ``day``, none dated after it: the learner's last activity."""
    stamp = f"'{day.isoformat()}T10:00:00Z'"
    for record in [*folder.glob("evidence/*.yaml"), *folder.glob("reflections/*.yaml")]:
        lines = []
        for line in record.read_text(encoding="utf-8").splitlines():
            if line.startswith(("created: ", "modified: ")):
                line = f"{line.split(':', 1)[0]}: {stamp}"
            elif line.startswith("date: ") and line[7:17] > day.isoformat():
                line = f"date: '{day.isoformat()}'"
            lines.append(line)
        record.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _judge(folder: Path, day: date, met: list[str], not_met: list[str]) -> None:
    judgements = {
        c: {"outcome": "met", "judged_on": day.isoformat(), "evidence": ["E001"]} for c in met
    } | {c: {"outcome": "not_yet_met", "judged_on": day.isoformat()} for c in not_met}
    data = {"schema": "cpc306-portfolio/1", "judgements": judgements}
    (folder / "assessment.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


def build_cohort(root: Path, learners: int, *, seed: int = 306, today: date | None = None) -> Path:
    """A cohort of ``learners`` folders (the last two broken) made from the sample.

    Names repeat (every eighth learner shares a name with an earlier one), assessors and
    record counts vary, a third of the learners have been quiet for 40 to 120 days, and
    some have criteria judged. Deterministic for a seed.
    """
    rng = random.Random(seed)
    day = today or date.today()
    cohort = root / "cohort"
    names: list[str] = []
    for i in range(learners - len(BROKEN)):
        if i % 8 == 7 and names:
            name = names[rng.randrange(len(names))]
        else:
            name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST) + i) % len(LAST)]}"
        names.append(name)
        folder = add_learner(
            cohort, f"learner-{i + 1:03d}", name, ASSESSORS[i % len(ASSESSORS)], rng.randint(0, 14)
        )
        quiet = i % 3 == 0
        joined = day - timedelta(days=30 if i % 4 == 3 else 400)
        profile = folder / "portfolio.yaml"
        text = profile.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^created: .*$", f"created: '{joined}T09:00:00Z'", text)
        profile.write_text(text, encoding="utf-8")
        _redate(folder, day - timedelta(days=rng.randint(40, 120) if quiet else rng.randint(0, 20)))
        if i % 5 == 1:
            _judge(folder, day - timedelta(days=rng.randint(1, 60)), ["A1", "A2"], ["B1"])
    add_broken_yaml(cohort, BROKEN[0])
    bad = add_learner(cohort, BROKEN[1], name="Una Known-Criterion")
    record = bad / "evidence" / "E001.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("  - B1\n", "  - Z9\n", 1))
    return cohort


def require_distributed() -> Any:
    """Dask's ``distributed``: skip without it on a developer's machine, fail in CI."""
    try:
        import distributed
    except ImportError:
        distributed = None
    require(
        distributed is not None, "Dask's distributed is not installed (pip install -e '.[test]')"
    )
    return distributed
