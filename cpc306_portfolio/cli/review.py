"""``cpc306 review ...``: progress reviews against the assessment plan, agreed by both."""

from __future__ import annotations

from datetime import date

import click

from ..errors import RecordError, UsageError
from .main import main
from .options import ACK_HELP, as_options, open_folio, parse_acknowledgements, read_text
from .output import say
from .plan import PARTY, _signer


@main.group("review")
def review() -> None:
    """Progress reviews (reviews/V001.yaml) against the assessment plan."""


def _targets(values: tuple[str, ...]) -> list[tuple[str, date]]:
    out = []
    for raw in values:
        text, sep, when = raw.rpartition("=")
        if not sep or not text.strip():
            raise UsageError(
                f"--target {raw!r} has no date",
                hint="give each target with its date: --target 'Chair the B4 meeting=2026-03-01'",
            )
        try:
            out.append((text.strip(), date.fromisoformat(when.strip())))
        except ValueError:
            raise UsageError(
                f"--target {raw!r}: {when.strip()!r} is not a date",
                hint="write the date after = as YYYY-MM-DD; nothing was written",
            ) from None
    return out


@review.command("add")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--date", "date_", required=True, metavar="YYYY-MM-DD", help="Date of the review.")
@click.option("--progress", help="Progress since the last review, against the plan.")
@click.option("--progress-file", type=click.Path(dir_okay=False), help="Read it from a file.")
@click.option("--target", multiple=True, metavar="TEXT=YYYY-MM-DD", help="A target (repeat).")
@click.option("--next-review", metavar="YYYY-MM-DD", help="When the next review is due.")
@click.option("--comments", default="", help="The learner's comments.")
@click.option("--acknowledge", multiple=True, metavar="FINGERPRINT=REASON", help=ACK_HELP)
@click.pass_context
def review_add(
    ctx: click.Context,
    portfolio: str,
    date_: str,
    progress: str | None,
    progress_file: str | None,
    target: tuple[str, ...],
    next_review: str | None,
    comments: str,
    acknowledge: tuple[str, ...],
) -> None:
    """Record a progress review; both then agree it (cpc306 review agree)."""
    from ..portfolio.reviews import add_review

    targets = _targets(target)
    text = read_text(progress, progress_file, "--progress")
    folio = open_folio(ctx, portfolio)
    try:
        added = add_review(
            folio,
            on=date_,
            progress=text,
            targets=targets,
            next_review=next_review,
            learner_comments=comments,
            acknowledge=parse_acknowledgements(acknowledge),
        )
    except RecordError as exc:
        raise as_options(exc) from None
    say(f"Added review {added.id} of {added.date.isoformat()}")
    click.echo(f"  {folio.relative(folio.record_path(added.id))}")


@review.command("agree")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("review_id")
@click.option("--as", "party", required=True, type=PARTY, help="Who is agreeing.")
@click.option("--name", default="", help="Your name (default: as the portfolio names you).")
@click.option("--comments", default=None, help="Learner: your comments on the review.")
@click.option("--key", "key_path", type=click.Path(dir_okay=False), help="Assessor: sign it.")
@click.option("--passphrase-prompt", is_flag=True, help="Ask for the key's passphrase.")
@click.pass_context
def review_agree(
    ctx: click.Context,
    portfolio: str,
    review_id: str,
    party: str,
    name: str,
    comments: str | None,
    key_path: str | None,
    passphrase_prompt: bool,
) -> None:
    """Agree a progress review as it is now (its SHA-256 is recorded)."""
    from ..portfolio.reviews import agree_review

    folio = open_folio(ctx, portfolio)
    sign = _signer(party, key_path, passphrase_prompt)
    agreement = agree_review(
        folio,
        review_id,
        party,  # type: ignore[arg-type]
        name=name,
        sign=sign,
        comments=comments,
    )
    say(f"{agreement.name} agreed review {review_id.upper()} as {party}")


@review.command("met")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("review_id")
@click.argument("target", type=click.IntRange(min=1))
@click.option("--on", "on", required=True, metavar="YYYY-MM-DD", help="The day it was met.")
@click.pass_context
def review_met(ctx: click.Context, portfolio: str, review_id: str, target: int, on: str) -> None:
    """Mark TARGET (1, 2 ... as the review lists them) of a progress review met.

    The review's agreements still hold: a target is agreed as set, not as met.
    """
    from ..portfolio.reviews import mark_target_met

    folio = open_folio(ctx, portfolio)
    met = mark_target_met(folio, review_id, target, on)
    when = met.met_on.isoformat() if met.met_on else on
    say(f"Target {target} of review {review_id.upper()} met on {when}: {met.text}")
