"""The learner's declaration, the assessor's judgements, feedback, IQA sample and sign-off.

Each function reads what is on disk, changes one thing and writes it back under the
portfolio's lock, so a notebook and the CLI can be used side by side. Judging after
sign-off is allowed; :func:`~cpc306_portfolio.assessor.verification.verify_portfolio` then names the
judgement as changed since the sign-off.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

from ..errors import UsageError
from ..portfolio.layout import ASSESSMENT_FILE
from ..portfolio.manifest import (
    assessment_entries,
    assessment_schema,
    build_manifest,
    fingerprint_of,
)
from ..portfolio.models import (
    Assessment,
    IQASample,
    Judgement,
    Manifest,
    RuleCheck,
    SignOff,
)
from ..portfolio.store import Portfolio
from ..standard.methods import AssessmentMethod
from ..standard.model import SectorTerms
from .actions import NewAction, check_new_actions, with_actions
from .iqa_record import seal_against
from .outcomes import (
    OUTCOMES,
    did_you_mean,
    outcome_of,
    require_met_evidence,
    rule_checks,
    with_unit_outcome,
)
from .readiness import key_name, require_signable
from .signing import (
    key_fingerprint,
    load_private_key,
    sign_manifest,
)

#: The declaration for a unit that words none of its own (see ``SectorTerms``).
DEFAULT_STATEMENT = SectorTerms().declaration_statement


def _criterion(portfolio: Portfolio, criterion: str) -> str:
    valid = list(portfolio.standard.criteria)
    found = criterion.strip().upper()
    if found not in valid:
        raise UsageError(
            f"{portfolio.standard.code} has no criterion {criterion!r}",
            hint=did_you_mean(found, valid),
        )
    return found


def _criteria(portfolio: Portfolio, criteria: Iterable[str]) -> list[str]:
    return [_criterion(portfolio, c) for c in criteria]


def _methods(methods: Iterable[str | AssessmentMethod]) -> list[AssessmentMethod]:
    valid = [m.value for m in AssessmentMethod]
    out = []
    for method in methods:
        value = str(method).strip().lower().replace(" ", "_")
        if value not in valid:
            raise UsageError(
                f"unknown assessment method {method!r}", hint=did_you_mean(value, valid)
            )
        out.append(AssessmentMethod(value))
    return out


def _record_ids(portfolio: Portfolio, ids: Iterable[str]) -> list[str]:
    from ..portfolio.kinds import ASSESSOR_KINDS

    # The assessor's own observations, discussions and questioning may be relied on too.
    theirs = [i for k in ASSESSOR_KINDS for i in portfolio.layout.ids(k)]
    valid = [*portfolio.evidence_ids(), *portfolio.reflection_ids(), *theirs]
    out = []
    for record_id in ids:
        value = record_id.strip().upper()
        if value not in valid:
            raise UsageError(
                f"the portfolio has no evidence or reflection {record_id!r}",
                hint=did_you_mean(value, valid) if valid else "it has no records yet",
            )
        out.append(value)
    return out


def judge(
    portfolio: Portfolio,
    criterion: str,
    outcome: str,
    *,
    feedback: str = "",
    methods_sampled: Iterable[str | AssessmentMethod] = (),
    evidence: Iterable[str] = (),
    judged_on: date | None = None,
    rules: Mapping[str, bool | str | RuleCheck] | None = None,
    actions: Sequence[NewAction] = (),
) -> Judgement:
    """Record the assessor's judgement of one criterion (met / not_yet_met) in assessment.yaml.

    ``actions`` are action points for a "not yet met": (what, by when) each.
    """
    judged = judge_many(
        portfolio,
        [criterion],
        outcome,
        feedback=feedback,
        methods_sampled=methods_sampled,
        evidence=evidence,
        judged_on=judged_on,
        rules=rules,
        actions=actions,
    )
    return next(iter(judged.values()))


def _judgement(
    portfolio: Portfolio,
    outcome: str,
    *,
    feedback: str,
    methods_sampled: Iterable[str | AssessmentMethod],
    evidence: Iterable[str],
    judged_on: date | None,
    rules: Mapping[str, bool | str | RuleCheck] | None = None,
) -> Judgement:
    if judged_on is not None and judged_on > date.today():
        raise UsageError(
            f"the judgement is dated {judged_on}, after today",
            hint="a judgement is dated the day it is made (--date YYYY-MM-DD, or leave it out)",
        )
    return Judgement(
        outcome=outcome_of(outcome),
        judged_on=judged_on or date.today(),
        feedback=feedback.strip(),
        methods_sampled=_methods(methods_sampled),
        evidence=_record_ids(portfolio, evidence),
        rules=rule_checks(rules or {}),
    )


def _iqa_sample(
    portfolio: Portfolio,
    *,
    sampled_by: str,
    criteria: Iterable[str],
    outcome: str,
    notes: str,
    sampled_on: date | None,
) -> IQASample:
    if not sampled_by.strip():
        raise UsageError("the IQA sample needs the sampler's name", hint="give sampled_by")
    return IQASample(
        sampled_by=sampled_by,
        sampled_on=sampled_on or date.today(),
        criteria=_criteria(portfolio, criteria),
        outcome=outcome.strip(),
        notes=notes.strip(),
    )


def _judged(
    portfolio: Portfolio,
    assessment: Assessment,
    keys: Sequence[str],
    judgement: Judgement,
    actions: Sequence[NewAction] = (),
) -> Assessment:
    """The assessment with ``judgement`` for each of ``keys``, in the unit's order.

    Each keeps its earlier action points, then ``actions`` (see :func:`.actions.with_actions`).
    A unit recorded met stops being so when a criterion is judged not yet met: its outcome is
    cleared, for the assessor to record again (the CLI says so).
    """
    order = list(portfolio.standard.criteria)
    new = {k: with_actions(assessment.judgements.get(k), judgement, actions) for k in keys}
    judgements = {**assessment.judgements, **new}
    judgements = dict(sorted(judgements.items(), key=lambda kv: order.index(kv[0])))
    unit = (
        None if assessment.outcome == "met" and judgement.outcome != "met" else assessment.outcome
    )
    return assessment.model_copy(update={"judgements": judgements, "outcome": unit})


def assess(
    portfolio: Portfolio,
    criteria: Iterable[str] = (),
    outcome: str | None = None,
    *,
    feedback: str = "",
    methods_sampled: Iterable[str | AssessmentMethod] = (),
    evidence: Iterable[str] = (),
    judged_on: date | None = None,
    overall_feedback: str | None = None,
    iqa_by: str | None = None,
    iqa_criteria: Iterable[str] = (),
    iqa_outcome: str = "",
    iqa_notes: str = "",
    iqa_on: date | None = None,
    rules: Mapping[str, bool | str | RuleCheck] | None = None,
    unit_outcome: str | None = None,
    iqa_key: str | os.PathLike[str] | None = None,
    iqa_passphrase: str | None = None,
    actions: Sequence[NewAction] = (),
) -> Assessment:
    """Judge ``criteria``, give overall feedback and record an IQA sample in one write.

    What ``cpc306 assess`` does: the same ``outcome`` (with ``feedback``, the methods sampled,
    the evidence relied on and the ``rules`` of evidence checked) for every criterion given,
    ``overall_feedback`` when it is not ``None``, the ``unit_outcome`` when given, and an
    IQA sample by ``iqa_by`` when given (replacing any earlier one; sealed with its hash,
    and signed with ``iqa_key`` if given). Every argument is checked before anything is
    written; returns the assessment saved.
    """
    keys = _criteria(portfolio, criteria)
    if keys and outcome is None:
        raise UsageError("an outcome is needed", hint=f"use one of: {', '.join(OUTCOMES)}")
    if rules and not keys:
        raise UsageError("the rules of evidence belong to criteria", hint="name criteria too")
    if not (keys or overall_feedback is not None or iqa_by or unit_outcome):
        raise UsageError(
            "nothing to record",
            hint="give criteria with an outcome, overall feedback, a unit outcome or an IQA sample",
        )
    check_new_actions(outcome_of(outcome) if keys and outcome else None, actions)
    unit = outcome_of(unit_outcome) if unit_outcome else None
    key = load_private_key(Path(iqa_key), iqa_passphrase) if iqa_key and iqa_by else None
    judgement = (
        _judgement(
            portfolio,
            str(outcome),
            feedback=feedback,
            methods_sampled=methods_sampled,
            evidence=evidence,
            judged_on=judged_on,
            rules=rules,
        )
        if keys
        else None
    )
    if judgement is not None:
        # What the unit's strategy asks of a "met": the CLI refuses a bare one, as the page
        # and the import do.
        require_met_evidence(portfolio, dict.fromkeys(keys, judgement))
    sample = (
        _iqa_sample(
            portfolio,
            sampled_by=iqa_by,
            criteria=iqa_criteria,
            outcome=iqa_outcome,
            notes=iqa_notes,
            sampled_on=iqa_on,
        )
        if iqa_by
        else None
    )
    with portfolio.locked():
        assessment = portfolio.read_assessment()
        if judgement is not None:
            assessment = _judged(portfolio, assessment, keys, judgement, actions)
        if overall_feedback is not None:
            assessment = assessment.model_copy(update={"feedback": overall_feedback.strip()})
        if unit is not None:
            assessment = with_unit_outcome(portfolio, assessment, unit)
        if sample is not None:
            assessment = assessment.model_copy(
                update={"iqa": seal_against(sample, assessment, key)}
            )
        return portfolio.save_assessment(assessment)


def judge_many(
    portfolio: Portfolio,
    criteria: Iterable[str],
    outcome: str,
    *,
    feedback: str = "",
    methods_sampled: Iterable[str | AssessmentMethod] = (),
    evidence: Iterable[str] = (),
    judged_on: date | None = None,
    rules: Mapping[str, bool | str | RuleCheck] | None = None,
    actions: Sequence[NewAction] = (),
) -> dict[str, Judgement]:
    """Record the same judgement for several criteria in one write; return them by criterion.

    ``rules`` are the rules of evidence checked (VACSR): each rule's name with ``True``
    (met, no note), a note (met, with that note) or a :class:`RuleCheck`. Every argument
    is checked before anything is written.
    """
    keys = _criteria(portfolio, criteria)
    if not keys:
        raise UsageError("no criterion given", hint="name at least one criterion, e.g. A1")
    judgement = _judgement(
        portfolio,
        outcome,
        feedback=feedback,
        methods_sampled=methods_sampled,
        evidence=evidence,
        judged_on=judged_on,
        rules=rules,
    )
    check_new_actions(judgement.outcome, actions)
    with portfolio.locked():
        assessment = portfolio.read_assessment()
        saved = portfolio.save_assessment(_judged(portfolio, assessment, keys, judgement, actions))
    return {k: saved.judgements[k] for k in keys}


def set_unit_outcome(portfolio: Portfolio, outcome: str | None) -> None:
    """Record the assessor's judgement of the whole unit (``None`` clears it).

    The unit is met only when every criterion is judged met.
    """
    value = outcome_of(outcome) if outcome else None
    with portfolio.locked():
        assessment = portfolio.read_assessment()
        portfolio.save_assessment(with_unit_outcome(portfolio, assessment, value))


def set_feedback(portfolio: Portfolio, text: str) -> None:
    """Record the assessor's overall feedback to the learner."""
    with portfolio.locked():
        assessment = portfolio.read_assessment()
        portfolio.save_assessment(assessment.model_copy(update={"feedback": text.strip()}))


