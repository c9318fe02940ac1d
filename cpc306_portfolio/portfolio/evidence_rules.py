"""The five rules of evidence an assessor checks for each criterion (VACSR).

Valid, authentic, current, sufficient and reliable: each ticked, with an optional note.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

RuleOfEvidence = Literal["valid", "authentic", "current", "sufficient", "reliable"]
#: The rules in their usual order.
RULES_OF_EVIDENCE: tuple[str, ...] = get_args(RuleOfEvidence)


class RuleCheck(BaseModel):
    """One rule of evidence as the assessor checked it for one criterion."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    met: bool = False
    note: str = ""
