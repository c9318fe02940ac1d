"""``cpc306 batch``: every learner of a cohort, and the cohort dashboard."""

from __future__ import annotations

import click

from .main import main
from .options import trust_option


@main.command()
@click.argument("cohort", type=click.Path(file_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for each learner's HTML, the dashboard (index.html), CSVs and status.json.",
)
@click.option(
    "--workers", type=click.IntRange(min=1), help="Learners at once (default: one per core)."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=300.0,
    show_default=True,
    help="Time limit per learner, in seconds.",
)
@click.option("--scheduler", metavar="ADDRESS", help="Run on a Dask cluster, e.g. tcp://host:8786.")
@click.option(
    "--force", is_flag=True, help="Render every learner, even those unchanged since last time."
)
@click.option(
    "--quiet-days",
    type=click.IntRange(min=1),
    default=28,
    show_default=True,
    help="Flag learners with nothing dated or saved for longer than this.",
)
@click.option(
    "--iqa-rate",
    type=click.FloatRange(min=0, max=100, min_open=True),
    default=10.0,
    show_default=True,
    help="Per cent of the cohort in the IQA sample (at least one per assessor).",
)
@click.option("--iqa-seed", type=int, help="Draw the IQA sample again from this seed.")
@click.option(
    "--dashboard-only",
    is_flag=True,
    help="Read and summarise every learner, but write no portfolio HTML.",
)
@click.option(
    "--centre",
    type=click.Path(file_okay=False),
    help="Centre folder whose IQA plan, actions and countersigning the dashboard shows "
    "(default: centre/ beside COHORT, if there is one).",
)
@trust_option
@click.pass_context
def batch(
    ctx: click.Context,
    cohort: str,
    output: str,
    workers: int | None,
    timeout: float,
    scheduler: str | None,
    force: bool,
    quiet_days: int,
    iqa_rate: float,
    iqa_seed: int | None,
    dashboard_only: bool,
    centre: str | None,
    trust: str | None,
) -> None:
    """Render every learner's portfolio in COHORT and write a cohort dashboard and IQA sample.

    The global --standard overrides the unit every portfolio names. With --trust, every
    page and summary is checked against the centre's list: only then does a learner count
    as signed off (valid, unchanged and by a listed key).
    """
    from ..cohort.batch import RichProgress, failure_lines, run_batch
    from ..errors import BatchError

    report = run_batch(
        cohort,
        output,
        workers=workers,
        time_limit=timeout,
        scheduler=scheduler,
        force=force,
        progress=RichProgress(),
        standard=ctx.find_root().params.get("standard"),
        render=not dashboard_only,
        quiet_days=quiet_days,
        iqa_rate=iqa_rate / 100,
        iqa_seed=iqa_seed,
        centre=centre,
        trust=trust,
    )
    click.echo(
        f"{len(report.rendered)} rendered, {len(report.skipped)} unchanged, "
        f"{len(report.failed)} failed in {report.seconds:.1f} s"
    )
    for event in report.events:
        click.echo(f"note: {event['message']}")
    click.echo(f"Dashboard: {report.dashboard_path}")
    if report.failed:
        raise BatchError(
            f"{len(report.failed)} learner(s) failed:\n" + "\n".join(failure_lines(report.results)),
            hint=f"fix each as shown, then run again (unchanged learners are skipped); "
            f"details in {report.status_path}",
            failed=[r.key for r in report.failed],
        )
