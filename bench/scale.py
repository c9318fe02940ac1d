"""The figures of the performance-at-size issue, for bench/summary.py (one run, side by side):

- a 300-item portfolio rendered with and without three 55-page text PDFs, and attaching one;
- CPU seconds per learner of the same cohort on a real local Dask cluster and the local pool;
- ``status``, ``validate``, ``scan``, ``evidence list`` and ``render`` of 10,000 records.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from cluster_cost import measure as cluster_cost
from pdfs import write_text_pdf


def pdf_figures(
    folder: Path, items: int, megabytes: float, pages: int, run: Callable, cpc306: Callable
) -> dict[str, float]:
    """``pdf_render_s``, ``pdf_plain_render_s`` and ``pdf_attach_s``.

    Each render starts from an empty text cache (its own ``XDG_CACHE_HOME``), so the PDF
    render pays for reading the PDFs once, as the first render after a fresh install would.
    """
    from render import synthetic  # bench/render.py

    plain = synthetic(folder / "plain-build", items, megabytes)
    heavy = folder / "with-pdfs"
    shutil.copytree(plain, heavy)
    figures: dict[str, float] = {}
    records = sorted(p.stem for p in (heavy / "evidence").glob("E*.yaml"))
    for n, record in enumerate(records[:3]):
        pdf = write_text_pdf(folder / f"contract-{n}.pdf", pages=pages, seed=n)
        cache = tempfile.mkdtemp(prefix="cpc306-cache-", dir=folder)
        took = run(
            cpc306("evidence", "attach", str(heavy), record, str(pdf)),
            env={"XDG_CACHE_HOME": cache},
        ).ok()
        if n == 0:
            figures["pdf_attach_s"] = took.seconds
    for key, portfolio in (("pdf_plain_render_s", plain), ("pdf_render_s", heavy)):
        cache = tempfile.mkdtemp(prefix="cpc306-cache-", dir=folder)
        figures[key] = (
            run(
                cpc306("render", str(portfolio), "-o", str(folder / f"{key}.html")),
                env={"XDG_CACHE_HOME": cache},
            )
            .ok()
            .seconds
        )
    return figures


def huge_portfolio(folder: Path, records: int, build: Callable[[Path, int], Path]) -> Path:
    """``records`` valid records: the first 100 made through the library (``build``), the rest
    copies of them under new ids (what the library would write, made in seconds)."""
    seed = min(records, 100)
    root = build(folder, seed)
    evidence = root / "evidence"
    width = len(str(records))
    originals = sorted(evidence.glob("E*.yaml"))
    for n in range(seed + 1, records + 1):
        source = originals[(n - 1) % len(originals)]
        new_id = f"E{n:0{max(3, width)}d}"
        text = source.read_text(encoding="utf-8")
        old_id = source.stem
        text = text.replace(f"id: {old_id}\n", f"id: {new_id}\n", 1)
        text = text.replace(f"{old_id}/", f"{new_id}/")
        text = re.sub(r"title: Monitoring visit \d+", f"title: Monitoring visit {n}", text)
        (evidence / f"{new_id}.yaml").write_text(text, encoding="utf-8")
        if (evidence / old_id).is_dir():
            shutil.copytree(evidence / old_id, evidence / new_id)
    return root


def huge_figures(folder: Path, records: int, build: Callable, run: Callable, cpc306: Callable):
    """``huge_*``: the five commands over ``records`` records, and the render's peak memory."""
    huge = huge_portfolio(folder / "huge", records, build)
    figures = {
        "huge_status_s": run(cpc306("status", str(huge))).ok().seconds,
        "huge_validate_s": run(cpc306("validate", str(huge))).ok().seconds,
        "huge_scan_s": run(cpc306("scan", str(huge))).ok(1, 2, 3, 4, 5, 6, 7, 8).seconds,
        "huge_list_s": run(cpc306("evidence", "list", str(huge))).ok().seconds,
    }
    rendered = run(cpc306("render", str(huge), "-o", str(folder / "huge.html"))).ok()
    figures["huge_render_s"] = rendered.seconds
    figures["huge_render_peak_mib"] = rendered.peak / 2**20
    return figures


def cluster_figures(cohort: Path, workers: int = 2, idle_s: float = 8.0) -> dict[str, float]:
    """``dask_core_s_per_learner`` and ``local_core_s_per_learner`` (bench/cluster_cost.py);
    ``idle_s``: how long the cluster is watched idle before and after the batch."""
    return cluster_cost(cohort, workers, idle_s)
