"""``cpc306 keep-out PORTFOLIO add|list|remove``: the people the learner must never identify.

The names are stored in the portfolio only as keyed hashes; the key and the names stay in
the learner's own config folder, so ``list`` works on the learner's machine alone.
"""

from __future__ import annotations

import click

from .main import main
from .options import open_folio
from .output import print_json, say


@main.group("keep-out")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.pass_context
def keep_out(ctx: click.Context, portfolio: str) -> None:
    """Add, list or remove the names PORTFOLIO's text must never show."""
    ctx.obj = portfolio


@keep_out.command("add")
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
@click.pass_context
def keep_out_add(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Add one or more names (quote each full name: "Edith Marlowe")."""
    folio = open_folio(ctx, ctx.obj)
    listed = folio.add_keep_out(list(names))
    say(f"{len(listed)} name(s) on the keep-out list, stored in the portfolio only as keyed hashes")


@keep_out.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def keep_out_list(ctx: click.Context, as_json: bool) -> None:
    """Show the names (on the learner's own machine only: the key is needed)."""
    names = open_folio(ctx, ctx.obj).keep_out_names()
    if as_json:
        print_json(names)
        return
    for name in names:
        say(name)
    if not names:
        say("The keep-out list is empty: add names with cpc306 keep-out PORTFOLIO add NAME")


@keep_out.command("remove")
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
@click.pass_context
def keep_out_remove(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Remove one or more names (however they are spaced or capitalised)."""
    listed = open_folio(ctx, ctx.obj).remove_keep_out(list(names))
    say(f"Removed {len(names)}; {len(listed)} name(s) left on the keep-out list")
