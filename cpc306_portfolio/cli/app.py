"""``cpc306 app``: the learner's pages as an app in the browser (Voilà, no code shown)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import IO, TYPE_CHECKING

import click

from .main import main
from .options import open_folio

if TYPE_CHECKING:
    from ..notebooks.server_start import PrestartedServer


@main.command()
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option(
    "--port", type=click.IntRange(1, 65535), help="Port on 127.0.0.1 (default: a free one)."
)
@click.option("--no-browser", is_flag=True, help="Do not open a web browser.")
@click.option(
    "--centre",
    type=click.Path(file_okay=False, exists=True),
    help="Your centre's folder: its appeals wording is shown with each decision.",
)
@click.pass_context
def app(
    ctx: click.Context, portfolio: str, port: int | None, no_browser: bool, centre: str | None
) -> None:
    """Open PORTFOLIO as an app in your web browser: no code, pages already run.

    Prints the address first (it carries a new key each time; keep it to yourself); press
    Ctrl-C to stop. The pages are the toolkit's own for the portfolio's unit, never the
    notebooks in the folder (open those with: cpc306 lab PORTFOLIO).
    """
    import tempfile

    from ..notebooks.server_start import prestart

    log_dir = Path(tempfile.mkdtemp(prefix="cpc306-app-"))
    log_path = log_dir / "voila.log"
    code = 0
    try:
        with log_path.open("wb") as log:
            server = prestart(log)  # Voilà imports while the portfolio is opened
            try:
                code = _serve(ctx, portfolio, port, no_browser, centre, log, server)
            finally:
                server.stop()
    finally:
        if code:
            click.echo(f"Voilà's log: {log_path}")  # it stopped on its own: keep the why
        else:
            shutil.rmtree(log_dir, ignore_errors=True)  # a clean stop leaves nothing behind
    ctx.exit(code)


def _serve(
    ctx: click.Context,
    portfolio: str,
    port: int | None,
    no_browser: bool,
    centre: str | None,
    log: IO[bytes],
    server: PrestartedServer,
) -> int:
    from ..notebooks import generate as notebooks
    from ..notebooks.app import serve_app

    folio = open_folio(ctx, portfolio)
    env = dict(os.environ)
    if centre:
        from ..assessor.appeals import CENTRE_ENV, appeals_wording

        appeals_wording(centre)  # a broken centre.yaml is said here, not in every page
        env[CENTRE_ENV] = str(Path(centre).resolve())
    source = ctx.find_root().params.get("standard")
    if source:
        given = Path(source)
        env[notebooks.STANDARD_ENV] = str(given.resolve()) if given.exists() else source
    return serve_app(
        folio,
        port=port,
        open_browser=not no_browser,
        echo=click.echo,
        log=log,
        env=env,
        server=server,
    )