def record_iqa(
    portfolio: Portfolio,
    *,
    sampled_by: str,
    criteria: Iterable[str] = (),
    outcome: str = "",
    notes: str = "",
    sampled_on: date | None = None,
    key_path: str | os.PathLike[str] | None = None,
    passphrase: str | None = None,
) -> IQASample:
    """Record an internal quality assurer's sample of this portfolio (replaces any earlier).

    The sample is sealed with its own hash, bound to the sign-off it sampled, and signed
    when the quality assurer gives their key, so a later change to it shows.
    """
    sample = _iqa_sample(
        portfolio,
        sampled_by=sampled_by,
        criteria=criteria,
        outcome=outcome,
        notes=notes,
        sampled_on=sampled_on,
    )
    key = load_private_key(Path(key_path), passphrase) if key_path else None
    with portfolio.locked():
        assessment = portfolio.read_assessment()
        sample = seal_against(sample, assessment, key)
        portfolio.save_assessment(assessment.model_copy(update={"iqa": sample}))
    return sample


def signed_manifest(portfolio: Portfolio, assessment: Assessment) -> Manifest:
    """The sign-off's manifest with the assessment hashed exactly as it will be written.

    The file on disk may lack fields the model writes (``replies: {}`` in an older file):
    hashing the disk and then writing the model made a fresh sign-off fail verification.
    """
    built = build_manifest(portfolio, include_assessment=True)
    files = {k: v for k, v in built.files.items() if not k.startswith(f"{ASSESSMENT_FILE}#")}
    files.update(assessment_entries(assessment.to_data(), assessment_schema(portfolio)))
    ordered = {path: files[path] for path in sorted(files)}
    return Manifest(created_at=built.created_at, files=ordered, fingerprint=fingerprint_of(ordered))


