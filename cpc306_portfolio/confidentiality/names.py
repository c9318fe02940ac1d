"""Keep-out names: the forms a listed name is written in, matched in clear or as keyed hashes.

A listed name is matched as listed, without its title, as first and last name, as any title
with the surname ("Ms Marlowe") and as an initial with the surname ("E. Marlowe"). A surname
alone, or a first name alone, is not matched: too many are ordinary words.

The list may travel only as keyed hashes (HMAC-SHA256 of each normalised form, the key kept
by the learner), so the matcher never needs a name in clear: it normalises each window of
words in the text, hashes it with the same key, and looks the hash up. With no key, the
forms are compared as they are; the two paths share every other step.
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lady", "lord", "rev"}
)
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"[^\W_]['’][sS]$")
_DOTTED = re.compile(r"\.\s*|\.?\s+")
_LAST = "last:"
_TITLE = "title:"
_INITIAL = "initial:"
_DIGEST_BYTES = 16
_PIECE_KEPT_CHARS = 64
_CONTEXT = b"cpc306 keep-out name v1\x00"


def normalise_word(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold().replace("’", "'")


def _words(name: str) -> list[str]:
    return [normalise_word(w) for w in _WORD.findall(name)]


def name_forms(name: str) -> set[str]:
    """The normalised forms of one listed name, and ``last:`` keys for a fast first check.

    Empty for an entry with fewer than two letters or digits (it would match almost
    anything).
    """
    words = _words(name)
    if len(re.findall(r"[^\W_]", "".join(words))) < 2:
        return set()
    forms = {" ".join(words)}
    bare = list(words)
    while bare and bare[0].rstrip(".") in TITLES:
        bare.pop(0)
    if len(bare) >= 2:
        forms.add(" ".join(bare))
        forms.add(f"{bare[0]} {bare[-1]}")
        forms.add(f"{_TITLE} {bare[-1]}")
        forms.add(f"{_INITIAL} {bare[0][0]} {bare[-1]}")
    return forms | {_LAST + f.split()[-1] for f in forms}


def canonical_name(name: str) -> str:
    """One spelling of a name for telling entries apart: ``" Mrs  Edith  Marlowe"`` -> ..."""
    return " ".join(_words(name))


def keyed_digest(key: bytes, form: str) -> str:
    """The keyed hash a form is stored as (HMAC-SHA256, first 16 bytes, hex)."""
    return hmac.digest(key, _CONTEXT + form.encode("utf-8"), "sha256")[:_DIGEST_BYTES].hex()


@dataclass(frozen=True)
class KeepOutMatcher:
    """Finds listed names in text, from clear forms or from their keyed hashes."""

    keys: frozenset[str]
    digest: Callable[[str], str] | None = None
    max_words: int = 5
    _seen: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)
    _pieces: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_names(cls, names: Iterable[str]) -> KeepOutMatcher:
        forms: set[str] = set()
        for name in names:
            forms |= name_forms(name)
        return cls(frozenset(forms), None, _longest(forms))

    @classmethod
    def from_hashes(cls, key: bytes, hashes: Iterable[str], max_words: int = 5) -> KeepOutMatcher:
        return cls(frozenset(hashes), lambda form: keyed_digest(key, form), max_words)

    def __bool__(self) -> bool:
        return bool(self.keys)

    def _has(self, form: str) -> bool:
        return (self.digest(form) if self.digest else form) in self.keys

    def _could_end(self, word: str) -> bool:
        known = self._seen.get(word)
        if known is None:
            if len(self._seen) > 200_000:  # bounded memory on huge attachments
                self._seen.clear()
            known = self._seen[word] = self._has(_LAST + word)
        return known

    def _could_occur(self, text: str) -> bool:
        """Whether any word of ``text`` could end a listed name (checked once per spelling).

        :meth:`finditer` only looks back from such a word, so without one it finds nothing;
        most texts have none, and this answers for them without walking every word.
        """
        # _WORD never takes whitespace, so a text's words are those of its whitespace-
        # separated pieces: each distinct piece is read with _WORD once (str.split costs a
        # fraction of the regex engine's walk over every character).
        return any(self._piece_could_end(piece) for piece in set(text.split()))

    def _any_could_end(self, raws: Iterable[str]) -> bool:
        for raw in raws:
            word = normalise_word(raw)
            if self._could_end(word) or (_POSSESSIVE.search(raw) and self._could_end(word[:-2])):
                return True
        return False

    def _piece_could_end(self, piece: str) -> bool:
        known = self._pieces.get(piece)
        if known is None:
            known = self._any_could_end(_WORD.findall(piece))
            if len(piece) <= _PIECE_KEPT_CHARS:  # bounded memory on huge attachments
                if len(self._pieces) > 200_000:
                    self._pieces.clear()
                self._pieces[piece] = known
        return known

    def finditer(self, text: str) -> Iterator[tuple[int, int, str]]:
        """``(start, end, normalised form)`` of every listed name, leftmost-longest, no overlap."""
        if not self.keys or not self._could_occur(text):
            return
        window: deque[tuple[int, int, str, str]] = deque(maxlen=self.max_words)
        pending: tuple[int, int, str] | None = None
        for m in _WORD.finditer(text):
            raw, end = m.group(), m.end()
            word = normalise_word(raw)
            if _POSSESSIVE.search(raw) and not self._could_end(word):
                # "Mrs Marlowe's son": the name ends before the possessive.
                raw, word, end = raw[:-2], word[:-2], end - 2
            window.append((m.start(), end, word, raw))
            if not self._could_end(word):
                continue
            for found in self._windows(text, window):
                if pending is None or found[0] >= pending[1]:
                    if pending is not None:
                        yield pending
                    pending = found
                elif found[0] <= pending[0] and found[1] > pending[1]:
                    pending = found
        if pending is not None:
            yield pending

    def _windows(
        self, text: str, window: deque[tuple[int, int, str, str]]
    ) -> Iterator[tuple[int, int, str]]:
        items = list(window)
        end = items[-1][1]
        # Longest first, walking back while the gaps between words are plain spacing.
        best = None
        for size in range(1, len(items) + 1):
            first = items[-size]
            if size > 1:
                nxt = items[-size + 1]
                gap = text[first[1] : nxt[0]]
                special = first[2] in TITLES or _is_initial(first[3])
                if not (_SPACE.fullmatch(gap) or (special and _DOTTED.fullmatch(gap))):
                    break
            words = [w for _, _, w, _ in items[-size:]]
            keys = [" ".join(words)]
            if size == 2 and first[2] in TITLES:
                keys.append(f"{_TITLE} {words[1]}")
            if size == 2 and _is_initial(first[3]):
                keys.append(f"{_INITIAL} {words[0]} {words[1]}")
            for key in keys:
                if self._has(key):
                    best = (first[0], end, key)
                    break
        if best is not None:
            yield best

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [(s, e) for s, e, _ in self.finditer(text)]

    def withhold(self, text: str, marker: str) -> str:
        """``text`` with every listed name replaced by ``marker``."""
        out, at = [], 0
        for start, end in self.spans(text):
            out += [text[at:start], marker]
            at = end
        return "".join([*out, text[at:]])


def _is_initial(raw: str) -> bool:
    return len(raw) == 1 and raw.isupper()


def _longest(forms: Iterable[str]) -> int:
    sizes = [len(f.split()) for f in forms if not f.startswith((_LAST, _TITLE, _INITIAL))]
    return max([2, *sizes])


@lru_cache(maxsize=64)
def _cached(names: tuple[str, ...]) -> KeepOutMatcher:
    return KeepOutMatcher.from_names(names)


def keep_out_matcher(keep_out: Sequence[str] | KeepOutMatcher | None) -> KeepOutMatcher:
    """A matcher for clear names (cached) or the matcher given."""
    if isinstance(keep_out, KeepOutMatcher):
        return keep_out
    return _cached(tuple(keep_out or ()))


def hashed_forms(key: bytes, name: str) -> list[str]:
    """The keyed hashes of every form of one name, sorted (stable files, stable manifests)."""
    return sorted(keyed_digest(key, form) for form in name_forms(name))


def longest_name(names: Iterable[str]) -> int:
    """How many words the longest form of these names has (the matcher's window)."""
    forms: set[str] = set()
    for name in names:
        forms |= name_forms(name)
    return _longest(forms)
