"""Small text rules the unit importer applies: normalising, ids, options, paragraphs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


def norm(text: str) -> str:
    """Whitespace normalised, bold markers dropped: how SOURCE text is kept."""
    return " ".join(text.replace("**", "").split())


def slug(text: str, fallback: str = "item") -> str:
    """A lowercase snake-case id for a label (ids of scope and key words are ours)."""
    words = re.sub(r"[^a-z0-9]+", " ", norm(text).lower()).split()
    out = "_".join(words[:6]) or fallback
    return out if out[0].isalpha() else f"{fallback}_{out}"


class IdPool(set[str]):
    """Ids taken so far, remembering where each wanted id's numbering got to.

    So a file that repeats one name thousands of times costs linear time, not quadratic.
    """

    def __init__(self) -> None:
        super().__init__()
        self.next_suffix: dict[str, int] = {}


def unique(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted_2``, ``wanted_3``... whichever is not yet taken (then taken)."""
    candidate, n = wanted, 2
    if isinstance(taken, IdPool) and wanted in taken:
        n = taken.next_suffix.get(wanted, 2)
        candidate = f"{wanted}_{n}"
        n += 1
    while candidate in taken:
        candidate, n = f"{wanted}_{n}", n + 1
    if isinstance(taken, IdPool) and candidate != wanted:
        taken.next_suffix[wanted] = n
    taken.add(candidate)
    return candidate


def option_label(raw: str) -> str:
    # ";" separates options; a stray "," and a joining "or" belong to the list, not the
    # option, and a closing full stop ends the list (but "etc." keeps its own).
    text = norm(raw).strip(" ,;")
    text = re.sub(r"^or\s+", "", text)
    if text.endswith(".") and not text.endswith("etc."):
        text = text[:-1].rstrip()
    return text


@dataclass
class Line:
    number: int
    raw: str

    @property
    def text(self) -> str:
        return self.raw.strip()

    @property
    def plain(self) -> str:
        """The text without bold markers: how a heading is recognised (Word and PDF bold it)."""
        return norm(self.raw)


def paragraphs(
    lines: Iterable[Line], starts: re.Pattern[str] | None = None
) -> Iterator[tuple[int, str]]:
    """(first line number, text) of each run of non-empty lines.

    A line matching ``starts`` begins a paragraph of its own even with no blank line
    before it (text taken from a PDF keeps no blank lines).
    """
    start, buffer = 0, list[str]()
    for line in lines:
        if line.text and buffer and starts is not None and starts.match(line.text):
            yield start, " ".join(buffer)
            buffer = []
        if line.text:
            if not buffer:
                start = line.number
            buffer.append(line.text)
        elif buffer:
            yield start, " ".join(buffer)
            buffer = []
    if buffer:
        yield start, " ".join(buffer)
