"""The README's CLI reference is generated from the commands and the error classes.

Regenerate it after changing a command: ``python -m tests.test_docs``.
"""

from __future__ import annotations

import re
import sys

import click

from cpc306_portfolio.cli import EXIT_CODES, main
from cpc306_portfolio.errors import error_classes

from .conftest import ROOT

README = ROOT / "README.md"
START, END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"


def _commands(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    out = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            out += _commands(command, path)
        else:
            out.append((path, command))
    return out


def cli_reference() -> str:
    lines = [START, ""]
    root = click.Context(main, info_name="cpc306")
    for param in main.get_params(root):
        if isinstance(param, click.Option) and param.help and "--help" not in param.opts:
            lines.append(f"Global option `{' / '.join(param.opts)}`: {param.help}")
    lines.append("")
    for path, command in _commands(main, "cpc306"):
        ctx = click.Context(command, info_name=path)
        args = " ".join(
            p.human_readable_name for p in command.params if isinstance(p, click.Argument)
        )
        lines += [f"### `{path} {args}`".replace(" `", " `").rstrip(), ""]
        lines += [command.get_short_help_str(limit=200), ""]
        for param in command.get_params(ctx):
            if isinstance(param, click.Option) and param.help and "--help" not in param.opts:
                lines.append(f"- `{' / '.join(param.opts)}`: {param.help}")
        lines.append("")
    lines += ["Exit codes, and the error classes a script using the library catches:", ""]
    lines += ["| code | meaning | error classes |", "| --- | --- | --- |"]
    for code, meaning in EXIT_CODES.items():
        names = ", ".join(f"`{c.__name__}`" for c in error_classes() if c.exit_code == code)
        lines.append(f"| `{code}` | {meaning} | {names} |")
    lines += ["", "`cpc306 lab` ends with JupyterLab's own exit code.", "", END]
    return "\n".join(lines)


def _current() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(re.escape(START) + ".*?" + re.escape(END), text, re.S)
    assert match, "README.md has no CLI reference markers"
    return match.group(0)


def test_readme_cli_reference_is_current():
    assert _current() == cli_reference(), "regenerate it: python -m tests.test_docs"


def test_readme_opens_with_the_two_commands():
    head = README.read_text(encoding="utf-8")[:1500]
    assert "make demo" in head
    assert "make test" in head


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    README.write_text(text.replace(_current(), cli_reference()), encoding="utf-8")
    sys.exit(0)
