"""``cpc306 scan``: possible identifiers of people in a portfolio's text."""

from __future__ import annotations

import click

from ..errors import ConfidentialityError
from .main import main
from .options import open_folio
from .output import print_json, say, shown, terminal


@main.command()
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def scan(ctx: click.Context, portfolio: str, as_json: bool) -> None:
    """List possible identifiers of people in PORTFOLIO; exit 5 if any is unacknowledged."""
    folio = open_folio(ctx, portfolio)
    results = folio.scan()
    open_count = sum(1 for _, ack in results if ack is None)
    _, checked = folio.keep_out_matcher()
    if not checked:
        say(
            "warning: the names on the keep-out list cannot be checked on this machine (they "
            "are kept only as keyed hashes, and the key is with the learner); every other "
            "kind of identifier was checked",
            err=True,
        )
    if as_json:
        print_json(
            [
                {
                    **finding.model_dump(mode="json"),
                    "label": finding.label,
                    "acknowledged": ack is not None,
                    "reason": ack.reason if ack else "",
                }
                for finding, ack in results
            ]
        )
    elif not results:
        say("No possible identifiers found.")  # rich (about 40 ms to import) is not needed
    else:
        from rich.table import Table

        table = Table(title="Confidentiality scan", title_justify="left")
        for column in ("record", "field", "kind", "snippet", "fingerprint", "acknowledged"):
            # A fingerprint is copied into --acknowledge: it must never wrap.
            whole = column == "fingerprint"
            table.add_column(
                column, overflow="fold", no_wrap=whole, min_width=16 if whole else None
            )
        for finding, ack in results:
            table.add_row(
                finding.record,
                shown(finding.field),
                finding.label,
                shown(finding.snippet),
                finding.fingerprint,
                shown(f"yes: {ack.reason}") if ack else "NO",
            )
        console = terminal()
        console.print(table)
        console.print(f"{len(results)} finding(s), {open_count} not acknowledged.")
    if open_count:
        ctx.exit(ConfidentialityError.exit_code)
