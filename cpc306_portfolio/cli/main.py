"""The ``cpc306`` command group, its error handling and the helpers every command shares.

Library errors become one message and an exit code in one place (:class:`_Group`);
every code comes from an error class and is listed in :data:`EXIT_CODES`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import (
    FileSystemError,
    PortfolioError,
    Problem,
    RecordError,
    UsageError,
    exit_codes,
)

# What a command needs is imported inside it: ``cpc306 --help`` and ``cpc306 status`` must
# not pay for pydantic models, pandas or rich that they never use (tests/test_cli_imports.py).
if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from ..portfolio.models import Evidence, Reflection
    from ..portfolio.store import Portfolio
    from ..standard import Standard

#: Every exit code and what it means, from the error classes (the README's table too).
EXIT_CODES = exit_codes()


def terminal() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


# C0 and C1 control characters (but newline and tab), DEL, and the bidirectional
# overrides: typed into a title they would retitle the terminal, clear it or reorder it.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with control characters shown as Python escapes (ESC as x1b), terminal-safe."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def shown(text: str) -> str:
    """Learner or file text for :func:`terminal` output: control characters and markup escaped."""
    from rich.markup import escape

    return escape(visible(text))


def cells(*values: str) -> list[Text]:
    """One table row of learner or file text, shown as typed (control characters escaped).

    rich reads a plain string cell as markup, emoji codes included; a ``Text`` it shows as
    it is, and skips that parse, which is most of the cost of a table of 2,000 records.
    """
    from rich.text import Text

    return [Text(visible(value)) for value in values]


def say(text: str, err: bool = False) -> None:
    """``click.echo`` of text that may carry what a learner typed."""
    click.echo(visible(text), err=err)


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


def split_ids(values: Sequence[str]) -> list[str]:
    """Accept ``--criteria A1,A2 --criteria B3`` and ``--criteria "A1 A2"``."""
    out: list[str] = []
    for value in values:
        out += [v for v in value.replace(",", " ").split() if v]
    return out


def open_folio(ctx: click.Context, path: str, *, readonly: bool = False) -> Portfolio:
    """Open a portfolio with ``--standard`` if given (saying so when it is not the copy)."""
    from ..portfolio.store import open_portfolio

    folio = open_portfolio(path, standard=standard_option(ctx), readonly=readonly)
    if folio.unit_note:
        from rich.console import Console
        from rich.markup import escape

        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"[bold yellow]note:[/] {escape(folio.unit_note)}"
        )
    return folio


def standard_option(ctx: click.Context) -> Standard | None:
    from ..standard import load_standard

    source = ctx.find_root().params.get("standard")
    return load_standard(source) if source else None


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


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
    the library, notebooks and tests keep Python's defaults.
    """
    import gc

    gc.set_threshold(5_000, 10, 10)
    try:
        main()
    finally:
        gc.freeze()


def read_text(text: str | None, file: str | None, flag: str) -> str:
    if text and file:
        raise UsageError(f"give {flag} or {flag}-file, not both")
    if file:
        path = Path(file)
        if not path.is_file():
            raise UsageError(f"{path}: no such file", hint=f"check the path given to {flag}-file")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FileSystemError.of(exc, f"read the file given to {flag}-file", path) from None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise UsageError(
                f"{path} (given to {flag}-file) is not UTF-8 text: byte {exc.start} "
                f"(line {line}) cannot be read",
                hint="save the file as UTF-8 (Unicode) text and try again; nothing was written",
            ) from None
    return text or ""


#: The command-line option that sets each field of a new record.
OPTION_OF_FIELD = {
    "title": "--title",
    "date": "--date",
    "method": "--method",
    "evidence_kind": "--kind",
    "description": "--description",
    "criteria": "--criteria",
    "scope": "--scope",
    "knowledge": "--knowledge",
    "witness": "--witness-name/--witness-role",
    "model": "--model",
    "stages": "--stage",
}


def as_options(exc: RecordError) -> RecordError:
    """Problems found in a record that was never written, named by the options that set them.

    Reporting ``evidence/E004.yaml: title`` for a ``--title ""`` sends the learner to a file
    that does not exist; ``--title: ...`` tells them what to change.
    """
    paths = {p.path for p in exc.problems}
    if len(paths) != 1 or Path(next(iter(paths))).exists():
        return exc
    problems = []
    for p in exc.problems:
        head = p.field.split(".")[0].split("[")[0]
        option = OPTION_OF_FIELD.get(head, p.field)
        detail = p.field.removeprefix(head) if option != p.field else ""
        if head == "stages" and "." in p.field:
            option, detail = f"--stage {p.field.split('.', 1)[1]}=TEXT", ""
        message = "must not be empty" if "at least 1 character" in p.message else p.message
        problems.append(Problem(option + detail, message, hint=p.hint))
    return type(exc)(
        problems, hint="nothing was written; correct the option and run the command again"
    )


def show_record(record: Evidence | Reflection, standard: Standard, as_json: bool = False) -> None:
    """Print one record in full, as JSON for scripts or as readable text."""
    from rich.markup import escape

    from ..portfolio.models import Evidence
    from ..portfolio.reflection import reflection_model

    if as_json:
        print_json(record.to_data())
        return
    console = terminal()
    console.print(f"[bold]{record.id}[/bold]  {shown(record.title)}")
    if isinstance(record, Evidence):
        console.print(f"date: {record.date}   method: {record.method.label}")
        if record.evidence_kind:
            kinds = [standard.scope_options[k].label for k in record.evidence_kind]
            console.print("kind: " + "; ".join(kinds))
        if record.witness:
            console.print(f"witness: {shown(record.witness.name)}, {shown(record.witness.role)}")
        console.print()
        console.print(shown(record.description))
    else:
        model = reflection_model(record.model)
        console.print(f"date: {record.date}   model: {model.name}")
        for stage in model.stages:
            console.print(f"\n[bold]{stage.title}[/bold]")
            console.print(shown(record.stages.get(stage.id, "")) or "(empty)")
    console.print()
    for crit in record.criteria:
        console.print(f"  {crit}  {escape(standard.criteria[crit].text)}")
    for option in record.scope:
        console.print(f"  {option}  {standard.scope_options[option].label}")
    for kid in record.knowledge:
        console.print(f"  {kid}  {standard.knowledge_ids[kid]}")
    if isinstance(record, Evidence):
        for att in record.attachments:
            console.print(
                f"  file: {shown(att.path)} ({att.size} bytes, sha256 {att.sha256[:12]}…)"
            )


def parse_acknowledgements(values: Sequence[str]) -> dict[str, str]:
    """``--acknowledge FINGERPRINT=REASON`` (repeated) -> the store's ``acknowledge=``."""
    out = {}
    for raw in values:
        fingerprint, sep, reason = raw.partition("=")
        if not sep or not reason.strip():
            raise UsageError(
                f"--acknowledge {raw!r} needs the form FINGERPRINT=REASON",
                hint="the fingerprint is shown in [brackets] beside each finding",
            )
        out[fingerprint.strip()] = reason.strip()
    return out


ACK_HELP = "Acknowledge a confidentiality finding as identifying no one (repeat)."
