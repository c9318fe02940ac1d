"""The unit assessment record: the short record of decisions an assessor files and an EQA asks for.

One data function, :func:`assessment_record`, builds it from a :class:`.data.ReportData`; one
template macro (``_record.html.j2``) lays it out, both for the page of its own
(:mod:`.record_page`, ``cpc306 assess record``) and for the portfolio's section of the same
name. The record is a list of parts (:data:`RECORD_PARTS`), each a function here and a macro
``part_<id>`` in ``_record_parts.html.j2``: a new kind of record (the assessor's own records,
action points) is one more part.

Nothing is dropped silently: feedback too long for the record is shortened at a sentence
(or word) and says so, and where the full text is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..analysis.coverage_rows import STATUS_LABELS
from ..portfolio.assessor_evidence import records_by_item
from ..portfolio.models import Judgement
from .data import ReportData
from .signoff import SealView

#: Feedback longer than this many characters is shortened in the record (never silently).
BRIEF_CHARS = 240
#: The same for the one overall text of a part (overall feedback, the IQA's notes).
OVERALL_CHARS = 600

#: The five rules of evidence as the record marks them: (rule, letter, label).
RULE_LETTERS: tuple[tuple[str, str, str], ...] = (
    ("valid", "V", "Valid"),
    ("authentic", "A", "Authentic"),
    ("current", "C", "Current"),
    ("sufficient", "S", "Sufficient"),
    ("reliable", "R", "Reliable"),
)


@dataclass(frozen=True)
class Brief:
    """A text as the record shows it: whole, or shortened with a pointer to the full text."""

    text: str
    shortened: bool = False
    #: Characters of the full text (so the record can say how much is left out).
    full_length: int = 0


def brief(text: str, limit: int = BRIEF_CHARS) -> Brief:
    """``text`` whole if it fits in ``limit`` characters, else its first sentences (or words)."""
    text = text.strip()
    if len(text) <= limit:
        return Brief(text, False, len(text))
    head = text[:limit]
    # End at the last full sentence that fits, if one ends past a third of the limit ...
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", head) if m.end() > limit // 3]
    if ends:
        return Brief(head[: ends[-1]], True, len(text))
    # ... or at the last clause (a comma, colon or semicolon past half-way), or the last whole
    # word, with an ellipsis where the sentence goes on.
    clauses = [m.start() for m in re.finditer(r"[,;:](?=\s)", head) if m.start() > limit // 2]
    if clauses:
        cut = head[: clauses[-1]]
    else:
        cut = head.rsplit(None, 1)[0] if " " in head.strip() else head
    return Brief(cut.rstrip() + " …", True, len(text))


@dataclass(frozen=True)
class RuleMark:
    letter: str
    label: str
    #: True confirmed, False not confirmed, None not recorded at all.
    met: bool | None
    note: str = ""


@dataclass(frozen=True)
class ActionPoint:
    what: str
    by: date | str | None = None
    status: str = ""

    @property
    def by_text(self) -> str:
        if isinstance(self.by, date):
            return self.by.strftime("%d %b %Y")
        return str(self.by or "")


@dataclass(frozen=True)
class Decision:
    """One criterion's decision as the record shows it (or that it is not yet judged)."""

    id: str
    text: str
    #: ``met`` / ``not_yet_met`` once judged, else the criterion's coverage status.
    status: str
    judged: bool
    judged_on: date | None = None
    methods: list[str] = field(default_factory=list)
    #: (id, title) of each item relied on; a title of "" means it is not in the portfolio.
    evidence: list[tuple[str, str]] = field(default_factory=list)
    rules: list[RuleMark] = field(default_factory=list)
    feedback: Brief = Brief("")
    action_points: list[ActionPoint] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def rule_notes(self) -> list[RuleMark]:
        return [r for r in self.rules if r.note]


@dataclass(frozen=True)
class KnowledgeLine:
    id: str
    parent: str
    mapped: list[str]
    covered: bool
    #: The assessor's decision on the item, when the portfolio records one.
    decision: str = ""


@dataclass(frozen=True)
class RecordPart:
    """One part of the record: its id (macro ``part_<id>``), heading and data function.

    ``build`` returns what the macro lays out, or None to leave the part out (a unit with
    no knowledge specification has no knowledge part).
    """

    id: str
    heading: str
    build: Callable[[ReportData], Any]


@dataclass(frozen=True)
class BuiltPart:
    id: str
    heading: str
    view: Any


def _rules(judgement: Judgement) -> list[RuleMark]:
    recorded = bool(judgement.rules)
    marks = []
    for rule, letter, label in RULE_LETTERS:
        check = judgement.rules.get(rule)  # type: ignore[call-overload]
        met = None if not recorded else bool(check and check.met)
        marks.append(RuleMark(letter, label, met, (check.note.strip() if check else "")))
    return marks


def action_points_of(judgement: Judgement) -> list[ActionPoint]:
    """A judgement's action points (what, by when, open or closed) as the record shows them."""
    return [
        ActionPoint(
            point.text,
            point.by,
            f"closed {point.closed_on:%d %b %Y}" if point.closed_on else "open",
        )
        for point in judgement.actions
    ]


def summary_part(d: ReportData) -> dict[str, Any]:
    profile = d.portfolio.profile
    return {
        "learner": profile.learner,
        "centre": profile.centre,
        "assessor": profile.assessor,
        "unit": d.standard,
        "unit_sha256": profile.unit_sha256 or "",
        "outcome": d.unit_outcome,
        "signed": d.signed,
        "judged": bool(d.assessment.judgements),
        "fingerprint": d.seals.current_fingerprint,
    }


