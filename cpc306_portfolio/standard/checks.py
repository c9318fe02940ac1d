"""What a schema cannot say about a unit file: unique ids, and references that resolve."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..files.yamlio import line_of
from .model import BankQuestion, Standard


def check_standard(standard: Standard, tree: Any, path: Path | str) -> list[Problem]:
    """Checks a schema cannot express: unique ids, and references that resolve."""
    out: list[Problem] = []

    def add(loc: tuple[str | int, ...], message: str, hint: str = "") -> None:
        field = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc)
        field = field.replace(".[", "[")
        out.append(Problem(str(path), message, field=field, line=line_of(tree, loc), hint=hint))

    Loc = tuple[str | int, ...]
    ids: list[tuple[Loc, str]] = []
    for ei, element in enumerate(standard.elements):
        ids.append((("elements", ei, "id"), element.id))
        for ci, crit in enumerate(element.criteria):
            ids.append((("elements", ei, "criteria", ci, "id"), crit.id))
    for gi, group in enumerate(standard.knowledge.groups):
        for ii, item in enumerate(group.items):
            ids.append((("knowledge", "groups", gi, "items", ii, "id"), item.id))
            for si, sub in enumerate(item.sub_items):
                ids.append(
                    (("knowledge", "groups", gi, "items", ii, "sub_items", si, "id"), sub.id)
                )
    counts = Counter(value for _, value in ids)
    for loc, value in ids:
        if counts[value] > 1:
            add(loc, f"id {value!r} is used more than once", "give every id its own value")

    named: tuple[tuple[str, list[tuple[Loc, str]]], ...] = (
        ("scope category", [(("scope", i, "id"), c.id) for i, c in enumerate(standard.scope)]),
        ("key word", [(("key_words", i, "id"), k.id) for i, k in enumerate(standard.key_words)]),
    )
    for kind, values in named:
        seen = Counter(v for _, v in values)
        for loc, value in values:
            if seen[value] > 1:
                add(loc, f"{kind} id {value!r} is used more than once")
    for ci, cat in enumerate(standard.scope):
        seen = Counter(o.id for o in cat.options)
        for oi, option in enumerate(cat.options):
            if seen[option.id] > 1:
                add(("scope", ci, "options", oi, "id"), f"option id {option.id!r} repeats")

    categories = set(standard.scope_categories)
    key_words = set(standard.key_word_map)
    knowledge = set(standard.knowledge_ids)
    criteria = set(standard.criteria)
    for ei, element in enumerate(standard.elements):
        for ci, crit in enumerate(element.criteria):
            base: tuple[str | int, ...] = ("elements", ei, "criteria", ci)
            for ti, term in enumerate(crit.bold_terms):
                for si, cat_id in enumerate(term.scope):
                    if cat_id not in categories:
                        add(
                            (*base, "bold_terms", ti, "scope", si),
                            f"unknown scope category {cat_id!r}",
                            f"use one of: {', '.join(sorted(categories)) or 'none defined'}",
                        )
                if term.key_word and term.key_word not in key_words:
                    add(
                        (*base, "bold_terms", ti, "key_word"),
                        f"unknown key word {term.key_word!r}",
                        f"use one of: {', '.join(sorted(key_words)) or 'none defined'}",
                    )
                if term.term.lower() not in crit.text.lower():
                    add(
                        (*base, "bold_terms", ti, "term"),
                        f"bold term {term.term!r} does not appear in the criterion's text",
                        "copy the term exactly as the criterion prints it",
                    )
            for ki, kid in enumerate(crit.knowledge):
                if kid not in knowledge:
                    add(
                        (*base, "knowledge", ki),
                        f"unknown knowledge item {kid!r}",
                        f"use one of: {', '.join(standard.knowledge_ids)}",
                    )
    strategy = standard.assessment_strategy
    for ri, crit_id in enumerate(strategy.reflective_account_required):
        if crit_id not in criteria:
            add(
                ("assessment_strategy", "reflective_account_required", ri),
                f"unknown criterion {crit_id!r}",
                f"use one of: {', '.join(standard.criteria)}",
            )
    out += question_problems(standard.question_bank, standard, tree, path, ("question_bank",))
    if standard.evidence_kind_category and standard.evidence_kind_category not in categories:
        add(
            ("evidence_kind_category",),
            f"unknown scope category {standard.evidence_kind_category!r}",
            f"use one of: {', '.join(sorted(categories)) or 'none defined'}",
        )
    return out


def question_problems(
    questions: Sequence[BankQuestion],
    standard: Standard,
    tree: Any,
    path: Path | str,
    base: tuple[str | int, ...],
    taken: Collection[str] = (),
) -> list[Problem]:
    """A question bank's problems: ids used twice (or ``taken`` already), unknown items."""
    out: list[Problem] = []
    knowledge = standard.knowledge_ids
    counts = Counter(q.id for q in questions)
    for qi, question in enumerate(questions):
        loc = (*base, qi)
        field = ".".join(str(p) for p in base) + f"[{qi}]"
        if counts[question.id] > 1 or question.id in taken:
            out.append(
                Problem(
                    str(path),
                    f"question id {question.id!r} is used more than once",
                    field=f"{field}.id",
                    line=line_of(tree, (*loc, "id")),
                    hint="give every question its own id",
                )
            )
        if question.knowledge not in knowledge:
            out.append(
                Problem(
                    str(path),
                    f"unknown knowledge item {question.knowledge!r}",
                    field=f"{field}.knowledge",
                    line=line_of(tree, (*loc, "knowledge")),
                    hint=f"use one of: {', '.join(knowledge) or 'the unit has none'}",
                )
            )
    return out
