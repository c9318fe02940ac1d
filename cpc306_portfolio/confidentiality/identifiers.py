"""What each kind of identifier looks like, and where one is in a text.

NHS numbers (modulus 11 checked), National Insurance numbers (HMRC prefix rules), UK
postcodes (the government pattern), UK phone numbers (``phonenumbers``, then filtered),
email addresses, dates of birth (a date only counts when a birth cue precedes it) and the
names on the learner's keep-out list. :mod:`.scan` turns what is found here into findings.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import TYPE_CHECKING

from .names import KeepOutMatcher

# phonenumbers and python-stdnum take a while to import (about 25 ms together): each is
# imported when a text first holds a candidate it must check, and most portfolios' texts
# hold none.
if TYPE_CHECKING:
    import phonenumbers


class FindingKind(StrEnum):
    """The kinds of identifier the scan looks for."""

    NHS_NUMBER = "nhs_number"
    NI_NUMBER = "ni_number"
    POSTCODE = "postcode"
    PHONE = "phone"
    EMAIL = "email"
    DATE_OF_BIRTH = "date_of_birth"
    LISTED_NAME = "listed_name"


# Python's regex engine skips ahead to a possible start only when a pattern begins with a
# literal or a character class; one that begins with a look-behind or ``\b`` is tried at
# every position of the text, which made these passes the bulk of the scan. So the hot
# patterns below begin with the character they must start with, and the look-behind that
# guards the start sits just after it, spanning that character too: ``\d(?<!\d\d)`` at
# position p says what ``(?<!\d)\d`` says (the character before p is not a digit).

# Not right after a digit or "digit-": ``(?<!\d)(?<!\d-)\d{3}`` with the guards moved inside.
_NHS = re.compile(r"\d(?<!\d\d)(?<!\d-\d)\d{2}[ -]?\d{3}[ -]?\d{4}(?!-?\d)")

# HMRC: first letter never D F I Q U V; second never D F I Q U V O; suffix A-D.
_NI_FIRST, _NI_SECOND = "[A-CEGHJ-PR-TW-Z]", "[A-CEGHJ-NPR-TW-Z]"
_NI = re.compile(
    rf"(?<![A-Za-z0-9])({_NI_FIRST}{_NI_SECOND})"
    r"[ ]?(\d{2})[ ]?(\d{2})[ ]?(\d{2})(?:[ ]?([A-D]))?(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# Letters are everywhere in text, so _NI is not searched for directly: this finds where its
# six digits could begin (two prefix letters, perhaps a space, just before them; the same
# classes and flags as _NI), and _NI is then matched only there. It starts with the digit
# so the engine skips to digits; the look-behinds after it check the letters.
_NI_DIGITS = re.compile(
    rf"\d(?:(?<={_NI_FIRST}{_NI_SECOND}\d)|(?<={_NI_FIRST}{_NI_SECOND} \d))\d ?\d\d ?\d\d",
    re.IGNORECASE,
)
_NI_UNALLOCATED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_NI_CUE = re.compile(r"\b(?:NI|NINO|N\.I\.|national\s+insurance)\b", re.IGNORECASE)

# The UK government's postcode pattern; only ever used with fullmatch.
_POSTCODE_GOV = re.compile(
    r"([Gg][Ii][Rr] 0[Aa]{2})|((([A-Za-z][0-9]{1,2})|(([A-Za-z][A-Ha-hJ-Yj-y][0-9]{1,2})|"
    r"(([A-Za-z][0-9][A-Za-z])|([A-Za-z][A-Ha-hJ-Yj-y][0-9][A-Za-z]?))))\s?[0-9][A-Za-z]{2})"
)
_POSTCODE_CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{1,2}\d[A-Za-z\d]?)[ \u00a0]?(\d[A-Za-z]{2})(?![A-Za-z0-9])"
)
# The candidate's inward code, a rare shape in prose (and one the engine can skip to): the
# candidate is matched only in the few places before one (see _postcode_starts).
_INWARD = re.compile(r"\d[A-Za-z]{2}(?![A-Za-z0-9])")
# "B7 2nd", "K15 4pm": an ordinal or a time read as an inward code, unless written in capitals.
_NOT_INWARD = re.compile(r"\d(?:st|nd|rd|th|am|pm)", re.IGNORECASE)

_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])"
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    r"(?<![\d.])(?:"
    r"(?P<d1>\d{1,2})(?P<sep>[/. -])(?P<m1>\d{1,2})(?P=sep)(?P<y1>\d{4}|\d{2})"
    r"|(?P<y2>\d{4})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{2,4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r")(?![\d])",
    re.IGNORECASE,
)
# Once ``\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s*date|born|birthday)`` ignoring
# case. Every cue starts with d or b, so the pattern starts with that class (spelled out and
# outside the case-insensitive part: the engine does not skip ahead to a class it must fold),
# then ``(?<!\w\w)`` is the ``\b`` before a word character, and ``(?<=d)`` / ``(?<=b)`` pick
# the alternatives, in their old order, for the letter found.
_DOB_CUE = re.compile(
    r"[BbDd](?<!\w\w)(?i:"
    r"(?<=d)(?:\.?\s?o\.?\s?b\b\.?|ate\s+of\s+birth)"
    r"|(?<=b)(?:irth\s*date|orn|irthday))"
)
_DOB_WINDOW = 30
_SENTENCE_END = re.compile(r"[.;!?](?=\s)|\n\s*\n")

_REF_STRONG = re.compile(
    r"\b(?:contract|invoice|inv|ref|reference|po|purchase\s+order|policy|claim|ticket|tender"
    r"|requisition|cheque|payment|transaction|serial)\b(?:\W+\w+){0,2}?[\W_]*$",
    re.IGNORECASE,
)
_REF_WEAK = re.compile(
    r"\b(?:case|order|account|acct|client|customer|file|id)(?:\W+(?:no|num|number|ref|id))?"
    r"[\W_]*$",
    re.IGNORECASE,
)
_PHONE_CUE = re.compile(
    r"\b(?:tel|telephone|phone|mobile|mob|call|ring|text|fax|landline|contact)\b", re.IGNORECASE
)
_NHS_CUE = re.compile(r"\b(?:NHS|CHI|H&C|patient|health\s+and\s+care)\b", re.IGNORECASE)
# Once ``(?<![\d+])(?:\+\s?44|00\s?44|\(?0)`` then the run: each alternative now starts with
# its literal (so the engine skips to "+", "0" or "("), the guard after it, in the old order
# (``\(?0`` is "(0", else "0").
_PHONE_RUN = re.compile(
    r"(?:\+(?<![\d+]\+)\s?44|0(?<![\d+]0)0\s?44|\((?<![\d+]\()0|0(?<![\d+]0))"
    r"[\d \t().+-]{7,}\d"
)
_PHONE_START = re.compile(r"(?:\+\s?44|0044|\(?\+?\s?0)")

#: kind, start, end, normalised value
Hit = tuple[FindingKind, int, int, str]


def find_hits(text: str, names: KeepOutMatcher) -> list[Hit]:
    """Every identifier in ``text``: ``(kind, start, end, normalised value)``, unsorted."""
    if not could_hold_number(text):
        # Every pattern but the e-mail address and the names needs a digit, and more: a text
        # without _CANDIDATE anywhere, as most prose is, is spared five searches.
        return [*_email_hits(text), *_name_hits(text, names)]
    hits = [*_nhs_hits(text), *_ni_hits(text), *_postcode_hits(text), *_email_hits(text)]
    hits += _dob_hits(text)
    hits += _phone_hits(text, blocked=[(s, e) for _, s, e, _ in hits])
    hits += _name_hits(text, names)
    return hits


_ANY_DIGIT = re.compile(r"\d")

# What any match of _NHS, _NI_DIGITS, _INWARD, _PHONE_RUN or _DATE must hold: each branch is
# one of them (or a weaker form of it) read from a digit it holds, so where no branch matches,
# none of those five does, and neither do the searches that start only from their matches
# (a date of birth is a _DATE match after a cue). tests/test_identifiers_prefilter.py holds
# every kind to the unfiltered searches. Every branch begins with ``\d``: the engine moves
# that common start out of the alternation and skips ahead to digits.
_CANDIDATE = re.compile(
    "|".join(
        (
            _NHS.pattern,
            rf"\d(?i:{_NI_DIGITS.pattern.removeprefix(chr(92) + 'd')})",
            _INWARD.pattern,
            # _PHONE_RUN from the first digit it holds ("0", or the "4" of "+44" / "0044").
            r"\d[\d \t().+-]{7,}\d",
            # _DATE's four forms from a digit they hold: 1/2/90 and 1990-2-1 (at its "0-2"),
            # 1st of May 90, May 1st, 1990 (the look-behind and the ends left out).
            r"\d\d?[/. -]\d",
            rf"\d\d?(?i:st|nd|rd|th)?(?:\s+(?i:of\s+)?(?i:{_MONTH})|,?\s+\d\d\d\d)",
        )
    )
)
# ASCII digits to "0": finding the digits of an ASCII text this way takes a fraction of the
# time the regex engine takes to walk to them character by character.
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_ONE_BY_ONE = 64


def could_hold_number(text: str) -> bool:
    """False when no identifier written with digits can be in ``text`` (True when one may)."""
    if text.isascii():
        marked = text.encode("ascii")
    else:
        # One byte a character ("?" for each beyond ASCII), so offsets still hold. A digit of
        # another script ("\u0667" is a ``\d`` too, and str.isdecimal is the engine's own
        # test), or more characters beyond ASCII than are worth looking at one by one: the
        # text is searched whole.
        marked = text.encode("ascii", "replace")
        at, looked = marked.find(b"?"), 0
        while at != -1:
            looked += 1
            if text[at].isdecimal() or looked > _ONE_BY_ONE:
                return _CANDIDATE.search(text) is not None
            at = marked.find(b"?", at + 1)
    marked = marked.translate(_DIGITS_TO_ZERO)
    at, tried = marked.find(b"0"), 0
    while at != -1:
        # A _CANDIDATE match begins at a digit; the look-behinds still see the whole text.
        if _CANDIDATE.match(text, at):
            return True
        tried += 1
        if tried == _ONE_BY_ONE:  # digits everywhere (a table): one search
            return _CANDIDATE.search(text, at + 1) is not None
        at = marked.find(b"0", at + 1)
    return False


def _nhs_hits(text: str) -> Iterator[Hit]:
    for m in _NHS.finditer(text):
        from stdnum.gb import nhs

        digits = re.sub(r"\D", "", m.group())
        if nhs.is_valid(digits) and not _reference_before(text, m.start(), _NHS_CUE):
            yield FindingKind.NHS_NUMBER, m.start(), m.end(), digits


def _matches_from(
    pattern: re.Pattern[str], text: str, starts: Iterable[int]
) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields, given (ascending) every place a match could start.

    Each is matched in the whole text, so the pattern's look-behinds still see what is before.
    """
    end = 0
    for start in starts:
        if start >= end:
            m = pattern.match(text, start)
            if m:
                yield m
                end = m.end()


