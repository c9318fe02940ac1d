"""Render time and HTML size of the assessor's portfolio: the sample and a large synthetic one.

    .venv/bin/python bench/render.py [--items 300] [--megabytes 50]

For each portfolio it prints the time of ``render_portfolio`` (papermill + the project's
exporter), of its two halves, and of the stock ``jupyter nbconvert --to html`` of the same
executed notebook, with the size of each HTML file. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import nbformat

from cpc306_portfolio import create_portfolio, load_standard, render_portfolio
from cpc306_portfolio.render import execute_report, export_html

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "evidence"
METHODS = ["product", "professional_discussion", "question_and_answer", "inspector_report"]


def png(width: int, height: int, rng: random.Random) -> bytes:
    """A valid PNG of random pixels (incompressible, so its size is about 3 bytes a pixel)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 1))
        + chunk(b"IEND", b"")
    )


def synthetic(folder: Path, items: int, megabytes: float, seed: int = 306) -> Path:
    """A valid portfolio of ``items`` records with about ``megabytes`` MB of attachments."""
    rng = random.Random(seed)
    unit = load_standard("CPC 306")
    criteria, scope, knowledge = (
        list(unit.criteria),
        list(unit.scope_options),
        list(unit.knowledge_ids),
    )
    folio = create_portfolio(
        folder / "large",
        {
            "unit": "CPC 306",
            "learner": {"name": "Sam Synthetic", "job_title": "Contracts Officer"},
            "centre": {"name": "Benchmark Centre"},
            "assessor": {"name": "Ari Assessor"},
        },
    )
    files = folder / "files"
    files.mkdir()
    per_item = int(megabytes * 1_000_000 / items)
    side = max(8, int((per_item / 3) ** 0.5))
    text = "The provider missed the milestone and I agreed corrective action. " * 40
    pdf = next(SAMPLE.glob("evidence/*/*.pdf"))  # a real PDF from the sample, to extract
    for n in range(1, items + 1):
        image = files / f"chart-{n:03d}.png"
        image.write_bytes(png(side, side, rng))
        notes = files / f"notes-{n:03d}.csv"
        notes.write_text(
            "month,missed,late\n" + "".join(f"{m},{m * 3},{m * 2}\n" for m in range(12))
        )
        attach = [image, notes]
        if n % 25 == 0:
            attach.append(pdf)
        folio.add_evidence(
            {
                "title": f"Evidence item {n}",
                "date": "2026-05-01",
                "method": METHODS[n % len(METHODS)],
                "evidence_kind": ["evidence/documentary"],
                "description": text,
                "criteria": rng.sample(criteria, 3),
                "scope": rng.sample(scope, 3),
                "knowledge": rng.sample(knowledge, 2),
            },
            attach=attach,
        )
    return folio.root


def attachment_bytes(root: Path) -> int:
    return sum(
        p.stat().st_size
        for p in (root / "evidence").rglob("*")
        if p.is_file() and p.suffix != ".yaml"
    )


def stock_nbconvert(notebook: nbformat.NotebookNode, work: Path) -> tuple[float, int]:
    """Seconds and bytes of ``jupyter nbconvert --to html`` on the executed notebook."""
    path = work / "executed.ipynb"
    nbformat.write(notebook, path)
    jupyter = Path(sys.executable).with_name("jupyter")
    start = time.perf_counter()
    subprocess.run(
        [str(jupyter), "nbconvert", "--to", "html", "--log-level", "ERROR", str(path)],
        check=True,
    )
    took = time.perf_counter() - start
    return took, path.with_suffix(".html").stat().st_size


def measure(name: str, root: Path, work: Path) -> None:
    out = work / f"{name}.html"
    start = time.perf_counter()
    render_portfolio(root, out, progress=True)
    total = time.perf_counter() - start
    size = out.stat().st_size

    start = time.perf_counter()
    notebook = execute_report(root)
    executed = time.perf_counter() - start
    start = time.perf_counter()
    html = export_html(notebook)
    exported = time.perf_counter() - start
    stock_time, stock_size = stock_nbconvert(notebook, work)

    mb = 1_000_000
    print(f"\n{name}: {root}")
    print(f"  attachments                      {attachment_bytes(root) / mb:8.1f} MB")
    print(f"  render_portfolio (total)         {total:8.2f} s   HTML {size / mb:8.2f} MB")
    print(f"    papermill execution            {executed:8.2f} s")
    html_mb = len(html.encode()) / mb
    print(f"    export_html (our template)     {exported:8.2f} s   HTML {html_mb:8.2f} MB")
    print(
        f"  jupyter nbconvert --to html      {stock_time:8.2f} s   HTML {stock_size / mb:8.2f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--megabytes", type=float, default=50.0)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="cpc306-bench-") as tmp:
        work = Path(tmp)
        sample = work / "sample"
        shutil.copytree(SAMPLE, sample)
        measure("sample", sample, work)
        start = time.perf_counter()
        large = synthetic(work, args.items, args.megabytes)
        print(f"\n(built {args.items} items in {time.perf_counter() - start:.1f} s)")
        measure(f"synthetic-{args.items}", large, work)


if __name__ == "__main__":
    main()
