"""``cpc306 upgrade``: bring a portfolio made by an older version to today's schema."""

from __future__ import annotations

import click

from .main import main
from .options import standard_option


@main.command()
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option(
    "--adopt-unit",
    is_flag=True,
    help="Record the unit.yaml now in the portfolio as its unit (after changing it on purpose).",
)
@click.option("--dry-run", is_flag=True, help="Say what would change, change nothing.")
@click.pass_context
def upgrade(ctx: click.Context, portfolio: str, adopt_unit: bool, dry_run: bool) -> None:
    """Upgrade PORTFOLIO to this version's schema (adds its own copy of its unit).

    Records are not rewritten, and a declaration or sign-off made before still verifies.
    The unit copied in is --standard if given, else the one installed for its code.
    """
    from ..portfolio.upgrade import upgrade_portfolio

    report = upgrade_portfolio(
        portfolio, standard_option(ctx), adopt_unit=adopt_unit, dry_run=dry_run
    )
    if not report.changed:
        click.echo(f"{report.root} is up to date ({report.schema_after})")
        return
    click.echo(("Would upgrade " if dry_run else "Upgraded ") + str(report.root))
    for name, what in report.done:
        click.echo(f"  {name}: {what}")
