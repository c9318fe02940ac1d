"""``cpc306 eqa pack``: one zip for the external quality assurer."""

from __future__ import annotations

import click

from .main import main
from .output import say


@main.group("eqa")
def eqa_group() -> None:
    """External quality assurance: the pack an EQA asks for."""


@eqa_group.command("pack")
@click.argument("cohort", type=click.Path(file_okay=False, exists=True))
@click.option("--centre", type=click.Path(file_okay=False), help="Default: centre/ beside COHORT.")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The zip to write."
)
def eqa_pack_command(cohort: str, centre: str | None, output: str) -> None:
    """Write one zip: registers, IQA plan and reports, standardisation, sampled portfolios."""
    from rich.progress import Progress

    from ..cohort.eqa_pack import eqa_pack

    with Progress(transient=True) as bar:
        task = bar.add_task("EQA pack", total=None)

        def advance(name: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=f"EQA pack: {name}")

        report = eqa_pack(cohort, output, centre=centre, progress=advance)
    for key, ok in report.verified.items():
        say(f"{key}: {'verified' if ok else 'NOT verified'} against the centre's trust list")
    say(f"{len(report.files)} files in {report.path}")
