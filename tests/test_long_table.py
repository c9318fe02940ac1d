"""The long table prints exactly what rich prints for the same rows (cpc306 evidence list)."""

from __future__ import annotations

import io
import random

import pytest
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cpc306_portfolio.cli.long_table import print_long_table

COLUMNS = ("id", "date", "method", "title", "criteria", "files")
WORDS = [
    "Monitoring",
    "visit",
    "Product /",
    "document",
    "A1",
    "B2 C3",
    "Ærøskøbing",
    "café",
    "会議の記録",
    "x" * 40,
    "[bold]not markup[/bold]",
    "a  b",
    " leading",
    "trailing ",
    "tab\there",
    "two\nlines",
    "",
    "2026-05-01",
    "naïve👍emoji",
]


def _rich(console: Console, title: str, rows: list[list[str]]) -> None:
    table = Table(title=title, title_justify="left")
    for column in COLUMNS:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(value) for value in row))
    console.print(table)


def _console(width: int, terminal: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        highlight=False,
        soft_wrap=True,
        force_terminal=terminal,
        color_system="truecolor" if terminal else None,
    )
    return console, out


def _rows(rng: random.Random, count: int) -> list[list[str]]:
    return [
        [" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 4))) for _ in COLUMNS]
        for _ in range(count)
    ]


@pytest.mark.parametrize("seed", range(12))
def test_the_long_table_is_the_table_rich_prints(seed: int) -> None:
    rng = random.Random(seed)
    rows = _rows(rng, rng.randint(1, 60))
    width = rng.choice([20, 40, 80, 123, 200])
    terminal = seed % 2 == 0
    theirs, expected = _console(width, terminal)
    _rich(theirs, f"Evidence ({len(rows)})", rows)
    ours, got = _console(width, terminal)
    print_long_table(ours, f"Evidence ({len(rows)})", COLUMNS, rows)
    assert got.getvalue() == expected.getvalue()


def test_an_empty_table_and_a_plain_ascii_terminal_match_too() -> None:
    for rows in ([], [["E001", "2026-05-01", "Product /\ndocument", "A title", "A1", "1"]]):
        theirs, expected = _console(80, False)
        theirs.legacy_windows = False
        _rich(theirs, "Evidence", rows)
        ours, got = _console(80, False)
        print_long_table(ours, "Evidence", COLUMNS, rows)
        assert got.getvalue() == expected.getvalue()
    ascii_out, ascii_expected = io.StringIO(), io.StringIO()
    rows = _rows(random.Random(7), 30)
    _rich(Console(file=ascii_expected, width=70, safe_box=True, legacy_windows=True), "E", rows)
    print_long_table(
        Console(file=ascii_out, width=70, safe_box=True, legacy_windows=True), "E", COLUMNS, rows
    )
    assert ascii_out.getvalue() == ascii_expected.getvalue()
