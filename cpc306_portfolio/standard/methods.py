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
    def learner_label(self) -> str:
        """The method as the learner's own list names it (their evidence form)."""
        return LEARNER_LABELS.get(self, METHOD_LABELS[self])

    @property
    def needs_witness(self) -> bool:
        """Methods whose record must say who saw or vouches for the work."""
        return self in {
            AssessmentMethod.OBSERVATION,
            AssessmentMethod.WITNESS_TESTIMONY,
            AssessmentMethod.EXPERT_WITNESS,
        }


METHOD_LABELS: dict[AssessmentMethod, str] = {
    # Schema 4: an observation is the assessor's own record (assessor/observations/O001.yaml);
    # a learner's evidence of this method links to it (see LEARNER_LABELS).
    AssessmentMethod.OBSERVATION: "Observation",
    AssessmentMethod.WITNESS_TESTIMONY: "Witness testimony",
    AssessmentMethod.PROFESSIONAL_DISCUSSION: "Professional discussion",
    AssessmentMethod.PRODUCT: "Product / document",
    AssessmentMethod.REFLECTIVE_ACCOUNT: "Reflective account",
    AssessmentMethod.QUESTION_AND_ANSWER: "Question and answer",
    AssessmentMethod.EXPERT_WITNESS: "Expert witness",
    AssessmentMethod.INSPECTOR_REPORT: "Inspector or regulator report",
}

#: Where the learner's list words a method differently: they cannot observe themselves, so
#: they record that their assessor observed them, and link to the assessor's record.
LEARNER_LABELS: dict[AssessmentMethod, str] = {
    AssessmentMethod.OBSERVATION: "Observed by my assessor",
}
