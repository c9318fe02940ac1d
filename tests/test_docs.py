"""The README's generated parts, kept honest here.

The CLI reference comes from the commands and the error classes; the package map from the
layers in ``tests/test_layers.py`` and each part's docstring. Regenerate both after changing
a command, an error class or a part: ``python -m tests.test_docs``.
"""

from __future__ import annotations

import ast
import re
import sys

import click

from cpc306_portfolio.cli import EXIT_CODES, main
from cpc306_portfolio.errors import error_classes

from .conftest import ROOT
from .test_layers import LAYERS, PACKAGE

README = ROOT / "README.md"
START, END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"
MAP_START, MAP_END = "<!-- package-map:start -->", "<!-- package-map:end -->"

#: Folders of the package that hold data, not code (so they have no docstring).
DATA_FOLDERS = {"schemas": "The JSON Schemas of the portfolio's files, generated from the models."}


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


def _summary(part: str) -> str:
    """The first sentence of a part's docstring, in Markdown."""
    path = PACKAGE / part / "__init__.py" if (PACKAGE / part).is_dir() else PACKAGE / f"{part}.py"
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert doc, f"{path.relative_to(ROOT)} needs a docstring saying what the part is for"
    return doc.split("\n\n")[0].replace("\n", " ").replace("``", "`")


def package_map() -> str:
    lines = [MAP_START, "", "| layer | part | what it is for |", "| --- | --- | --- |"]
    for rank, parts in enumerate(LAYERS, start=1):
        for part in parts:
            name = f"{part}/" if (PACKAGE / part).is_dir() else f"{part}.py"
            lines.append(f"| {rank} | `{name}` | {_summary(part)} |")
    for folder, what in DATA_FOLDERS.items():
        lines.append(f"| data | `{folder}/` | {what} |")
    lines += ["", MAP_END]
    return "\n".join(lines)


def _current(start: str = START, end: str = END) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(re.escape(start) + ".*?" + re.escape(end), text, re.S)
    assert match, f"README.md has no {start} ... {end} markers"
    return match.group(0)


def test_readme_cli_reference_is_current():
    assert _current() == cli_reference(), "regenerate it: python -m tests.test_docs"


def test_readme_package_map_is_current():
    assert _current(MAP_START, MAP_END) == package_map(), "regenerate it: python -m tests.test_docs"


def test_the_package_map_names_every_folder_of_the_package():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    mapped = {part for parts in LAYERS for part in parts} | set(DATA_FOLDERS)
    assert folders <= mapped, f"add {sorted(folders - mapped)} to the layers or DATA_FOLDERS"
    assert all((PACKAGE / f).is_dir() for f in DATA_FOLDERS)


def test_readme_opens_with_the_two_commands():
    head = README.read_text(encoding="utf-8")[:1500]
    assert "make demo" in head
    assert "make test" in head


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    text = text.replace(_current(), cli_reference())
    text = text.replace(_current(MAP_START, MAP_END), package_map())
    README.write_text(text, encoding="utf-8")
    sys.exit(0)
