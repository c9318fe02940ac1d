"""The internal quality assurance sample across a cohort, the CAMERA way.

An internal quality assurer samples learners so that, between them, the sample covers
every **C**andidate type (new and experienced learners), every **A**ssessor, every
assessment **M**ethod, every **E**lement of the unit, **R**ecords of assessment decisions
where any exist, and every **A**ssessment site known (the learner's organisation).
:func:`iqa_sample` picks learners greedily (each pick covers the most of what is still
uncovered) and says why each one was chosen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..standard.methods import METHOD_LABELS, AssessmentMethod

#: Requirement kinds in the order CAMERA names them, with how a reason describes them.
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
    """One learner in the sample, what it covers, and why it was chosen."""

    key: str
    name: str
    candidate: str
    covers: list[Requirement]
    reason: str


@dataclass(frozen=True)
class CohortSample:
    """The sample, in the order chosen, and anything no learner in the cohort can cover."""

    learners: list[SampledLearner]
    requirements: list[Requirement]
    uncovered: list[tuple[Requirement, str]] = field(default_factory=list)
    candidates: dict[str, str] = field(default_factory=dict)

    @property
    def covered(self) -> list[Requirement]:
        """The requirements some learner in the sample covers."""
        missing = {r for r, _ in self.uncovered}
        return [r for r in self.requirements if r not in missing]


def method_label(method: str) -> str:
    """The readable name of an assessment method id (the id itself if unknown)."""
    try:
        return METHOD_LABELS[AssessmentMethod(method)]
    except ValueError:
        return method


def candidate_types(summaries: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Each learner as ``new`` or ``experienced``: the half with fewest records is new.

    Records are evidence items plus reflective accounts; ties go to the learner whose
    portfolio was started later (the newer learner). One learner alone counts as
    experienced only when they have any records.
    """
    ranked = sorted(
        summaries,
        key=lambda k: (
            summaries[k]["evidence_count"] + summaries[k]["reflection_count"],
            _negated(summaries[k].get("started", "")),
            k,
        ),
    )
    new_count = len(ranked) // 2 if len(ranked) > 1 else 0
    out = {key: ("new" if i < new_count else "experienced") for i, key in enumerate(ranked)}
    if len(ranked) == 1:
        only = ranked[0]
        empty = summaries[only]["evidence_count"] + summaries[only]["reflection_count"] == 0
        out[only] = "new" if empty else "experienced"
    return out


def _negated(day: str) -> tuple[int, ...]:
    """Sort key that puts later ISO dates first."""
    return tuple(-ord(c) for c in day)


def _covers(summary: Mapping[str, Any], candidate: str) -> set[Requirement]:
    covers: set[Requirement] = {("candidate", candidate)}
    covers |= {("assessor", a) for a in summary.get("assessors", [])}
    covers |= {("method", m) for m in summary.get("methods", [])}
    covers |= {("element", e) for e in summary.get("elements_evidenced", [])}
    if summary.get("judged") or summary.get("signed_off"):
        covers.add(("records", "assessment decisions recorded"))
    if summary.get("organisation"):
        covers.add(("site", summary["organisation"]))
    return covers


def _describe(requirement: Requirement) -> str:
    kind, value = requirement
    if kind == "candidate":
        return f"a {value} learner"
    if kind == "method":
        return f"method {method_label(value)}"
    if kind == "records":
        return "assessment decisions to check"
    return f"{KIND_LABELS[kind]} {value}"


def _reason(summary: Mapping[str, Any], new: Sequence[Requirement], order: int) -> str:
    records = summary["evidence_count"] + summary["reflection_count"]
    parts = [_describe(r) for r in sorted(new, key=_requirement_order)]
    return (
        f"Pick {order}: adds {'; '.join(parts)} to the sample "
        f"({records} records, started {summary.get('started') or 'unknown'})."
    )


def _requirement_order(requirement: Requirement) -> tuple[int, str]:
    return (list(KIND_LABELS).index(requirement[0]), requirement[1])


def _why_uncovered(requirement: Requirement) -> str:
    kind, value = requirement
    if kind == "element":
        return f"no learner has evidence for element {value} yet"
    if kind == "candidate":
        return f"the cohort has no {value} learner"
    return f"no learner can be sampled for {_describe(requirement)}"


def iqa_sample(summaries: Mapping[str, Mapping[str, Any]]) -> CohortSample:
    """A CAMERA sample over the learners whose portfolios could be read.

    ``summaries`` maps each learner's key to the summary the batch computed. Every element
    of the unit is required even where nobody has evidence (that is reported as uncovered,
    never dropped); every assessor, method, site and both candidate types present in the
    cohort are required.
    """
    candidates = candidate_types(summaries)
    covers = {key: _covers(s, candidates[key]) for key, s in summaries.items()}
    required: set[Requirement] = set().union(*covers.values()) if covers else set()
    for summary in summaries.values():
        required |= {("element", e) for e in summary.get("elements", [])}
    required |= (
        {("candidate", "new"), ("candidate", "experienced")} if len(summaries) > 1 else set()
    )
    requirements = sorted(required, key=_requirement_order)
    coverable = set().union(*covers.values()) if covers else set()
    left = set(required) & coverable
    chosen: list[SampledLearner] = []
    pool = dict(covers)
    while left and pool:
        # Most still-uncovered requirements first; then the fuller portfolio; then by folder.
        key = min(
            pool,
            key=lambda k: (-len(pool[k] & left), -summaries[k]["evidence_count"], k),
        )
        new = pool.pop(key) & left
        if not new:
            break
        left -= new
        summary = summaries[key]
        chosen.append(
            SampledLearner(
                key=key,
                name=str(summary.get("name", key)),
                candidate=candidates[key],
                covers=sorted(covers[key], key=_requirement_order),
                reason=_reason(summary, sorted(new), len(chosen) + 1),
            )
        )
    uncovered = [(r, _why_uncovered(r)) for r in requirements if r not in coverable]
    return CohortSample(chosen, requirements, uncovered, candidates)
