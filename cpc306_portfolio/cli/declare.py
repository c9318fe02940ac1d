"""``cpc306 declare``: the learner declares the evidence their own work."""

from __future__ import annotations

import click

from ..errors import UsageError
from .main import main
from .options import open_folio


@main.command("declare")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--statement", help="Your own words of declaration (default: the usual statement).")
@click.option("--yes", is_flag=True, help="Declare without asking for confirmation.")
@click.pass_context
def declare_command(ctx: click.Context, portfolio: str, statement: str | None, yes: bool) -> None:
    """Declare the evidence in PORTFOLIO your own work; records the SHA-256 of every file."""
    from ..portfolio.declaration import declare

    folio = open_folio(ctx, portfolio)
    click.echo(statement or folio.standard.terms.declaration_statement)
    if not yes and not click.confirm(f"Declare this as {folio.profile.learner.name}?"):
        raise UsageError("nothing was declared", hint="pass --yes to declare without asking")
    declaration = declare(folio, statement=statement)
    click.echo(
        f"Declared by {declaration.signed_by}: {len(declaration.manifest.files)} files, "
        f"fingerprint {declaration.manifest.fingerprint}"
    )
