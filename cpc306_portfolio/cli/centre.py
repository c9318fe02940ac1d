"""``cpc306 centre``: the centre folder's assessor register, trust list and standardisation."""

from __future__ import annotations

from datetime import datetime

import click

from .main import main
from .output import say

DAY = click.DateTime(formats=["%Y-%m-%d"])


def read_text_file(path: str, option: str) -> str:
    """A notes or feedback file's text (UTF-8, at most 1 MB); an empty one is refused."""
    from pathlib import Path

    from ..errors import UsageError
    from ..files.regular import read_bytes

    data = read_bytes(Path(path), limit=1_000_000)
    if len(data) > 1_000_000:
        raise UsageError(f"{option}: {path} is over 1 MB", hint="give the notes as plain text")
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise UsageError(f"{option}: {path} is not UTF-8 text", hint="save it as UTF-8") from None
    if not text:
        raise UsageError(f"{option}: {path} is empty", hint="write the text in the file first")
    return text


@main.group("centre")
def centre_group() -> None:
    """The centre's own records: assessor register, trust list, standardisation."""


@centre_group.group("assessor")
def assessor_group() -> None:
    """The assessor register: who assesses and quality-assures, and their keys."""


@assessor_group.command("add")
@click.argument("centre", type=click.Path(file_okay=False))
@click.option("--name", required=True, help="The person's name, as their sign-offs show it.")
@click.option("--role", required=True, type=click.Choice(["assessor", "iqa"]))
@click.option("--status", required=True, type=click.Choice(["qualified", "trainee"]))
@click.option("--countersigner", default="", help="For a trainee: who countersigns.")
@click.option(
    "--qualification", "qualifications", multiple=True, help="A qualification held (repeat)."
)
@click.option(
    "--key",
    "key_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="Their public key file (FILE.pub).",
)
def assessor_add(
    centre: str,
    name: str,
    role: str,
    status: str,
    countersigner: str,
    qualifications: tuple[str, ...],
    key_file: str,
) -> None:
    """Put an assessor or IQA on CENTRE's register (the folder is made if new)."""
    from ..centre.register import add_assessor

    person = add_assessor(
        centre,
        name=name,
        role=role,
        status=status,
        key_file=key_file,
        qualifications=list(qualifications),
        countersigner=countersigner,
    )
    say(f"{person.name} ({person.role}, {person.status}) added; key {person.fingerprint[:16]}")


@assessor_group.command("cpd")
@click.argument("centre", type=click.Path(file_okay=False))
@click.option("--name", required=True, help="Who did it.")
@click.option("--date", "day", required=True, type=DAY, help="When (YYYY-MM-DD).")
@click.option("--activity", required=True, help="What it was.")
@click.option("--hours", type=click.FloatRange(min=0), default=0.0, show_default=True)
def assessor_cpd(centre: str, name: str, day: datetime, activity: str, hours: float) -> None:
    """Record a piece of continuing professional development."""
    from ..centre.register import add_cpd

    person = add_cpd(centre, name, day=day.date(), activity=activity, hours=hours)
    say(f"{person.name}: {len(person.cpd)} CPD entries")


@assessor_group.command("set")
@click.argument("centre", type=click.Path(file_okay=False))
@click.option("--name", required=True, help="Whose record to change.")
@click.option("--active/--inactive", default=None, help="Inactive: their key is not trusted.")
@click.option("--status", type=click.Choice(["qualified", "trainee"]))
@click.option("--countersigner", help="For a trainee: who countersigns.")
def assessor_set(
    centre: str, name: str, active: bool | None, status: str | None, countersigner: str | None
) -> None:
    """Change someone's standing (leaving, qualifying); the trust list follows."""
    from ..centre.register import set_person

    person = set_person(centre, name, active=active, status=status, countersigner=countersigner)
    state = "active" if person.active else "inactive (key no longer trusted)"
    say(f"{person.name}: {person.status}, {state}")


@assessor_group.command("list")
@click.argument("centre", type=click.Path(file_okay=False))
def assessor_list(centre: str) -> None:
    """Show the register."""
    from ..centre.folder import open_centre

    for p in open_centre(centre).register.assessors:
        state = "active" if p.active else "inactive"
        signer = f", countersigned by {p.countersigner}" if p.countersigner else ""
        say(f"{p.name}: {p.role}, {p.status}{signer}, {state}, key {p.fingerprint[:16]}")


@centre_group.command("trust")
@click.argument("centre", type=click.Path(file_okay=False))
def centre_trust(centre: str) -> None:
    """Make CENTRE's trust list again from its register (after editing it by hand)."""
    from ..centre.register import remake_trust

    say(f"Trust list: {remake_trust(centre)}")


@centre_group.command("standardise")
@click.argument("centre", type=click.Path(file_okay=False))
@click.option("--date", "day", required=True, type=DAY, help="When it met (YYYY-MM-DD).")
@click.option("--topic", required=True, help="What was standardised.")
@click.option("--attendee", "attendees", multiple=True, required=True, help="Who came (repeat).")
@click.option("--notes-file", required=True, type=click.Path(dir_okay=False, exists=True))
@click.option("--action", "actions", multiple=True, metavar="TEXT=DATE", help="Repeat.")
def centre_standardise(
    centre: str,
    day: datetime,
    topic: str,
    attendees: tuple[str, ...],
    notes_file: str,
    actions: tuple[str, ...],
) -> None:
    """Record a standardisation meeting, who attended, its notes and actions."""
    from ..centre.qa import add_standardisation, parse_action

    meeting = add_standardisation(
        centre,
        day=day.date(),
        topic=topic,
        attendees=list(attendees),
        notes=read_text_file(notes_file, "--notes-file"),
        actions=[parse_action(a) for a in actions],
    )
    ids = ", ".join(a.id for a in meeting.actions)
    say(f"{meeting.id} recorded" + (f"; actions {ids}" if ids else ""))


@centre_group.command("countersign")
@click.argument("learner", type=click.Path(file_okay=False, exists=True))
@click.option(
    "--centre", type=click.Path(file_okay=False), help="Default: centre/ beside the cohort."
)
@click.option("--by", required=True, help="The qualified assessor countersigning.")
@click.option(
    "--criterion", "criteria", multiple=True, required=True, help="A criterion judged met (repeat)."
)
@click.option("--note", default="", help="What was checked.")
def centre_countersign(
    learner: str, centre: str | None, by: str, criteria: tuple[str, ...], note: str
) -> None:
    """Countersign a trainee assessor's "met" decisions for one LEARNER folder."""
    from ..centre.practice import countersign
    from ..centre.qa import centre_path_for

    record = countersign(
        centre or centre_path_for(learner), learner, by=by, criteria=list(criteria), note=note
    )
    say(f"{record.id}: {', '.join(record.criteria)} of {record.learner} countersigned")
