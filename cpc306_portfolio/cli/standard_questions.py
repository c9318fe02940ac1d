"""``cpc306 standard questions``: a unit's question bank, and a centre's beside it."""

from __future__ import annotations

import click

from .options import standard_option
from .output import print_json, terminal
from .standard import standard


@standard.command("questions")
@click.argument("unit", required=False)
@click.option("--bank", "banks", multiple=True, help="A centre's question bank file (repeat).")
@click.option("--answers", is_flag=True, help="Show each model answer and what it must contain.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def standard_questions(
    ctx: click.Context, unit: str | None, banks: tuple[str, ...], answers: bool, as_json: bool
) -> None:
    """List a unit's question bank (default: --standard or CPC 306), and --bank files."""
    from rich.markup import escape

    from ..standard import load_standard
    from ..standard.bank import question_bank

    loaded = load_standard(unit) if unit else (standard_option(ctx) or load_standard())
    found = question_bank(loaded, list(banks))
    if as_json:
        print_json([{**b.question.model_dump(mode="json"), "source": b.source} for b in found])
        return
    console = terminal()
    console.print(f"[bold]{escape(loaded.code)}: {len(found)} question(s)[/bold]")
    for banked in found:
        q = banked.question
        console.print(
            f"\n[bold]{escape(q.id)}[/bold] ({escape(q.knowledge)}, {escape(banked.source)})"
        )
        console.print(f"  {escape(q.question)}")
        if answers:
            console.print(f"  [italic]Model answer:[/italic] {escape(q.model_answer)}")
            for point in q.must_include:
                console.print(f"   - {escape(point)}")
            if q.nations:
                console.print(f"  [italic]Nations:[/italic] {escape(q.nations)}")
