"""Confidentiality scan: find what would identify a person before it is saved or sent.

Finds the identifiers :mod:`.identifiers` describes (NHS and National Insurance numbers,
postcodes, phone numbers, email addresses, dates of birth and the names the learner lists
as people to keep out) in text as typed and as it will be shown. A finding never carries
the identifier in clear: its snippet is masked and its fingerprint is a short hash for
acknowledging it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from .extract import extract_text, iter_text, iter_text_of
from .identifiers import FindingKind, Hit, find_hits
from .names import KeepOutMatcher, keep_out_matcher
from .shown import shown_text
from .windows import windows

__all__ = [
    "Finding",
    "FindingKind",
    "KeepOutMatcher",
    "Scanner",
    "allowed",
    "extract_text",
    "scan_fields",
    "scan_file",
    "scan_text",
]


_LABELS = {
    FindingKind.NHS_NUMBER: "NHS number",
    FindingKind.NI_NUMBER: "National Insurance number",
    FindingKind.POSTCODE: "postcode",
    FindingKind.PHONE: "phone number",
    FindingKind.EMAIL: "email address",
    FindingKind.DATE_OF_BIRTH: "date of birth",
    FindingKind.LISTED_NAME: "name on your keep-out list",
}


class Finding(BaseModel):
    """One identifier found in one field of one record, described without showing it."""

    model_config = ConfigDict(frozen=True)

    kind: FindingKind
    field: str
    record: str = ""
    start: int
    end: int
    snippet: str
    fingerprint: str

    @property
    def label(self) -> str:
        """Plain-English name of the kind, e.g. "NHS number"."""
        return _LABELS[self.kind]


KeepOut = Sequence[str] | KeepOutMatcher
#: Identifiers people agreed to have written down (a registered witness's email and phone),
#: as typed or as :func:`allowed` normalised them.
Allow = Sequence[str] | frozenset[tuple[FindingKind, str]]


def allowed(allow: Allow) -> frozenset[tuple[FindingKind, str]]:
    """The identifiers in ``allow`` as the scan normalises them, to leave out of findings.

    Each is read by the scan's own patterns, so ``07700 900123`` allows ``07700900123``
    and ``+44 7700 900123`` alike; a name is never allowed this way (only what the
    patterns find in the text given: email addresses, phone numbers ...).
    """
    if isinstance(allow, frozenset):
        return allow
    empty = keep_out_matcher(())
    return frozenset(
        (kind, value) for text in allow for kind, _, _, value in find_hits(text, empty)
    )


def scan_text(
    text: str,
    *,
    field: str = "",
    record: str = "",
    keep_out: KeepOut = (),
    allow: Allow = (),
) -> list[Finding]:
    """Find identifiers in ``text``, sorted by position, with masked snippets.

    ``keep_out`` lists names (people the learner must not identify) to match whole,
    case-insensitively, with any whitespace between their parts (or is a matcher built
    from their keyed hashes). The text is scanned as typed and as it will be shown:
    ``**Edith** Marlowe`` and ``Edith&nbsp;Marlowe`` read as the name, so they are found.
    """
    if not text:
        return []
    return Scanner(keep_out, allow, remember=False).text(text, field=field, record=record)


def scan_fields(
    fields: Mapping[str, str], *, record: str = "", keep_out: KeepOut = (), allow: Allow = ()
) -> list[Finding]:
    """Scan each named text field of one record; findings come in field order."""
    return Scanner(keep_out, allow, remember=False).fields(fields, record=record)


def scan_file(
    path: Path,
    *,
    record: str = "",
    field: str | None = None,
    keep_out: KeepOut = (),
    root: Path | None = None,
    allow: Allow = (),
    data: bytes | None = None,
) -> list[Finding]:
    """Scan an attachment's text; the field defaults to ``attachment:<record>/<name>``.

    Plain text is read and scanned a window at a time, so a 200 MB file costs bounded
    memory; offsets are the file's. ``root`` is the portfolio folder the file is in (no
    link on the way is followed). ``data``: the file's bytes, when the caller has just
    read them (the file is then not read again).
    """
    scanner = Scanner(keep_out, allow, remember=False)
    return scanner.file(path, record=record, field=field, root=root, data=data)


#: What a text's findings are before they are given a field and a record:
#: kind, start, end, snippet, fingerprint.
_Found = tuple[FindingKind, int, int, str, str]
#: Texts longer than this are scanned every time they come (a document, a window of a
#: large file): those that repeat are a record's short fields.
REMEMBER_CHARS = 4096
#: A scanner stops remembering new texts once it holds this many characters of them
#: (at most 16 MB, 4 MB of plain English).
REMEMBER_TOTAL_CHARS = 4 * 1024 * 1024


class Scanner:
    """One run of the scan: the names to keep out and the identifiers allowed, fixed.

    With ``remember``, each distinct text is scanned once in the run: a portfolio repeats
    its texts (one description pasted into many records, one short note attached twice),
    and a text's findings depend on nothing but the text, the names and what is allowed,
    all fixed here. What is remembered is the texts themselves with what was found in them,
    in memory only, for as long as the scanner lives (:data:`REMEMBER_CHARS` a text,
    :data:`REMEMBER_TOTAL_CHARS` in all).
    """

    def __init__(self, keep_out: KeepOut = (), allow: Allow = (), *, remember: bool = True):
        self.names = keep_out_matcher(keep_out)
        self.allow = allowed(allow) if allow else frozenset()
        self._remember = remember
        self._seen: dict[str, tuple[_Found, ...]] = {}
        self._seen_chars = 0

    def text(self, text: str, *, field: str = "", record: str = "") -> list[Finding]:
        """As :func:`scan_text`, with this scanner's names and allowed identifiers."""
        if not text:
            return []
        return [
            Finding(
                kind=kind,
                field=field,
                record=record,
                start=start,
                end=end,
                snippet=snippet,
                fingerprint=fingerprint,
            )
            for kind, start, end, snippet, fingerprint in self._found(text)
        ]

    def fields(self, fields: Mapping[str, str], *, record: str = "") -> list[Finding]:
        """As :func:`scan_fields`: each named text field of one record, in field order."""
        findings: list[Finding] = []
        for name, text in fields.items():
            if isinstance(text, str) and text:
                findings += self.text(text, field=name, record=record)
        return findings

    def file(
        self,
        path: Path,
        *,
        record: str = "",
        field: str | None = None,
        root: Path | None = None,
        data: bytes | None = None,
    ) -> list[Finding]:
        """As :func:`scan_file`, with this scanner's names and allowed identifiers."""
        if not isinstance(path, Path):
            path = Path(path)
        if field is None:
            field = f"attachment:{record}/{path.name}" if record else f"attachment:{path.name}"
        found: list[Finding] = []
        pieces = iter_text(path, root) if data is None else iter_text_of(data, path)
        for offset, text, lo, hi in windows(pieces):
            for f in self.text(text, field=field, record=record):
                if lo <= f.start < hi:
                    found.append(
                        f.model_copy(update={"start": f.start + offset, "end": f.end + offset})
                        if offset
                        else f
                    )
        return found

    def _found(self, text: str) -> tuple[_Found, ...]:
        if not self._remember or len(text) > REMEMBER_CHARS:
            return self._scan(text)
        found = self._seen.get(text)
        if found is None:
            found = self._scan(text)
            if self._seen_chars + len(text) <= REMEMBER_TOTAL_CHARS:
                self._seen[text] = found
                self._seen_chars += len(text)
        return found

    def _scan(self, text: str) -> tuple[_Found, ...]:
        names = self.names
        hits = find_hits(text, names)
        shown = shown_text(text)
        if shown.text != text:
            hits += [
                (kind, shown.raw_start(start), shown.raw_end(end), value)
                for kind, start, end, value in find_hits(shown.text, names)
            ]
        if not hits:
            return ()
        hits = _dedupe(hits)
        if self.allow:
            hits = [h for h in hits if (h[0], h[3]) not in self.allow]
        masked = _mask_all(text, hits)
        return tuple(
            (kind, start, end, _snippet(masked, start, end), _fingerprint(kind, value))
            for kind, start, end, value in hits
        )


