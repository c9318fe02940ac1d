"""``cpc306 iqa``: the centre's IQA sampling plan, reports and actions."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from .centre import DAY, read_text_file
from .main import main
from .options import key_passphrase
from .output import say


@main.group("iqa")
def iqa_group() -> None:
    """Internal quality assurance: the sampling plan, reports, actions."""


@iqa_group.command("plan")
@click.argument("cohort", type=click.Path(file_okay=False, exists=True))
@click.option("--centre", type=click.Path(file_okay=False), help="Default: centre/ beside COHORT.")
@click.option("--interim", required=True, type=DAY, help="Interim sampling by (YYYY-MM-DD).")
@click.option("--summative", required=True, type=DAY, help="Summative sampling by.")
@click.option(
    "--rate",
    type=click.FloatRange(min=0, max=100, min_open=True),
    default=10.0,
    show_default=True,
    help="Per cent of the cohort to sample (at least one per assessor).",
)
@click.option("--seed", type=int, help="Draw the same plan again from this seed.")
@click.option(
    "--replace", is_flag=True, help="Draw a new plan over the centre's (the old one is kept)."
)
def iqa_plan(
    cohort: str,
    centre: str | None,
    interim: datetime,
    summative: datetime,
    rate: float,
    seed: int | None,
    replace: bool,
) -> None:
    """Draw COHORT's IQA sample and keep it as the centre's plan."""
    from ..cohort.iqa_plan import plan_cohort

    plan, failed = plan_cohort(
        cohort,
        centre,
        interim=interim.date(),
        summative=summative.date(),
        rate=rate / 100,
        seed=seed,
        replace=replace,
    )
    for s in plan.samples:
        say(f"{s.due} {s.stage}: {s.learner} ({s.name}, assessor {s.assessor}): {s.why}")
    say(f"{len(plan.samples)} planned; seed {plan.seed}")
    for r in failed:
        say(f"not sampled, cannot be read: {r.key}: {r.reason}")


@iqa_group.command("report")
@click.argument("learner", type=click.Path(file_okay=False))
@click.option(
    "--centre", type=click.Path(file_okay=False), help="Default: centre/ beside the cohort."
)
@click.option("--by", required=True, help="The IQA making the report (as on the register).")
@click.option("--decision", required=True, type=click.Choice(["agree", "disagree"]))
@click.option("--feedback-file", required=True, type=click.Path(dir_okay=False, exists=True))
@click.option("--action", "actions", multiple=True, metavar="TEXT=DATE", help="Repeat.")
@click.option("--key", type=click.Path(dir_okay=False), help="Sign with this private key.")
@click.option("--passphrase-prompt", is_flag=True, help="Ask for the key's passphrase.")
def iqa_report(
    learner: str,
    centre: str | None,
    by: str,
    decision: str,
    feedback_file: str,
    actions: tuple[str, ...],
    key: str | None,
    passphrase_prompt: bool,
) -> None:
    """Record the IQA's report on a planned LEARNER folder, its feedback and actions."""
    from ..centre.qa import add_report, centre_path_for, parse_action

    report = add_report(
        centre or centre_path_for(learner),
        Path(learner).name,
        by=by,
        decision=decision,
        feedback=read_text_file(feedback_file, "--feedback-file"),
        actions=[parse_action(a) for a in actions],
        key=key,
        passphrase=key_passphrase(passphrase_prompt, confirm=False) if key else None,
    )
    signed = "signed" if report.signature else "recorded, not signed"
    ids = ", ".join(a.id for a in report.actions)
    say(f"{report.id} ({report.stage}, {signed})" + (f"; actions {ids}" if ids else ""))


@iqa_group.command("action")
@click.argument("centre", type=click.Path(file_okay=False))
@click.argument("action_id", metavar="ACTION")
@click.option("--done", is_flag=True, required=True, help="Close the action as done today.")
def iqa_action(centre: str, action_id: str, done: bool) -> None:
    """Close an action (A001 ...) recorded in an IQA report or standardisation record."""
    from ..centre.qa import close_action

    action = close_action(centre, action_id)
    say(f"{action.id} done on {action.done_on}: {action.text}")


@iqa_group.command("status")
@click.argument("centre", type=click.Path(file_okay=False))
def iqa_status(centre: str) -> None:
    """The plan against the reports made, and the actions still open."""
    from ..centre.folder import open_centre
    from ..centre.qa import open_actions, plan_progress

    folder = open_centre(centre)
    for line in plan_progress(folder):
        s, r = line.sample, line.report
        done = f"{r.id} {r.decision} by {r.by}" if r else ("OVERDUE" if line.overdue else "due")
        say(f"{s.due} {s.stage}: {s.learner} (assessor {s.assessor}): {done}")
    for action, where in open_actions(folder):
        who = action.owner or "the centre"
        say(f"open {action.id} due {action.due} ({who}, {where}): {action.text}")


@iqa_group.command("observe")
@click.argument("centre", type=click.Path(file_okay=False))
@click.option("--assessor", required=True, help="Whose practice was observed.")
@click.option("--by", required=True, help="The IQA who observed.")
@click.option("--date", "day", required=True, type=DAY, help="When (YYYY-MM-DD).")
@click.option("--activity", required=True, help="What was observed (a feedback session ...).")
@click.option("--learner", default="", help="The learner's folder, if one was involved.")
@click.option("--notes-file", required=True, type=click.Path(dir_okay=False, exists=True))
@click.option("--action", "actions", multiple=True, metavar="TEXT=DATE", help="Repeat.")
def iqa_observe(
    centre: str,
    assessor: str,
    by: str,
    day: datetime,
    activity: str,
    learner: str,
    notes_file: str,
    actions: tuple[str, ...],
) -> None:
    """Record an observation of an assessor's practice, its feedback and actions."""
    from ..centre.practice import observe
    from ..centre.qa import parse_action

    record = observe(
        centre,
        assessor=assessor,
        by=by,
        day=day.date(),
        activity=activity,
        learner=learner,
        notes=read_text_file(notes_file, "--notes-file"),
        actions=[parse_action(a) for a in actions],
    )
    ids = ", ".join(a.id for a in record.actions)
    say(f"{record.id} recorded" + (f"; actions {ids}" if ids else ""))
