"""The internal quality assurance sample across a cohort: a stated rate, weighted by risk.

An internal quality assurer samples a share of the cohort (``rate``, 10 % by default) and
at least one learner of every assessor (and of every unit, in a mixed cohort). Within
that, learners are drawn at random, weighted towards what a quality assurer would want to
see first (:data:`WEIGHTS`): new assessors, learners new to the centre, criteria judged
recently, assessment methods rarely used in the cohort, and any "met" that rests on one
item. A factor every learner shares is left out (it tells no one apart). A full
portfolio is not favoured over a thin one. The draw is reproducible: the same
summaries, seed and day give the same sample, and the seed is written with it.

The sample is then checked the CAMERA way (**C**andidates new and experienced,
**A**ssessors, **M**ethods, **E**lements of each unit, **R**ecords of decisions, assessment
**S**ites): what the sample covers, what it misses that the cohort has, and what no
learner in the cohort can cover yet.
"""

from __future__ import annotations

import math
import random
import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..standard.methods import METHOD_LABELS, AssessmentMethod

DEFAULT_RATE = 0.10
#: Days since a learner started within which they count as new to the centre.
NEW_LEARNER_DAYS = 90
#: An assessor with no sign-off in the cohort and no judgement older than this is new.
NEW_ASSESSOR_DAYS = 180
#: Judgements at most this many days old count as recent.
RECENT_DAYS = 30
#: A method used by at most this share of the cohort's learners (and at least one) is rare.
RARE_SHARE = 0.10
#: What raises a learner's chance of being drawn, and by how much (the base weight is 1).
WEIGHTS = {
    "new_assessor": 2.0,
    "new_learner": 1.0,
    "recent_judgements": 1.0,
    "rare_method": 1.0,
    "single_item_met": 2.0,
}
WEIGHT_LABELS = {
    "new_assessor": "new assessor",
    "new_learner": "new to the centre",
    "recent_judgements": "criteria judged recently",
    "rare_method": "a method rarely used",
    "single_item_met": 'a "met" resting on one item',
}
#: Requirement kinds in the order CAMERA names them.
KIND_LABELS = {
    "candidate": "candidate",
    "assessor": "assessor",
    "method": "method",
    "element": "element",
    "records": "records",
    "site": "site",
}

Requirement = tuple[str, str]


@dataclass(frozen=True)
class SampledLearner:
    """One learner in the sample, what it covers, its weight and why it was chosen."""

    key: str
    name: str
    unit: str
    assessor: str
    candidate: str
    covers: list[Requirement]
    weight: float
    factors: list[str]
    reason: str


@dataclass(frozen=True)
class CohortSample:
    """The sample in the order drawn, how it was drawn, and what CAMERA says of it."""

    learners: list[SampledLearner]
    requirements: list[Requirement]
    uncovered: list[tuple[Requirement, str]] = field(default_factory=list)
    candidates: dict[str, str] = field(default_factory=dict)
    seed: int = 0
    rate: float = DEFAULT_RATE
    population: int = 0
    target: int = 0
    missed: list[Requirement] = field(default_factory=list)

    @property
    def covered(self) -> list[Requirement]:
        """The requirements some learner in the sample covers."""
        gone = {r for r, _ in self.uncovered} | set(self.missed)
        return [r for r in self.requirements if r not in gone]


def method_label(method: str) -> str:
    """The readable name of an assessment method id (the id itself if unknown)."""
    try:
        return METHOD_LABELS[AssessmentMethod(method)]
    except ValueError:
        return method


def candidate_types(
    summaries: Mapping[str, Mapping[str, Any]], today: date | None = None
) -> dict[str, str]:
    """Each learner as ``new`` (started within :data:`NEW_LEARNER_DAYS`) or ``experienced``."""
    day = today or date.today()
    return {
        key: "new" if _days_since(s.get("started", ""), day) <= NEW_LEARNER_DAYS else "experienced"
        for key, s in summaries.items()
    }


def _days_since(iso: str, today: date) -> float:
    try:
        return (today - date.fromisoformat(iso)).days
    except (TypeError, ValueError):
        return math.inf


