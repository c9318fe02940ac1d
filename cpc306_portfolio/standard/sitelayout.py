"""A unit laid out as the UK standards site prints units today.

The page gives: the title; ``URN: CODE``; ``Business Sectors (Suites)``; ``Developed by``;
``Approved on`` (and more such ``Label: value`` lines, at the top or the foot, the value
on the label's line or the next); "Overview"; "Performance criteria" / "You must be able
to:" with numbered criteria and sub-headings (bold on the page) between them; "Knowledge
and Understanding" / "You need to know and understand:" with numbered items and dotted
(``2.1``) or lettered sub-items; and, when present, "Scope/range", "Values" and
"Glossary".

How it becomes a unit: the URN is the code, the suites the suite, "Developed by" the
unit's ``developed_by``, the overview its ``about``. Each sub-heading starts an element
(ids ``A``, ``B``, ... in order); criteria keep their printed numbers under it (``A1``,
``A2``, ``B3``). Knowledge items are ``K1``..., dotted sub-items ``K2_1``, lettered
``K2a``; items before any knowledge sub-heading sit in one group titled with the
section's heading. Scope paragraphs and glossary terms are read as in the older layout.
"""

from __future__ import annotations

import re
from typing import Any

from .knowledge_text import knowledge_groups
from .placeholders import PLACEHOLDER
from .textlayout import TextParser
from .textparts import Line, norm

#: Labels of the page's ``Label: value`` lines -> the draft's field (None: not kept).
_META: dict[str, str | None] = {
    "urn": "code",
    "business sectors (suites)": "suite",
    "business sectors": "suite",
    "suite": "suite",
    "suites": "suite",
    "developed by": "developed_by",
    "approved on": None,
    "date approved": None,
    "version number": None,
    "version": None,
    "indicative review date": None,
    "validity": None,
    "status": None,
    "originating organisation": None,
    "original urn": None,
    "relevant occupations": None,
    "keywords": None,
}
_SECTIONS = {
    "overview": "about",
    "performance criteria": "criteria",
    "knowledge and understanding": "knowledge",
    "values": "values",
    "glossary": "key_words",
    "behaviours": "other",
    "skills": "other",
    "links to other nos": "other",
    "external links": "other",
    "additional information": "other",
}
_META_LINE = re.compile(
    r"^(?P<label>" + "|".join(re.escape(k) for k in sorted(_META, key=len, reverse=True)) + r")"
    r"(?:\s*:\s*|\t+\s*|\s{2,})(?P<value>\S.*)?$",
    re.I,
)
_CRITERION = re.compile(r"^(?:P)?(?P<num>\d+)[.)]?\s+(?P<text>\S.*)$")
_MUST = re.compile(r"^you must be able to:?$", re.I)
_KNOW = re.compile(r"^you need to know and understand:?$", re.I)


def _plain(text: str) -> str:
    return norm(text).rstrip(":").strip()


def _section_of(text: str) -> str | None:
    key = _plain(text).lower()
    if key.startswith("scope"):  # "Scope/range", "Scope / range related to ..."
        return "scope"
    return _SECTIONS.get(key)


class SiteParser(TextParser):
    """Today's layout; :meth:`finish` (placeholders, bold terms, strategy) is shared."""

    def read_sections(self) -> None:
        sections: list[tuple[str, Line, list[Line]]] = []
        head: list[Line] = []
        lines = self.lines
        waiting: str | None = None  # a label whose value is on the next line
        for line in lines:
            text = line.text
            if not text:
                continue
            if waiting is not None:
                self.meta(waiting, text)
                waiting = None
                continue
            label = _plain(text).lower()
            meta = _META_LINE.match(text.replace("**", "")) if len(text) < 300 else None
            if label in _META:
                waiting = label
                continue
            if meta and meta.group("value"):
                self.meta(meta.group("label").lower(), meta.group("value"))
                continue
            kind = _section_of(text)
            if kind is not None:
                sections.append((kind, line, []))
            elif sections:
                sections[-1][2].append(line)
            else:
                head.append(line)
        self.site_title(head)
        for kind, heading, body in sections:
            if kind == "about":
                self.text_field("about", body)
            elif kind == "criteria":
                self.site_criteria(body)
            elif kind == "knowledge":
                self.site_knowledge(heading, body)
            elif kind == "scope":
                self.scope_section(body)
            elif kind == "values":
                self.text_field("values", body)
            elif kind == "key_words":
                self.key_word_section(body)
            else:
                self.note(
                    heading.number, f"section {heading.text!r} is not part of a unit: left out"
                )
        if "code" not in self.draft:
            self.note(None, "no 'URN:' line: write the unit's code by hand")
            self.draft["code"] = f"{PLACEHOLDER} the unit's code"

    def meta(self, label: str, value: str) -> None:
        field = _META.get(label)
        if field is not None and field not in self.draft:
            self.draft[field] = norm(value)
            if field == "code":
                self.code = self.draft["code"]

    def site_title(self, head: list[Line]) -> None:
        titled = [line for line in head if line.text]
        if titled:
            self.draft["title"] = _plain(titled[0].text)
            for line in titled[1:]:
                self.note(line.number, f"not placed (before the first section): {line.text!r}")
        else:
            self.note(None, "no title before the first section: write the title by hand")
            self.draft["title"] = f"{PLACEHOLDER} title"

    def site_criteria(self, body: list[Line]) -> None:
        lines = [line for line in body if line.text and not _MUST.match(_plain(line.text))]
        element: dict[str, Any] | None = None
        last: dict[str, Any] | None = None
        for n, line in enumerate(lines):
            text = line.text
            item = _CRITERION.match(text.replace("**", "").strip())
            if item is not None:
                if element is None:
                    element = self.new_element(self.draft.get("title", "criteria"))
                    self.note(
                        line.number,
                        "criteria before any sub-heading: their element is titled with the "
                        "unit's title; check it",
                    )
                crit_id = f"{element['id']}{item.group('num')}"
                raw = re.sub(r"^\**\s*(?:P)?\d+[.)]?\s*\**\s*", "", text)
                last = {"id": crit_id, "raw": [raw]}
                self.bold_lines[crit_id] = line.number
                element["criteria"].append(last)
                continue
            following = lines[n + 1].text.replace("**", "").strip() if n + 1 < len(lines) else ""
            heading = (
                not text.replace("*", "")[:1].islower()
                and not text.rstrip("*").endswith((".", ";", ","))
                and bool(_CRITERION.match(following))
            )
            if heading:
                element = self.new_element(_plain(text))
                last = None
            elif last is not None:
                last["raw"].append(text)
                self.note(line.number, f"joined to {last['id']} as the rest of its text")
            else:
                self.note(line.number, f"not placed in the performance criteria: {text!r}")

    def new_element(self, title: str) -> dict[str, Any]:
        letter = chr(ord("A") + len(self.elements)) if len(self.elements) < 26 else ""
        element_id = letter or f"E{len(self.elements) + 1}"
        element = {"printed": element_id, "id": element_id, "title": title, "criteria": []}
        self.elements.append(element)
        return element

    def site_knowledge(self, heading: Line, body: list[Line]) -> None:
        intro = [norm(line.text) for line in body if _KNOW.match(_plain(line.text))][:1]
        rest = [line for line in body if not _KNOW.match(_plain(line.text))]
        groups = knowledge_groups(rest, self.note, first_group=_plain(heading.text))
        self.draft["knowledge"] = {"intro": "\n\n".join(intro), "groups": groups}