def sign_off(
    portfolio: Portfolio,
    key_path: str | os.PathLike[str],
    *,
    signed_by: str | None = None,
    passphrase: str | None = None,
) -> SignOff:
    """Sign the portfolio and the judgements with the assessor's key; write assessment.yaml.

    The manifest covers every record and attachment, the profile, the learner's declaration
    and the judgements and feedback. Refuses while any file is invalid, the learner has not
    declared, a confidentiality finding is open or nothing is judged; records an *interim*
    sign-off while any criterion is unjudged. The signer's name defaults to the one in the
    key's ``.pub`` file, then to the assessor the portfolio names.
    """
    key = load_private_key(Path(key_path), passphrase)
    with portfolio.locked():
        assessment = portfolio.read_assessment()
        interim = require_signable(portfolio, assessment)
        manifest = signed_manifest(portfolio, assessment)
        signer = (signed_by or "").strip() or key_name(key_path) or portfolio.profile.assessor.name
        signature, public_key = sign_manifest(manifest, key, signed_by=signer)
        signoff = SignOff(
            signed_by=signer,
            signed_at=manifest.created_at,
            manifest=manifest,
            public_key=public_key,
            key_fingerprint=key_fingerprint(public_key),
            signature=signature,
            interim=interim,
        )
        portfolio.save_assessment(assessment.model_copy(update={"signoff": signoff}))
    return signoff
