"""Time and peak memory of coverage for a synthetic cohort, built in memory.

Run: .venv/bin/python bench/coverage.py [learners] [items_per_learner]
(default 500 learners x 200 items). Records are real model objects mapped against the
bundled CPC 306 unit; no files are written. If the confidentiality scan is available,
its throughput over the same records' text is printed too. Figures only, no assertions.
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from datetime import date, timedelta

from cpc306_portfolio.analysis.coverage import Coverage, compute_coverage
from cpc306_portfolio.portfolio.models import Assessment, Evidence, Judgement, Reflection, Witness
from cpc306_portfolio.standard import Standard, load_standard
from cpc306_portfolio.standard.methods import AssessmentMethod

TODAY = date(2025, 6, 1)
SENTENCES = [
    "I reviewed the provider's quarterly monitoring return against the contract schedule.",
    "The service met 14 of 16 key performance indicators; two milestones slipped by 3 weeks.",
    "At the meeting on 12/03/2025 we agreed an improvement plan with the registered manager.",
    "I explained the non-compliance and the consequences set out in clause 12.4.",
    "Occupancy fell to 87% and agency staff use rose, a financial risk I escalated.",
    "Feedback from people using the service was gathered through the newsletter.",
    "I presented the evidence to the contracts board and recorded its decision.",
]
METHODS = list(AssessmentMethod)
WITNESS = Witness(name="Sam Lee", role="Contracts manager")

Cohort = list[tuple[list[Evidence], list[Reflection], Assessment]]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(n))


def build_cohort(unit: Standard, learners: int, items: int, seed: int = 306) -> Cohort:
    rng = random.Random(seed)
    crits = list(unit.criteria)
    scope = list(unit.scope_options)
    kinds = list(unit.evidence_kinds)
    know = list(unit.knowledge_ids)
    cohort: Cohort = []
    for _ in range(learners):
        n_refl = items // 10
        evidence = []
        for i in range(1, items - n_refl + 1):
            method = rng.choice(METHODS)
            evidence.append(
                Evidence(
                    id=f"E{i:03d}",
                    title=f"Contract review {i}",
                    date=TODAY - timedelta(days=rng.randrange(0, 1000)),
                    method=method,
                    evidence_kind=rng.sample(kinds, 1) if kinds else [],
                    description=_text(rng, 6),
                    simulated=rng.random() < 0.05,
                    witness=WITNESS if method.needs_witness else None,
                    criteria=rng.sample(crits, rng.randint(1, 4)),
                    scope=rng.sample(scope, rng.randint(0, 3)),
                    knowledge=rng.sample(know, rng.randint(0, 3)),
                )
            )
        reflections = [
            Reflection(
                id=f"R{i:03d}",
                title=f"Reflection {i}",
                date=TODAY - timedelta(days=rng.randrange(0, 700)),
                model="gibbs",
                stages={"description": _text(rng, 4), "analysis": _text(rng, 4)},
                criteria=rng.sample(crits, rng.randint(1, 3)),
                knowledge=rng.sample(know, rng.randint(0, 2)),
            )
            for i in range(1, n_refl + 1)
        ]
        judged = rng.sample(crits, rng.randint(0, len(crits)))
        assessment = Assessment(
            judgements={
                c: Judgement(
                    outcome="met" if rng.random() < 0.8 else "not_yet_met",
                    judged_on=TODAY,
                    feedback="Good.",
                )
                for c in judged
            }
        )
        cohort.append((evidence, reflections, assessment))
    return cohort


def run_coverage(unit: Standard, cohort: Cohort) -> list[Coverage]:
    return [compute_coverage(unit, ev, refl, a, today=TODAY) for ev, refl, a in cohort]


def texts(cohort: Cohort) -> list[tuple[str, str, str]]:
    out = []
    for evidence, reflections, _ in cohort:
        for e in evidence:
            out += [(e.id, "title", e.title), (e.id, "description", e.description)]
        for r in reflections:
            out.append((r.id, "title", r.title))
            out += [(r.id, f"stages.{k}", v) for k, v in r.stages.items()]
    return out


def main(argv: list[str]) -> None:
    learners = int(argv[0]) if argv else 500
    items = int(argv[1]) if len(argv) > 1 else 200
    unit = load_standard("CPC 306")

    start = time.perf_counter()
    cohort = build_cohort(unit, learners, items)
    built = time.perf_counter() - start
    print(f"cohort: {learners} learners x {items} items, built in {built:.2f} s")

    start = time.perf_counter()
    results = run_coverage(unit, cohort)
    took = time.perf_counter() - start
    print(
        f"coverage: {took:.2f} s total, {1000 * took / learners:.2f} ms per learner "
        f"({len(results)} computed)"
    )
    gaps = sum(len(c.gaps) for c in results)
    ready = sum(c.progress.percent_ready for c in results) / len(results)
    print(f"  {gaps} gaps in all; mean percent ready or met {ready:.1f}%")

    del results
    tracemalloc.start()
    results = run_coverage(unit, cohort)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"coverage: peak traced memory {peak / 2**20:.1f} MiB holding all {len(results)} results")
    tracemalloc.start()
    compute_coverage(unit, *cohort[0][:2], cohort[0][2], today=TODAY)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"coverage: peak traced memory {peak / 2**20:.2f} MiB for one learner")

    try:
        from cpc306_portfolio.confidentiality.scan import scan_text
    except ImportError:
        print("privacy scan: cpc306_portfolio.confidentiality.scan not available, skipped")
        return
    fields = texts(cohort)
    size = sum(len(t.encode("utf-8")) for _, _, t in fields)
    keep_out = ["Ann Example", "Joe Bloggs"]
    start = time.perf_counter()
    found = sum(len(scan_text(t, field=f, record=r, keep_out=keep_out)) for r, f, t in fields)
    took = time.perf_counter() - start
    print(
        f"privacy scan: {size / 1e6:.1f} MB in {len(fields)} fields, {took:.2f} s, "
        f"{size / 1e6 / took:.1f} MB/s, {found} findings"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
