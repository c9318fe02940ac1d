"""``cpc306 assess observe / discuss / question``: the assessor's own records."""

from __future__ import annotations

import click

from ..errors import RecordError
from .assess import assess_group
from .choices import OUTCOMES
from .options import ACK_HELP, as_options, open_folio, parse_acknowledgements, read_text, split_ids
from .output import say

_DATE = click.option("--date", "date_", required=True, metavar="YYYY-MM-DD", help="When.")
_ASSESSOR = click.option(
    "--assessor", default="", help="Who made the record (default: the portfolio's assessor)."
)
_ACK = click.option("--acknowledge", multiple=True, metavar="FINGERPRINT=REASON", help=ACK_HELP)


@assess_group.command("observe")
@click.argument("portfolio", type=click.Path(file_okay=False))
@_DATE
@click.option("--criteria", multiple=True, required=True, help="Criteria shown, e.g. A2,A3.")
@click.option("--scope", multiple=True, help="Scope options shown, e.g. risks/people.")
@click.option("--knowledge", multiple=True, help="Knowledge items shown, e.g. K5,K12.")
@click.option("--narrative", default=None, help="What you saw, in your own words.")
@click.option("--narrative-file", type=click.Path(dir_okay=False), help="... read from a file.")
@click.option("--location", default="", help="Where it took place (no one's address).")
@_ASSESSOR
@_ACK
@click.pass_context
def assess_observe(
    ctx: click.Context,
    portfolio: str,
    date_: str,
    criteria: tuple[str, ...],
    scope: tuple[str, ...],
    knowledge: tuple[str, ...],
    narrative: str | None,
    narrative_file: str | None,
    location: str,
    assessor: str,
    acknowledge: tuple[str, ...],
) -> None:
    """Record your own observation of the learner at work (assessor/observations/O001)."""
    from ..assessor.records import observe

    folio = open_folio(ctx, portfolio)
    try:
        record = observe(
            folio,
            on=date_,
            criteria=split_ids(criteria),
            scope=split_ids(scope),
            knowledge=split_ids(knowledge),
            narrative=read_text(narrative, narrative_file, "--narrative"),
            location=location,
            assessor=assessor,
            acknowledge=parse_acknowledgements(acknowledge),
        )
    except RecordError as exc:
        raise as_options(exc) from None
    say(
        f"Recorded observation {record.id} by {record.assessor} on {record.date}: "
        f"performance evidence for {', '.join(record.criteria)}"
    )


@assess_group.command("discuss")
@click.argument("portfolio", type=click.Path(file_okay=False))
@_DATE
@click.option("--knowledge", multiple=True, help="Knowledge items covered, e.g. K1,K2.")
@click.option("--criteria", multiple=True, help="Criteria it shows (see the unit's strategy).")
@click.option("--scope", multiple=True, help="Scope options it shows.")
@click.option("--topic", "topics", multiple=True, help="A topic discussed (repeat).")
@click.option("--notes", default=None, help="The key points, in your words.")
@click.option("--notes-file", type=click.Path(dir_okay=False), help="... read from a file.")
@click.option("--showed", default="", help="What the discussion showed.")
@click.option("--attach", type=click.Path(dir_okay=False), help="A recording to keep with it.")
@_ASSESSOR
@_ACK
@click.pass_context
def assess_discuss(
    ctx: click.Context,
    portfolio: str,
    date_: str,
    knowledge: tuple[str, ...],
    criteria: tuple[str, ...],
    scope: tuple[str, ...],
    topics: tuple[str, ...],
    notes: str | None,
    notes_file: str | None,
    showed: str,
    attach: str | None,
    assessor: str,
    acknowledge: tuple[str, ...],
) -> None:
    """Record a professional discussion (assessor/discussions/D001)."""
    from ..assessor.records import discuss
    from ..portfolio.assessor_models import performance_counts

    folio = open_folio(ctx, portfolio)
    try:
        record = discuss(
            folio,
            on=date_,
            knowledge=split_ids(knowledge),
            criteria=split_ids(criteria),
            scope=split_ids(scope),
            topics=list(topics),
            key_points=read_text(notes, notes_file, "--notes"),
            showed=showed,
            recording=attach,
            assessor=assessor,
            acknowledge=parse_acknowledgements(acknowledge),
        )
    except RecordError as exc:
        raise as_options(exc) from None
    covers = ", ".join(record.knowledge) or "no knowledge item"
    say(f"Recorded discussion {record.id} on {record.date}: knowledge evidence for {covers}")
    if record.criteria and not performance_counts(record, folio.standard):
        say(
            f"  {', '.join(record.criteria)}: mapped, but {folio.standard.code}'s assessment "
            "strategy does not count professional discussion as performance evidence"
        )


@assess_group.command("question")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--question", "question_id", required=True, help="The question's id in the bank.")
@click.option("--answer", default=None, help="The learner's answer.")
@click.option("--answer-file", type=click.Path(dir_okay=False), help="... read from a file.")
@click.option("--outcome", required=True, type=click.Choice(OUTCOMES), help="Your mark.")
@click.option("--note", default="", help="Why, or what a fuller answer needs.")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="When it was asked (today).")
@click.option("--bank", "banks", multiple=True, help="A centre's question bank file (repeat).")
@_ASSESSOR
@_ACK
@click.pass_context
def assess_question(
    ctx: click.Context,
    portfolio: str,
    question_id: str,
    answer: str | None,
    answer_file: str | None,
    outcome: str,
    note: str,
    date_: str | None,
    banks: tuple[str, ...],
    assessor: str,
    acknowledge: tuple[str, ...],
) -> None:
    """Mark the learner's answer to a question from the unit's bank (assessor/questioning)."""
    from ..assessor.records import question
    from ..portfolio.assessor_evidence import knowledge_decisions, read_assessor_records

    folio = open_folio(ctx, portfolio)
    try:
        record = question(
            folio,
            question_id,
            answer=read_text(answer, answer_file, "--answer"),
            outcome=outcome,
            note=note,
            on=date_,
            banks=list(banks),
            assessor=assessor,
            acknowledge=parse_acknowledgements(acknowledge),
        )
    except RecordError as exc:
        raise as_options(exc) from None
    item = record.knowledge[0]
    say(f"Recorded {record.id}: {record.question_id} ({item}) marked {record.outcome}")
    decisions = knowledge_decisions(read_assessor_records(folio).questioning)
    say(f"  {item}: {decisions[item].replace('_', ' ')} (from the questions asked about it)")
