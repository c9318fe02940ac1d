"""A table of many rows, printed as rich prints it, without rich's cost for every cell.

rich measures every cell of a table, then renders each into segments and styles; over
10,000 records that is most of ``cpc306 evidence list``'s time. The table printed here is
the one rich prints, line for line: rich itself lays out a table of two rows that hold,
for each column, the cell with the longest word and the longest cell (the only cells a
column's width depends on), and prints its title, header and borders; this module writes
each row between them, wrapping a cell as rich wraps it (rich's own wrap) only when it does
not fit on one line. Every column folds what is too long, as the tables it replaces did.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

#: A cell's lines at a width, each padded to it.
_Wrap = Callable[[str, int], list[str]]


def _measure(value: str) -> tuple[int, int]:
    """``(min, max)`` cell widths of a plain cell, as rich's ``Text`` measures itself."""
    from rich.cells import cell_len

    lines = value.splitlines()
    widest = max(cell_len(line) for line in lines) if lines else 0
    words = value.split()
    longest_word = max(cell_len(word) for word in words) if words else widest
    return longest_word, widest


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> object:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(value) for value in row))
    return table


def _extremes(rows: Sequence[Sequence[str]], columns: int) -> list[list[str]]:
    """Two rows: each column's cell with the longest word, and its longest cell."""
    narrow = [("", (-1, -1))] * columns
    wide = [("", (-1, -1))] * columns
    seen: dict[str, tuple[int, int]] = {}
    for row in rows:
        for i, value in enumerate(row):
            size = seen.get(value)
            if size is None:
                size = seen[value] = _measure(value)
            if size[0] > narrow[i][1][0]:
                narrow[i] = (value, size)
            if size[1] > wide[i][1][1]:
                wide[i] = (value, size)
    return [[value for value, _ in narrow], [value for value, _ in wide]]


def print_long_table(
    console: Console, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]
) -> None:
    """Print ``rows`` as rich prints them in a table of folding ``columns`` under ``title``.

    The rows are plain text, already made terminal-safe (:func:`.output.visible`).
    """
    from rich.text import Text

    if not rows:
        console.print(_table(title, columns, rows))
        return
    sample = _extremes(rows, len(columns))
    with console.capture() as capture:
        console.print(_table(title, columns, sample))
    lines = capture.get().splitlines()
    bottom = Text.from_ansi(lines[-1]).plain
    widths = _widths(bottom)
    if len(widths) != len(columns) or min(widths) < 3:
        # Not a layout this module knows (or a terminal too narrow for a letter a column):
        # rich prints it all, as it always did.
        console.print(_table(title, columns, rows))
        return
    wrap = _wrapper(console)
    sample_height = sum(_height(row, widths, wrap) for row in sample)
    head = lines[: len(lines) - 1 - sample_height]
    first_row = Text.from_ansi(lines[len(head)]).plain
    edge, inner = first_row[0], first_row[widths[0] + 1]
    out = console.file
    out.write("\n".join(head) + "\n")
    batch: list[str] = []
    for row in rows:
        cells = [wrap(value, width - 2) for value, width in zip(row, widths, strict=True)]
        height = max(len(cell) for cell in cells)
        for n in range(height):
            parts = [
                f" {cell[n]} " if n < len(cell) else " " * width
                for cell, width in zip(cells, widths, strict=True)
            ]
            batch.append(edge + inner.join(parts) + edge)
        if len(batch) >= 4096:
            out.write("\n".join(batch) + "\n")
            batch.clear()
    batch.append(lines[-1])
    out.write("\n".join(batch) + "\n")
    out.flush()


def _widths(bottom: str) -> list[int]:
    """Each column's width, padding included, from the table's bottom border."""
    line, widths, run = bottom[1:-1], [], 0
    if not line:
        return []
    fill = line[0]
    for ch in line:
        if ch == fill:
            run += 1
        else:
            widths.append(run)
            run = 0
    widths.append(run)
    return widths


def _height(row: Sequence[str], widths: Sequence[int], wrap: _Wrap) -> int:
    return max(len(wrap(value, width - 2)) for value, width in zip(row, widths, strict=True))


def _wrapper(console: Console) -> _Wrap:
    """A cell's lines, each padded to ``width`` cells, as rich's folding wrap makes them."""
    from rich.cells import cell_len
    from rich.text import Text

    @functools.lru_cache(maxsize=4096)
    def wrapped(value: str, width: int) -> list[str]:
        lines = Text(value).wrap(console, width, justify="left", overflow="fold")
        return [_pad(line.plain, width, cell_len) for line in lines] or [" " * width]

    def wrap(value: str, width: int) -> list[str]:
        # The common case, a cell that fits on its line as it is, needs no wrapping.
        if value and value.isprintable() and value[0] != " " and value[-1] != " ":
            size = cell_len(value)
            if size <= width:
                return [value + " " * (width - size)]
        return wrapped(value, width)

    return wrap


def _pad(text: str, width: int, cell_len: Callable[[str], int]) -> str:
    size = cell_len(text)
    return text + " " * (width - size) if size < width else text
