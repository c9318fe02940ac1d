"""Importing the assessor's file: a draft saved by the page, or one signed beside the page.

The file's format is described in :mod:`.drafts`. Import records a judgement only when it
can stand behind it (DESIGN.md, "Trust"): the file's fields are checked (no key twice, no
unknown field, no date in the future), the portfolio must be the one the page showed and
its assessment the one the draft was based on (no older round, no file twice); a signed
file's signature must be valid, its key on the centre's list and the page it was signed
beside what the folder renders now; an unsigned draft is taken only when asked, and is
then shown as "recorded, not signed". Every signature or trust failure is a
:class:`~cpc306_portfolio.errors.VerificationError` (exit 7).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Problem, RecordError, UsageError, VerificationError
from ..files.yamlio import validation_problems
from ..portfolio.layout import ASSESSMENT_FILE
from ..portfolio.manifest import (
    assessment_entries,
    assessment_schema,
    build_manifest,
    diff_manifest,
    learner_part,
)
from ..portfolio.models import Assessment, Judgement, SignOff
from ..portfolio.store import Portfolio
from .drafts import assessment_base, read_draft
from .outcomes import require_met_evidence, with_unit_outcome
from .readiness import require_signable
from .signing import key_fingerprint, short_fingerprint, verify_signature


@dataclass(frozen=True)
class ImportResult:
    """What an import recorded."""

    judged: list[str]
    signoff: SignOff | None
    interim: bool


def _problem(path: Path, message: str, field: str = "", hint: str = "") -> RecordError:
    return RecordError([Problem(str(path), message, field=field, hint=hint)])


def _with_unit(
    portfolio: Portfolio, assessment: Assessment, outcome: Any, source: Path
) -> Assessment:
    """``assessment`` with the unit's ``outcome``, refused (naming the file) if it cannot hold."""
    try:
        return with_unit_outcome(portfolio, assessment, outcome)
    except UsageError as error:
        raise _problem(source, error.message, field="assessment.outcome", hint=error.hint) from None