def _assessors_items(d: ReportData) -> dict[str, ReliedOn]:
    """The assessor's own records a decision may rely on (schema 4), titled by what they are."""
    theirs = d.assessor.records
    out: dict[str, ReliedOn] = {}
    for o in theirs.observations:
        where = f", {o.location}" if o.location else ""
        out[o.id] = ReliedOn(o.id, f"The assessor's observation{where}", "Observation", o.date)
    for c in theirs.discussions:
        topics = f": {'; '.join(c.topics)}" if c.topics else ""
        title = f"The assessor's record of a professional discussion{topics}"
        out[c.id] = ReliedOn(c.id, title, "Professional discussion", c.date)
    for q in theirs.questioning:
        title = f"The assessor's questioning: {q.question_id} ({', '.join(q.knowledge)})"
        out[q.id] = ReliedOn(q.id, title, "Question and answer", q.date)
    return out


def decisions_part(d: ReportData) -> list[Decision]:
    titles = {r.id: r.title for r in d.records}
    titles.update({rid: item.title for rid, item in _assessors_items(d).items()})
    out = []
    for crit_id, crit in d.standard.criteria.items():
        j = d.assessment.judgements.get(crit_id)
        if j is None:
            out.append(Decision(crit_id, crit.text, d.status(crit_id).key, False))
            continue
        out.append(
            Decision(
                id=crit_id,
                text=crit.text,
                status=j.outcome,
                judged=True,
                judged_on=j.judged_on,
                methods=[m.label for m in j.methods_sampled],
                evidence=[(rid, titles.get(rid, "")) for rid in j.evidence],
                rules=_rules(j),
                feedback=brief(j.feedback),
                action_points=action_points_of(j),
            )
        )
    return out


@dataclass(frozen=True)
class ReliedOn:
    id: str
    title: str
    method: str
    dated: date | None


def evidence_part(d: ReportData) -> list[ReliedOn] | None:
    """Each item a decision relied on, once (the decisions name them by id); none: left out."""
    relied = {rid for j in d.assessment.judgements.values() for rid in j.evidence}
    if not relied:
        return None
    known = {r.id: r for r in d.records}
    theirs = _assessors_items(d)
    order = [r.id for r in d.records if r.id in relied]
    order += [rid for rid in theirs if rid in relied]
    order += sorted(set(relied) - set(known) - set(theirs))
    return [
        theirs[rid]
        if rid in theirs
        else ReliedOn(
            rid,
            known[rid].title if rid in known else "",
            d.method_label(known[rid]) if rid in known else "",
            known[rid].date if rid in known else None,
        )
        for rid in order
    ]


def _knowledge_decisions(d: ReportData) -> dict[str, str]:
    """Per knowledge item, the assessor's decision in words, naming the records it rests on."""
    asked = records_by_item(d.assessor.questioning)
    discussed = records_by_item(d.assessor.records.discussions)
    out: dict[str, str] = {}
    for item in {*asked, *discussed}:
        met = d.assessor.decisions.get(item) == "met"
        head = ("met" if met else "not yet met") if item in asked else "discussed"
        ids = [r.id for r in asked.get(item, [])] + [r.id for r in discussed.get(item, [])]
        out[item] = f"{head} ({', '.join(ids)})"
    return out


def knowledge_part(d: ReportData) -> list[KnowledgeLine] | None:
    if not d.standard.has_knowledge:
        return None
    decisions = _knowledge_decisions(d)
    return [
        KnowledgeLine(
            id=str(row["id"]),
            parent=str(row["parent"]),
            mapped=list(row["items"]),  # type: ignore[call-overload]
            covered=bool(row["covered"]),
            decision=decisions.get(str(row["id"]), ""),
        )
        for row in d.rows_of("knowledge")
    ]


@dataclass(frozen=True)
class SignoffView:
    declaration: SealView
    signoff: SealView
    trust_list: str
    trust_fingerprint: str
    overall: Brief
    outcome: str


def signoff_part(d: ReportData) -> SignoffView:
    return SignoffView(
        declaration=d.seals.declaration,
        signoff=d.seals.signoff,
        trust_list=d.seals.trust_list,
        trust_fingerprint=d.seals.trust_fingerprint,
        overall=brief(d.assessment.feedback, OVERALL_CHARS),
        outcome=d.unit_outcome,
    )


def iqa_part(d: ReportData) -> dict[str, Any]:
    sample = d.assessment.iqa
    return {
        "sample": sample,
        "notes": brief(sample.notes if sample else "", OVERALL_CHARS),
        "check": d.seals.iqa,
    }


#: The parts of the record, in order. Add a part: a function above, a macro
#: ``part_<id>`` in ``templates/render/sections/_record_parts.html.j2``, a line here.
RECORD_PARTS: tuple[RecordPart, ...] = (
    RecordPart("summary", "Learner, unit and assessor", summary_part),
    RecordPart("decisions", "Decisions on the performance criteria", decisions_part),
    RecordPart("evidence", "Evidence relied on", evidence_part),
    RecordPart("knowledge", "Knowledge", knowledge_part),
    RecordPart("signoff", "Sign-off", signoff_part),
    RecordPart("iqa", "Internal quality assurance", iqa_part),
)


def assessment_record(data: ReportData) -> list[BuiltPart]:
    """The unit assessment record of one portfolio: each part's heading and data, in order."""
    built = [BuiltPart(p.id, p.heading, p.build(data)) for p in RECORD_PARTS]
    return [b for b in built if b.view is not None]
