"""The learner's answers to the assessor's decisions (``responses.yaml``, the learner's file).

A "not yet met" carries action points (:class:`~.models.ActionPoint`, in the assessor's
``assessment.yaml``). The learner replies to each, marks it done, and acknowledges each
decision they have read. These are the learner's words, so they live in a file of the
learner's: covered by the declaration (an entry per criterion, ``responses.yaml#A4``: see
:mod:`.manifest`), scanned for identifiers before saving, written atomically under the
portfolio's lock. An optional file: a portfolio without one reads as before.

An acknowledgement records when, and the SHA-256 of the decision it acknowledged
(:func:`decision_sha256`): the judgement with its action points as set (what, by when),
not as closed, so the assessor closing an action point does not undo the learner's
acknowledgement, while any change to the outcome, feedback or action points does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from ..errors import ConfidentialityError, NotFoundError, UsageError
from ..files.atomic import atomic_write_text
from ..files.canonical import canonical_hash
from ..files.yamlio import dump_yaml
from .layout import RESPONSES_FILE
from .models import ActionPoint, Judgement, now
from .responses_file import (
    ActionReply,
    CriterionResponses,
    DecisionSeen,
    Responses,
    read_responses_file,
)

if TYPE_CHECKING:
    from .folio import Portfolio

#: Whether the learner has acknowledged the decision as it stands now.
Acknowledged = Literal["acknowledged", "changed", "not_acknowledged"]

__all__ = [
    "ActionReply",
    "CriterionResponses",
    "DecisionSeen",
    "Responses",
    "acknowledge_decision",
    "acknowledgement_state",
    "decision_sha256",
    "mark_action_done",
    "read_responses",
    "reply_to_action",
]


def decision_sha256(judgement: Judgement) -> str:
    """SHA-256 of a decision as the learner reads it (action points as set, not as closed)."""
    data = judgement.model_dump(mode="json")
    data["actions"] = [{k: a[k] for k in ("id", "text", "by")} for a in data["actions"]]
    return canonical_hash(data)


def acknowledgement_state(judgement: Judgement, responses: CriterionResponses) -> Acknowledged:
    """Acknowledged, changed since it was acknowledged, or not acknowledged at all."""
    seen = responses.acknowledged
    if seen is None:
        return "not_acknowledged"
    return "acknowledged" if seen.judgement_sha256 == decision_sha256(judgement) else "changed"


def read_responses(portfolio: Portfolio) -> Responses:
    """The learner's responses, or none yet; a broken file is an error, never emptied."""
    return read_responses_file(portfolio.root)


def _judged(portfolio: Portfolio, criterion: str) -> tuple[str, Judgement]:
    key = criterion.strip().upper()
    if key not in portfolio.standard.criteria:
        raise UsageError(
            f"{portfolio.standard.code} has no criterion {criterion!r}",
            hint=f"use one of: {', '.join(portfolio.standard.criteria)}",
        )
    judgement = portfolio.read_assessment().judgements.get(key)
    if judgement is None:
        raise NotFoundError(
            f"your assessor has not made a decision on {key} yet",
            hint="there is nothing to acknowledge or reply to until they do",
        )
    return key, judgement


def _action(portfolio: Portfolio, criterion: str, action_id: str) -> tuple[str, ActionPoint]:
    key, judgement = _judged(portfolio, criterion)
    wanted = action_id.strip().upper()
    for action in judgement.actions:
        if action.id == wanted:
            if action.closed:
                raise UsageError(
                    f"{key} {wanted} is closed: your assessor closed it on {action.closed_on}",
                    hint="nothing more is needed for it",
                )
            return key, action
    listed = ", ".join(a.id for a in judgement.actions)
    raise NotFoundError(
        f"the decision on {key} has no action point {action_id!r}",
        hint=f"its action points are: {listed}" if listed else "it has no action points",
    )


def _save(portfolio: Portfolio, responses: Responses) -> Responses:
    responses = responses.model_copy(update={"modified": now()})
    atomic_write_text(portfolio.root / RESPONSES_FILE, dump_yaml(responses.to_data()))
    return responses


def _updated(
    portfolio: Portfolio, criterion: str, change: dict[str, Any], action_id: str | None = None
) -> Responses:
    """Read, change one criterion's responses (or one action point's reply), write."""
    current = read_responses(portfolio)
    part = current.for_criterion(criterion)
    if action_id is None:
        part = part.model_copy(update=change)
    else:
        reply = part.actions.get(action_id) or ActionReply()
        actions = {**part.actions, action_id: reply.model_copy(update=change)}
        part = part.model_copy(update={"actions": dict(sorted(actions.items()))})
    order = list(portfolio.standard.criteria)
    criteria = {**current.criteria, criterion: part}
    criteria = dict(sorted(criteria.items(), key=lambda kv: order.index(kv[0])))
    return _save(portfolio, current.model_copy(update={"criteria": criteria}))


def reply_to_action(portfolio: Portfolio, criterion: str, action_id: str, text: str) -> ActionReply:
    """Record the learner's reply to an action point (replacing an earlier reply).

    The text is scanned for identifiers first: if it might identify someone, nothing is
    written and a :class:`~cpc306_portfolio.errors.ConfidentialityError` lists what was
    found, so the words can be edited and saved again.
    """
    words = text.strip()
    if not words:
        raise UsageError("the reply is empty (text)", hint="write what you did about it")
    key, action = _action(portfolio, criterion, action_id)
    found = portfolio.checks.text_findings(
        {f"criteria.{key}.actions.{action.id}.text": words}, RESPONSES_FILE
    )
    if found:
        kinds = ", ".join(dict.fromkeys(f.label for f in found))
        raise ConfidentialityError(
            f"the reply to {key} {action.id} might identify a person ({kinds}); it was not saved",
            found,
            hint="edit the reply so it identifies no one, then save it again",
        )
    with portfolio.locked():
        saved = _updated(portfolio, key, {"text": words, "replied_at": now()}, action.id)
    return saved.criteria[key].actions[action.id]


def mark_action_done(
    portfolio: Portfolio, criterion: str, action_id: str, done: bool = True
) -> ActionReply:
    """Say an action point is done (or, ``done=False``, not done after all)."""
    key, action = _action(portfolio, criterion, action_id)
    with portfolio.locked():
        change = {"done": done, "done_at": now() if done else None}
        saved = _updated(portfolio, key, change, action.id)
    return saved.criteria[key].actions[action.id]


def acknowledge_decision(portfolio: Portfolio, criterion: str) -> DecisionSeen:
    """Record that the learner has read the decision on ``criterion`` as it stands now."""
    with portfolio.locked():
        key, judgement = _judged(portfolio, criterion)
        seen = DecisionSeen(judgement_sha256=decision_sha256(judgement))
        saved = _updated(portfolio, key, {"acknowledged": seen})
    acknowledged = saved.criteria[key].acknowledged
    assert acknowledged is not None
    return acknowledged
