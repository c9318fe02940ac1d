"""Assessment methods: how an item of evidence was gathered.

These are the methods of competence-based assessment common to every NOS unit, so they
live here rather than in a unit file; a unit's assessment strategy says which of them
count as evidence of performance.
"""

from __future__ import annotations

from enum import StrEnum


class AssessmentMethod(StrEnum):
    OBSERVATION = "observation"
    WITNESS_TESTIMONY = "witness_testimony"
    PROFESSIONAL_DISCUSSION = "professional_discussion"
    PRODUCT = "product"
    REFLECTIVE_ACCOUNT = "reflective_account"
    QUESTION_AND_ANSWER = "question_and_answer"
    EXPERT_WITNESS = "expert_witness"
    INSPECTOR_REPORT = "inspector_report"

    @property
    def label(self) -> str:
        return METHOD_LABELS[self]

    @property
    def needs_witness(self) -> bool:
        """Methods whose record must say who saw or vouches for the work."""
        return self in {
            AssessmentMethod.OBSERVATION,
            AssessmentMethod.WITNESS_TESTIMONY,
            AssessmentMethod.EXPERT_WITNESS,
        }


METHOD_LABELS: dict[AssessmentMethod, str] = {
    # The learner records observed work only as their assessor's observation (schema 4): the
    # assessor's own record (assessor/observations/O001.yaml) is the evidence.
    AssessmentMethod.OBSERVATION: "Observed by my assessor",
    AssessmentMethod.WITNESS_TESTIMONY: "Witness testimony",
    AssessmentMethod.PROFESSIONAL_DISCUSSION: "Professional discussion",
    AssessmentMethod.PRODUCT: "Product / document",
    AssessmentMethod.REFLECTIVE_ACCOUNT: "Reflective account",
    AssessmentMethod.QUESTION_AND_ANSWER: "Question and answer",
    AssessmentMethod.EXPERT_WITNESS: "Expert witness",
    AssessmentMethod.INSPECTOR_REPORT: "Inspector or regulator report",
}
