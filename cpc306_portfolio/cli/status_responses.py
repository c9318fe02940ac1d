"""``cpc306 status``'s part on the assessor's decisions: open action points, acknowledgements.

Read through :func:`~..assessor.actions.action_rows` and
:func:`~..portfolio.responses.acknowledgement_state`, the functions ``cpc306 assess
actions`` and the learner's app read, so all three say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .output import cells, shown

if TYPE_CHECKING:
    from ..assessor.actions import ActionRow
    from ..portfolio.store import Portfolio


@dataclass(frozen=True)
class DecisionResponses:
    """What the learner has done about the assessor's decisions, as of one day."""

    open_actions: list[ActionRow]
    judged: list[str]
    acknowledged: list[str]
    changed: list[str]  # acknowledged, but the decision changed since

    @property
    def not_acknowledged(self) -> list[str]:
        return [c for c in self.judged if c not in self.acknowledged and c not in self.changed]


def decision_responses(folio: Portfolio, today: date) -> DecisionResponses:
    """Open action points (in the unit's order) and each decision's acknowledgement."""
    from ..assessor.actions import action_rows
    from ..portfolio.responses import acknowledgement_state, read_responses

    judgements = folio.read_assessment().judgements
    responses = read_responses(folio)
    states = {
        c: acknowledgement_state(j, responses.for_criterion(c)) for c, j in judgements.items()
    }
    return DecisionResponses(
        open_actions=[r for r in action_rows(folio, today) if not r.action.closed],
        judged=list(judgements),
        acknowledged=[c for c, s in states.items() if s == "acknowledged"],
        changed=[c for c, s in states.items() if s == "changed"],
    )


def reply_state(row: ActionRow) -> str:
    """The learner's reply to an action point, in words."""
    reply = row.reply
    if reply is not None and reply.done:
        when = f" {reply.done_at:%Y-%m-%d}" if reply.done_at else ""
        return f"marked done{when}; for the assessor to close"
    if reply is not None and reply.text:
        when = f" {reply.replied_at:%Y-%m-%d}" if reply.replied_at else ""
        return f"replied{when}: {reply.text}"
    return "no reply yet"


def responses_data(found: DecisionResponses) -> dict[str, Any]:
    """The same, for ``--json``."""
    return {
        "open_action_points": [
            {
                "criterion": r.criterion,
                "id": r.action.id,
                "text": r.action.text,
                "by": r.action.by.isoformat(),
                "overdue": r.overdue,
                "status": r.status,
                "reply": r.reply.text if r.reply else "",
                "done": bool(r.reply and r.reply.done),
            }
            for r in found.open_actions
        ],
        "decisions": {
            "judged": len(found.judged),
            "acknowledged": found.acknowledged,
            "changed_since_acknowledged": found.changed,
            "not_acknowledged": found.not_acknowledged,
        },
    }


def print_responses(console: Any, found: DecisionResponses, root: str) -> None:
    """Under the criteria table: open action points, then the acknowledgements.

    ``root`` is the portfolio as the command was given it, for the command to run next.
    """
    import shlex

    from rich.table import Table

    if found.open_actions:
        late = sum(1 for r in found.open_actions if r.overdue)
        title = f"Open action points ({len(found.open_actions)}" + (
            f", {late} overdue)" if late else ")"
        )
        table = Table(title=title, title_justify="left")
        console.print()
        table.add_column("criterion", no_wrap=True)
        table.add_column("action", no_wrap=True)
        table.add_column("what the assessor asks", ratio=3, overflow="fold")
        table.add_column("by when", no_wrap=True)
        table.add_column("the learner's reply", ratio=2, overflow="fold")
        for row in found.open_actions:
            by = row.action.by.isoformat()
            when = f"[bold red]{by}\nOVERDUE[/]" if row.overdue else by
            what, reply = cells(row.action.text, reply_state(row))
            table.add_row(row.criterion, row.action.id, what, when, reply)
        console.print(table)
    if not found.judged:
        return
    total = len(found.judged)
    line = f"Decisions acknowledged by the learner: {len(found.acknowledged)} of {total}"
    missing = found.not_acknowledged
    if missing and len(missing) == total:
        line += " (none yet)"
    elif missing:
        line += f"; not yet: {', '.join(missing)}"
    if found.changed:
        line += f"; changed since acknowledged: {', '.join(found.changed)}"
    console.print(f"\n{line}", soft_wrap=False)
    if missing or found.changed:
        first = (found.changed or missing)[0]
        console.print(
            f"  The learner reads each decision, then: cpc306 respond acknowledge "
            f"{shown(shlex.quote(root))} {first}",
            soft_wrap=False,
        )