def element_requirement(unit: str, element: str) -> Requirement:
    """Elements are required per unit: two units' element A are not the same element."""
    return ("element", f"{unit} {element}" if unit else element)


def _covers(summary: Mapping[str, Any], candidate: str) -> set[Requirement]:
    unit = str(summary.get("unit", ""))
    covers: set[Requirement] = {("candidate", candidate)}
    covers |= {("assessor", a) for a in summary.get("assessors", [])}
    covers |= {("method", m) for m in summary.get("methods", [])}
    covers |= {element_requirement(unit, e) for e in summary.get("elements_evidenced", [])}
    if summary.get("judged") or summary.get("signed_off"):
        covers.add(("records", "assessment decisions recorded"))
    if summary.get("organisation"):
        covers.add(("site", summary["organisation"]))
    return covers


def _new_assessors(summaries: Mapping[str, Mapping[str, Any]], today: date) -> set[str]:
    signed: set[str] = set()
    oldest: dict[str, float] = {}
    for s in summaries.values():
        assessor = str(s.get("assessor", ""))
        if s.get("signed_off"):
            signed.add(assessor)
        for c in s.get("criteria", []):
            if c.get("judged_on"):
                age = _days_since(c["judged_on"], today)
                oldest[assessor] = max(oldest.get(assessor, 0.0), age)
    everyone = {str(s.get("assessor", "")) for s in summaries.values()}
    return {a for a in everyone if a not in signed and oldest.get(a, 0.0) <= NEW_ASSESSOR_DAYS}


def _factors(
    summary: Mapping[str, Any],
    candidate: str,
    new_assessors: set[str],
    rare: set[str],
    today: date,
) -> list[str]:
    criteria = summary.get("criteria", [])
    found = []
    if summary.get("assessor") in new_assessors:
        found.append("new_assessor")
    if candidate == "new":
        found.append("new_learner")
    if any(
        c.get("judged_on") and _days_since(c["judged_on"], today) <= RECENT_DAYS for c in criteria
    ):
        found.append("recent_judgements")
    if rare & set(summary.get("methods", [])):
        found.append("rare_method")
    if any(c.get("status") == "met" and c.get("relied_on", 0) == 1 for c in criteria):
        found.append("single_item_met")
    return found


def _describe(requirement: Requirement) -> str:
    kind, value = requirement
    if kind == "candidate":
        return f"a {value} learner"
    if kind == "method":
        return f"method {method_label(value)}"
    if kind == "records":
        return "assessment decisions to check"
    return f"{KIND_LABELS[kind]} {value}"


def requirement_text(requirement: Requirement) -> str:
    """A requirement as a person reads it, e.g. ``method: Observation``."""
    kind, value = requirement
    return f"{kind}: {method_label(value) if kind == 'method' else value}"


def _requirement_order(requirement: Requirement) -> tuple[int, str]:
    return (list(KIND_LABELS).index(requirement[0]), requirement[1])


def _why_uncovered(requirement: Requirement) -> str:
    kind, value = requirement
    if kind == "element":
        return f"no learner has evidence for element {value} yet"
    if kind == "candidate":
        return f"the cohort has no {value} learner"
    return f"no learner can be sampled for {_describe(requirement)}"


def _reason(
    how: str, summary: Mapping[str, Any], factors: list[str], weight: float, rare: set[str]
) -> str:
    if factors:
        named = []
        for f in factors:
            label = WEIGHT_LABELS[f]
            if f == "rare_method":
                methods = sorted(rare & set(summary.get("methods", [])))
                label += f" ({', '.join(method_label(m) for m in methods)})"
            named.append(label)
        why = f"weight {weight:g}: {'; '.join(named)}"
    else:
        why = "weight 1: no risk factor, drawn at random"
    return f"{how}; {why}."


