"""The ``cpc306`` command group and its error handling: every command hangs from :func:`main`.

Library errors become one message and an exit code in one place (:class:`_Group`);
every code comes from an error class and is listed in :data:`EXIT_CODES`.
"""

from __future__ import annotations

from typing import Any

import click

from ..errors import FileSystemError, PortfolioError, exit_codes
from .output import shown

#: Every exit code and what it means, from the error classes (the README's table too).
EXIT_CODES = exit_codes()


def _err(message: str) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"[bold red]error:[/] {message}", markup=True
    )


class _Group(click.Group):
    """Turns every PortfolioError into one message and its exit code.

    An operating-system error that no library call turned into one (a disk that filled up
    between two checks, say) still comes out as a message with the path, never a traceback.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PortfolioError as exc:
            _err(shown(str(exc)))
            ctx.exit(exc.exit_code)
        except OSError as exc:
            error = FileSystemError.of(exc, "finish the command")
            _err(shown(str(error)))
            ctx.exit(error.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--standard",
    envvar="CPC306_STANDARD",
    metavar="UNIT",
    help="Unit to use: a code (CPC 306) or the path of a unit YAML file. "
    "Default: the unit the portfolio names.",
)
@click.version_option(package_name="cpc306-portfolio")
def main(standard: str | None) -> None:
    """Build, check and share an evidence portfolio for a NOS unit (CPC 306 by default)."""


def run() -> None:
    """The ``cpc306`` program: :func:`main`, with the garbage collector set for a short run.

    A command allocates in bursts (imports, a notebook, a table of every record) and then
    ends. Collecting less often while it runs, and freezing what is left when it is done
    (so the interpreter's last collections at exit pass over nothing), saves a render of
    the sample about 0.15 s and one of 2,000 records about a second. Memory is what it
    was: what a command makes, it mostly keeps until it exits. Only the program does this;
    the library, notebooks and tests keep Python's defaults. A full collection passes over
    every record a command holds; one in a hundred middle ones, not one in ten, saves
    ``validate`` of 10,000 records 0.2 s (measured here; a render's peak the same).

    pydantic looks for plugins of its own the first time a model checks anything, by
    reading the entry points of every installed package: 35 ms of every command here. The
    program uses none, so it says so (``PYDANTIC_DISABLE_PLUGINS``, pydantic's documented
    switch), unless the environment already sets it.
    """
    import gc
    import os

    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.set_threshold(5_000, 10, 100)
    try:
        main()
    finally:
        gc.freeze()