def _dedupe(hits: list[Hit]) -> list[Hit]:
    hits.sort(key=lambda h: (h[1], -h[2]))
    kept: list[Hit] = []
    last_end: dict[FindingKind, int] = {}
    for hit in hits:
        if hit[1] < last_end.get(hit[0], -1):
            continue
        kept.append(hit)
        last_end[hit[0]] = hit[2]
    return kept


def mask_value(value: str, kind: FindingKind) -> str:
    """``value`` masked as findings show it: length and punctuation kept."""
    keep = 3 if kind is FindingKind.NHS_NUMBER else 1
    out, shown = [], 0
    for ch in value:
        if ch.isalnum():
            out.append(ch if shown < keep else "*")
            shown += 1
        else:
            out.append(ch)
    return "".join(out)


def _mask_all(text: str, hits: list[Hit]) -> str:
    # Masking keeps length, so every finding's offsets still hold in the masked text and
    # a snippet never shows a neighbouring identifier in clear either.
    if not hits:
        return text
    out, at = [], 0
    for kind, start, end, _ in sorted(hits, key=lambda h: h[1]):
        if start < at:  # overlaps one already masked (another kind): mask what is left
            start = at
        out += [text[at:start], mask_value(text[start:end], kind)]
        at = max(at, end)
    return "".join([*out, text[at:]])


def _snippet(masked: str, start: int, end: int, context: int = 24) -> str:
    lo, hi = max(0, start - context), min(len(masked), end + context)
    body = " ".join(masked[lo:hi].split())
    return ("... " if lo else "") + body + (" ..." if hi < len(masked) else "")


def _fingerprint(kind: FindingKind, value: str) -> str:
    return hashlib.sha256(f"{kind.value}:{value}".encode()).hexdigest()[:16]


def unacknowledged(findings: Sequence[Finding], acknowledged: Sequence[Any]) -> list[Finding]:
    """Findings the learner has not acknowledged (matched on kind, field and fingerprint).

    ``acknowledged`` holds objects with ``kind``, ``field`` and ``fingerprint`` attributes
    (the records' :class:`~cpc306_portfolio.portfolio.models.Acknowledgement`).
    """
    done = {(str(a.kind), a.field, a.fingerprint) for a in acknowledged}
    return [f for f in findings if (str(f.kind), f.field, f.fingerprint) not in done]
