"""Identifiers the learner has neither edited out nor acknowledged, withheld from the report.

The store refuses to save a record with an open finding, but a file edited by hand, or a
scan that has learnt a new kind of identifier, can still bring one to the renderer. The
report masks each one exactly as the scan's snippets mask it (the first character, or
the first three digits of an NHS number, then ``*``) and says on its cover how many it
withheld. Names on the keep-out list are withheld whole by :func:`.richtext.withhold`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from ..confidentiality.scan import Finding, FindingKind, mask_value
from ..portfolio.layout import RESPONSES_FILE
from ..portfolio.models import Evidence, Reflection
from ..portfolio.responses import Responses
from ..portfolio.store import Portfolio

Span = tuple[int, int, FindingKind]
R = TypeVar("R", Evidence, Reflection)


def mask_spans(text: str, spans: Iterable[Span]) -> str:
    """``text`` with every span masked (spans keep their offsets: masking keeps length)."""
    chars = list(text)
    for start, end, kind in spans:
        if 0 <= start < end <= len(text):
            chars[start:end] = mask_value(text[start:end], kind)
    return "".join(chars)


@dataclass
class Withheld:
    """Open findings by record and field, ready to mask; and how many there are."""

    spans: dict[str, dict[str, list[Span]]] = field(default_factory=dict)
    count: int = 0

    def for_field(self, record: str, name: str) -> list[Span]:
        return self.spans.get(record, {}).get(name, [])


def open_findings(portfolio: Portfolio) -> Withheld:
    """Every finding the learner has not acknowledged, from :meth:`Portfolio.scan`."""
    spans: dict[str, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    count = 0
    found: Sequence[tuple[Finding, object]] = portfolio.scan()
    # The render builds every record for itself: the scan's shared ones would be a second
    # copy of each, held to the end (10,000 records: about 30 MiB more at the peak).
    portfolio.records.let_go_shared()
    for finding, ack in found:
        if ack is not None:
            continue
        count += 1
        if finding.kind is not FindingKind.LISTED_NAME:
            spans[finding.record][finding.field].append((finding.start, finding.end, finding.kind))
    return Withheld({k: dict(v) for k, v in spans.items()}, count)


def _masked(text: str, spans: list[Span]) -> str:
    return mask_spans(text, spans) if spans else text


def mask_record(record: R, withheld: Withheld) -> R:
    """A copy of a record with its open findings masked in every text field."""
    fields = withheld.spans.get(record.id)
    if not fields:
        return record

    def m(name: str, text: str) -> str:
        return _masked(text, fields.get(name, []))

    update: dict[str, object] = {"title": m("title", record.title)}
    if isinstance(record, Evidence):
        update["description"] = m("description", record.description)
        if record.witness:
            update["witness"] = record.witness.model_copy(
                update={"statement": m("witness.statement", record.witness.statement)}
            )
        if record.self_directed_support:
            sds = record.self_directed_support
            update["self_directed_support"] = sds.model_copy(
                update={"notes": m("self_directed_support.notes", sds.notes)}
            )
        update["attachments"] = [
            a.model_copy(update={"description": m(f"attachments[{i}].description", a.description)})
            for i, a in enumerate(record.attachments)
        ]
    else:
        update["stages"] = {k: m(f"stages.{k}", v) for k, v in record.stages.items()}
    return record.model_copy(update=update)


def mask_responses(responses: Responses, withheld: Withheld) -> Responses:
    """The learner's responses with open findings in their replies masked."""
    fields = withheld.spans.get(RESPONSES_FILE)
    if not fields:
        return responses
    criteria = {}
    for criterion, part in responses.criteria.items():
        actions = {
            ident: reply.model_copy(
                update={
                    "text": _masked(
                        reply.text, fields.get(f"criteria.{criterion}.actions.{ident}.text", [])
                    )
                }
            )
            for ident, reply in part.actions.items()
        }
        criteria[criterion] = part.model_copy(update={"actions": actions})
    return responses.model_copy(update={"criteria": criteria})
