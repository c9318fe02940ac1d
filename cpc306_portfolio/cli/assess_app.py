"""``cpc306 assess app``: the assessor's workspace over one portfolio or a caseload."""

from __future__ import annotations

import os
from pathlib import Path

import click

from .assess import assess_group
from .options import trust_option


@assess_group.command("app")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option(
    "--key",
    "key_path",
    type=click.Path(dir_okay=False),
    help="Your private key file, offered for sign-off (its passphrase is asked in the page).",
)
@trust_option
@click.option(
    "--port", type=click.IntRange(1, 65535), help="Port on 127.0.0.1 (default: a free one)."
)
@click.option("--no-browser", is_flag=True, help="Do not open a web browser.")
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False),
    help="Your own folder for the unit assessment records the workspace writes "
    "(default: assessment-records in your cpc306 data folder; never inside a portfolio).",
)
@click.pass_context
def assess_app(
    ctx: click.Context,
    folder: str,
    key_path: str | None,
    trust: str | None,
    port: int | None,
    no_browser: bool,
    output_dir: str | None,
) -> None:
    """Open your workspace over FOLDER (one portfolio, or a folder of portfolios).

    Your own install serves it on 127.0.0.1 with a new key each run (keep the printed
    address to yourself); nothing from a learner's folder runs. Judge, plan, review, check
    witnesses and sign off in the browser; press Ctrl-C to stop.
    """
    import tempfile

    from ..cohort.caseload import caseload_folders
    from ..notebooks.record_route import check_output_dir, default_output_dir
    from ..notebooks.workspace import serve_workspace

    caseload = Path(folder).expanduser().resolve()
    folders = caseload_folders(caseload)  # no portfolio there: said before anything starts
    key = str(Path(key_path).expanduser().resolve()) if key_path else ""
    records = check_output_dir(Path(output_dir) if output_dir else default_output_dir(), folders)
    log_dir = Path(tempfile.mkdtemp(prefix="cpc306-assess-app-"))
    log_path = log_dir / "voila.log"
    with log_path.open("wb") as log:
        code = serve_workspace(
            caseload,
            folders,
            key=key,
            trust=str(Path(trust).expanduser().resolve()) if trust else "",
            records=str(records),
            port=port,
            open_browser=not no_browser,
            echo=click.echo,
            log=log,
            env=dict(os.environ),
        )
    click.echo(f"Voilà's log: {log_path}")
    ctx.exit(code)
