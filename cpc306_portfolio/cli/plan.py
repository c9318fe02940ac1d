"""``cpc306 plan ...``: the assessment plan, agreed by the learner and the assessor.

Named ``plan`` as the issue asks: no command of that name existed. The learner's own
development plan (``plan.yaml``) has no command (``cpc306 status`` shows it); this one is
the assessment plan, kept in ``assessment-plan.yaml`` so the two files are never confused,
and every message here says "assessment plan".
"""

from __future__ import annotations

from typing import Any

import click

from ..errors import RecordError
from .choices import METHODS
from .main import main
from .options import as_options, key_passphrase, open_folio, split_ids
from .output import cells, print_json, say, terminal

PARTY = click.Choice(["learner", "assessor"])


@main.group("plan")
def plan() -> None:
    """The assessment plan (assessment-plan.yaml): activities agreed with your assessor."""


@plan.command("add")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--activity", required=True, help="What will happen, in a sentence.")
@click.option("--method", required=True, type=click.Choice(METHODS), help="How it is assessed.")
@click.option("--criteria", multiple=True, help="Criteria it targets, e.g. C3,B4.")
@click.option("--scope", multiple=True, help="Scope options it targets.")
@click.option("--knowledge", multiple=True, help="Knowledge items it targets.")
@click.option("--date", "date_", required=True, metavar="YYYY-MM-DD", help="Planned date.")
@click.option("--with", "with_", default="", metavar="NAME", help="Who assesses or witnesses.")
@click.pass_context
def plan_add(
    ctx: click.Context,
    portfolio: str,
    activity: str,
    method: str,
    criteria: tuple[str, ...],
    scope: tuple[str, ...],
    knowledge: tuple[str, ...],
    date_: str,
    with_: str,
) -> None:
    """Plan an assessment activity; the plan then needs agreeing (again) by both."""
    from ..portfolio.assessment_plan import add_activity

    folio = open_folio(ctx, portfolio)
    fields: dict[str, Any] = {
        "activity": activity,
        "method": method,
        "criteria": split_ids(criteria),
        "scope": split_ids(scope),
        "knowledge": split_ids(knowledge),
        "planned_date": date_,
        "with": with_,
    }
    try:
        added = add_activity(folio, fields)
    except RecordError as exc:
        raise as_options(exc, unwritten=True) from None
    say(f"Planned {added.id}: {added.activity} ({added.planned_date.isoformat()})")
    click.echo("  the assessment plan needs agreeing by the learner and the assessor")


@plan.command("done")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("activity_id")
@click.option("--record", required=True, help="The record it produced, e.g. E014.")
@click.pass_context
def plan_done(ctx: click.Context, portfolio: str, activity_id: str, record: str) -> None:
    """Mark a planned activity done, naming the record it produced."""
    from ..portfolio.assessment_plan import set_activity_status

    folio = open_folio(ctx, portfolio)
    done = set_activity_status(folio, activity_id, "done", record=record.upper())
    say(f"{done.id} done: {done.record}")


@plan.command("move")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("activity_id")
@click.option("--reason", required=True, help="Why it moved.")
@click.option("--to", "to", metavar="YYYY-MM-DD", help="Its new date, if known.")
@click.pass_context
def plan_move(
    ctx: click.Context, portfolio: str, activity_id: str, reason: str, to: str | None
) -> None:
    """Mark a planned activity moved, with the reason (and its new date)."""
    from datetime import date

    from ..errors import UsageError
    from ..portfolio.assessment_plan import set_activity_status

    try:
        moved_to = date.fromisoformat(to) if to else None
    except ValueError:
        raise UsageError(f"--to {to!r} is not a date", hint="write it as YYYY-MM-DD") from None
    folio = open_folio(ctx, portfolio)
    moved = set_activity_status(folio, activity_id, "moved", moved_to=moved_to, reason=reason)
    say(f"{moved.id} moved: {moved.reason}")


@plan.command("agree")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--as", "party", required=True, type=PARTY, help="Who is agreeing.")
@click.option("--name", default="", help="Your name (default: as the portfolio names you).")
@click.option("--key", "key_path", type=click.Path(dir_okay=False), help="Assessor: sign it.")
@click.option("--passphrase-prompt", is_flag=True, help="Ask for the key's passphrase.")
@click.pass_context
def plan_agree(
    ctx: click.Context,
    portfolio: str,
    party: str,
    name: str,
    key_path: str | None,
    passphrase_prompt: bool,
) -> None:
    """Agree the assessment plan as it is now (its SHA-256 is recorded)."""
    from ..portfolio.assessment_plan import agree_plan

    folio = open_folio(ctx, portfolio)
    sign = _signer(party, key_path, passphrase_prompt)
    agreement = agree_plan(folio, party, name=name, sign=sign)  # type: ignore[arg-type]
    signed = " and signed it" if agreement.signature else ""
    say(f"{agreement.name} agreed the assessment plan as {party}{signed}")
    click.echo(f"  sha256 {agreement.sha256}")


def _signer(party: str, key_path: str | None, prompt: bool) -> Any:
    if not key_path:
        return None
    from ..assessor.agreements import agreement_signer
    from ..errors import UsageError

    if party != "assessor":
        raise UsageError("--key signs the assessor's agreement", hint="use --as assessor")
    return agreement_signer(key_path, key_passphrase(prompt, confirm=False))


@plan.command("show")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def plan_show(ctx: click.Context, portfolio: str, as_json: bool) -> None:
    """Show the assessment plan and whether each party's agreement still holds."""
    from rich.table import Table

    from ..errors import NotFoundError
    from ..portfolio.assessment_plan import agreement_states, read_assessment_plan

    folio = open_folio(ctx, portfolio, readonly=True)
    found = read_assessment_plan(folio)
    if found is None:
        raise NotFoundError(
            f"{folio.layout.assessment_plan_path}: no assessment plan yet",
            hint=f"plan an activity: cpc306 plan add {portfolio} --activity TEXT ...",
        )
    states = agreement_states(found)
    if as_json:
        print_json({**found.to_data(), "agreement_states": states})
        return
    table = Table(title="Assessment plan", title_justify="left")
    for column in ("id", "date", "method", "activity", "targets", "with", "status"):
        table.add_column(column, overflow="fold")
    for a in found.activities:
        status = {"done": f"done: {a.record}", "moved": f"moved: {a.reason}"}.get(a.status, "")
        table.add_row(
            *cells(
                a.id,
                a.planned_date.isoformat(),
                a.method.label,
                a.activity,
                " ".join([*a.criteria, *a.scope, *a.knowledge]),
                a.with_,
                status or "planned",
            )
        )
    terminal().print(table)
    for party, state in states.items():
        agreement = found.agreements.get(party)
        who = f" by {agreement.name} on {agreement.agreed_at:%d %B %Y}" if agreement else ""
        again = "; it needs agreeing again" if state == "changed since agreed" else ""
        say(f"{party}: {state}{who}{again}")
