"""The older page layout of a unit's published text, parsed into a draft unit.

The text is laid out as the UK standards site used to print units (``tests/data/cpc306_source.txt``
is one): a title line (``Unit: CODE Title (Suite)``), "Key Purpose", "Elements of
competence", "About this unit", "Scope" with ``Category: option; option`` paragraphs,
"Values", "Key words and concepts" with ``Term: definition`` paragraphs, each element's
heading and numbered "Performance criteria" with ``**bold**`` terms, and a "Knowledge
specification" with group headings, numbered items and lettered sub-items.

Every SOURCE field is filled word for word (whitespace normalised, bold markers dropped);
criteria and knowledge ids keep the printed numbers, gaps included; bold terms are linked
to the scope categories and key words they name. Everything the project adds (OURS) is a
placeholder starting with :data:`PLACEHOLDER` for a person to write. Whatever could not be
placed is reported with its line, never silently dropped.
"""

from __future__ import annotations

import re
from typing import Any

from .knowledge_text import knowledge_groups
from .notes import ImportNote
from .placeholders import PLACEHOLDER, ordered, with_placeholders
from .textparts import IdPool, Line, norm, option_label, paragraphs, slug, unique

_CODE = r"[A-Z]{2,}[A-Z0-9]*(?: ?[0-9][A-Z0-9]*)"
_TITLE_LINE = re.compile(
    rf"^(?:Unit:\s*)?(?P<code>{_CODE})\s+(?P<title>.+?)(?:\s*\((?P<suite>[^()]+)\))?\s*$"
)
_SECTIONS = {
    "key purpose": "purpose",
    "elements of competence": "elements",
    "about this unit": "about",
    "scope": "scope",
    "values": "values",
    "key words and concepts": "key_words",
}
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CRITERION = re.compile(r"^(?:(?P<num>\d+)\.|(?P<pid>P\d+)[.:]?)\s+(?P<text>\S.*)$")
_HEADED = re.compile(r"^(?P<heading>[A-Z][A-Za-z ,'/()-]*?):\s+(?P<rest>\S.*)$")
_BOILERPLATE = re.compile(r"^(performance criteria:?|you need to show that you:?)$", re.I)


