"""``cpc306 assess record``: the unit assessment record, one page to file or print."""

from __future__ import annotations

import click

from .assess import assess_group
from .options import open_folio, trust_option


@assess_group.command("record")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The HTML file to write (outside the portfolio folder).",
)
@trust_option
@click.pass_context
def assess_record(ctx: click.Context, portfolio: str, output: str, trust: str | None) -> None:
    """Write the unit assessment record: decisions, knowledge, sign-off and IQA, on A4.

    The sign-off reads verified only against the centre's list (--trust).
    """
    from ..render.record_page import write_assessment_record

    folio = open_folio(ctx, portfolio, readonly=True)
    click.echo(str(write_assessment_record(folio, output, trust=trust)))