def _ni_starts(text: str) -> Iterator[int]:
    # A space before the digits belongs to the number ("AB 12 34 56"), so the letters are
    # three back; otherwise two. Taking _NI_DIGITS matches without overlap loses no start:
    # inside one, every character before a digit is a digit or a space after a digit.
    for m in _NI_DIGITS.finditer(text):
        d = m.start()
        yield d - 3 if text[d - 1] == " " else d - 2


def _postcode_starts(text: str) -> Iterator[int]:
    # Outward code 2 to 4 characters, maybe one space: a candidate starts 2 to 5 before its
    # inward code. Each place once, in order. Two inward codes never overlap (a digit cannot
    # stand where the letters are), so non-overlapping _INWARD matches find them all.
    done = 0
    for m in _INWARD.finditer(text):
        at = m.start()
        yield from range(max(done, at - 5), at - 1)
        done = max(done, at - 1)


def _ni_hits(text: str) -> Iterator[Hit]:
    for m in _matches_from(_NI, text, _ni_starts(text)):
        prefix, suffix = m.group(1).upper(), m.group(5)
        if prefix in _NI_UNALLOCATED:
            continue
        if suffix is None and not _NI_CUE.search(text, max(0, m.start() - 30), m.start()):
            continue  # without its suffix, only count it where the text says it is an NI number
        value = prefix + m.group(2) + m.group(3) + m.group(4) + (suffix or "").upper()
        yield FindingKind.NI_NUMBER, m.start(), m.end(), value


