"""``cpc306 init``: create a learner's portfolio, asking for whatever was not given."""

from __future__ import annotations

import shlex
from typing import Any

import click

from ..errors import UsageError
from .main import main
from .options import standard_option
from .output import say

_KEEP_OUT_WHY = (
    "Name anyone who must never be identifiable in what you write (people who use services, "
    "their families, colleagues in a complaint): the app warns you before such a name is "
    "saved, and keeps only a coded form of each name in the portfolio folder."
)


def _ask(value: str | None, flag: str, question: str) -> str:
    """``value``, or the learner's answer to ``question`` (typed at a terminal or piped in)."""
    if value:
        return value
    try:
        answer: str = click.prompt(question)
    except click.Abort:  # no answer to read (no terminal, nothing piped in)
        raise UsageError(
            f"{flag} is needed", hint=f"pass {flag} 'VALUE' (or run in a terminal)"
        ) from None
    return answer.strip()


def _ask_optional(question: str) -> str:
    """An answer that may be left blank (Enter)."""
    try:
        answer: str = click.prompt(question, default="", show_default=False)
    except click.Abort:
        return ""
    return answer.strip()


def _ask_keep_out() -> list[str]:
    """Names to keep out, one a line, until a blank line."""
    click.echo("")
    click.echo(_KEEP_OUT_WHY)
    click.echo("Type one name a line; press Enter on an empty line to finish.")
    names: list[str] = []
    while True:
        name = _ask_optional(f"Name to keep out {len(names) + 1}")
        if not name:
            break
        if name not in names:
            names.append(name)
    if not names:
        click.echo(
            "No names yet: add them later on the Start here page, or with "
            'cpc306 keep-out FOLDER add "NAME".'
        )
    return names


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
    # Asked for one thing, the learner is asked for everything not given: an interview.
    asking = not (name and centre and assessor)
    learner_name = _ask(name, "--name", "Your full name")
    if asking:
        job_title = job_title or _ask_optional("Your job title (Enter to skip)")
        organisation = organisation or _ask_optional("Where you work (Enter to skip)")
    centre_name = _ask(centre, "--centre", "Your centre")
    if asking:
        centre_number = centre_number or _ask_optional("Centre number (Enter if none)")
    assessor_name = _ask(assessor, "--assessor", "Your assessor")
    if asking:
        assessor_email = assessor_email or _ask_optional(
            "Your assessor's email address (Enter to skip)"
        )
    names = list(keep_out) if keep_out or not asking else _ask_keep_out()
    profile: dict[str, Any] = {
        "unit": standard.code,
        "learner": {"name": learner_name, "job_title": job_title, "organisation": organisation},
        "centre": {"name": centre_name, "number": centre_number},
        "assessor": {"name": assessor_name, "email": assessor_email},
        "keep_out": names,
    }
    portfolio = create_portfolio(folder, profile, standard=standard)
    say(f"Created a {standard.code} portfolio for {name or profile['learner']['name']}")
    click.echo(f"  in {portfolio.root}")
    click.echo(
        f"Next: cpc306 app {shlex.quote(str(portfolio.root))}  (your portfolio in your browser)"
    )
