"""The words a judgement is made of: outcomes, and the rules of evidence (VACSR).

Shared by ``cpc306 assess``, the assess notebook and the import of the page's download,
so each checks an outcome or a rule the same way and names the valid choices.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from ..errors import UsageError
from ..portfolio.evidence_rules import RULES_OF_EVIDENCE, RuleCheck
from ..portfolio.models import Assessment, Outcome
from ..portfolio.store import Portfolio

OUTCOMES: tuple[Outcome, ...] = ("met", "not_yet_met")


def did_you_mean(value: str, valid: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, list(valid), n=3, cutoff=0.6)
    head = f"did you mean {' or '.join(close)}? " if close else ""
    return head + f"use one of: {', '.join(valid)}"


def outcome_of(outcome: str) -> Outcome:
    value = outcome.strip().lower().replace(" ", "_").replace("-", "_")
    for valid in OUTCOMES:
        if value == valid:
            return valid
    raise UsageError(f"unknown outcome {outcome!r}", hint=f"use one of: {', '.join(OUTCOMES)}")


def rule_checks(rules: Mapping[str, bool | str | RuleCheck]) -> dict[str, RuleCheck]:
    """Rules of evidence by name, in VACSR order, each as a :class:`RuleCheck`."""
    out: dict[str, RuleCheck] = {}
    for name, value in rules.items():
        key = name.strip().lower()
        if key not in RULES_OF_EVIDENCE:
            raise UsageError(
                f"unknown rule of evidence {name!r}", hint=did_you_mean(key, RULES_OF_EVIDENCE)
            )
        if isinstance(value, RuleCheck):
            out[key] = value
        elif isinstance(value, str):
            out[key] = RuleCheck(met=True, note=value.strip())
        else:
            out[key] = RuleCheck(met=bool(value))
    return {k: out[k] for k in RULES_OF_EVIDENCE if k in out}


def with_unit_outcome(
    portfolio: Portfolio, assessment: Assessment, value: Outcome | None
) -> Assessment:
    if value == "met":
        unmet = [
            c
            for c in portfolio.standard.criteria
            if (j := assessment.judgements.get(c)) is None or j.outcome != "met"
        ]
        if unmet:
            raise UsageError(
                f"the unit cannot be met while {', '.join(unmet)} are not judged met",
                hint="judge every criterion met first, or record the unit not_yet_met",
            )
    return assessment.model_copy(update={"outcome": value})
