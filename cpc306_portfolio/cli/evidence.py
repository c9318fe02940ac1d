"""``cpc306 evidence ...``: add, list, show, attach to and remove items of evidence."""

from __future__ import annotations

from typing import Any

import click

from ..errors import RecordError, UsageError
from .choices import METHODS
from .main import main
from .options import ACK_HELP, as_options, open_folio, parse_acknowledgements, read_text, split_ids
from .output import print_json, say, show_record, terminal, visible


@main.group()
def evidence() -> None:
    """Add, list and show items of evidence."""


@evidence.command("add")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--title", required=True, help="A short title for the item.")
@click.option("--date", "date_", required=True, metavar="YYYY-MM-DD", help="Date of the activity.")
@click.option(
    "--method",
    required=True,
    type=click.Choice(METHODS),
    help="How the evidence was gathered.",
)
@click.option(
    "--kind", multiple=True, help="Evidence kind(s) from the unit's scope, e.g. evidence/observed."
)
@click.option("--description", help="What happened and what it shows, in your words.")
@click.option(
    "--description-file", type=click.Path(dir_okay=False), help="Read the description from a file."
)
@click.option("--criteria", multiple=True, help="Criteria it shows, e.g. A2,A3.")
@click.option("--scope", multiple=True, help="Scope options, e.g. risks/financial_loss.")
@click.option("--knowledge", multiple=True, help="Knowledge items, e.g. K8b,K16.")
@click.option(
    "--attach",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A file to copy in (repeat). A link is copied as the file it points to.",
)
@click.option("--witness-name", help="Who saw the work (observation, witness testimony).")
@click.option("--witness-role", help="Their role.")
@click.option("--witness", "witness_id", metavar="W001", help="A witness on the register.")
@click.option(
    "--testimony-file",
    type=click.Path(dir_okay=False),
    help="With --witness: the witness's statement, in their words (dated --date).",
)
@click.option(
    "--observation",
    metavar="O001",
    help="--method observation: your assessor's observation record of this work.",
)
@click.option("--simulated", is_flag=True, help="The work was simulated, not real work.")
@click.option("--acknowledge", multiple=True, metavar="FINGERPRINT=REASON", help=ACK_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the new record as JSON.")
@click.pass_context
def evidence_add(
    ctx: click.Context,
    portfolio: str,
    title: str,
    date_: str,
    method: str,
    kind: tuple[str, ...],
    description: str | None,
    description_file: str | None,
    criteria: tuple[str, ...],
    scope: tuple[str, ...],
    knowledge: tuple[str, ...],
    attach: tuple[str, ...],
    witness_name: str | None,
    witness_role: str | None,
    witness_id: str | None,
    testimony_file: str | None,
    observation: str | None,
    simulated: bool,
    acknowledge: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add an item of evidence to PORTFOLIO and map it to criteria, scope and knowledge."""
    folio = open_folio(ctx, portfolio)
    fields: dict[str, Any] = {
        "title": title,
        "date": date_,
        "method": method,
        "evidence_kind": split_ids(kind),
        "description": read_text(description, description_file, "--description"),
        "criteria": split_ids(criteria),
        "scope": split_ids(scope),
        "knowledge": split_ids(knowledge),
        "simulated": simulated,
    }
    if observation:
        fields["observation"] = observation.strip().upper()
        if not folio.layout.record_path(fields["observation"]).is_file():
            raise UsageError(
                f"--observation {observation}: your assessor has recorded no such observation",
                hint="ask your assessor for the id of their record (cpc306 assess observe); "
                "nothing was written",
            )
    elif method == "observation":
        raise UsageError(
            "--method observation: an observation is your assessor's own record",
            hint="give the record it is with --observation O001 (your assessor records it "
            "with cpc306 assess observe); nothing was written",
        )
    if witness_id or testimony_file:
        fields["witness"] = _registered(folio, witness_id, witness_name, testimony_file, date_)
    elif witness_name or witness_role:
        fields["witness"] = {"name": witness_name or "", "role": witness_role or ""}
    acks = parse_acknowledgements(acknowledge)
    try:
        record = folio.add_evidence(fields, attach=list(attach), acknowledge=acks)
    except RecordError as exc:
        raise as_options(exc) from None
    if as_json:
        print_json(record.to_data())
        return
    say(f"Added {record.id}: {record.title}")
    click.echo(f"  {folio.relative(folio.record_path(record.id))}")


def _registered(
    folio: Any, witness_id: str | None, name: str | None, testimony_file: str | None, on: str
) -> dict[str, Any]:
    """The witness field for a registered witness's statement (--witness, --testimony-file)."""
    from ..portfolio.witnesses import testimony

    if not witness_id:
        raise UsageError(
            "--testimony-file needs --witness: the statement is linked to a registered witness",
            hint=f"register them first (cpc306 witness add {folio.root} ...) and give their id",
        )
    if name:
        raise UsageError(
            "give --witness or --witness-name, not both",
            hint="a registered witness's name comes from the register",
        )
    if not testimony_file:
        raise UsageError(
            "--witness needs --testimony-file: the witness's statement in their own words",
            hint="save their statement as a text file and give its path; nothing was written",
        )
    statement = read_text(None, testimony_file, "--testimony")
    if not statement.strip():
        raise UsageError(
            f"{testimony_file} (given to --testimony-file) is empty",
            hint="the statement is the witness's own account; nothing was written",
        )
    return testimony(folio, witness_id, statement, on)


@evidence.command("list")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def evidence_list(ctx: click.Context, portfolio: str, as_json: bool) -> None:
    """List the evidence in PORTFOLIO."""
    from .long_table import print_long_table

    records = open_folio(ctx, portfolio).evidence()
    if as_json:
        print_json([r.to_data() for r in records])
        return
    rows = [
        [
            visible(value)
            for value in (
                r.id,
                r.date.isoformat(),
                r.method.label,
                r.title,
                " ".join(r.criteria),
                str(len(r.attachments)),
            )
        ]
        for r in records
    ]
    columns = ("id", "date", "method", "title", "criteria", "files")
    print_long_table(terminal(), f"Evidence ({len(records)})", columns, rows)


@evidence.command("show")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("evidence_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def evidence_show(ctx: click.Context, portfolio: str, evidence_id: str, as_json: bool) -> None:
    """Show one item of evidence in full."""
    folio = open_folio(ctx, portfolio)
    record = folio.read_evidence(evidence_id.upper())
    show_record(record, folio.standard, as_json)


@evidence.command("attach")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("evidence_id")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--description", default="", help="What the file is.")
@click.pass_context
def evidence_attach(
    ctx: click.Context, portfolio: str, evidence_id: str, file: str, description: str
) -> None:
    """Copy FILE into an item of evidence, recording its SHA-256 and size."""
    from ..confidentiality.extract import prefetch_text

    prefetch_text(file)  # a PDF's text is read while the portfolio opens
    att = open_folio(ctx, portfolio).attach(evidence_id.upper(), file, description)
    say(f"Attached {att.path} ({att.size} bytes)")


@evidence.command("remove")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("evidence_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def evidence_remove(ctx: click.Context, portfolio: str, evidence_id: str, yes: bool) -> None:
    """Delete an item of evidence and its attachments."""
    folio = open_folio(ctx, portfolio)
    record = folio.read_evidence(evidence_id.upper())
    if not yes and not click.confirm(
        visible(f"Delete {record.id} ({record.title}) and its files?")
    ):
        raise UsageError("nothing was deleted", hint="pass --yes to delete without asking")
    folio.remove_evidence(record.id)
    click.echo(f"Removed {record.id}")
