"""The assessment file the portfolio's HTML panel downloads, and importing it.

The assessor judges in the HTML page, offline, and downloads
``assessment-<learner>-<date>.json`` (format ``cpc306-assessment/1``)::

    {"format": "cpc306-assessment/1", "unit": "CPC 306", "learner": "...",
     "portfolio_fingerprint": "<the learner's fingerprint the page showed>",
     "portfolio_files": {"<entry>": "<sha256>", ...},
     "assessment": {"judgements": {"A1": {...}}, "feedback": "...", "outcome": "met"},
     "signoff": null | {"signed_by": ..., "manifest": {...}, "signature": ..., ...}}

When the assessor loaded their key, the page built the same manifest ``cpc306 sign``
builds (the learner's files as rendered, the declaration, each judgement and the
feedback, hashed the same way) and signed its canonical text with WebCrypto. Import
checks the file against the portfolio as it is now, writes the judgements, and records
the sign-off only if the manifest it would build after the write is exactly the one
signed, so ``cpc306 verify`` checks it like any other sign-off.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Problem, RecordError, SigningError, UsageError, VerificationError
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
from .readiness import require_signable
from .signing import key_fingerprint, verify_signature

FORMAT = "cpc306-assessment/1"
#: Judgements and feedback are text; a file bigger than this is not an assessment.
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    """What an import recorded."""

    judged: list[str]
    signoff: SignOff | None
    interim: bool


def _problem(path: Path, message: str, field: str = "", hint: str = "") -> RecordError:
    return RecordError([Problem(str(path), message, field=field, hint=hint)])


def read_assessment_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The downloaded file as data, with its format checked."""
    source = Path(path).expanduser()
    if not source.is_file() or source.is_symlink():
        raise UsageError(f"{source}: no such file", hint="give the file the page downloaded")
    if source.stat().st_size > MAX_BYTES:
        raise _problem(source, "too large to be an assessment file")
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _problem(
            source, f"not JSON ({exc})", hint="give the .json file the page downloaded"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _problem(
            source,
            f"not a {FORMAT} file",
            field="format",
            hint="give the file the portfolio's Download assessment button saved",
        )
    return data


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
    valid_ids = {*portfolio.evidence_ids(), *portfolio.reflection_ids()}
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


def _signoff(raw: Any, source: Path) -> SignOff:
    try:
        signoff = SignOff.model_validate(raw)
    except ValidationError as exc:
        problems = validation_problems(exc, raw, source)
        raise RecordError(
            [replace(p, field=f"signoff.{p.field}") for p in problems],
            hint="nothing was imported",
        ) from None
    if not verify_signature(
        signoff.manifest, signoff.signature, signoff.public_key, signed_by=signoff.signed_by
    ) or signoff.key_fingerprint not in ("", key_fingerprint(signoff.public_key)):
        raise SigningError(
            f"{source}: the signature is NOT valid: the file was changed after it was signed",
            hint="ask the assessor for the file exactly as the page saved it; nothing was imported",
        )
    return signoff


def import_assessment(portfolio: Portfolio, path: str | os.PathLike[str]) -> ImportResult:
    """Merge a downloaded assessment into ``assessment.yaml``; record its sign-off if signed.

    Refuses (writing nothing) when the portfolio changed since the page was rendered,
    when a judgement does not fit the unit, or when a signature is broken. A signed file
    replaces the judgements and feedback (the signature covers all of them); an unsigned
    one adds its judgements to those already recorded.
    """
    source = Path(path).expanduser()
    data = read_assessment_file(source)
    part = data.get("assessment")
    if not isinstance(part, dict):
        raise _problem(source, "has no assessment", field="assessment")
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
        current = portfolio.read_assessment()
        raw_signoff = data.get("signoff")
        if raw_signoff is None:
            merged = {**current.judgements, **judgements}
            order = list(portfolio.standard.criteria)
            new = current.model_copy(
                update={
                    "judgements": dict(sorted(merged.items(), key=lambda kv: order.index(kv[0]))),
                    "feedback": feedback or current.feedback,
                    "outcome": outcome or current.outcome,
                }
            )
            portfolio.save_assessment(new)
            return ImportResult(list(judgements), None, False)
        signoff = _signoff(raw_signoff, source)
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
        interim = require_signable(portfolio, new)
        expected = {
            k: v
            for k, v in build_manifest(portfolio, include_assessment=True).files.items()
            if not k.startswith(f"{ASSESSMENT_FILE}#")
        }
        expected.update(assessment_entries(new.to_data(), assessment_schema(portfolio)))
        added, removed, changed = diff_manifest(signoff.manifest.files, expected)
        if added or removed or changed:
            raise SigningError(
                f"{source}: what was signed is not what would be recorded "
                f"(entries differ: {', '.join(sorted({*added, *removed, *changed}))})",
                hint="render the portfolio again and sign there; nothing was imported",
            )
        signoff = signoff.model_copy(update={"interim": interim, "signed_in": "browser"})
        portfolio.save_assessment(new.model_copy(update={"signoff": signoff}))
    return ImportResult(list(judgements), signoff, interim)
