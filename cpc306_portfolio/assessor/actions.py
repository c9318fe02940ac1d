"""Action points: what a "not yet met" asks of the learner, by when, until the assessor closes it.

They live in the judgement (``assessment.yaml``, so the sign-off covers them); the
learner's replies, "done" and acknowledgements live in the learner's ``responses.yaml``
(:mod:`cpc306_portfolio.portfolio.responses`). A new judgement of a criterion keeps the
action points it had, so their ids (AP1, AP2 ...) and the learner's replies stay attached;
judging it met closes the ones still open, saying so in their note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..errors import NotFoundError, UsageError
from ..portfolio.models import ActionPoint, Judgement
from ..portfolio.responses import ActionReply, read_responses
from ..portfolio.store import Portfolio

#: An action point as asked for: what, and by when (``None`` when no date was given).
NewAction = tuple[str, date | None]


def check_new_actions(outcome: str | None, actions: Sequence[NewAction]) -> None:
    """Refuse action points that cannot be recorded, naming the option at fault."""
    if not actions:
        return
    if outcome != "not_yet_met":
        raise UsageError(
            "action points (--action) go with a 'not yet met' judgement only",
            hint="use --outcome not_yet_met, or leave --action out",
        )
    for text, by in actions:
        if not text.strip():
            raise UsageError("an action point (--action) is empty", hint="say what is to be done")
        if by is None:
            raise UsageError(
                f"the action point {text.strip()!r} has no date (--by)",
                hint="give each --action its own --by YYYY-MM-DD",
            )
        if by < date.today():
            raise UsageError(
                f"the action point {text.strip()!r} is due {by} (--by), a date already past",
                hint="give a date from today on",
            )


def with_actions(
    previous: Judgement | None, judgement: Judgement, actions: Sequence[NewAction]
) -> Judgement:
    """``judgement`` with the earlier judgement's action points and the new ones after them."""
    kept = list(previous.actions) if previous else []
    if judgement.outcome == "met":
        note = f"Closed when the criterion was judged met on {judgement.judged_on}"
        kept = [
            a
            if a.closed
            else a.model_copy(update={"closed_on": judgement.judged_on, "closed_note": note})
            for a in kept
        ]
    number = max((int(a.id[2:]) for a in kept), default=0)
    for i, (text, by) in enumerate(actions, start=number + 1):
        assert by is not None  # check_new_actions refused it
        kept.append(ActionPoint(id=f"AP{i}", text=text.strip(), by=by))
    return judgement.model_copy(update={"actions": kept})


def close_action(
    portfolio: Portfolio,
    criterion: str,
    action_id: str,
    *,
    note: str = "",
    closed_on: date | None = None,
) -> ActionPoint:
    """The assessor closes an action point (with an optional note); returns it closed."""
    key = criterion.strip().upper()
    wanted = action_id.strip().upper()
    day = closed_on or date.today()
    if day > date.today():
        raise UsageError(f"--date {day} is after today", hint="close it on the day you do")
    with portfolio.locked():
        assessment = portfolio.read_assessment()
        judgement = assessment.judgements.get(key)
        if judgement is None:
            raise NotFoundError(
                f"{key} has no judgement in {portfolio.root}",
                hint=f"criteria judged: {', '.join(assessment.judgements) or 'none yet'}",
            )
        found = next((a for a in judgement.actions if a.id == wanted), None)
        if found is None:
            listed = ", ".join(a.id for a in judgement.actions) or "none"
            raise NotFoundError(
                f"the judgement of {key} has no action point {action_id!r}",
                hint=f"its action points: {listed}",
            )
        if found.closed:
            raise UsageError(f"{key} {wanted} was already closed on {found.closed_on}")
        closed = found.model_copy(update={"closed_on": day, "closed_note": note.strip()})
        actions = [closed if a.id == wanted else a for a in judgement.actions]
        judgements = {
            **assessment.judgements,
            key: judgement.model_copy(update={"actions": actions}),
        }
        portfolio.save_assessment(assessment.model_copy(update={"judgements": judgements}))
    return closed


@dataclass(frozen=True)
class ActionRow:
    """One action point with the learner's reply, for a list."""

    criterion: str
    action: ActionPoint
    reply: ActionReply | None
    overdue: bool

    @property
    def status(self) -> str:
        if self.action.closed:
            return "closed"
        if self.reply is not None and self.reply.done:
            return "done, to close"
        return "open"


def action_rows(portfolio: Portfolio, today: date | None = None) -> list[ActionRow]:
    """Every action point of the portfolio in the unit's order, with overdue ones marked."""
    day = today or date.today()
    responses = read_responses(portfolio)
    out = []
    for criterion, judgement in portfolio.read_assessment().judgements.items():
        replies = responses.for_criterion(criterion).actions
        for action in judgement.actions:
            reply = replies.get(action.id)
            late = not action.closed and action.by < day and not (reply and reply.done)
            out.append(ActionRow(criterion, action, reply, late))
    return out
