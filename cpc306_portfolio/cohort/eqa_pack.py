"""The EQA pack: everything an external quality assurer asks for, in one zip.

``index.html`` opens offline (no script, nothing fetched) and links every file beside it:
the learner register (CSV and workbook), the assessor register, the IQA plan against what
was done, the IQA reports and their actions, standardisation records, and, for each learner
the plan samples, the portfolio rendered now and its ``verify --trust`` result against the
centre's own trust list. ``manifest.json`` lists every file's SHA-256. The centre's YAML
files travel too, as they are, so the pack can be checked against its sources.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import pandas as pd

from ..assessor.iqa import iqa_sample
from ..assessor.signing import load_trust_names
from ..assessor.verification import verify_portfolio
from ..centre.folder import (
    CENTRE_FILE,
    COUNTERSIGN_DIR,
    MEETINGS_DIR,
    OBSERVATIONS_DIR,
    PLAN_FILE,
    REGISTER_FILE,
    REPORTS_DIR,
    TRUST_FILE,
    default_centre,
    open_centre,
)
from ..centre.models import Countersignature, IqaPlan, IqaReport, Observation, Standardisation
from ..centre.practice import waiting_for_countersignature
from ..centre.qa import open_actions, plan_progress, report_signed
from ..errors import NotFoundError, UsageError
from ..execute.failures import classify_failure
from ..files.atomic import atomic_write_bytes
from ..files.templates import template_path
from ..render.csp import CSP
from .batch import DEFAULT_TIME_LIMIT
from .exports import csv_bytes, workbook_bytes
from .iqa_plan import summarise_cohort
from .rows import cohort_units, learner_rows
from .tables import cohort_tables

PACK_FORMAT = "cpc306-eqa-pack/1"
#: What the pack's progress is told as each step finishes: its name, steps done, steps in all.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class PackReport:
    """What went into the pack: where it is, its files, and each sampled learner's check."""

    path: Path
    files: list[str]
    verified: dict[str, bool]


def _render_one(folder: Path, centre: Path, trusted: bool) -> tuple[bytes, str, bool]:
    """One learner's portfolio HTML and the plain-text verify result against the centre."""
    from ..render import render_portfolio

    trust = centre if trusted else None
    with tempfile.TemporaryDirectory(prefix="cpc306-eqa-") as scratch:
        html = Path(scratch) / "portfolio.html"
        render_portfolio(folder, html, trust=trust)
        data = html.read_bytes()
    result = verify_portfolio(folder, trust)
    verdict = "OK" if result.ok else "NOT OK"
    listed = "the centre's trust list" if trusted else "no trust list (the centre has none)"
    text = f"cpc306 verify, checked against {listed}: {verdict}\n\n{result.summary}\n"
    return data, text, result.ok


def _assessor_table(centre: Any) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "name": p.name,
                "role": p.role,
                "status": p.status,
                "countersigner": p.countersigner,
                "qualifications": "; ".join(p.qualifications),
                "cpd_entries": len(p.cpd),
                "cpd_hours": sum(c.hours for c in p.cpd),
                "active": p.active,
                "key_fingerprint": p.fingerprint,
                "added": p.added.isoformat(),
            }
            for p in centre.register.assessors
        ],
        columns=[
            "name",
            "role",
            "status",
            "countersigner",
            "qualifications",
            "cpd_entries",
            "cpd_hours",
            "active",
            "key_fingerprint",
            "added",
        ],
    )


