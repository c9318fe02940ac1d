"""``cpc306 standard import``: write a unit draft from its source, and check it loads."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import StandardError, UsageError
from ..files.atomic import atomic_write_text
from ..files.yamlio import MAX_YAML_BYTES, MAX_YAML_NODES, dump_yaml
from .importer import parse_unit_text
from .notes import ImportNote, ImportResult
from .placeholders import PLACEHOLDER, Placeholder, find_placeholders
from .sources import read_source

DRAFT_HEADER = f"""\
# A unit drafted by `cpc306 standard import` from {{source}}.
#
# SOURCE fields (code, title, suite, key_purpose, about, scope_intro, values,
# key_words_intro, element titles, criterion texts and bold terms, scope headings and
# options, key words, the knowledge specification) are the source's words, whitespace
# normalised and bold markers dropped: check them against the source, change nothing else.
# Criteria and knowledge ids keep the source's numbers, gaps included: do not renumber.
# OURS fields hold placeholders starting "{PLACEHOLDER}": write them before learners use
# the unit (explanations, prompts, typical evidence, knowledge links, the ids and labels of
# scope categories the source gives no heading, and the assessment strategy).
"""


@dataclass(frozen=True)
class ImportReport:
    """What ``import_unit`` wrote and what needs a person's eye."""

    output: Path
    code: str
    criteria: int
    knowledge: int
    notes: list[ImportNote]
    placeholders: list[Placeholder]


def draft_text(result: ImportResult, source_name: str) -> str:
    """The draft as YAML text, with a header saying what is the source's and what is ours.

    The importer's notes are in the header too, so they survive with the file (even one
    that does not load yet).
    """
    name = " ".join(source_name.split())  # one line: it sits in a comment
    header = DRAFT_HEADER.format(source=name)
    if result.notes:
        header += "#\n# Check by hand (the importer's notes on the source):\n"
        header += "".join(f"#   {' '.join(str(n).split())}\n" for n in result.notes)
    return header + "\n" + dump_yaml(result.draft)


def _measure(tree: Any) -> tuple[int, int]:
    """How many values the draft holds, and at least how many characters its YAML takes."""
    count, chars, stack = 0, 0, [tree]
    while stack:
        node = stack.pop()
        count += 1
        if isinstance(node, dict):
            count += len(node)  # the keys
            chars += sum(len(str(k)) + 2 for k in node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        else:
            chars += len(str(node))
    return count, chars


def _check_draft_fits(result: ImportResult, text: str | None, src: Path) -> None:
    """Refuse, before writing (and before the cost of writing it out), a draft too large."""
    values, size = _measure(result.draft)
    if text is not None:
        size = len(text)
    if values > MAX_YAML_NODES or size > MAX_YAML_BYTES:
        raise UsageError(
            f"{src}: the draft would hold {values:,} values in {size / 1_000_000:.1f} MB or "
            f"more, more than a unit file may ({MAX_YAML_NODES:,} values, "
            f"{MAX_YAML_BYTES // 1_000_000} MB); nothing was written",
            hint="a unit has at most a few hundred criteria: import one unit at a time",
        )


def import_unit(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    code: str | None = None,
) -> ImportReport:
    """Draft ``output`` (a unit YAML file) from a unit's text, .docx, PDF or Mahara .matrix.

    The draft is loaded before this returns, so it is a unit the toolkit can use once its
    placeholders are written (the report lists each with its line). Refuses to replace an
    existing file unless ``overwrite``. A source refused (too large, unreadable) leaves no
    file; a draft written that does not load is kept, its notes at its top, and the error
    lists its problems. ``code`` is the unit's code where the source does not print one
    (a Mahara framework).
    """
    from .loader import load_standard

    src, out = Path(source), Path(output)
    if out.exists() and not overwrite:
        raise UsageError(f"{out} already exists", hint="choose another name, or pass --force")
    if src.suffix.lower() == ".matrix":
        from .mahara import read_matrix

        result = read_matrix(src, code)
    else:
        text, doubts = read_source(src)
        result = parse_unit_text(text, code)
        result.notes[:0] = doubts
    _check_draft_fits(result, None, src)
    text = draft_text(result, src.name)
    _check_draft_fits(result, text, src)
    atomic_write_text(out, text)
    try:
        unit = load_standard(out)
    except StandardError as exc:
        notes = "".join(f"\n  {src}: {n}" for n in result.notes)
        raise StandardError(
            exc.problems,
            hint=f"the draft is kept with the importer's notes at its top; fix it, then "
            f"`cpc306 standard check {out}`" + (f". The importer's notes:{notes}" if notes else ""),
        ) from None
    return ImportReport(
        out,
        unit.code,
        len(unit.criteria),
        len(unit.knowledge_ids),
        list(result.notes),
        find_placeholders(text, out),
    )
