"""Realistic text PDFs for the benchmarks, written by hand (no PDF library needed).

Each page carries about 45 lines of report prose in Helvetica, in a Flate-compressed content
stream, the way word processors write text-only reports: a fair stand-in for the contracts,
monitoring reports and policies a commissioning officer attaches.
"""

from __future__ import annotations

import random
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from pdf_writer import BINARY_HEADER, pdf_file, pdf_string  # tools/pdf_writer.py

_PROSE = (
    "the provider agreed an action plan after the quarterly monitoring visit and the "
    "council checked the rota against invoices for week fourteen finding hours not "
    "delivered so the contract manager wrote to the registered manager asking for a "
    "response within ten working days with evidence of corrective action and a revised "
    "staffing plan covering weekends bank holidays and the night service"
)
_WORDS = _PROSE.split()


def _page_stream(rng: random.Random, number: int, lines: int, heading: str) -> bytes:
    parts = ["BT", "/F1 10 Tf", "12 TL", "56 790 Td", f"({pdf_string(heading)}, page {number}) Tj"]
    for row in range(lines):
        words = [rng.choice(_WORDS) for _ in range(14)]
        words[0] = words[0].capitalize()
        # Word processors place text as kerned runs: a TJ array per line, a Tm per line.
        runs = []
        for word in words:
            pieces = [word[i : i + 3] for i in range(0, len(word), 3)]
            runs.append(" ".join(f"({pdf_string(p)}) {rng.randint(-30, 30)}" for p in pieces))
        parts.append(f"1 0 0 1 56 {770 - 16 * row} Tm")
        parts.append("[" + " ( ) -250 ".join(runs) + "] TJ")
    parts.append("ET")
    return zlib.compress("\n".join(parts).encode("latin-1"))


def write_text_pdf(
    path: Path,
    pages: int = 55,
    lines: int = 45,
    seed: int = 306,
    heading: str = "Monitoring report",
) -> Path:
    """Write a ``pages``-page text PDF to ``path`` and return it."""
    rng = random.Random(seed)
    objects: list[bytes] = []
    kids = []
    # 1: catalog, 2: pages, 3: font; then a page and its content per page.
    for n in range(pages):
        page_id, content_id = 4 + 2 * n, 5 + 2 * n
        kids.append(f"{page_id} 0 R")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>".encode()
        )
        stream = _page_stream(rng, n + 1, lines, heading)
        objects.append(
            f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
            + stream
            + b"\nendstream"
        )
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    path.write_bytes(pdf_file([*head, *objects], header=BINARY_HEADER))
    return path
