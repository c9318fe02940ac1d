"""``cpc306 standard import``: write a unit draft from its source, and check it loads."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..files.atomic import atomic_write_text
from ..files.yamlio import dump_yaml
from .importer import ImportNote, ImportResult, parse_unit_text
from .placeholders import PLACEHOLDER
from .sources import read_source_text

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


def draft_text(result: ImportResult, source_name: str) -> str:
    """The draft as YAML text, with a header saying what is the source's and what is ours."""
    name = " ".join(source_name.split())  # one line: it sits in a comment
    return DRAFT_HEADER.format(source=name) + "\n" + dump_yaml(result.draft)


def import_unit(
    source: str | os.PathLike[str], output: str | os.PathLike[str], *, overwrite: bool = False
) -> ImportReport:
    """Draft ``output`` (a unit YAML file) from a unit's text, .docx, PDF or Mahara .matrix.

    The draft is loaded before this returns, so it is a unit the toolkit can use once its
    placeholders are written. Refuses to replace an existing file unless ``overwrite``.
    """
    from .loader import load_standard

    src, out = Path(source), Path(output)
    if out.exists() and not overwrite:
        raise UsageError(f"{out} already exists", hint="choose another name, or pass --force")
    if src.suffix.lower() == ".matrix":
        from .mahara import read_matrix

        result = read_matrix(src)
    else:
        result = parse_unit_text(read_source_text(src))
    atomic_write_text(out, draft_text(result, src.name))
    unit = load_standard(out)
    return ImportReport(
        out, unit.code, len(unit.criteria), len(unit.knowledge_ids), list(result.notes)
    )
