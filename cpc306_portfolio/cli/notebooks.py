"""``cpc306 notebooks`` and ``lab``: the learner's notebooks, written and opened in JupyterLab."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import PortfolioError
from .main import main
from .options import open_folio


def _write_learner_notebooks(
    ctx: click.Context, portfolio: str, output: str | None, overwrite: bool
) -> tuple[Path, list[Path]]:
    """Write the notebooks; return their folder and those kept because they were changed."""
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
    return folder, list(report.skipped)


#: The config folder ``cpc306 lab`` puts first on ``JUPYTER_CONFIG_PATH`` (its page config).
LAB_CONFIG = "lab"
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
@click.option(
    "--yes",
    is_flag=True,
    help="Open JupyterLab without asking, even if some files differ from what the toolkit writes.",
)
@click.option("--no-browser", is_flag=True, help="Do not open a web browser.")
@click.pass_context
def lab(
    ctx: click.Context,
    portfolio: str,
    output: str | None,
    overwrite: bool,
    yes: bool,
    no_browser: bool,
) -> None:
    """Write PORTFOLIO's notebooks, then open them in JupyterLab.

    If the folder holds notebooks that differ from what the toolkit writes (or any other
    file), names them and asks before opening: their code is anyone's.
    """
    from ..notebooks import generate as notebooks

    folder, kept = _write_learner_notebooks(ctx, portfolio, output, overwrite)
    others = notebooks.not_generated(folder, open_folio(ctx, portfolio).standard, kept)
    if others:
        click.echo(f"Not written by the toolkit, in {folder}:")
        for path in others:
            click.echo(f"  {path.name}{'/' if path.is_dir() else ''}")
        click.echo(
            "Their code runs only if you run it in JupyterLab, and no module beside the "
            "notebooks is ever imported in place of the toolkit. Open them only if you know "
            "who wrote them (cpc306 app shows the toolkit's own pages)."
        )
        if not yes and not click.confirm("Open JupyterLab on this folder?", default=False):
            click.echo("Nothing was opened.")
            ctx.exit(PortfolioError.exit_code)  # declined: the package's general code
    source = ctx.find_root().params.get("standard")
    env: dict[str, str] = {}
    if source:  # the kernels load the same unit (a file path is made absolute)
        given = Path(source)
        env[notebooks.STANDARD_ENV] = str(given.resolve()) if given.exists() else source
    ctx.exit(notebooks.launch_lab(folder, env=_quiet_lab(env), extra=_lab_options(no_browser)))


def _quiet_lab(env: dict[str, str]) -> dict[str, str]:
    """No news toast: the announcements plugin is off for this run only (page config).

    Through an extra config folder first on ``JUPYTER_CONFIG_PATH``: the learner's own
    JupyterLab settings are neither read over nor changed.
    """
    import os

    from ..files.templates import template_path

    ours = str(template_path("notebooks", LAB_CONFIG))
    rest = env.get("JUPYTER_CONFIG_PATH", os.environ.get("JUPYTER_CONFIG_PATH", ""))
    return {**env, "JUPYTER_CONFIG_PATH": os.pathsep.join(filter(None, [ours, rest]))}


def _lab_options(no_browser: bool) -> list[str]:
    """JupyterLab asks nothing of the network: no news feed, no update check."""
    options = [
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    return [*options, "--no-browser"] if no_browser else options
