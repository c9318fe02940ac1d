"""``cpc306 app``: the learner's pages as an app in the browser (Voilà, no code shown)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from .main import main
from .notebooks import OVERWRITE_HELP
from .options import open_folio


@main.command()
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option(
    "--port", type=click.IntRange(1, 65535), help="Port on 127.0.0.1 (default: a free one)."
)
@click.option("--no-browser", is_flag=True, help="Do not open a web browser.")
@click.option("--overwrite", is_flag=True, help=OVERWRITE_HELP)
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
