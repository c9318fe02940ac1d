"""``cpc306 standard ...``: the units this installation knows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .main import main
from .options import standard_option
from .output import print_json, terminal

if TYPE_CHECKING:
    from ..standard.placeholders import Placeholder


@main.group()
def standard() -> None:
    """Show, import and export the unit standards this installation knows."""


@standard.command("list")
def standard_list() -> None:
    """List the units that can be loaded by code: code, title and where each came from."""
    from ..standard import find_units

    units = find_units()
    codes = [u.code for u in units if u.code]
    for unit in units:
        if unit.code is None:
            click.echo(f"{'-':<12} not a unit: {unit.problem}  ({unit.path})")
            continue
        clash = "  [error: another file has this code]" if codes.count(unit.code) > 1 else ""
        click.echo(f"{unit.code:<12} {unit.title or ''}{clash}")
        click.echo(f"{'':<12} {unit.origin}: {unit.path}")


@standard.command("import")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The unit YAML to write."
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option(
    "--code", default=None, help="The unit's code, where the source prints none (a .matrix)."
)
def standard_import(source: str, output: str, force: bool, code: str | None) -> None:
    """Draft a unit YAML file from its published text (.txt, .docx, .pdf) or a Mahara .matrix.

    The source's words are copied word for word; what the project adds is left as
    placeholders marked "TO WRITE (ours):", each listed with its line. Whatever could not
    be placed is listed too (and kept at the top of the draft).
    """
    from ..standard.drafting import import_unit

    report = import_unit(source, output, overwrite=force, code=code)
    knowledge = f"{report.knowledge} knowledge ids" if report.knowledge else "no knowledge"
    click.echo(f"Wrote {report.output}: {report.code}, {report.criteria} criteria, {knowledge}")
    if report.notes:
        click.echo("Check by hand:")
        for note in report.notes:
            click.echo(f"  {source}: {note}")
    _say_placeholders(report.placeholders)
    click.echo(f"Next: write every placeholder, then cpc306 standard check {output}")


def _say_placeholders(found: list[Placeholder]) -> None:
    if not found:
        return
    click.echo(f'{len(found)} placeholders ("TO WRITE (ours):") still to write:', err=True)
    for one in found:
        click.echo(f"  {one}", err=True)


@standard.command("check")
@click.argument("unit", type=click.Path(dir_okay=False))
@click.pass_context
def standard_check(ctx: click.Context, unit: str) -> None:
    """Say whether a unit file is ready to use: it loads, and no placeholder is left.

    Exits 0 when ready; 4 (with every problem or placeholder and its line) when not.
    """
    from ..errors import StandardError
    from ..standard import load_standard
    from ..standard.placeholders import unit_placeholders

    loaded = load_standard(unit)
    found = unit_placeholders(loaded)
    if found:
        _say_placeholders(found)
        click.echo(f"{unit}: {loaded.code} loads, but is not ready: write the placeholders")
        ctx.exit(StandardError.exit_code)
    click.echo(f"{unit}: {loaded.code} is ready to use ({len(loaded.criteria)} criteria)")


@standard.command("export")
@click.argument("unit", required=False)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The Mahara SmartEvidence framework file to write (.matrix).",
)
@click.pass_context
def standard_export(ctx: click.Context, unit: str | None, output: str) -> None:
    """Export a unit as a Mahara SmartEvidence framework (default: --standard or CPC 306)."""
    from ..standard import load_standard
    from ..standard.mahara import export_matrix

    loaded = load_standard(unit) if unit else (standard_option(ctx) or load_standard())
    click.echo(str(export_matrix(loaded, output)))


@standard.command("show")
@click.argument("unit", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the whole unit as JSON.")
@click.pass_context
def standard_show(ctx: click.Context, unit: str | None, as_json: bool) -> None:
    """Show a unit: its elements, criteria, scope and knowledge (default: CPC 306)."""
    from ..standard import load_standard

    loaded = load_standard(unit) if unit else (standard_option(ctx) or load_standard())
    if as_json:
        print_json(loaded.model_dump(mode="json", by_alias=True))
        return
    console = terminal()
    console.print(f"[bold]{loaded.code} {loaded.title}[/bold]")
    if loaded.developed_by:
        console.print(f"Developed by {loaded.developed_by}")
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
    if loaded.has_knowledge:
        console.print("\n[bold]Knowledge[/bold]")
    for group in loaded.knowledge.groups:
        console.print(f"  {group.title}")
        for item in group.items:
            console.print(f"    {item.id:<5} {item.text}")
            for sub in item.sub_items:
                console.print(f"      {sub.id:<5} {sub.text}")
