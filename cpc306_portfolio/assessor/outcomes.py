"""The words a judgement is made of: outcomes, and the rules of evidence (VACSR).

Shared by ``cpc306 assess``, the assess notebook and the import of the page's download,
so each checks an outcome or a rule the same way and names the valid choices.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..errors import Problem, RecordError, UsageError
from ..portfolio.evidence_rules import RULES_OF_EVIDENCE, RuleCheck
from ..portfolio.models import Assessment, Judgement, Outcome
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


def met_missing(portfolio: Portfolio, judgement: Judgement) -> list[str]:
    """What a "met" lacks of what the unit's assessment strategy asks ([] when enough)."""
    if judgement.outcome != "met":
        return []
    needs = portfolio.standard.assessment_strategy.met_requires
    missing = []
    unticked = [r for r in needs.rules if not (judgement.rules.get(r) or RuleCheck()).met]
    if unticked:
        missing.append("the rules of evidence " + ", ".join(unticked) + " confirmed")
    if len(judgement.evidence) < needs.evidence:
        missing.append(f"at least {needs.evidence} item(s) of evidence relied on")
    if needs.feedback and not judgement.feedback.strip():
        missing.append("feedback written")
    if len(judgement.methods_sampled) < needs.methods:
        missing.append(f"at least {needs.methods} assessment method(s) sampled")
    return missing


def require_met_evidence(
    portfolio: Portfolio, judgements: Mapping[str, Judgement], source: Path | None = None
) -> None:
    """Refuse any "met" without what the strategy asks, naming each criterion and the lack."""
    problems = []
    for criterion, judgement in judgements.items():
        missing = met_missing(portfolio, judgement)
        if missing:
            problems.append((criterion, f"{criterion} is judged met without " + "; ".join(missing)))
    if not problems:
        return
    hint = "a met needs what the unit's assessment strategy asks, or judge it not yet met"
    if source is None:
        raise UsageError(
            " / ".join(text for _, text in problems),
            hint=hint + " (cpc306 assess: --valid --authentic --current --sufficient "
            "--reliable, --evidence ID, --method METHOD, --feedback TEXT)",
        )
    raise RecordError(
        [
            Problem(str(source), text, field=f"assessment.judgements.{criterion}")
            for criterion, text in problems
        ],
        hint=hint + "; nothing was imported",
    )
