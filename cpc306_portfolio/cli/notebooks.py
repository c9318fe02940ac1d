"""``cpc306 app``, ``notebooks`` and ``lab``: the learner's pages, as an app or in Lab."""

from __future__ import annotations

import os
from pathlib import Path

import click

from .main import (
    main,
    open_folio,
)

# notebooks -------------------------------------------------------------------------


def _write_learner_notebooks(
    ctx: click.Context, portfolio: str, output: str | None, overwrite: bool
) -> Path:
    from ..notebooks.generate import relative_portfolio_path, write_notebooks

    folio = open_folio(ctx, portfolio)
    folder = Path(output) if output else folio.root / "notebooks"
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


_NB_OUTPUT = "Folder for the notebooks (default: PORTFOLIO/notebooks)."
_NB_OVERWRITE = "Also replace notebooks you changed."


@main.command("notebooks")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(file_okay=False), help=_NB_OUTPUT)
@click.option("--overwrite", is_flag=True, help=_NB_OVERWRITE)
@click.pass_context
def notebooks_command(
    ctx: click.Context, portfolio: str, output: str | None, overwrite: bool
) -> None:
    """Write the notebooks for PORTFOLIO's unit: start here, one per criterion, and more."""
    _write_learner_notebooks(ctx, portfolio, output, overwrite)


@main.command()
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(file_okay=False), help=_NB_OUTPUT)
@click.option("--overwrite", is_flag=True, help=_NB_OVERWRITE)
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


@main.command()
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option(
    "--port", type=click.IntRange(1, 65535), help="Port on 127.0.0.1 (default: a free one)."
)
@click.option("--no-browser", is_flag=True, help="Do not open a web browser.")
@click.option("--overwrite", is_flag=True, help=_NB_OVERWRITE)
@click.pass_context
def app(
    ctx: click.Context, portfolio: str, port: int | None, no_browser: bool, overwrite: bool
) -> None:
    """Open PORTFOLIO as an app in your web browser: no code, pages already run.

    Prints the address first; press Ctrl-C to stop.
    """
    import tempfile

    from ..notebooks import generate as notebooks
    from ..notebooks.app import serve_app
    from ..notebooks.generate import relative_portfolio_path, write_notebooks

    folio = open_folio(ctx, portfolio)
    folder = folio.root / "notebooks"
    report = write_notebooks(
        folder,
        folio.standard,
        portfolio_path=relative_portfolio_path(folder, folio.root),
        overwrite_changed=overwrite,
    )
    env = dict(os.environ)
    source = ctx.find_root().params.get("standard")
    if source:
        given = Path(source)
        env[notebooks.STANDARD_ENV] = str(given.resolve()) if given.exists() else source
    log_dir = Path(tempfile.mkdtemp(prefix="cpc306-app-"))
    log_path = log_dir / "voila.log"
    with log_path.open("wb") as log:
        code = serve_app(
            folio.root,
            port=port,
            open_browser=not no_browser,
            echo=click.echo,
            log=log,
            env=env,
        )
    click.echo(f"Voilà's log: {log_path}")
    for path in report.skipped:
        click.echo(f"  kept {path.name}: you changed it (--overwrite replaces it)")
    ctx.exit(code)
