"""``cpc306 respond``: the learner answers their assessor's decisions.

Reply to an action point, say it is done, and say you have read a decision. Your words go
in your own ``responses.yaml``, checked for anything that could identify a person first.
(Your comment on an observation, ``respond observation``, is in :mod:`.comments`.)
"""

from __future__ import annotations

import click

from .main import main
from .options import open_folio


@main.group("respond")
def respond_group() -> None:
    """Answer your assessor: reply, mark done, acknowledge, comment on an observation."""


@respond_group.command("reply")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("criterion")
@click.argument("action_id", metavar="ACTION")
@click.argument("text")
@click.pass_context
def reply_command(
    ctx: click.Context, portfolio: str, criterion: str, action_id: str, text: str
) -> None:
    """Reply to action point ACTION (AP1 ...) on CRITERION with TEXT."""
    from ..portfolio.responses import reply_to_action

    folio = open_folio(ctx, portfolio)
    reply_to_action(folio, criterion, action_id, text)
    click.echo(f"Saved your reply to {criterion.strip().upper()} {action_id.strip().upper()}.")


@respond_group.command("done")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("criterion")
@click.argument("action_id", metavar="ACTION")
@click.option("--undo", is_flag=True, help="It is not done after all.")
@click.pass_context
def done_command(
    ctx: click.Context, portfolio: str, criterion: str, action_id: str, undo: bool
) -> None:
    """Tell your assessor you have done action point ACTION on CRITERION."""
    from ..portfolio.responses import mark_action_done

    folio = open_folio(ctx, portfolio)
    mark_action_done(folio, criterion, action_id, done=not undo)
    what = "not done" if undo else "done; your assessor closes it"
    click.echo(f"{criterion.strip().upper()} {action_id.strip().upper()}: marked {what}.")


@respond_group.command("acknowledge")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("criterion")
@click.pass_context
def acknowledge_command(ctx: click.Context, portfolio: str, criterion: str) -> None:
    """Say you have read your assessor's decision on CRITERION."""
    from ..portfolio.responses import acknowledge_decision

    folio = open_folio(ctx, portfolio)
    seen = acknowledge_decision(folio, criterion)
    click.echo(
        f"Recorded that you read the decision on {criterion.strip().upper()} "
        f"({seen.acknowledged_at:%Y-%m-%d})."
    )
