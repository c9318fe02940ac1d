"""``cpc306 assess action close`` and ``cpc306 assess actions``: the assessor's action points."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .assess import assess_group, iso_day
from .options import open_folio

if TYPE_CHECKING:
    from ..portfolio.store import Portfolio


@assess_group.group("action")
def action_group() -> None:
    """Work with one action point (close it once the learner has done it)."""


@action_group.command("close")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("criterion")
@click.argument("action_id", metavar="ACTION")
@click.option("--note", default="", help="What you saw that closes it.")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="The day you closed it (today).")
@click.pass_context
def action_close(
    ctx: click.Context,
    portfolio: str,
    criterion: str,
    action_id: str,
    note: str,
    date_: str | None,
) -> None:
    """Close ACTION (AP1 ...) of the judgement of CRITERION in PORTFOLIO."""
    from ..assessor.actions import close_action

    folio = open_folio(ctx, portfolio)
    day = iso_day(date_, "--date") if date_ else None
    closed = close_action(folio, criterion, action_id, note=note, closed_on=day)
    click.echo(f"{criterion.strip().upper()} {closed.id}: closed on {closed.closed_on}.")


def _acknowledgements(folio: Portfolio) -> dict[str, str]:
    """Whether the learner acknowledged each decision as it stands, in words."""
    from ..portfolio.responses import acknowledgement_state, read_responses

    responses = read_responses(folio)
    words = {
        "acknowledged": "the learner acknowledged this decision",
        "changed": "the learner acknowledged an earlier decision, not this one",
        "not_acknowledged": "the learner has not acknowledged this decision",
    }
    return {
        criterion: words[acknowledgement_state(judgement, responses.for_criterion(criterion))]
        for criterion, judgement in folio.read_assessment().judgements.items()
    }


@assess_group.command("actions")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--open", "only_open", is_flag=True, help="Only the action points still open.")
@click.pass_context
def actions_command(ctx: click.Context, portfolio: str, only_open: bool) -> None:
    """List the action points of PORTFOLIO: open or closed, overdue marked, the learner's reply."""
    from ..assessor.actions import action_rows

    folio = open_folio(ctx, portfolio, readonly=True)
    rows = [r for r in action_rows(folio) if not (only_open and r.action.closed)]
    if not rows:
        click.echo("No action points." if not only_open else "No open action points.")
        return
    seen = _acknowledgements(folio)
    for i, row in enumerate(rows):
        if i == 0 or rows[i - 1].criterion != row.criterion:
            click.echo(f"{row.criterion}: {seen[row.criterion]}")
        late = "  OVERDUE" if row.overdue else ""
        click.echo(f"{row.criterion} {row.action.id}  {row.status}  by {row.action.by}{late}")
        click.echo(f"    {row.action.text}")
        if row.reply and row.reply.text:
            click.echo(f"    Learner's reply: {row.reply.text}")
        if row.action.closed:
            note = f": {row.action.closed_note}" if row.action.closed_note else ""
            click.echo(f"    Closed on {row.action.closed_on}{note}")
