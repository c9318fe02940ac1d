"""``cpc306 init``: create a learner's portfolio, asking for whatever was not given."""

from __future__ import annotations

import shlex
import sys
from typing import Any

import click

from ..errors import UsageError
from .main import main
from .options import standard_option
from .output import say


def _ask(value: str | None, flag: str, question: str) -> str:
    if value:
        return value
    if sys.stdin.isatty():
        answer: str = click.prompt(question)
        return answer
    raise UsageError(f"{flag} is needed", hint=f"pass {flag} 'VALUE' (or run in a terminal)")


def _warn_placeholders(standard: Any) -> None:
    from ..standard.placeholders import unit_placeholders

    found = unit_placeholders(standard)
    if not found:
        return
    click.echo(
        f"Warning: unit {standard.code} still has {len(found)} placeholders "
        '("TO WRITE (ours):"); learners will see them until they are written:',
        err=True,
    )
    for one in found:
        click.echo(f"  {one}", err=True)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--name", help="Your full name, as your centre knows you.")
@click.option("--job-title", default="", help="Your job title.")
@click.option("--organisation", default="", help="Where you work.")
@click.option("--centre", help="Your training or assessment centre.")
@click.option("--centre-number", default="", help="Your centre's number, if it has one.")
@click.option("--assessor", help="Your assessor's name.")
@click.option("--assessor-email", default="", help="Your assessor's email address.")
@click.option(
    "--keep-out",
    multiple=True,
    metavar="NAME",
    help="A person who must never be identifiable in your text (repeat for each).",
)
@click.option("--unit", default=None, help="Unit code or file (default: CPC 306).")
@click.pass_context
def init(
    ctx: click.Context,
    folder: str,
    name: str | None,
    job_title: str,
    organisation: str,
    centre: str | None,
    centre_number: str,
    assessor: str | None,
    assessor_email: str,
    keep_out: tuple[str, ...],
    unit: str | None,
) -> None:
    """Create a new portfolio in FOLDER (asks for anything not given as an option)."""
    from ..portfolio.store import create_portfolio
    from ..standard import load_standard

    standard = load_standard(unit) if unit else (standard_option(ctx) or load_standard())
    _warn_placeholders(standard)
    profile: dict[str, Any] = {
        "unit": standard.code,
        "learner": {
            "name": _ask(name, "--name", "Your full name"),
            "job_title": job_title,
            "organisation": organisation,
        },
        "centre": {"name": _ask(centre, "--centre", "Your centre"), "number": centre_number},
        "assessor": {
            "name": _ask(assessor, "--assessor", "Your assessor"),
            "email": assessor_email,
        },
        "keep_out": list(keep_out),
    }
    portfolio = create_portfolio(folder, profile, standard=standard)
    say(f"Created a {standard.code} portfolio for {name or profile['learner']['name']}")
    click.echo(f"  in {portfolio.root}")
    click.echo(
        f"Next: cpc306 app {shlex.quote(str(portfolio.root))}  (your portfolio in your browser)"
    )
