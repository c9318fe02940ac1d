"""A date box for UK learners: 10/03/2026, 10 March 2026 and 2026-03-10 all mean 10 March.

The browser's date picker follows the browser's locale (mm/dd/yyyy in many), so a UK
learner's 10/03/2022 became 3 October. A text box with a hint reads what a UK reader
writes, and says in words what is wrong ("the date is missing", "31 February is not a
date", "that date is in the future"), never a Python word.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import ipywidgets as w

from ..errors import Problem, RecordError
from .forms import css, problem

HINT = "day/month/year, e.g. 10/03/2026"
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_BY_NAME = (
    {m.lower(): i for i, m in enumerate(MONTHS, 1)}
    | {m.lower()[:3]: i for i, m in enumerate(MONTHS, 1)}
    | {"sept": 9}
)


def long_date(day: date) -> str:
    """A date as a UK reader writes it: ``10 March 2026``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) as written, before checking the day exists; None if unreadable."""
    text = " ".join(text.replace(",", " ").split())
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        return int(m[1]), int(m[2]), int(m[3])
    if m := re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})", text):
        return _year(m[3]), int(m[2]), int(m[1])
    if m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?\s+(\d{4})", text):
        month = _BY_NAME.get(m[2].lower())
        return (int(m[3]), month, int(m[1])) if month else None
    return None


def read_date(
    text: str, *, today: date | None = None, future: bool = False
) -> tuple[date | None, str]:
    """The date written in ``text`` and "" , or None and what is wrong, in words.

    ``future``: a date still to come is fine (a deadline, a planned visit).
    """
    if not text.strip():
        return None, "the date is missing"
    parts = _parts(text)
    if parts is None:
        return None, f"“{text.strip()}” is not a date we can read: write it as {HINT}"
    year, month, day = parts
    if not 1 <= month <= 12:
        return None, f"there is no month {month}: write the date as {HINT}"
    try:
        when = date(year, month, day)
    except ValueError:
        if month == 2 and day == 29:
            return None, f"there was no 29 February in {year}"
        return None, f"{day} {MONTHS[month - 1]} is not a date"
    if not future and when > (today or date.today()):
        return None, f"that date is in the future ({long_date(when)})"
    return when, ""


class DateBox(w.VBox):
    """A text box for a date with its hint; ``value`` is a date, None (empty) or the text.

    ``future``: the date may be still to come (a deadline, a planned visit); ``value``: the
    date shown at first (today's, say, for a record of something done today).
    """

    def __init__(
        self,
        description: str,
        name: str = "date",
        *,
        future: bool = False,
        value: date | None = None,
        style: dict[str, str] | None = None,
    ) -> None:
        self.future = future
        self.text = w.Text(description=description, placeholder="dd/mm/yyyy", style=style or {})
        self.hint = w.HTML(f'<span class="cpc306-hint">{HINT}</span>')
        super().__init__([w.HBox([self.text, self.hint])])
        css(self, name, "date-box")
        self.value = value

    @property
    def value(self) -> Any:
        """The date typed (a ``date``), None when empty, or the text when it is not a date."""
        text = self.text.value.strip()
        if not text:
            return None
        when, _why = read_date(text, today=date.max)
        return when if when is not None else text

    @value.setter
    def value(self, new: date | str | None) -> None:
        if new is None:
            self.text.value = ""
        elif isinstance(new, date):
            self.text.value = new.strftime("%d/%m/%Y")
        else:
            self.text.value = str(new)

    def problem(self, field: str, *, required: bool = True) -> Problem | None:
        """What is wrong with the date typed, for ``field`` (None when it is fine)."""
        if not self.text.value.strip() and not required:
            return None
        _when, why = read_date(self.text.value, future=self.future)
        return problem(field, why) if why else None

    def checked(self, field: str, *, required: bool = True) -> date | None:
        """The date typed, or :class:`RecordError` saying (beside ``field``) what is wrong."""
        if found := self.problem(field, required=required):
            raise RecordError([found])
        when = self.value
        return when if isinstance(when, date) else None


def date_problems(boxes: dict[str, DateBox]) -> list[Problem]:
    """Each date box's problem, by field."""
    return [p for field, box in boxes.items() if (p := box.problem(field))]
