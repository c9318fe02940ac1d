"""``cpc306 status``: where a portfolio stands, criterion by criterion, and what is next."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

import click

from ..errors import UsageError
from .main import main
from .options import open_folio
from .output import print_json, shown, terminal

_STATUS_STYLE = {
    "not_started": "dim",
    "in_progress": "yellow",
    "ready": "cyan",
    "met": "green",
    "not_yet_met": "red",
}


#: Items named in a criterion's row; the rest are counted (``--json`` lists them all).
SHOWN_ITEMS = 30


def _items(ids: list[str]) -> str:
    if len(ids) <= SHOWN_ITEMS:
        return ", ".join(ids)
    return f"{', '.join(ids[:SHOWN_ITEMS])} and {len(ids) - SHOWN_ITEMS:,} more"


def _records(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Table rows for ``--json``; id lists stay the ``"E001, R002"`` text scripts read today."""
    return [{k: ", ".join(v) if isinstance(v, list) else v for k, v in row.items()} for row in rows]


def _print_assessment_plan(console: Any, planned: dict[str, Any]) -> None:
    """The assessment plan at a glance (see :func:`~..portfolio.reviews.planning_status`)."""
    if not planned:
        return
    console.print("\n[bold]Assessment plan[/bold]")
    console.print(
        f"{planned['activities']} activities: {len(planned['done'])} done, "
        f"{len(planned['moved'])} moved"
        + (
            f"; past their date and not done: {', '.join(planned['overdue'])}"
            if planned["overdue"]
            else ""
        )
    )
    for party, state in planned["agreements"].items():
        again = {
            "not agreed": f" (agree it: cpc306 plan agree --as {party})",
            "changed since agreed": f" (agree it again: cpc306 plan agree --as {party})",
        }.get(state, "")
        console.print(f"{party}: {state}{again}")
    if planned["next_review"]:
        late = " [bold red]overdue[/]" if planned["review_overdue"] else ""
        console.print(f"Next progress review: {planned['next_review']}{late}")


def _print_plan(console: Any, actions: list[Any], waiting: list[Any]) -> None:
    """The development plan, and actions still waiting in reflective accounts."""
    if not actions and not waiting:
        console.print(
            "\nDevelopment plan: none yet (the plan page gathers it from your reflections)."
        )
        return
    console.print("\n[bold]Development plan[/bold]")
    for a in actions:
        when = a.by_when.isoformat() if a.by_when else "no date"
        done = "done" if a.done else "to do"
        how = f"; how: {shown(a.how)}" if a.how else ""
        console.print(f"- {shown(a.what)} (by {when}, {done}){how}")
    for a in waiting:
        console.print(f"- from {a.source}, not yet in your plan: {shown(a.what)}")


def _reason(row: dict[str, Any]) -> str:
    """A row's reason: none when ready; for a met judgement its date (the feedback is long)."""
    reason: str = row["reason"]
    if row["status"] == "met" and reason.startswith("judged met on "):
        return shown(reason.split(":")[0])
    return (
        ""
        if row["status"] in {"ready", "met"} and not reason.startswith("judged")
        else (shown(reason))
    )


