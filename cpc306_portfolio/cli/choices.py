"""The fixed choices the commands' options offer, as plain data.

Building them from the library (the ``AssessmentMethod`` enum, the rules of evidence, the
reflection models' YAML) would import pydantic and every model at start-up, so that even
``cpc306 --help`` paid for them. tests/test_cli_imports.py keeps each one equal to its
source, so they never drift.
"""

from __future__ import annotations

#: ``AssessmentMethod`` values, in the enum's order.
METHODS: tuple[str, ...] = (
    "observation",
    "witness_testimony",
    "professional_discussion",
    "product",
    "reflective_account",
    "question_and_answer",
    "expert_witness",
    "inspector_report",
)

#: ``RULES_OF_EVIDENCE``, in their usual order.
RULES: tuple[str, ...] = ("valid", "authentic", "current", "sufficient", "reliable")

#: The assessor's ``OUTCOMES``.
OUTCOMES: tuple[str, ...] = ("met", "not_yet_met")

#: Each reflection model's id and its stages' ids, in the catalogue's order.
REFLECTION_STAGES: dict[str, tuple[str, ...]] = {
    "gibbs": ("description", "feelings", "evaluation", "analysis", "conclusion", "action_plan"),
    "driscoll": ("what", "so_what", "now_what"),
    "kolb": (
        "concrete_experience",
        "reflective_observation",
        "abstract_conceptualisation",
        "active_experimentation",
    ),
    "schon": ("reflection_in_action", "reflection_on_action"),
    "rolfe": ("what", "so_what", "now_what"),
    "free": ("reflection",),
}
