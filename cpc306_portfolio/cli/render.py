"""``cpc306 render``: the assessor's portfolio as one offline HTML file."""

from __future__ import annotations

import sys
from typing import Any

import click

from .main import main
from .options import open_folio, trust_option


@main.command()
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The HTML file to write (outside the portfolio folder).",
)
@trust_option
@click.option(
    "--timeout",
    type=click.IntRange(min=1),
    default=None,
    metavar="SECONDS",
    help="Longest a step of the build may take (default: scaled with the attachments' size).",
)
@click.pass_context
def render(
    ctx: click.Context, portfolio: str, output: str, trust: str | None, timeout: int | None
) -> None:
    """Write the assessor's portfolio: one HTML file that opens offline and prints."""
    from ..render import render_portfolio

    folio = open_folio(ctx, portfolio, readonly=True)
    options: dict[str, Any] = {} if timeout is None else {"execution_timeout": timeout}
    # A bar over the report's cells only where someone watches a terminal.
    progress = sys.stderr.isatty()
    click.echo(str(render_portfolio(folio, output, trust=trust, progress=progress, **options)))
