"""Large text a window at a time, so a 200 MB attachment is scanned in bounded memory."""

from __future__ import annotations

from collections.abc import Iterator

#: Identifiers (and the cues before them) are far shorter than the overlap.
SCAN_WINDOW = 1 << 20
SCAN_OVERLAP = 400


def windows(chunks: Iterator[str]) -> Iterator[tuple[int, str, int, int]]:
    """``(offset, text, lo, hi)``: findings starting in ``[lo, hi)`` of ``text`` count.

    Each window carries :data:`SCAN_OVERLAP` characters of context on both sides, so a cue
    just before it or an identifier across its edge is still seen, and counted once.
    """
    buffer, base = "", 0  # base: file offset of buffer[0]
    done = 0  # file offset up to which findings have been counted
    for chunk in chunks:
        buffer += chunk
        while len(buffer) - (done - base) >= SCAN_WINDOW + SCAN_OVERLAP:
            lo = done - base
            yield base, buffer[: lo + SCAN_WINDOW + SCAN_OVERLAP], lo, lo + SCAN_WINDOW
            done += SCAN_WINDOW
            cut = max(0, done - base - SCAN_OVERLAP)
            buffer, base = buffer[cut:], base + cut
    if len(buffer) > done - base:
        yield base, buffer, done - base, len(buffer)
