"""One learner as plain data for the dashboard and the IQA sample (it crosses processes)."""

from __future__ import annotations

import os
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..analysis.status import portfolio_status
from ..assessor.signing import load_trust_names, trust_list_fingerprint
from ..assessor.verification import verify_portfolio
from ..portfolio.kinds import REVIEW
from ..portfolio.models import Evidence, Reflection
from ..portfolio.reviews import next_review
from ..portfolio.store import Portfolio


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def trust_list(trust: str | os.PathLike[str] | None) -> tuple[str, str]:
    """The centre's list as an absolute path and its fingerprint ("" twice for none).

    Read at once, so a list that is missing or wrong fails before any learner is read.
    """
    if not trust:
        return "", ""
    path = Path(trust).expanduser().resolve()
    return str(path), trust_list_fingerprint(load_trust_names(path))


def sign_off_state(
    portfolio: Portfolio, trust: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """Declared / signed / verified, as the dashboard, CSVs and IQA sample count them.

    ``declared``: the learner declared and nothing changed since. ``signed``: a sign-off
    that is valid, unchanged and by a key on the centre's list (never without a list).
    ``verified``: True or False once checked against a list, None when no list was given.
    ``signoff_recorded`` says only that a sign-off is written down, by any key.
    """
    result = verify_portfolio(portfolio, trust)
    declaration, signoff = result.declaration, result.signoff
    signed = (
        signoff is not None
        and signoff.signature_valid is True
        and signoff.matches
        and signoff.trusted is True
    )
    return {
        "declared": declaration is not None and declaration.matches,
        "signoff_recorded": signoff is not None,
        "signed": signed,
        "signed_off": signed,
        "verified": (signed and result.ok) if result.trust_checked else None,
        "signer": (signoff.trusted_name or "") if signed and signoff else "",
    }


def learner_summary(
    portfolio: Portfolio,
    trust: str | os.PathLike[str] | None = None,
    trust_fingerprint: str = "",
) -> dict[str, Any]:
    """What the dashboard and the IQA sample need about one learner, as plain data.

    Dates are ISO strings. ``last_activity`` is the latest of the records' activity dates
    and the days they were last saved (the day the portfolio was started when it has no
    records). Per criterion, ``judged_on`` and ``relied_on`` (items a judgement rests on)
    come from the assessment; ``waiting_since`` is, for a criterion ready for a decision,
    the newest date among the records mapped to it. ``next_review`` is the date the latest
    progress review set for the next one ("" when none is set).
    """
    state = portfolio_status(portfolio)  # rows, no pandas per learner
    evidence, reflections, assessment = state.evidence, state.reflections, state.assessment
    standard, cov = state.standard, state.rows
    profile = portfolio.profile
    methods = {e.method.value for e in evidence}
    if reflections:
        methods.add("reflective_account")
    assessors = {profile.assessor.name}
    state_of_signoff = sign_off_state(portfolio, trust)
    if state_of_signoff["signer"]:
        # Only a name the centre's list gives a key counts as an assessor of this learner.
        assessors.add(state_of_signoff["signer"])
    records: list[Evidence | Reflection] = [*evidence, *reflections]
    newest = {r.id: max(r.date, _day(r.modified)) for r in records}
    criteria = []
    for row in cov.criteria:
        items = [str(i) for i in row["items"]]
        judgement = assessment.judgements.get(str(row["criterion"]))
        waiting = [newest[i] for i in items if i in newest] if row["status"] == "ready" else []
        criteria.append(
            {
                "criterion": row["criterion"],
                "element": row["element"],
                "status": row["status"],
                "items": len(items),
                "judged_on": judgement.judged_on.isoformat() if judgement else "",
                "relied_on": (len(judgement.evidence) or len(items)) if judgement else 0,
                "waiting_since": max(waiting).isoformat() if waiting else "",
            }
        )
    statuses = [c["status"] for c in criteria]
    dates = sorted(r.date for r in records)
    started = _day(profile.created)
    last = max(newest.values()) if newest else started
    due = next_review(portfolio.records.all(REVIEW))
    return {
        "name": profile.learner.name,
        "organisation": profile.learner.organisation,
        "centre": profile.centre.name,
        "assessor": profile.assessor.name,
        "assessors": sorted(assessors),
        "unit": standard.code,
        "unit_title": standard.title,
        "elements": [e.id for e in standard.elements],
        "elements_evidenced": sorted({c["element"] for c in criteria if c["items"]}),
        "methods": sorted(methods),
        "evidence_count": len(evidence),
        "reflection_count": len(reflections),
        "started": started.isoformat(),
        "first_record": dates[0].isoformat() if dates else "",
        "last_activity": last.isoformat(),
        "next_review": due.isoformat() if due else "",
        "judged": len(assessment.judgements),
        **state_of_signoff,
        "trust_fingerprint": trust_fingerprint,
        "criteria": criteria,
        "progress": asdict(cov.progress),
        "gaps": len(cov.gaps),
        "ready": bool(statuses)
        and all(s in ("ready", "met") for s in statuses)
        and "ready" in statuses,
        "complete": bool(statuses) and all(s == "met" for s in statuses),
    }