def iqa_sample(
    summaries: Mapping[str, Mapping[str, Any]],
    *,
    rate: float = DEFAULT_RATE,
    seed: int | None = None,
    today: date | None = None,
) -> CohortSample:
    """Draw the IQA sample from the learners whose portfolios could be read.

    ``summaries`` maps each learner's key to the summary the batch computed; ``rate`` is
    the share to sample (rounded up), raised where needed to one learner per assessor and
    per unit; ``seed`` makes the draw reproducible (a fresh one is chosen and returned when
    ``None``); ``today`` is the day ages are measured from.
    """
    if not 0 < rate <= 1:
        raise ValueError("the IQA rate must be above 0 and at most 1")
    day = today or date.today()
    chosen_seed = secrets.randbelow(2**31) if seed is None else seed
    rng = random.Random(chosen_seed)
    keys = sorted(summaries)
    candidates = candidate_types(summaries, day)
    uses = Counter(m for k in keys for m in set(summaries[k].get("methods", [])))
    limit = max(1, math.floor(RARE_SHARE * len(keys)))
    rare = {m for m, n in uses.items() if n <= limit} if len(keys) > 1 else set()
    new_assessors = _new_assessors(summaries, day)
    factors = {k: _factors(summaries[k], candidates[k], new_assessors, rare, day) for k in keys}
    # A factor every learner shares (all assessors new, say) tells no learner apart.
    shared = set.intersection(*(set(f) for f in factors.values())) if len(keys) > 1 else set()
    factors = {k: [f for f in fs if f not in shared] for k, fs in factors.items()}
    weight = {k: 1.0 + sum(WEIGHTS[f] for f in factors[k]) for k in keys}
    # Efraimidis and Spirakis: the largest u ** (1 / w) wins, a weighted draw without
    # replacement that can be taken in any order from one key per learner.
    draw = {k: rng.random() ** (1.0 / weight[k]) for k in keys}

    picks: list[tuple[str, str]] = []
    taken: set[str] = set()
    for group, label in (("assessor", "assessor"), ("unit", "unit")):
        values = sorted({str(summaries[k].get(group, "")) for k in keys})
        if group == "unit" and len(values) < 2:
            continue
        for value in values:
            pool = [k for k in keys if str(summaries[k].get(group, "")) == value]
            if any(k in taken for k in pool):
                continue
            best = max(pool, key=lambda k: (draw[k], k))
            taken.add(best)
            picks.append((best, f"the pick for {label} {value} ({len(pool)} learners)"))
    target = min(len(keys), max(math.ceil(rate * len(keys)), len(picks)))
    for k in sorted((k for k in keys if k not in taken), key=lambda k: (-draw[k], k)):
        if len(picks) >= target:
            break
        taken.add(k)
        picks.append((k, "drawn at random from the rest of the cohort"))

    learners = []
    for order, (k, how) in enumerate(picks, 1):
        s = summaries[k]
        learners.append(
            SampledLearner(
                key=k,
                name=str(s.get("name", k)),
                unit=str(s.get("unit", "")),
                assessor=str(s.get("assessor", "")),
                candidate=candidates[k],
                covers=sorted(_covers(s, candidates[k]), key=_requirement_order),
                weight=weight[k],
                factors=factors[k],
                reason=_reason(f"Pick {order}: {how}", s, factors[k], weight[k], rare),
            )
        )

    covers = {k: _covers(summaries[k], candidates[k]) for k in keys}
    coverable: set[Requirement] = set().union(*covers.values()) if covers else set()
    required = set(coverable)
    for s in summaries.values():
        required |= {element_requirement(str(s.get("unit", "")), e) for e in s.get("elements", [])}
    if len(keys) > 1:
        required |= {("candidate", "new"), ("candidate", "experienced")}
    requirements = sorted(required, key=_requirement_order)
    in_sample: set[Requirement] = (
        set().union(*(set(x.covers) for x in learners)) if learners else set()
    )
    uncovered = [(r, _why_uncovered(r)) for r in requirements if r not in coverable]
    missed = [r for r in requirements if r in coverable and r not in in_sample]
    return CohortSample(
        learners,
        requirements,
        uncovered,
        candidates,
        seed=chosen_seed,
        rate=rate,
        population=len(keys),
        target=target,
        missed=missed,
    )
