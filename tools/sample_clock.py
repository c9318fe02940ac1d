"""A controlled clock for tools/make_sample.py only: the shipped code has no back-dating switch.

The sample tells a year's story, so each step of its build runs at the date it happened.
This replaces ``datetime`` and ``date`` in every module of the package (already imported)
with subclasses whose ``now()`` and ``today()`` read :data:`CLOCK`; ``isinstance`` still
works on real dates and times, as the metaclass says.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

_REAL_DATETIME = datetime
_REAL_DATE = date


class _Clock:
    value: datetime = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


CLOCK = _Clock()


class _DateTimeMeta(type):
    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, _REAL_DATETIME)


class _DateMeta(type):
    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, _REAL_DATE)


class FakeDateTime(_REAL_DATETIME, metaclass=_DateTimeMeta):  # type: ignore[misc]
    @classmethod
    def now(cls, tz: tzinfo | None = None) -> Any:  # type: ignore[override]
        when = CLOCK.value
        return when.astimezone(tz) if tz is not None else when.replace(tzinfo=None)

    @classmethod
    def utcnow(cls) -> Any:  # type: ignore[override]
        return CLOCK.value.replace(tzinfo=None)

    @classmethod
    def today(cls) -> Any:  # type: ignore[override]
        return cls.now()


class FakeDate(_REAL_DATE, metaclass=_DateMeta):  # type: ignore[misc]
    @classmethod
    def today(cls) -> Any:  # type: ignore[override]
        return CLOCK.value.date()


def set_clock(when: str) -> None:
    """Set the clock: 'YYYY-MM-DD HH:MM' (UTC)."""
    CLOCK.value = _REAL_DATETIME.strptime(when, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


def tick(minutes: int = 1) -> None:
    CLOCK.value += timedelta(minutes=minutes)


def install(package: str = "cpc306_portfolio") -> None:
    """Import every module of ``package`` (not the app's), then swap its clock names."""
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        if ".notebooks" in info.name or info.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(info.name)
        except ImportError:
            continue
    for name, module in list(sys.modules.items()):
        if not name.startswith(package) or module is None:
            continue
        for attr, value in list(vars(module).items()):
            if value is _REAL_DATETIME:
                setattr(module, attr, FakeDateTime)
            elif value is _REAL_DATE:
                setattr(module, attr, FakeDate)
