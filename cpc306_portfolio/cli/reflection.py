"""``cpc306 reflection ...``: reflective accounts in a reflection model."""

from __future__ import annotations

import sys

import click

from ..errors import RecordError, UsageError
from .choices import REFLECTION_STAGES
from .main import main
from .options import ACK_HELP, as_options, open_folio, parse_acknowledgements, read_text, split_ids
from .output import cells, print_json, say, show_record, terminal


@main.group()
def reflection() -> None:
    """Write reflective accounts in a reflection model (Gibbs, Driscoll, Kolb, ...)."""


def _stage_texts(
    model_id: str, stage: tuple[str, ...], stage_file: tuple[str, ...]
) -> dict[str, str]:
    from ..portfolio.reflection import reflection_model

    model = reflection_model(model_id)
    texts: dict[str, str] = {}
    for raw, from_file in [(s, False) for s in stage] + [(s, True) for s in stage_file]:
        key, sep, value = raw.partition("=")
        if not sep:
            flag = "--stage-file" if from_file else "--stage"
            raise UsageError(
                f"{flag} {raw!r} needs the form STAGE=TEXT",
                hint=f"stages of {model.name}: {', '.join(model.stage_ids)}",
            )
        texts[key.strip()] = read_text(None, value, "--stage") if from_file else value
    if not texts and sys.stdin.isatty():
        for s in model.stages:
            prompt = f"# {s.title}: {s.prompt}\n"
            # The prompt is ours, not the learner's words: drop it if they left it in place.
            texts[s.id] = (click.edit(prompt) or "").removeprefix(prompt).strip()
    return texts


def _stages_epilog() -> str:
    return "\b\nStages of each model (use them as --stage STAGE=TEXT):\n" + "\n".join(
        f"  {model}: {', '.join(stages)}" for model, stages in REFLECTION_STAGES.items()
    )


@reflection.command("add", epilog=_stages_epilog())
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option(
    "--model",
    "model_id",
    required=True,
    type=click.Choice(list(REFLECTION_STAGES)),
    help="Reflection model.",
)
@click.option("--title", required=True, help="A short title.")
@click.option("--date", "date_", required=True, metavar="YYYY-MM-DD", help="Date of the events.")
@click.option("--stage", multiple=True, metavar="STAGE=TEXT", help="Text of one stage (repeat).")
@click.option(
    "--stage-file", multiple=True, metavar="STAGE=FILE", help="Read a stage's text from a file."
)
@click.option("--criteria", multiple=True, help="Criteria it shows, e.g. B7.")
@click.option("--scope", multiple=True, help="Scope options.")
@click.option("--knowledge", multiple=True, help="Knowledge items, e.g. K17.")
@click.option("--acknowledge", multiple=True, metavar="FINGERPRINT=REASON", help=ACK_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the new record as JSON.")
@click.pass_context
def reflection_add(
    ctx: click.Context,
    portfolio: str,
    model_id: str,
    title: str,
    date_: str,
    stage: tuple[str, ...],
    stage_file: tuple[str, ...],
    criteria: tuple[str, ...],
    scope: tuple[str, ...],
    knowledge: tuple[str, ...],
    acknowledge: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add a reflective account to PORTFOLIO, one text per stage of the model."""
    folio = open_folio(ctx, portfolio)
    stages = _stage_texts(model_id, stage, stage_file)
    fields: dict[str, object] = {
        "title": title,
        "date": date_,
        "model": model_id,
        "stages": stages,
        "criteria": split_ids(criteria),
        "scope": split_ids(scope),
        "knowledge": split_ids(knowledge),
    }
    from ..analysis.reflections import stage_problem
    from ..portfolio.reflection import reflection_models

    model = reflection_models()[model_id]
    unfinished = [
        f"{s.title} {why}" for s in model.stages if (why := stage_problem(stages.get(s.id, "")))
    ]
    fields["draft"] = bool(unfinished)  # kept as a draft until every stage is written
    try:
        record = folio.add_reflection(fields, acknowledge=parse_acknowledgements(acknowledge))
    except RecordError as exc:
        raise as_options(exc) from None
    if as_json:
        print_json(record.to_data())
        return
    say(f"Added {record.id}: {record.title}")
    if unfinished:
        click.echo(f"  saved as a draft: {'; '.join(unfinished)} (cpc306 status lists it)")


@reflection.command("list")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def reflection_list(ctx: click.Context, portfolio: str, as_json: bool) -> None:
    """List the reflective accounts in PORTFOLIO."""
    from rich.table import Table

    records = open_folio(ctx, portfolio).reflections()
    if as_json:
        print_json([r.to_data() for r in records])
        return
    table = Table(title=f"Reflective accounts ({len(records)})", title_justify="left")
    for column in ("id", "date", "model", "title", "criteria"):
        table.add_column(column, overflow="fold")
    for r in records:
        table.add_row(*cells(r.id, r.date.isoformat(), r.model, r.title, " ".join(r.criteria)))
    terminal().print(table)


@reflection.command("show")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("reflection_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def reflection_show(ctx: click.Context, portfolio: str, reflection_id: str, as_json: bool) -> None:
    """Show one reflective account in full."""
    folio = open_folio(ctx, portfolio)
    record = folio.read_reflection(reflection_id.upper())
    show_record(record, folio.standard, as_json)