def _postcode_hits(text: str) -> Iterator[Hit]:
    for m in _matches_from(_POSTCODE_CANDIDATE, text, _postcode_starts(text)):
        outward, inward = m.group(1), m.group(2)
        if not _POSTCODE_GOV.fullmatch(f"{outward} {inward}"):
            continue
        if _NOT_INWARD.fullmatch(inward) and not inward.isupper():
            continue
        yield FindingKind.POSTCODE, m.start(), m.end(), (outward + inward).upper()


def _email_hits(text: str) -> Iterator[Hit]:
    # Searching only around each "@" keeps the scan fast on long text without addresses.
    at, done = text.find("@"), 0
    while at != -1:
        m = _EMAIL.search(text, max(done, at - 64), at + 256)
        while m and m.end() <= at:
            m = _EMAIL.search(text, m.end(), at + 256)
        if m and m.start() < at:
            yield FindingKind.EMAIL, m.start(), m.end(), m.group().lower()
            done = m.end()
        at = text.find("@", max(done, at + 1))


def _plausible_date(m: re.Match[str]) -> bool:
    day, month = m.group("d1") or m.group("d2"), m.group("m1") or m.group("m2")
    if day is None or month is None:
        return True
    d, mo = int(day), int(month)
    return 1 <= d <= 31 and 1 <= mo <= 31 and (mo <= 12 or d <= 12)


