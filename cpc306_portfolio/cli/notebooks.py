"""``cpc306 notebooks`` and ``lab``: the learner's notebooks, written and opened in JupyterLab."""

from __future__ import annotations

from pathlib import Path

import click

from .main import main
from .options import open_folio


def _write_learner_notebooks(
    ctx: click.Context, portfolio: str, output: str | None, overwrite: bool
) -> Path:
    from ..notebooks.generate import relative_portfolio_path, write_notebooks
    from ..portfolio.layout import NOTEBOOKS_DIR

    folio = open_folio(ctx, portfolio)
    folder = Path(output) if output else folio.root / NOTEBOOKS_DIR
    report = write_notebooks(
        folder,
        folio.standard,
        portfolio_path=relative_portfolio_path(folder, folio.root),
        overwrite_changed=overwrite,
    )
    click.echo(
        f"{len(report)} notebook(s) written, {len(report.unchanged)} already up to date, "
        f"in {folder}"
    )
    for path in report.skipped:
        click.echo(f"  kept {path.name}: you changed it (--overwrite replaces it)")
    return folder


OUTPUT_HELP = "Folder for the notebooks (default: PORTFOLIO/notebooks)."
OVERWRITE_HELP = "Also replace notebooks you changed."


@main.command("notebooks")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(file_okay=False), help=OUTPUT_HELP)
@click.option("--overwrite", is_flag=True, help=OVERWRITE_HELP)
@click.pass_context
def notebooks_command(
    ctx: click.Context, portfolio: str, output: str | None, overwrite: bool
) -> None:
    """Write the notebooks for PORTFOLIO's unit: start here, one per criterion, and more."""
    _write_learner_notebooks(ctx, portfolio, output, overwrite)


@main.command()
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(file_okay=False), help=OUTPUT_HELP)
@click.option("--overwrite", is_flag=True, help=OVERWRITE_HELP)
@click.pass_context
def lab(ctx: click.Context, portfolio: str, output: str | None, overwrite: bool) -> None:
    """Write PORTFOLIO's notebooks, then open them in JupyterLab."""
    from ..notebooks import generate as notebooks

    folder = _write_learner_notebooks(ctx, portfolio, output, overwrite)
    source = ctx.find_root().params.get("standard")
    env: dict[str, str] = {}
    if source:  # the kernels load the same unit (a file path is made absolute)
        given = Path(source)
        env[notebooks.STANDARD_ENV] = str(given.resolve()) if given.exists() else source
    ctx.exit(notebooks.launch_lab(folder, env=env))
