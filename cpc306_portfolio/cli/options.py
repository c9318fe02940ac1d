"""What the commands' options and arguments become: ids, texts, acknowledgements, a portfolio.

Problems in a record built from options are named by those options (:func:`as_options`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import FileSystemError, Problem, RecordError, UsageError

if TYPE_CHECKING:
    from ..portfolio.store import Portfolio
    from ..standard import Standard


def split_ids(values: Sequence[str]) -> list[str]:
    """Accept ``--criteria A1,A2 --criteria B3`` and ``--criteria "A1 A2"``."""
    out: list[str] = []
    for value in values:
        out += [v for v in value.replace(",", " ").split() if v]
    return out


def open_folio(
    ctx: click.Context, path: str, *, readonly: bool = False, keep_listing: bool = False
) -> Portfolio:
    """Open a portfolio with ``--standard`` if given (saying so when it is not the copy).

    ``keep_listing``: the command validates next (see :func:`open_portfolio`).
    """
    from ..portfolio.store import open_portfolio

    folio = open_portfolio(
        path, standard=standard_option(ctx), readonly=readonly, keep_listing=keep_listing
    )
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
    # A sub-field has an option of its own: the one to fix, not the pair.
    "witness.name": "--witness-name",
    "witness.role": "--witness-role",
    "witness.statement": "--testimony-file",
    # Plans, reviews and the witness register (their own commands).
    "activity": "--activity",
    "planned_date": "--date",
    "with": "--with",
    "progress": "--progress/--progress-file",
    "targets": "--target",
    "next_review": "--next-review",
    "learner_comments": "--comments",
    "name": "--name",
    "role": "--role",
    "organisation": "--organisation",
    "relationship": "--relationship",
    "email": "--email",
    "phone": "--phone",
    "status": "--status",
    "expert_criteria": "--meets",
    "how": "--how",
    "on": "--date",
    # The assessor's records (cpc306 assess observe / discuss / question).
    "observation": "--observation",
    "narrative": "--narrative/--narrative-file",
    "location": "--location",
    "assessor": "--assessor",
    "key_points": "--notes/--notes-file",
    "topics": "--topic",
    "showed": "--showed",
    "answer": "--answer/--answer-file",
    "outcome": "--outcome",
    "note": "--note",
}


def as_options(exc: RecordError, *, unwritten: bool = False) -> RecordError:
    """Problems found in a record that was never written, named by the options that set them.

    Reporting ``evidence/E004.yaml: title`` for a ``--title ""`` sends the learner to a file
    that does not exist; ``--title: ...`` tells them what to change. ``unwritten`` says the
    problems are in what the options gave even though the file exists (an activity added
    to the assessment plan).
    """
    paths = {p.path for p in exc.problems}
    if len(paths) != 1 or (Path(next(iter(paths))).exists() and not unwritten):
        return exc
    problems = []
    for p in exc.problems:
        head = p.field.split(".")[0].split("[")[0]
        if p.field in OPTION_OF_FIELD:
            head = p.field
        option = OPTION_OF_FIELD.get(head, p.field)
        detail = p.field.removeprefix(head) if option != p.field else ""
        if head == "stages" and "." in p.field:
            option, detail = f"--stage {p.field.split('.', 1)[1]}=TEXT", ""
        message = "must not be empty" if "at least 1 character" in p.message else p.message
        problems.append(Problem(option + detail, message, hint=p.hint))
    return type(exc)(
        problems, hint="nothing was written; correct the option and run the command again"
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


#: The centre's trust list, shared by verify and render so both read keys the same way.
trust_option = click.option(
    "--trust",
    type=click.Path(),
    help="The centre's assessors' public keys: a file of .pub lines, a folder of .pub files, "
    "or a centre folder (the keys of the active people on its register).",
)


#: Where a signing key's passphrase is read from when nobody is asked for it.
PASSPHRASE_ENV = "CPC306_KEY_PASSPHRASE"


def key_passphrase(prompt: bool, *, confirm: bool) -> str | None:
    """The key's passphrase: asked for when told to, else from the environment, else none."""
    if prompt:
        answer: str = click.prompt("Passphrase", hide_input=True, confirmation_prompt=confirm)
        return answer
    return os.environ.get(PASSPHRASE_ENV) or None
