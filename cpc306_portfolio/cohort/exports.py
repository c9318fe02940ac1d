"""The dashboard's tables as files a spreadsheet opens as they are: CSV and one workbook.

Excel and LibreOffice take a CSV without a byte-order mark as the machine's legacy code
page (so "Chloë" reads "ChloÃ«"), and split a row wherever an unquoted field holds the
separator they guess (";" in much of Europe). Every CSV here therefore starts with the
UTF-8 mark, quotes every text field (RFC 4180, CRLF line ends), and leaves numbers bare
so they still import as numbers.

The workbook (``cohort.xlsx``, one sheet per table) is typed: dates are dates, counts are
integers, and a learner who could not be read has empty cells, not zeros or decimals.

Learner text can start like a formula (``=HYPERLINK(...)``, ``+cmd``). In the CSV it gets a
leading apostrophe (OWASP's advice: the spreadsheet shows it as text); in the workbook every
text cell is written as a string with Excel's quote prefix, so it is never evaluated, even
after someone edits it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd

from .tables import csv_safe

BOM = "\ufeff"
#: A column whose every filled cell is an ISO date is typed as dates in the workbook.
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV with a byte-order mark, text quoted and formulas defused."""
    text = csv_safe(frame).to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    return (BOM + text).encode("utf-8")


def _is_count(values: list[Any]) -> bool:
    # Only whole numbers as Python or numpy ints: a float column (seconds, a percentage)
    # stays a float even where every value happens to be whole.
    return bool(values) and all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _is_date(values: list[Any]) -> bool:
    return bool(values) and all(isinstance(v, str) and DATE_PATTERN.fullmatch(v) for v in values)


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    return value == "" or (isinstance(value, float) and value != value)  # NaN


def _column_kind(series: pd.Series) -> str:
    """``count``, ``date`` or ``as is``: what the column's read cells all are."""
    values = [v for v in series.tolist() if not _missing(v)]
    if _is_count(values):
        return "count"
    if _is_date(values):
        return "date"
    return "as is"


def _cell(value: Any, kind: str) -> Any:
    if _missing(value):
        return None
    if kind == "count":
        return int(value)
    if kind == "date":
        return date.fromisoformat(value)
    if hasattr(value, "item"):  # numpy scalars: plain Python for openpyxl
        return value.item()
    return value


def workbook_bytes(sheets: Iterable[tuple[str, pd.DataFrame]]) -> bytes:
    """One ``.xlsx`` workbook, a sheet per ``(name, table)``, with typed cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, frame in sheets:
        sheet = book.create_sheet(title=name[:31])  # Excel's limit on a sheet's name
        kinds = [_column_kind(frame[column]) for column in frame.columns]
        sheet.append([str(c) for c in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in frame.itertuples(index=False):
            sheet.append([_cell(v, k) for v, k in zip(values, kinds, strict=True)])
        for row in sheet.iter_rows(min_row=1):
            for cell in row:
                if isinstance(cell.value, str):
                    # Text stays text: never a formula, even once edited in Excel.
                    cell.data_type = "s"
                    cell.quotePrefix = True
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        for i, column in enumerate(frame.columns, 1):
            longest = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))])
            sheet.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, 8), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