def eqa_pack(
    cohort: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    centre: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    today: date | None = None,
) -> PackReport:
    """Write the EQA pack for ``cohort`` and its centre to ``output`` (a ``.zip``)."""
    out = Path(output).expanduser().absolute()
    if out.suffix.lower() != ".zip":
        raise UsageError(f"-o {out}: the pack is a zip file", hint="name it e.g. eqa-pack.zip")
    centre_path = Path(centre).expanduser().resolve() if centre else default_centre(cohort)
    folder = open_centre(centre_path)
    plan = folder.read(IqaPlan, PLAN_FILE)
    if plan is None:
        raise NotFoundError(
            f"{folder.path(PLAN_FILE)}: the centre has no IQA plan, so no learner is sampled",
            hint="make one first: cpc306 iqa plan COHORT --interim DATE --summative DATE",
        )
    sampled = list(dict.fromkeys(s.learner for s in plan.samples))
    done = [0]

    def step(name: str) -> None:
        done[0] += 1
        if progress is not None:
            progress(name, done[0], len(sampled) + 3)

    day = today or date.today()
    files: dict[str, bytes] = {}

    results = summarise_cohort(cohort)
    step("learners read")
    summaries = {r.key: r.summary for r in results if r.summary}
    sample = iqa_sample(summaries, rate=plan.rate, seed=plan.seed, today=day)
    rows = learner_rows(results, None, today=day)
    learners = cohort_tables(rows, cohort_units(results), sample).learners
    files["learner-register.csv"] = csv_bytes(learners)
    files["learner-register.xlsx"] = workbook_bytes([("learners", learners)])
    assessors = _assessor_table(folder)
    files["assessor-register.csv"] = csv_bytes(assessors)
    files["assessor-register.xlsx"] = workbook_bytes([("assessors", assessors)])
    for relative in (CENTRE_FILE, REGISTER_FILE, TRUST_FILE, PLAN_FILE):
        if folder.path(relative).is_file():
            files[f"centre/{relative}"] = folder.path(relative).read_bytes()
    for sub in (REPORTS_DIR, MEETINGS_DIR, OBSERVATIONS_DIR, COUNTERSIGN_DIR):
        for path in sorted(folder.path(sub).glob("*.yaml")) if folder.path(sub).is_dir() else ():
            files[f"centre/{sub}/{path.name}"] = path.read_bytes()
    step("registers and centre records")

    trusted = folder.path(TRUST_FILE).is_file() and bool(folder.register.assessors)
    if trusted:
        load_trust_names(centre_path)  # a list older than the register stops the pack here
    by_key = {r.key: r for r in results}
    verified: dict[str, bool] = {}
    portfolios: list[dict[str, Any]] = []
    for key in sampled:
        result = by_key.get(key)
        entry: dict[str, Any] = {"key": key, "name": result.name if result else "", "html": ""}
        if result is None or result.failed:
            why = result.reason if result else "no such learner folder in the cohort now"
            entry["problem"] = why
        else:
            try:
                html, text, ok = _render_one(Path(result.portfolio), centre_path, trusted)
            except Exception as exc:  # one learner's failure never stops the pack
                _kind, why = classify_failure(exc, DEFAULT_TIME_LIMIT)
                entry["problem"] = f"could not be rendered: {why}"
            else:
                files[f"portfolios/{key}.html"] = html
                files[f"portfolios/{key}.verify.txt"] = text.encode("utf-8")
                entry.update(html=f"portfolios/{key}.html", verify=text, ok=ok)
                verified[key] = ok
        portfolios.append(entry)
        step(f"portfolio {key}")

    register = folder.register
    reports = folder.records(IqaReport, REPORTS_DIR)
    page = _index_page(
        cohort=Path(cohort).name,
        plan=plan,
        lines=plan_progress(folder, day),
        reports=[(r, report_signed(r, register)) for r in reports],
        meetings=folder.records(Standardisation, MEETINGS_DIR),
        observations=folder.records(Observation, OBSERVATIONS_DIR),
        countersignatures=folder.records(Countersignature, COUNTERSIGN_DIR),
        waiting=sorted(waiting_for_countersignature(folder, summaries).items()),
        open_actions=open_actions(folder),
        assessors=register.assessors,
        portfolios=portfolios,
        files=sorted(files),
        trusted=trusted,
        today=day.isoformat(),
    )
    files["index.html"] = page.encode("utf-8")
    manifest = {
        "format": PACK_FORMAT,
        "made": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "algorithm": "sha256",
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }
    files["manifest.json"] = (json.dumps(manifest, indent=2) + "\n").encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        for name in ["index.html", *sorted(n for n in files if n != "index.html")]:
            pack.writestr(name, files[name])
    atomic_write_bytes(out, buffer.getvalue())
    step("pack written")
    return PackReport(out, sorted(files), verified)


def _index_page(**context: Any) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_path("dashboard"))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["urlpart"] = lambda text: "/".join(quote(p, safe="") for p in text.split("/"))
    return env.get_template("eqa.html.j2").render(csp=CSP, **context)
