"""What an importer hands back: the draft unit as plain data, and notes for a person."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ImportNote:
    """Something the importer could not place, or placed by a rule worth checking."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class ImportResult:
    """The draft unit as plain data (ready for YAML) and what needs a person's eye."""

    draft: dict[str, Any]
    notes: list[ImportNote] = field(default_factory=list)
