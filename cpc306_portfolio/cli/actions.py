"""``cpc306 assess action close`` and ``cpc306 assess actions``: the assessor's action points."""

from __future__ import annotations

import click

from .assess import assess_group, iso_day
from .options import open_folio


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
    for row in rows:
        late = "  OVERDUE" if row.overdue else ""
        click.echo(f"{row.criterion} {row.action.id}  {row.status}  by {row.action.by}{late}")
        click.echo(f"    {row.action.text}")
        if row.reply and row.reply.text:
            click.echo(f"    Learner's reply: {row.reply.text}")
        if row.action.closed:
            note = f": {row.action.closed_note}" if row.action.closed_note else ""
            click.echo(f"    Closed on {row.action.closed_on}{note}")
