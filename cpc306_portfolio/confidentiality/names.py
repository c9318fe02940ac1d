"""Keep-out names: the forms a listed name is written in, as one pattern."""

from __future__ import annotations

import re


def keep_out_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    # An entry with fewer than two letters or digits would match almost anything.
    names = tuple(n for n in names if len(re.findall(r"[^\W_]", n)) >= 2)
    variants: set[str] = set()
    for name in names:
        variants.update(_name_variants(name.split()))
    parts = sorted(variants, key=len, reverse=True)
    if not parts:
        return None
    alternatives = []
    for name in parts:
        if name.startswith(_ANY_TITLE):
            surname = name.removeprefix(_ANY_TITLE)
            words = [_TITLES_RE, "['’]".join(map(re.escape, re.split("['’]", surname)))]
        else:
            words = ["['’]".join(map(re.escape, re.split("['’]", w))) for w in name.split()]
        alternatives.append(
            r"\.?\s+".join(words) if name.startswith(_ANY_TITLE) else r"\s+".join(words)
        )
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


_TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lady", "lord", "rev")
_TITLES_RE = "(?:" + "|".join(_TITLES) + ")"
_ANY_TITLE = "\x00title "


def _name_variants(words: list[str]) -> set[str]:
    """Forms a listed name is written in.

    As listed, without its title, first and last name, and any title with the surname
    ("Mrs Edith Marlowe" -> "Edith Marlowe", "Ms Marlowe"). A surname alone is not
    matched: too many are ordinary words.
    """
    out = {" ".join(words)}
    bare = list(words)
    while bare and bare[0].rstrip(".").casefold() in _TITLES:
        bare.pop(0)
    if len(bare) >= 2:
        out.add(" ".join(bare))
        out.add(f"{bare[0]} {bare[-1]}")
        out.add(_ANY_TITLE + bare[-1])
    return {v for v in out if v}
