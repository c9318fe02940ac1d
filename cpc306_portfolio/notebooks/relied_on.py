"""The items the assessor's judging panel offers as "evidence relied on".

The learner's records and the assessor's own records (observation, professional
discussion, questioning): ``cpc306 assess judge`` and a signed draft's import accept both.
"""

from __future__ import annotations

from ..portfolio.assessor_evidence import read_assessor_records
from ..portfolio.models import Evidence, Reflection
from ..portfolio.store import Portfolio

_KIND_WORDS = {"O": "observation", "D": "professional discussion", "Q": "questioning"}


def relied_on_choices(folio: Portfolio, criterion: str, relied: set[str]) -> list[tuple[str, str]]:
    """What a judgement of ``criterion`` may rely on, as (id, label), in this order.

    The learner's records mapped to the criterion; the assessor's own observations and
    discussions of it and their questioning on its knowledge items; then anything else
    already ``relied`` on.
    """
    records: list[Evidence | Reflection] = [*folio.evidence(), *folio.reflections()]
    theirs = read_assessor_records(folio)
    knowledge = set(folio.standard.criteria[criterion].knowledge)
    out = [(r.id, f"{r.id}: {r.title}") for r in records if criterion in r.criteria]
    out += [
        (r.id, f"{r.id}: {_KIND_WORDS[r.id[0]]} of {r.date:%d %B %Y}, your own record")
        for r in theirs.for_criterion(criterion)
    ]
    out += [
        (q.id, f"{q.id}: questioning on {', '.join(q.knowledge)}, your own record")
        for q in theirs.questioning
        if knowledge & set(q.knowledge)
    ]
    shown = {rid for rid, _ in out}
    rest = [(r.id, f"{r.id}: {r.title}") for r in records]
    rest += [(r.id, f"{r.id}: your own record") for r in theirs.all]
    return out + [(rid, label) for rid, label in rest if rid in relied and rid not in shown]