def read_assessment_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The file as data, checked as :func:`~.drafts.read_draft` checks it."""
    return read_draft(path)


def _check_portfolio(portfolio: Portfolio, data: dict[str, Any], source: Path) -> None:
    unit = data.get("unit")
    if unit != portfolio.standard.code:
        raise _problem(
            source,
            f"it judges unit {unit!r}, the portfolio is for {portfolio.standard.code!r}",
            field="unit",
            hint="import it into the portfolio it was made for",
        )
    learner = learner_part(build_manifest(portfolio, include_assessment=True))
    if data.get("portfolio_fingerprint") == learner.fingerprint:
        return
    rendered = data.get("portfolio_files")
    names: list[str] = []
    if isinstance(rendered, dict):
        added, removed, changed = diff_manifest(
            {str(k): str(v) for k, v in rendered.items()}, learner
        )
        names = [*(f"{n} (changed)" for n in changed), *(f"{n} (added)" for n in added)]
        names += [f"{n} (removed)" for n in removed]
    raise VerificationError(
        f"{portfolio.root} has changed since the assessor read it: "
        + (", ".join(names) if names else "its fingerprint differs")
        + f"; nothing was imported from {source}",
        hint="render the portfolio again, send it to the assessor, and import their new file",
    )


def _judgements(portfolio: Portfolio, raw: Any, source: Path) -> dict[str, Judgement]:
    if not isinstance(raw, dict):
        raise _problem(source, "judgements must be a mapping", field="assessment.judgements")
    from ..portfolio.kinds import ASSESSOR_KINDS

    # As ``cpc306 assess judge`` allows: the assessor's own observations, discussions and
    # questioning may be relied on too (a draft signed beside the page names them).
    theirs = {i for kind in ASSESSOR_KINDS for i in portfolio.layout.ids(kind)}
    valid_ids = {*portfolio.evidence_ids(), *portfolio.reflection_ids(), *theirs}
    out: dict[str, Judgement] = {}
    problems: list[Problem] = []
    for criterion, fields in raw.items():
        where = f"assessment.judgements.{criterion}"
        if criterion not in portfolio.standard.criteria:
            problems.append(
                Problem(
                    str(source),
                    f"{portfolio.standard.code} has no criterion {criterion!r}",
                    field=where,
                    hint=f"use one of: {', '.join(portfolio.standard.criteria)}",
                )
            )
            continue
        try:
            judgement = Judgement.model_validate(fields)
        except ValidationError as exc:
            for p in validation_problems(exc, fields, source):
                problems.append(replace(p, field=f"{where}.{p.field}"))
            continue
        for i, record_id in enumerate(judgement.evidence):
            if record_id not in valid_ids:
                problems.append(
                    Problem(
                        str(source),
                        f"the portfolio has no evidence or reflection {record_id!r}",
                        field=f"{where}.evidence[{i}]",
                        hint="name items the portfolio holds",
                    )
                )
        out[criterion] = judgement
    if problems:
        raise RecordError(problems, hint="nothing was imported")
    order = list(portfolio.standard.criteria)
    return dict(sorted(out.items(), key=lambda kv: order.index(kv[0])))


def _signoff(raw: Any, source: Path, trust: Mapping[str, str] | None, base: str) -> SignOff:
    try:
        signoff = SignOff.model_validate(raw)
    except ValidationError as exc:
        problems = validation_problems(exc, raw, source)
        raise RecordError(
            [replace(p, field=f"signoff.{p.field}") for p in problems],
            hint="nothing was imported",
        ) from None
    valid = verify_signature(
        signoff.manifest,
        signoff.signature,
        signoff.public_key,
        signed_by=signoff.signed_by,
        page_sha256=signoff.page_sha256,
        base=signoff.base,
    ) and signoff.key_fingerprint in ("", key_fingerprint(signoff.public_key))
    if not valid or signoff.base != base or not signoff.page_sha256:
        raise VerificationError(
            f"{source}: the signature is NOT valid: the file was changed after it was signed",
            hint="ask the assessor for the file exactly as cpc306 assess sign saved it; "
            "nothing was imported",
        )
    if trust is None:
        raise VerificationError(
            f"{source} is signed, but without the centre's list nobody can say by whom",
            hint="import it with --trust CENTRE_KEYS; nothing was imported",
        )
    if signoff.public_key not in trust:
        raise VerificationError(
            f"{source} is signed with key {short_fingerprint(signoff.key_fingerprint)}…, "
            "which is not on the centre's list",
            hint="only a key the centre lists can sign off; nothing was imported",
        )
    return signoff


def _check_base(portfolio: Portfolio, data: dict[str, Any], source: Path) -> str:
    base = assessment_base(portfolio.read_assessment())
    if data.get("base") != base:
        raise VerificationError(
            f"{source} was made on an assessment of {portfolio.root} that is no longer "
            "the current one (an older round, or a file already imported)",
            hint="render the portfolio again and judge in the new page; nothing was imported",
        )
    return base


def _merged(portfolio: Portfolio, current: Assessment, judgements: dict[str, Judgement]) -> Any:
    order = list(portfolio.standard.criteria)
    merged = {**current.judgements, **judgements}
    return dict(sorted(merged.items(), key=lambda kv: order.index(kv[0])))


def import_assessment(
    portfolio: Portfolio,
    path: str | os.PathLike[str],
    *,
    trust: Mapping[str, str] | None = None,
    unsigned: bool = False,
    rendered_digests: Callable[[], Iterable[str]] | None = None,
) -> ImportResult:
    """Record an assessor's file into ``assessment.yaml`` if it can be stood behind.

    ``trust`` is the centre's list (:func:`~.signing.load_trust_names`): a signed file is
    refused without it. ``rendered_digests`` gives the digests of the pages the folder
    renders now (:func:`cpc306_portfolio.render.page_check.check_page`): the page a file
    was signed beside must be one of them. An unsigned draft is refused unless
    ``unsigned``; it then adds its judgements to those recorded, and they read "recorded,
    not signed" until a trusted sign-off covers them. Writes nothing when it refuses.
    """
    source = Path(path).expanduser()
    data = read_draft(source)
    part = data["assessment"]
    with portfolio.locked():
        _check_portfolio(portfolio, data, source)
        judgements = _judgements(portfolio, part.get("judgements", {}), source)
        feedback = part.get("feedback", "")
        outcome = part.get("outcome")
        if not isinstance(feedback, str) or outcome not in (None, "met", "not_yet_met"):
            raise _problem(
                source,
                "feedback must be text and outcome one of met, not_yet_met or null",
                field="assessment",
            )
        require_met_evidence(portfolio, judgements, source)
        base = _check_base(portfolio, data, source)
        current = portfolio.read_assessment()
        raw_signoff = data.get("signoff")
        if raw_signoff is None:
            if not unsigned:
                raise VerificationError(
                    f"{source} is not signed",
                    hint="sign it beside the page (cpc306 assess sign DRAFT --page PAGE --key "
                    "KEY -o SIGNED), or import it with --unsigned to record it as "
                    "'recorded, not signed'; nothing was imported",
                )
            merged = _merged(portfolio, current, judgements)
            kept = current.outcome
            if kept == "met" and any(j.outcome != "met" for j in merged.values()):
                kept = None  # a criterion no longer met: the unit's "met" no longer holds
            new = current.model_copy(
                update={"judgements": merged, "feedback": feedback or current.feedback}
            )
            new = _with_unit(portfolio, new, outcome or kept, source)
            portfolio.save_assessment(new)
            return ImportResult(list(judgements), None, False)
        signoff = _signoff(raw_signoff, source, trust, base)
        if rendered_digests is None or signoff.page_sha256 not in set(rendered_digests()):
            raise VerificationError(
                f"{source} was signed beside a page that is not what {portfolio.root} "
                "renders now: the page was edited, or the folder changed",
                hint="check the page with: cpc306 verify PORTFOLIO --html PAGE; "
                "nothing was imported",
            )
        dropped = [c for c in current.judgements if c not in judgements]
        if dropped:
            raise _problem(
                source,
                f"it leaves out judgements already recorded ({', '.join(dropped)})",
                field="assessment.judgements",
                hint="render the portfolio again so the page shows them, and judge there",
            )
        new = Assessment.model_validate(
            {
                **current.model_dump(),
                "judgements": judgements,
                "feedback": feedback,
                "outcome": outcome,
                "signoff": None,
            }
        )
        new = _with_unit(portfolio, new, outcome, source)
        interim = require_signable(portfolio, new)
        expected = {
            k: v
            for k, v in build_manifest(portfolio, include_assessment=True).files.items()
            if not k.startswith(f"{ASSESSMENT_FILE}#")
        }
        expected.update(assessment_entries(new.to_data(), assessment_schema(portfolio)))
        added, removed, changed = diff_manifest(signoff.manifest.files, expected)
        if added or removed or changed:
            raise VerificationError(
                f"{source}: what was signed is not what would be recorded "
                f"(entries differ: {', '.join(sorted({*added, *removed, *changed}))})",
                hint="render the portfolio again and sign there; nothing was imported",
            )
        signoff = signoff.model_copy(update={"interim": interim, "signed_in": "browser"})
        portfolio.save_assessment(new.model_copy(update={"signoff": signoff}))
    return ImportResult(list(judgements), signoff, interim)
