"""``responses.yaml``: the learner's replies and acknowledgements, as typed records.

Apart from :mod:`.responses` (which changes the file) so that ``validate`` can read it
with nothing but the record store.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import Field

from ..errors import Problem, RecordError
from ..files.yamlio import load_model
from .layout import RESPONSES_FILE
from .models import Sha256, _File, _Strict, now
from .records import RecordStore


class ActionReply(_Strict):
    """The learner's reply to one action point, and whether they say it is done."""

    text: str = ""
    replied_at: datetime | None = None
    done: bool = False
    done_at: datetime | None = None


class DecisionSeen(_Strict):
    """The learner's acknowledgement that they read a decision: when, and which one."""

    judgement_sha256: Sha256 = Field(description="decision_sha256 of the judgement read")
    acknowledged_at: datetime = Field(default_factory=now)


class CriterionResponses(_Strict):
    """What the learner said about the decision on one criterion."""

    actions: dict[str, ActionReply] = Field(default_factory=dict, description="by AP id")
    acknowledged: DecisionSeen | None = None


class Responses(_File):
    """``responses.yaml``: the learner's replies and acknowledgements, by criterion."""

    criteria: dict[str, CriterionResponses] = Field(default_factory=dict)
    modified: datetime = Field(default_factory=now)

    def to_data(self) -> dict[str, Any]:
        """As written: times that were never set are left out, not written as nulls."""
        data = super().to_data()
        for part in data.get("criteria", {}).values():
            for reply in part.get("actions", {}).values():
                for name in ("replied_at", "done_at"):
                    if reply.get(name) is None:
                        reply.pop(name, None)
            if part.get("acknowledged") is None:
                part.pop("acknowledged", None)
            if not part.get("actions"):
                part.pop("actions", None)
        return data

    def for_criterion(self, criterion: str) -> CriterionResponses:
        return self.criteria.get(criterion) or CriterionResponses()


def read_responses_file(root: Path) -> Responses:
    """The learner's responses in the folder ``root``, or none yet; broken is an error."""
    path = root / RESPONSES_FILE
    if not path.exists() and not path.is_symlink():
        return Responses()
    found, problems = load_model(Responses, path, root)
    if found is None:
        raise RecordError(problems, hint=f"fix {RESPONSES_FILE} by hand; nothing was changed")
    return found


def responses_problems(store: RecordStore) -> list[Problem]:
    """What ``validate`` reports about ``responses.yaml``: a file that does not read."""
    try:
        found = read_responses_file(store.layout.root)
    except RecordError as exc:
        return list(exc.problems)
    criteria = store.standard.criteria
    return [
        Problem(
            str(store.layout.root / RESPONSES_FILE),
            f"{store.standard.code} has no criterion {criterion!r}",
            field=f"criteria.{criterion}",
            hint=f"use one of: {', '.join(criteria)}",
        )
        for criterion in found.criteria
        if criterion not in criteria
    ]
