"""Typed model of a unit standard (any NOS unit), as read from its YAML file.

Fields marked *source* hold the standard's own words; fields marked *ours* are what the
project adds for learners (explanations, prompts, typical evidence, assessment strategy).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints

from .methods import AssessmentMethod

STANDARD_SCHEMA = "nos-unit/1"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# A letter, then letters, digits and "_": any script's letters (a framework in te reo Māori
# keeps its macrons), no spaces or punctuation, so an id reads the same in a file name or URL.
Ident = Annotated[str, StringConstraints(pattern=r"^[^\W\d_]\w*$")]
Snake = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class BoldTerm(_Strict):
    """A term printed in bold in a criterion (*source*), and what it points to."""

    term: Text
    scope: list[Snake] = Field(default_factory=list, description="scope category ids")
    key_word: Snake | None = Field(default=None, description="key word id defining the term")


class NationsNote(_Strict):
    """Where the law or the bodies differ outside England, for one criterion (*ours*)."""

    wales: Text
    scotland: Text
    northern_ireland: Text


class GuidanceEdition(_Strict):
    """Which edition of the project's own guidance a unit file carries (*ours*)."""

    version: Text
    date: date
    about: str = ""


class Criterion(_Strict):
    id: Ident
    text: Text = Field(description="source: the criterion word for word")
    bold_terms: list[BoldTerm] = Field(default_factory=list)
    explanation: Text = Field(description="ours: the criterion in plain English")
    prompts: list[Text] = Field(min_length=2, max_length=4, description="ours")
    typical_evidence: list[Text] = Field(min_length=1, description="ours")
    knowledge: list[Ident] = Field(
        default_factory=list, description="ours: knowledge items that usually go with it"
    )
    self_directed_support: bool = Field(
        default=False,
        description="ours: the criterion is about people who direct their own support, "
        "so evidence for it records whether they do and their agreement",
    )
    nations: NationsNote | None = Field(
        default=None, description="ours: notes for Wales, Scotland and Northern Ireland"
    )

    @property
    def scope_categories(self) -> list[str]:
        seen: list[str] = []
        for term in self.bold_terms:
            seen.extend(c for c in term.scope if c not in seen)
        return seen


class Element(_Strict):
    id: Ident
    title: Text
    criteria: list[Criterion] = Field(min_length=1)


class ScopeOption(_Strict):
    id: Snake
    label: Text = Field(description="source: the option word for word")


class ScopeCategory(_Strict):
    id: Snake
    label: Text
    heading: str | None = Field(
        default=None, description="source: the heading as printed; null where it gives none"
    )
    note: str = Field(
        default="", description="ours: a note shown with the list (say where a label is ours)"
    )
    options: list[ScopeOption] = Field(min_length=1)


class KeyWord(_Strict):
    id: Snake
    term: Text
    definition: Text


class KnowledgeSubItem(_Strict):
    id: Ident
    text: Text


class KnowledgeItem(_Strict):
    id: Ident
    text: Text
    sub_items: list[KnowledgeSubItem] = Field(default_factory=list)


class KnowledgeGroup(_Strict):
    title: Text
    items: list[KnowledgeItem] = Field(min_length=1)


#: A question's id: letters, digits, ".", "_" and "-" (``K1-Q1``, ``K8a.2``).
QuestionId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]


class BankQuestion(_Strict):
    """One question of a question bank (ours): for one knowledge item or sub-item."""

    id: QuestionId
    knowledge: Ident = Field(description="the knowledge item or sub-item it tests (K1, K8a)")
    question: Text
    model_answer: Text = Field(description="what a good answer says")
    must_include: list[Text] = Field(
        min_length=1, description="what a sufficient answer must contain, point by point"
    )
    nations: str = Field(
        default="", description="where the law or practice differs in Wales, Scotland or NI"
    )


class Knowledge(_Strict):
    """The knowledge specification; a unit may have none (professional frameworks do not)."""

    intro: str = ""
    groups: list[KnowledgeGroup] = Field(default_factory=list)


RuleName = Literal["valid", "authentic", "current", "sufficient", "reliable"]


_ALL_RULES: tuple[RuleName, ...] = ("valid", "authentic", "current", "sufficient", "reliable")


class MetRequirements(_Strict):
    """What a judgement of "met" needs (ours; a unit's strategy may ask for less)."""

    rules: list[RuleName] = Field(
        default_factory=lambda: list(_ALL_RULES),
        description="rules of evidence the assessor must confirm",
    )
    evidence: int = Field(default=1, ge=0, description="items of evidence relied on, at least")
    feedback: bool = Field(default=True, description="feedback on the criterion is written")
    methods: int = Field(default=1, ge=0, description="assessment methods sampled, at least")


class AssessmentStrategy(_Strict):
    """What "ready for assessment" needs (ours unless the unit file says otherwise)."""

    performance_methods: list[AssessmentMethod] = Field(
        min_length=1, description="methods that count as evidence of real performance"
    )
    simulation_allowed: bool = False
    currency_months: int | None = Field(
        default=None, ge=1, description="evidence older than this is out of date"
    )
    min_items_per_criterion: int = Field(default=1, ge=1)
    reflective_account_required: list[Ident] = Field(
        default_factory=list, description="criteria that need a reflective account"
    )
    max_criteria_per_item: int | None = Field(
        default=None,
        ge=1,
        description="an item mapped to more criteria than this is flagged to the assessor "
        "as possibly over-mapped (none: never flagged)",
    )
    expert_witness_criteria: dict[
        Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")], Text
    ] = Field(
        default_factory=dict,
        description="what an expert witness must meet, by id: a witness registered as an "
        "expert names the ones they meet",
    )
    notes: list[Text] = Field(default_factory=list)
    met_requires: MetRequirements = Field(default_factory=MetRequirements)