def _dob_hits(text: str) -> Iterator[Hit]:
    # A date is a date of birth only by its context: look for dates just after each cue.
    for cue in _DOB_CUE.finditer(text):
        for m in _DATE.finditer(text, cue.end(), cue.end() + _DOB_WINDOW + 40):
            if m.start() - cue.end() > _DOB_WINDOW:
                break
            if _SENTENCE_END.search(text, cue.end(), m.start()):
                break  # the cue belongs to an earlier sentence
            if _plausible_date(m):
                value = " ".join(m.group().lower().replace(",", " ").split())
                yield FindingKind.DATE_OF_BIRTH, m.start(), m.end(), value


def _phone_hits(text: str, blocked: list[tuple[int, int]]) -> Iterator[Hit]:
    blocked = sorted(blocked)
    starts = [s for s, _ in blocked]
    # The matcher is slow on long text; give it only runs that could start a UK number.
    for run in _PHONE_RUN.finditer(text):
        import phonenumbers

        matcher = phonenumbers.PhoneNumberMatcher(
            run.group(), "GB", leniency=phonenumbers.Leniency.POSSIBLE
        )
        for match in matcher:
            start, end = run.start() + match.start, run.start() + match.end
            if not _looks_like_uk_phone(match.raw_string, match.number) or any(
                d.start() < match.end and match.start < d.end() and _plausible_date(d)
                for d in _DATE.finditer(run.group())
            ):
                continue
            nearby = blocked[bisect_left(starts, start - 400) : bisect_left(starts, end)]
            if any(s < end and start < e for s, e in nearby):
                continue
            if not _reference_before(text, start, _PHONE_CUE):
                e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
                yield FindingKind.PHONE, start, end, e164


def _looks_like_uk_phone(raw: str, number: phonenumbers.PhoneNumber) -> bool:
    if "/" in raw or not _PHONE_START.match(raw):
        return False
    if number.country_code != 44:
        return False
    import phonenumbers

    nsn = phonenumbers.national_significant_number(number)
    if len(nsn) not in (9, 10) or nsn[0] not in "1235789":
        return False
    return not (nsn[0] in "237" and len(nsn) != 10)


def _reference_before(text: str, start: int, cue: re.Pattern[str]) -> bool:
    """Whether a contract, invoice or other reference label names the number (and ``cue`` not)."""
    window = text[max(0, start - 40) : start]
    labelled = _REF_STRONG.search(window) or _REF_WEAK.search(window)
    return bool(labelled) and not cue.search(window)


def _name_hits(text: str, names: KeepOutMatcher) -> Iterator[Hit]:
    for start, end, _form in names.finditer(text):
        yield FindingKind.LISTED_NAME, start, end, " ".join(text[start:end].casefold().split())
