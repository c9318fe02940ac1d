"""What the commands print: terminal-safe text, tables' cells, JSON, one record in full.

Learner and file text can carry control characters and rich markup: everything shown
passes through :func:`visible` or :func:`shown`.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import click

# What a command needs is imported inside it: ``cpc306 --help`` and ``cpc306 status`` must
# not pay for pydantic models, pandas or rich that they never use (tests/test_cli_imports.py).
if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from ..portfolio.models import Evidence, Reflection
    from ..standard import Standard


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


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


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
