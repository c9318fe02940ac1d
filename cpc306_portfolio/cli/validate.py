"""``cpc306 validate``: every problem in a portfolio's files, with file, line and field."""

from __future__ import annotations

import click

from ..errors import ConfidentialityError, PortfolioInvalidError
from .main import main
from .options import open_folio
from .output import print_json, say


@main.command()
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def validate(ctx: click.Context, portfolio: str, as_json: bool) -> None:
    """Check every file in PORTFOLIO; list every problem with file, line and field.

    Also says how many possible identifiers of a person are not yet acknowledged (exit 5
    when the files are otherwise valid; ``cpc306 scan`` lists them), and warns while the
    keep-out names are kept in clear or cannot be checked on this machine.
    """
    folio = open_folio(ctx, portfolio, keep_listing=True)
    problems = folio.validate()
    notices = folio.notices()
    unacknowledged = [n for n in notices if n.field == "confidentiality"]
    if as_json:
        print_json(
            {
                "valid": not problems,
                "problems": [p.as_dict() for p in problems],
                "notices": [n.as_dict() for n in notices],
            }
        )
    elif problems:
        for p in problems:
            say(str(p), err=True)
        say(f"{len(problems)} problem(s); nothing was changed.", err=True)
    else:
        n_e, n_r = len(folio.evidence_ids()), len(folio.reflection_ids())
        say(f"{folio.root}: valid ({n_e} evidence, {n_r} reflections, unit {folio.standard.code})")
    if not as_json:
        for notice in notices:
            say(f"warning: {notice}", err=True)
    if problems:
        ctx.exit(PortfolioInvalidError.exit_code)
    if unacknowledged:
        ctx.exit(ConfidentialityError.exit_code)