NEUTRAL_DECLARATION = (
    "I declare that the evidence in this portfolio is my own work, that it took place as "
    "I describe it, and that I have not identified {protected_people} without their "
    "permission."
)


class SectorTerms(_Strict):
    """The words of the unit's sector the toolkit uses in prompts and the declaration (ours).

    The defaults assume no sector; a unit names its own people and identifiers.
    """

    protected_people: Text = Field(
        default="any person the work is about",
        description="who must never be identified, as it reads after 'never identify'",
    )
    keep_out_hint: Text = Field(
        default="the people the work is about, and anyone whose identity is not yours to share",
        description="who belongs on the learner's keep-out list",
    )
    identifier_examples: list[Text] = Field(
        default_factory=lambda: ["a reference number", "a postcode", "a phone number"],
        min_length=1,
        description="examples of identifiers the confidentiality check looks for",
    )
    declaration: Text | None = Field(
        default=None, description="the learner's declaration; default: a neutral wording"
    )

    @property
    def declaration_statement(self) -> str:
        return self.declaration or NEUTRAL_DECLARATION.format(
            protected_people=self.protected_people
        )

    @property
    def identifiers_text(self) -> str:
        """The examples as one phrase: ``a, b, c``."""
        return ", ".join(self.identifier_examples)


class Standard(_Strict):
    """One unit of a National Occupational Standard."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["nos-unit/1"] = Field(alias="schema")
    code: Text
    title: Text
    suite: str = ""
    developed_by: str = Field(
        default="", description="source: the body that developed the unit (owns its suite)"
    )
    guidance: GuidanceEdition | None = Field(
        default=None, description="ours: the edition of the project's guidance in the file"
    )
    key_purpose: str = ""
    about: str = ""
    scope_intro: str = ""
    values: str = ""
    key_words_intro: str = ""
    elements: list[Element] = Field(min_length=1)
    scope: list[ScopeCategory] = Field(default_factory=list)
    key_words: list[KeyWord] = Field(default_factory=list)
    knowledge: Knowledge = Field(default_factory=Knowledge)
    evidence_kind_category: Snake | None = Field(
        default=None,
        description="the scope category whose options name the kind of an item of evidence",
    )
    assessment_strategy: AssessmentStrategy
    terms: SectorTerms = Field(default_factory=SectorTerms)
    question_bank: list[BankQuestion] = Field(
        default_factory=list,
        description="ours: questions with model answers, per knowledge item (see "
        "standard/bank.py; a centre may add a bank file of its own)",
    )

    # Where the loader read it from, so a portfolio can keep the file byte for byte.
    _source_path: Path | None = PrivateAttr(default=None)
    _source_text: str | None = PrivateAttr(default=None)

    @property
    def source_path(self) -> Path | None:
        """The file this unit was loaded from (None for a unit built in code)."""
        return self._source_path

    @property
    def slug(self) -> str:
        """File-name-safe form of the code: ``CPC 306`` -> ``cpc306``."""
        return re.sub(r"[^a-z0-9]+", "", self.code.lower())

    @cached_property
    def criteria(self) -> dict[str, Criterion]:
        return {c.id: c for e in self.elements for c in e.criteria}

    @cached_property
    def element_of(self) -> dict[str, Element]:
        return {c.id: e for e in self.elements for c in e.criteria}

    @cached_property
    def scope_categories(self) -> dict[str, ScopeCategory]:
        return {c.id: c for c in self.scope}

    @cached_property
    def scope_options(self) -> dict[str, ScopeOption]:
        """Every scope option by its full id ``<category>/<option>``."""
        return {f"{c.id}/{o.id}": o for c in self.scope for o in c.options}

    @cached_property
    def key_word_map(self) -> dict[str, KeyWord]:
        return {k.id: k for k in self.key_words}

    @property
    def has_knowledge(self) -> bool:
        """Whether the unit has a knowledge specification (views say nothing of it if not)."""
        return bool(self.knowledge.groups)

    @cached_property
    def knowledge_items(self) -> dict[str, KnowledgeItem]:
        return {i.id: i for g in self.knowledge.groups for i in g.items}

    @cached_property
    def knowledge_ids(self) -> dict[str, str]:
        """Every knowledge id a record may map to (items and sub-items), with its text."""
        out: dict[str, str] = {}
        for item in self.knowledge_items.values():
            out[item.id] = item.text
            for sub in item.sub_items:
                out[sub.id] = sub.text
        return out

    def skipped_knowledge_numbers(self) -> list[str]:
        """Numbers the unit's own knowledge numbering skips (CPC 306 has no K3 or K9).

        They are the source's numbering, never a gap in a learner's evidence. Only ids of
        letters then a number count; empty unless they share one prefix.
        """
        ids = self.knowledge_items
        parsed = [m.groups() for i in ids if (m := re.fullmatch(r"([A-Za-z]+)(\d+)", i))]
        if not parsed or len({p for p, _ in parsed}) != 1:
            return []
        prefix, numbers = parsed[0][0], {int(n) for _, n in parsed}
        return [f"{prefix}{n}" for n in range(1, max(numbers)) if n not in numbers]

    @cached_property
    def evidence_kinds(self) -> dict[str, ScopeOption]:
        """Scope options that name the kind of an item of evidence (may be empty)."""
        cat = self.evidence_kind_category
        return {k: v for k, v in self.scope_options.items() if cat and k.startswith(cat + "/")}
