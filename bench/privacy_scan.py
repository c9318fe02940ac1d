"""Throughput of the confidentiality scan on ~5 MB of synthetic evidence text.

Run: .venv/bin/python bench/privacy_scan.py [megabytes]
All identifiers are fictional (Ofcom drama numbers, example.org, check-digit-valid NHS
numbers generated here).
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter

from stdnum.gb import nhs

from cpc306_portfolio.confidentiality.scan import scan_text

PROSE = [
    "I reviewed the provider's quarterly monitoring return against the contract schedule.",
    "The service met 14 of 16 key performance indicators; two milestones slipped by 3 weeks.",
    "At the meeting on 12/03/2025 at 10:30 we agreed an improvement plan worth £12,345.67.",
    "Contract CT-2024-0001 was varied; invoice 20240001 and PO 4500012345 were reconciled.",
    "This covers criteria B7 and A3, and knowledge items K15a and K8c.",
    "Occupancy fell to 87% and agency staff use rose, a financial risk I escalated.",
    "I explained the non-compliance to the registered manager and recorded her response.",
    "The annual review on 2024-11-05 found the complaints log up to date.",
    "Feedback from people using the service was gathered through the quarterly newsletter.",
]
NAMES = ["Ann Example", "Joe Bloggs", "Priya Sample"]


def _nhs_number(rng: random.Random) -> str:
    while True:
        digits = f"{rng.randrange(400_000_000, 499_999_999)}{rng.randrange(10)}"
        if nhs.is_valid(digits):
            return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def _identifier(rng: random.Random) -> str:
    choice = rng.randrange(7)
    if choice == 0:
        return f"NHS no. {_nhs_number(rng)}."
    if choice == 1:
        return f"NI number AB {rng.randrange(10, 99)} {rng.randrange(10, 99)} 56 C."
    if choice == 2:
        return f"She lives near LS1 {rng.randrange(10)}AP."
    if choice == 3:
        return f"Call 07700 900{rng.randrange(100, 999)} or 0113 496 0{rng.randrange(100, 999)}."
    if choice == 4:
        return f"Email jo.{rng.randrange(1000)}@example.org for details."
    if choice == 5:
        return f"DOB: {rng.randrange(1, 28)}/03/19{rng.randrange(20, 60)}."
    return f"I spoke to {rng.choice(NAMES).lower()} about it."


def build_text(megabytes: float, seed: int = 306) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    target = int(megabytes * 1_000_000)
    while size < target:
        piece = _identifier(rng) if rng.random() < 0.05 else rng.choice(PROSE)
        parts.append(piece)
        size += len(piece) + 1
        if rng.random() < 0.1:
            parts.append("\n\n")
    return " ".join(parts)


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    text = build_text(megabytes)
    size_mb = len(text.encode()) / 1_000_000
    start = time.perf_counter()
    findings = scan_text(text, field="description", record="E001", keep_out=NAMES)
    elapsed = time.perf_counter() - start
    counts = Counter(f.kind.value for f in findings)
    print(f"scanned {size_mb:.2f} MB in {elapsed:.2f} s: {size_mb / elapsed:.2f} MB/s")
    print(f"{len(findings)} findings: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
