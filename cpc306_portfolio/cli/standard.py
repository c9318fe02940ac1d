"""``cpc306 standard ...``: the units this installation knows."""

from __future__ import annotations

import click

from ..standard import available_standards, load_standard
from .app import (
    main,
    print_json,
    standard_option,
    terminal,
)

# standard --------------------------------------------------------------------------


@main.group()
def standard() -> None:
    """Show the unit standards this installation knows."""


@standard.command("list")
def standard_list() -> None:
    """List the units that can be loaded by code."""
    for path in available_standards():
        unit = load_standard(path)
        click.echo(f"{unit.code:<12} {unit.title}  ({path})")


@standard.command("show")
@click.argument("unit", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the whole unit as JSON.")
@click.pass_context
def standard_show(ctx: click.Context, unit: str | None, as_json: bool) -> None:
    """Show a unit: its elements, criteria, scope and knowledge (default: CPC 306)."""
    loaded = load_standard(unit) if unit else (standard_option(ctx) or load_standard())
    if as_json:
        print_json(loaded.model_dump(mode="json", by_alias=True))
        return
    console = terminal()
    console.print(f"[bold]{loaded.code} {loaded.title}[/bold]")
    for element in loaded.elements:
        console.print(f"\n[bold]{element.id}  {element.title}[/bold]")
        for crit in element.criteria:
            console.print(f"  {crit.id:<5} {crit.text}")
    if loaded.scope:
        console.print("\n[bold]Scope[/bold]")
        for cat in loaded.scope:
            console.print(f"  {cat.label}")
            for opt in cat.options:
                console.print(f"    {cat.id}/{opt.id:<28} {opt.label}")
    console.print("\n[bold]Knowledge[/bold]")
    for group in loaded.knowledge.groups:
        console.print(f"  {group.title}")
        for item in group.items:
            console.print(f"    {item.id:<5} {item.text}")
            for sub in item.sub_items:
                console.print(f"      {sub.id:<5} {sub.text}")
