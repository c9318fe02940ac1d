"""``cpc306 standard ...``: the units this installation knows."""

from __future__ import annotations

import click

from .main import main
from .options import standard_option
from .output import print_json, terminal


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
def standard_import(source: str, output: str, force: bool) -> None:
    """Draft a unit YAML file from its published text (.txt, .docx, .pdf) or a Mahara .matrix.

    The source's words are copied word for word; what the project adds is left as
    placeholders marked "TO WRITE (ours):". Whatever could not be placed is listed.
    """
    from ..standard.drafting import import_unit

    report = import_unit(source, output, overwrite=force)
    click.echo(
        f"Wrote {report.output}: {report.code}, {report.criteria} criteria, "
        f"{report.knowledge} knowledge ids"
    )
    if report.notes:
        click.echo("Check by hand:")
        for note in report.notes:
            click.echo(f"  {source}: {note}")
    click.echo('Next: write every "TO WRITE (ours):" placeholder, then cpc306 standard show FILE')


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