class TextParser:
    """The older layout (as ``tests/data/cpc306_source.txt``); see the module's notes."""

    def __init__(self, text: str) -> None:
        self.lines = [Line(i, raw) for i, raw in enumerate(text.splitlines(), start=1)]
        self.notes: list[ImportNote] = []
        self.code = ""
        self.draft: dict[str, Any] = {"schema": "nos-unit/1"}
        self.elements: list[dict[str, Any]] = []
        self.element_ids: dict[str, str] = {}  # printed id -> element title
        self.scope: list[dict[str, Any]] = []
        self.key_words: list[dict[str, Any]] = []
        self.bold_lines: dict[str, int] = {}
        self.criterion_homes: dict[str, dict[str, Any]] = {}  # criterion id -> its element

    def note(self, line: int | None, message: str) -> None:
        self.notes.append(ImportNote(line, message))

    # sections ----------------------------------------------------------------------

    def split(self) -> list[tuple[str, Line | None, list[Line]]]:
        """The text cut at its headings: (kind, heading line, body lines)."""
        out: list[tuple[str, Line | None, list[Line]]] = [("head", None, [])]
        title_line = next((line.number for line in self.lines if line.text), 0)
        element_heading = re.compile(rf"^{re.escape(self.code)}\s+([A-Z0-9]+)\s+(\S.*)$")
        for line in self.lines:
            if line.number <= title_line:
                continue
            key = line.plain.rstrip(":").lower()
            current = out[-1][0]
            if key in _SECTIONS and not (key == "values" and current == "knowledge"):
                out.append((_SECTIONS[key], line, []))
            elif key.startswith("knowledge specification"):
                out.append(("knowledge", line, []))
            elif (
                self.code
                and current not in ("elements", "head", "purpose")
                and (match := element_heading.match(line.plain))
                and current != "knowledge"
            ):
                out.append(("criteria", line, []))
                self.element_ids.setdefault(match.group(1), norm(match.group(2)))
            else:
                out[-1][2].append(line)
        return out

    def title(self, body: list[Line]) -> None:
        for line in body:
            if not line.text:
                continue
            match = _TITLE_LINE.match(line.plain) if len(line.raw) < 2_000 else None
            if match is None:
                self.note(line.number, f"not a title line (CODE Title (Suite)): {line.text!r}")
                continue
            self.code = " ".join(match.group("code").split())
            self.draft["code"] = self.code
            self.draft["title"] = norm(match.group("title"))
            if match.group("suite"):
                self.draft["suite"] = norm(match.group("suite"))
            return
        self.note(None, "no title line: write code and title by hand")
        self.draft.update(code=f"{PLACEHOLDER} the unit's code", title=f"{PLACEHOLDER} title")

    def purpose(self, body: list[Line]) -> None:
        found = list(paragraphs(body))
        text = " ".join(p for _, p in found)
        quoted = re.search(r"[\"“]([^\"”]+)[\"”]", text)
        if quoted:
            self.draft["key_purpose"] = norm(quoted.group(1))
        elif text:
            self.draft["key_purpose"] = norm(text)

    def element_list(self, body: list[Line]) -> None:
        pattern = re.compile(rf"^(?:{re.escape(self.code)}\s+)?([A-Z0-9]+)\s+(\S.*)$")
        for line in body:
            if not line.text:
                continue
            match = pattern.match(line.plain)
            if match is None:
                self.note(line.number, f"not an element line (ID Title): {line.text!r}")
                continue
            self.element_ids.setdefault(match.group(1), norm(match.group(2)))

    def text_field(self, name: str, body: list[Line]) -> None:
        texts = [norm(p) for _, p in paragraphs(body)]
        if texts:
            self.draft[name] = "\n\n".join(texts)

    def scope_section(self, body: list[Line]) -> None:
        taken: set[str] = IdPool()
        intro: list[str] = []
        unheaded = 0
        for number, para in paragraphs(body, _HEADED):
            match = _HEADED.match(norm(para))
            if match is None and ";" not in para and not self.scope:
                intro.append(norm(para))
                continue
            if match:
                heading, rest = match.group("heading"), match.group("rest")
                cat_id, label = slug(heading, "scope"), heading
            else:
                unheaded += 1
                heading, rest = None, norm(para)
                cat_id = f"unheaded_{unheaded}"
                label = f"{PLACEHOLDER} a name for this scope paragraph (the source gives none)"
                self.note(
                    number,
                    f"scope paragraph with no heading: named {cat_id!r}; give it an id and "
                    "label that explain themselves",
                )
            options: list[dict[str, str]] = []
            option_ids: set[str] = IdPool()
            for raw in rest.split(";"):
                label_text = option_label(raw)
                if label_text:
                    options.append(
                        {"id": unique(slug(label_text, "option"), option_ids), "label": label_text}
                    )
            if not options:
                self.note(number, f"scope paragraph with no options: {para!r}")
                continue
            self.scope.append(
                {
                    "id": unique(cat_id, taken),
                    "label": label,
                    "heading": heading,
                    "options": options,
                }
            )
        if intro:
            self.draft["scope_intro"] = "\n\n".join(intro)

    def key_word_section(self, body: list[Line]) -> None:
        taken: set[str] = IdPool()
        intro: list[str] = []
        for number, para in paragraphs(body, _HEADED):
            text = norm(para)
            match = _HEADED.match(text)
            if match is None:
                if self.key_words:
                    self.note(number, f"not a 'Term: definition' paragraph: {text!r}")
                else:
                    intro.append(text)
                continue
            term = match.group("heading")
            self.key_words.append(
                {
                    "id": unique(slug(term, "key_word"), taken),
                    "term": term,
                    "definition": match.group("rest"),
                }
            )
        if intro:
            self.draft["key_words_intro"] = "\n\n".join(intro)

    def criteria_section(self, heading: Line, body: list[Line]) -> None:
        match = re.match(rf"^{re.escape(self.code)}\s+([A-Z0-9]+)\s+(\S.*)$", heading.plain)
        assert match is not None  # split() only makes a criteria section from such a line
        element_id = match.group(1)
        element = next((e for e in self.elements if e["printed"] == element_id), None)
        if element is None:
            element = {
                "printed": element_id,
                "id": element_id if element_id[0].isalpha() else f"E{element_id}",
                "title": self.element_ids.get(element_id, norm(match.group(2))),
                "criteria": [],
            }
            self.elements.append(element)
        last: dict[str, Any] | None = None
        for line in body:
            text = line.text
            if not text or _BOILERPLATE.match(text):
                continue
            item = _CRITERION.match(text)
            if item is None:
                if last is not None and not re.match(r"^\d", text):
                    last["raw"].append(text)  # joined once, in finish(): linear time
                    self.note(line.number, f"joined to {last['id']} as the rest of its text")
                else:
                    self.note(line.number, f"not placed in element {element_id}: {text!r}")
                continue
            crit_id = item.group("pid") or f"{element['id']}{item.group('num')}"
            first = self.criterion_homes.get(crit_id)
            if first is not None:
                first["criteria"] = [c for c in first["criteria"] if c["id"] != crit_id]
                self.note(line.number, f"criterion {crit_id} printed twice; the second is kept")
            self.criterion_homes[crit_id] = element
            last = {"id": crit_id, "raw": [item.group("text")]}
            self.bold_lines[crit_id] = line.number
            element["criteria"].append(last)

    def knowledge_section(self, body: list[Line]) -> None:
        intro: list[str] = []
        pending: list[Line] = []
        rest: list[Line] = []
        for n, line in enumerate(body):
            pending.append(line)
            if line.text.lower().startswith("you need to show that you know"):
                intro = [norm(p) for _, p in paragraphs(pending)]
                rest = body[n + 1 :]
                break
        else:
            self.note(
                body[0].number if body else None,
                "no 'You need to show that you know' line: the knowledge intro was not found",
            )
        groups = knowledge_groups(rest, self.note)
        self.draft["knowledge"] = {"intro": "\n\n".join(intro), "groups": groups}

    # linking ------------------------------------------------------------------------

    def link_bold_terms(self) -> None:
        def names(term: str, name: str) -> bool:
            term, name = term.lower(), name.lower()
            return term == name or bool(re.search(rf"\b{re.escape(term)}\b", name))

        for element in self.elements:
            for crit in element["criteria"]:
                terms = []
                for raw in _BOLD.findall(crit.pop("raw")):
                    term = norm(raw)
                    scope = [
                        c["id"] for c in self.scope if c["heading"] and names(term, c["heading"])
                    ]
                    key_word = next(
                        (k["id"] for k in self.key_words if k["term"].lower() == term.lower()), None
                    )
                    entry: dict[str, Any] = {"term": term, "scope": scope}
                    if key_word:
                        entry["key_word"] = key_word
                    if not scope and not key_word:
                        self.note(
                            self.bold_lines.get(crit["id"]),
                            f"bold term {term!r} in {crit['id']} names no scope category or key "
                            "word: link it by hand",
                        )
                    terms.append(entry)
                crit["bold_terms"] = terms

    # the draft ------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        self.read_sections()
        return self.finish()

    def read_sections(self) -> None:
        self.title(self.lines[:5])
        sections = self.split()  # element headings are found by the code
        for kind, heading, body in sections[1:]:
            if kind == "purpose":
                self.purpose(body)
            elif kind == "elements":
                self.element_list(body)
            elif kind == "about":
                self.text_field("about", body)
            elif kind == "scope":
                self.scope_section(body)
            elif kind == "values":
                self.text_field("values", body)
            elif kind == "key_words":
                self.key_word_section(body)
            elif kind == "criteria" and heading is not None:
                self.criteria_section(heading, body)
            elif kind == "knowledge":
                self.knowledge_section(body)

    def finish(self) -> dict[str, Any]:
        """The draft from what the sections gave: placeholders, links, the strategy."""
        for element in self.elements:
            for crit in element["criteria"]:
                crit["raw"] = " ".join(crit["raw"])
                crit["text"] = norm(crit["raw"])
        self.link_bold_terms()
        draft = self.draft
        draft["elements"] = [
            {
                "id": e["id"],
                "title": e["title"],
                "criteria": [with_placeholders(c) for c in e["criteria"]],
            }
            for e in self.elements
        ]
        for printed in self.element_ids:
            if not any(e["printed"] == printed for e in self.elements):
                self.note(None, f"element {printed} is listed but prints no criteria")
        if not draft["elements"]:
            self.note(None, "no element with performance criteria was found")
        draft["scope"] = self.scope
        draft["key_words"] = self.key_words
        kinds = next((c["id"] for c in self.scope if c["id"] == "evidence"), None)
        if kinds:
            draft["evidence_kind_category"] = kinds
            self.note(None, "scope category 'evidence' taken as the kinds of evidence (ours)")
        draft["assessment_strategy"] = {
            "performance_methods": ["observation", "witness_testimony", "product"],
            "simulation_allowed": False,
            "notes": [f"{PLACEHOLDER} the unit's assessment strategy; check every rule above"],
        }
        return ordered(draft)
