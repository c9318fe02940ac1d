"""``cpc306 witness ...``: the witness register, and the assessor's authenticity checks."""

from __future__ import annotations

from typing import Any

import click

from ..errors import RecordError
from .main import main
from .options import as_options, open_folio, split_ids
from .output import cells, print_json, say, terminal


@main.group("witness")
def witness() -> None:
    """The witness register (witnesses/W001.yaml): who they are and how to reach them."""


@witness.command("add")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--name", required=True, help="The witness's name (they agree to be named).")
@click.option("--role", required=True, help="Their job title.")
@click.option("--organisation", required=True, help="Where they work.")
@click.option("--relationship", required=True, help="Their relationship to you.")
@click.option("--email", default="", help="Their email address (or --phone, or both).")
@click.option("--phone", default="", help="Their phone number.")
@click.option(
    "--status",
    required=True,
    type=click.Choice(["occupationally_competent", "expert"]),
    help="Occupationally competent, or an expert witness.",
)
@click.option("--meets", multiple=True, help="Expert: the unit's expert-witness criteria met.")
@click.pass_context
def witness_add(
    ctx: click.Context,
    portfolio: str,
    name: str,
    role: str,
    organisation: str,
    relationship: str,
    email: str,
    phone: str,
    status: str,
    meets: tuple[str, ...],
) -> None:
    """Register a witness who agreed to be named and contacted."""
    from ..portfolio.kinds import WITNESS

    folio = open_folio(ctx, portfolio)
    fields: dict[str, Any] = {
        "name": name,
        "role": role,
        "organisation": organisation,
        "relationship": relationship,
        "email": email.strip(),
        "phone": phone.strip(),
        "status": status,
        "expert_criteria": split_ids(meets),
    }
    try:
        added = folio.add(WITNESS, fields)
    except RecordError as exc:
        raise as_options(exc) from None
    say(f"Registered {added.id}: {added.name}, {added.role} ({added.status})")


@witness.command("check")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("witness_id")
@click.option(
    "--how", required=True, type=click.Choice(["phone", "email", "in_person"]), help="How."
)
@click.option("--date", "date_", required=True, metavar="YYYY-MM-DD", help="When.")
@click.option("--by", default="", help="Who checked (default: the portfolio's assessor).")
@click.option("--notes", default="", help="What the witness confirmed.")
@click.pass_context
def witness_check(
    ctx: click.Context,
    portfolio: str,
    witness_id: str,
    how: str,
    date_: str,
    by: str,
    notes: str,
) -> None:
    """Record the assessor's check that a witness is real and stands by their statement."""
    from ..portfolio.witnesses import check_witness

    folio = open_folio(ctx, portfolio)
    try:
        checked = check_witness(folio, witness_id, how=how, on=date_, by=by, notes=notes)  # type: ignore[arg-type]
    except RecordError as exc:
        raise as_options(exc) from None
    last = checked.checks[-1]
    say(f"{checked.id} checked by {last.by} ({last.how.replace('_', ' ')}, {last.on})")


@witness.command("list")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def witness_list(ctx: click.Context, portfolio: str, as_json: bool) -> None:
    """List the witness register."""
    from rich.table import Table

    from ..portfolio.witnesses import read_witnesses

    found = read_witnesses(open_folio(ctx, portfolio, readonly=True))
    if as_json:
        print_json([w.to_data() for w in found])
        return
    table = Table(title=f"Witnesses ({len(found)})", title_justify="left")
    for column in ("id", "name", "role", "organisation", "status", "contact", "checked"):
        table.add_column(column, overflow="fold")
    for w in found:
        last = w.checks[-1] if w.checks else None
        table.add_row(
            *cells(
                w.id,
                w.name,
                w.role,
                w.organisation,
                w.status.replace("_", " "),
                " ".join(c for c in (w.email, w.phone) if c),
                f"{last.how} {last.on}" if last else "not yet",
            )
        )
    terminal().print(table)
