"""Text as a reader sees it: entities decoded, markup and invisible characters taken out.

``**Edith** Marlowe``, ``Edi*th* Marlowe``, ``Edith&nbsp;Marlowe``, ``Ed<b></b>ith`` and
``Edi\u200bth`` all read as the name once shown. The scan looks at this form too, and maps
every finding back to the characters the learner typed, so masking and acknowledging work
on the text as stored.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

# Entities, tags, emphasis marks, backslash escapes and format characters (zero-width
# spaces and joiners, soft hyphens, byte-order marks): what disappears or changes on show.
_SPECIAL = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
    r"|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]{0,200})?/?>"
    r"|\\(?=[*_~`\\])"
    r"|[*_~`]"
    r"|[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
_TRIGGER = re.compile(r"[&<*_~`\\\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# _TRIGGER's characters, in ASCII and beyond.
_ASCII_TRIGGERS = "&<*_~`\\"
_OTHER_TRIGGERS = frozenset(
    "\u00ad\u180e\ufeff"
    + "".join(map(chr, [*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065)]))
)
_LOOK_ONE_BY_ONE = 64


def _has_trigger(text: str) -> bool:
    """``_TRIGGER.search(text) is not None``, without the engine's walk over every character.

    Each ASCII trigger is looked for on its own (a memchr); the characters beyond ASCII are
    found as the "?" they become in ASCII with replacement (one byte a character), and
    looked at one by one, or the regex searches when there are many.
    """
    if any(ch in text for ch in _ASCII_TRIGGERS):
        return True
    if text.isascii():
        return False
    marked = text.encode("ascii", "replace")
    at, looked = marked.find(b"?"), 0
    while at != -1:
        looked += 1
        if looked > _LOOK_ONE_BY_ONE:
            return _TRIGGER.search(text) is not None
        if text[at] in _OTHER_TRIGGERS:
            return True
        at = marked.find(b"?", at + 1)
    return False


@dataclass(frozen=True)
class ShownText:
    """The shown form of a text and the way back to the typed characters."""

    text: str
    raw_length: int
    # Pieces of shown text: (shown start, raw start, raw end, copied verbatim?)
    pieces: tuple[tuple[int, int, int, bool], ...] = ()
    starts: tuple[int, ...] = ()

    def _piece(self, pos: int) -> int:
        return max(0, bisect_right(self.starts, pos) - 1)

    def raw_start(self, pos: int) -> int:
        if not self.pieces:
            return pos
        shown, raw, raw_end, plain = self.pieces[self._piece(pos)]
        return min(raw + (pos - shown), raw_end) if plain else raw

    def raw_end(self, pos: int) -> int:
        if not self.pieces:
            return pos
        shown, raw, raw_end, plain = self.pieces[self._piece(max(0, pos - 1))]
        return min(raw + (pos - shown), raw_end) if plain else raw_end


def shown_text(text: str) -> ShownText:
    """``text`` as shown; the same string (and no pieces) when nothing would change."""
    # ASCII is its own NFKC form.
    needs_nfkc = not text.isascii() and not unicodedata.is_normalized("NFKC", text)
    if not needs_nfkc and not _has_trigger(text):
        return ShownText(text, len(text))
    out: list[str] = []
    pieces: list[tuple[int, int, int, bool]] = []
    length = 0

    def emit(chunk: str, raw: int, raw_end: int, plain: bool) -> None:
        nonlocal length
        if chunk:
            pieces.append((length, raw, raw_end, plain))
            out.append(chunk)
            length += len(chunk)

    at = 0
    for m in _SPECIAL.finditer(text):
        _plain(text[at : m.start()], at, emit, needs_nfkc)
        token = m.group()
        if token.startswith("&"):
            decoded = html.unescape(token)
            emit(" " if decoded.isspace() else decoded, m.start(), m.end(), False)
        elif token.startswith("<"):
            # A tag between letters joins them when shown; around words it stands for a gap.
            pass
        at = m.end()
    _plain(text[at:], at, emit, needs_nfkc)
    return ShownText("".join(out), len(text), tuple(pieces), tuple(p[0] for p in pieces))


def _plain(
    chunk: str, raw: int, emit: Callable[[str, int, int, bool], None], needs_nfkc: bool
) -> None:
    if not chunk:
        return
    if not needs_nfkc or unicodedata.is_normalized("NFKC", chunk):
        emit(chunk, raw, raw + len(chunk), True)
        return
    # Full-width letters and ligatures read as plain ones: normalise them character by
    # character so each still maps back to the one it came from.
    run_start = 0
    for i, ch in enumerate(chunk):
        norm = unicodedata.normalize("NFKC", ch)
        if norm != ch:
            emit(chunk[run_start:i], raw + run_start, raw + i, True)
            emit(norm, raw + i, raw + i + 1, False)
            run_start = i + 1
    emit(chunk[run_start:], raw + run_start, raw + len(chunk), True)