@main.command()
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--today", metavar="YYYY-MM-DD", help="Judge currency as of this date.")
@click.pass_context
def status(ctx: click.Context, portfolio: str, as_json: bool, today: str | None) -> None:
    """Show each criterion's status, scope and knowledge coverage, and every gap."""
    # The rows, not the pandas tables: printing them needs no pandas (a second saved).
    from rich.table import Table

    from ..analysis.coverage_rows import STATUS_LABELS
    from ..analysis.status import portfolio_status
    from ..assessor.over_mapping import over_mapping
    from ..portfolio.plan import plan_suggestions, read_plan
    from ..portfolio.reviews import planning_status
    from .status_responses import decision_responses, print_responses, responses_data

    folio = open_folio(ctx, portfolio)
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        raise UsageError(
            f"--today {today!r} is not a date", hint="write it as YYYY-MM-DD"
        ) from None
    # Each record is read once, here, for the coverage, the plan and the over-mapping alike.
    state = portfolio_status(folio, today=day)
    evidence, reflections, cov = state.evidence, state.reflections, state.rows
    plan = read_plan(folio)
    waiting = plan_suggestions(plan, reflections)
    over = over_mapping(folio.standard, [*evidence, *reflections])
    planned = planning_status(folio, day or date.today())
    decided = decision_responses(folio, day or date.today())
    if as_json:
        print_json(
            {
                "portfolio": str(folio.root),
                "unit": folio.standard.code,
                "progress": asdict(cov.progress),
                "criteria": _records(cov.criteria),
                "scope": _records(cov.scope),
                "knowledge": _records(cov.knowledge),
                "gaps": [asdict(g) for g in cov.gaps],
                "plan": [a.model_dump(mode="json") for a in plan.actions],
                "plan_waiting": [a.model_dump(mode="json") for a in waiting],
                "over_mapping": over.messages,
                "assessment_plan": planned,
                **responses_data(decided),
            }
        )
        return
    console = terminal()
    p = cov.progress
    learner = folio.profile.learner
    console.print(
        f"[bold]{shown(learner.name)}[/bold] - {folio.standard.code} {folio.standard.title}"
    )
    console.print(
        f"{p.evidence_count} evidence items, {p.reflection_count} reflective accounts; "
        f"{p.criteria_ready + p.criteria_met} of {p.criteria_total} criteria ready or met "
        f"({p.percent_ready:g}%), "
        + (
            f"knowledge {p.knowledge_covered}/{p.knowledge_total}, "
            if folio.standard.has_knowledge
            else ""
        )
        + f"scope options {p.scope_covered}/{p.scope_total}"
    )
    table = Table(title="Criteria", title_justify="left")
    for column in ("", "criterion", "status", "items", "reason"):
        table.add_column(column, overflow="fold")
    for row in cov.criteria:
        style = _STATUS_STYLE.get(row["status"], "")
        table.add_row(
            row["symbol"],
            row["criterion"],
            f"[{style}]{STATUS_LABELS[row['status']]}[/]",
            _items(row["items"]),
            _reason(row),
        )
    if any(row["reason"].startswith("judged met on ") for row in cov.criteria):
        table.caption = "The assessor's feedback on met criteria: in the app and the report."
        table.caption_justify = "left"
    console.print(table)
    print_responses(console, decided, portfolio)
    console.print()
    scope = Table(title="Scope (evidence for the options that relate to your work)")
    scope.title_justify = "left"
    for column in ("category", "covered", "options with no evidence yet"):
        scope.add_column(column, overflow="fold")
    by_category: dict[str, list[dict[str, Any]]] = {}
    for option in cov.scope:
        by_category.setdefault(option["category"], []).append(option)
    for rows in by_category.values():
        missing = [r["label"] for r in rows if not r["covered"]]
        label = rows[0]["category_label"]
        covered = sum(1 for r in rows if r["covered"])
        scope.add_row(label, f"{covered}/{len(rows)}", "; ".join(missing))
    if not cov.scope:
        console.print("Scope: this unit defines none.")
    else:
        console.print(scope)
    missing_k = [k["id"] for k in cov.knowledge if not k["covered"] and k["parent"] == ""]
    if folio.standard.has_knowledge:
        console.print(
            "Knowledge: all items covered."
            if not missing_k
            else "Knowledge not yet covered: " + ", ".join(missing_k)
        )
        assessed = [k["id"] for k in cov.knowledge if k["assessed_ok"] and k["parent"] == ""]
        if state.assessor is not None and state.assessor.all:
            # Mapped is what the evidence claims; assessed is what the assessor tested.
            console.print(
                f"Knowledge assessed by the assessor (a question marked met, or a discussion): "
                f"{len(assessed)}/{p.knowledge_total}"
                + (f" ({', '.join(assessed)})" if assessed else "")
            )
    _print_plan(console, plan.actions, waiting)
    _print_assessment_plan(console, planned)
    if cov.gaps:
        console.print(f"\n[bold]Gaps and next steps ({len(cov.gaps)})[/bold]")
        for gap in cov.gaps:
            console.print(f"- {shown(gap.message)}\n  next: {shown(gap.next_step)}")
    else:
        console.print("\nNo gaps: every criterion is ready for assessment or judged.")
    if over.messages:
        console.print(f"\n[bold]Possibly over-mapped ({len(over.messages)})[/bold]")
        for message in over.messages:
            console.print(f"- {shown(message)}")
