"""The assessor's draft (what judging in a page saves) and signing it beside the page.

A page never holds a key (DESIGN.md, "Trust"). Judging in it saves a *draft*,
``cpc306-assessment/2``::

    {"format": "cpc306-assessment/2", "unit": "CPC 306", "learner": "...",
     "portfolio_fingerprint": "<the learner's fingerprint the page showed>",
     "portfolio_files": {"<entry>": "<sha256>", ...},
     "base": "<digest of the assessment the page showed: see assessment_base>",
     "assessment": {"judgements": {"A1": {...}}, "feedback": "...", "outcome": null},
     "signoff": null}

``cpc306 assess sign`` (:func:`sign_draft`) fills ``signoff`` on the assessor's own machine:
it reads the page file itself, computes its digest, builds the manifest ``cpc306 sign``
would build after import from the page's own panel data, and signs it together with the
page digest and the base. Import then checks that the page is what the folder renders
now (which also vouches for the panel data the manifest was built from).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Problem, RecordError, UsageError
from ..files.yamlio import validation_problems
from ..portfolio.manifest import assessment_entries, canonical_hash, fingerprint_of
from ..portfolio.models import Assessment, Judgement, Manifest, SignOff, now
from .readiness import key_name
from .signing import key_fingerprint, load_private_key, sign_manifest

FORMAT = "cpc306-assessment/2"
#: Judgements and feedback are text; a file bigger than this is not an assessment.
MAX_BYTES = 5 * 1024 * 1024
TOP_FIELDS = (
    "format",
    "unit",
    "learner",
    "portfolio_fingerprint",
    "portfolio_files",
    "base",
    "assessment",
    "signoff",
)
ASSESSMENT_FIELDS = ("judgements", "feedback", "outcome")
#: Left out of the base: written after the round by other people (the IQA sample) or by
#: the clock, not part of what the assessor judged on.
# The schema string is the writing toolkit's, not the round's: a newer toolkit must still
# recognise a draft made on a page an older one rendered.
_BASE_SKIP = ("schema", "modified", "iqa")


def assessment_base(assessment: Assessment) -> str:
    """The digest of an assessment as a round starts from it.

    It covers the judgements, feedback, replies, outcome and sign-off. A draft carries the
    base it was made on; import takes it only while the portfolio's assessment is still
    that one, so no older round (and no file twice) comes back.
    """
    data = {k: v for k, v in assessment.to_data().items() if k not in _BASE_SKIP}
    return canonical_hash(data)


def _problem(path: Path, message: str, field: str = "", hint: str = "") -> RecordError:
    return RecordError([Problem(str(path), message, field=field, hint=hint)])


class _Duplicate(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            # A second "signoff" can make a file that shows a signature read as unsigned.
            raise _Duplicate(key)
        out[key] = value
    return out


def read_draft(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A draft or signed file as data: JSON with no key twice, no unknown field, no future."""
    source = Path(path).expanduser()
    if not source.is_file() or source.is_symlink():
        raise UsageError(f"{source}: no such file", hint="give the draft file the page saved")
    if source.stat().st_size > MAX_BYTES:
        raise _problem(source, "too large to be an assessment file")
    try:
        data = json.loads(source.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicates)
    except _Duplicate as exc:
        raise _problem(
            source,
            f"the field {exc.key!r} appears twice",
            field=exc.key,
            hint="use the file exactly as the page or cpc306 assess sign saved it",
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _problem(
            source, f"not JSON ({exc})", hint="give the .json file the page saved"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _problem(
            source,
            f"not a {FORMAT} file (older files were made by pages that could hold a key)",
            field="format",
            hint="render the portfolio again and judge in the new page",
        )
    _only(source, data, TOP_FIELDS, "")
    part = data.get("assessment")
    if not isinstance(part, dict):
        raise _problem(source, "has no assessment", field="assessment")
    _only(source, part, ASSESSMENT_FIELDS, "assessment.")
    _no_future(source, part)
    return data


def _only(source: Path, data: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    for name in data:
        if name not in allowed:
            raise _problem(
                source,
                f"unknown field {where}{name}",
                field=f"{where}{name}",
                hint=f"a {FORMAT} file has only: {', '.join(allowed)}",
            )


def _no_future(source: Path, part: dict[str, Any]) -> None:
    judgements = part.get("judgements") or {}
    if not isinstance(judgements, dict):
        return
    today = date.today()
    for criterion, fields in judgements.items():
        day = fields.get("judged_on") if isinstance(fields, dict) else None
        try:
            when = date.fromisoformat(str(day)) if day is not None else None
        except ValueError:
            continue  # the model names a date that is not one
        if when is not None and when > today:
            raise _problem(
                source,
                f"{criterion} is dated {when}, after today ({today})",
                field=f"assessment.judgements.{criterion}.judged_on",
                hint="a judgement is dated the day it is made",
            )


@dataclass(frozen=True)
class SignedDraft:
    """What :func:`sign_draft` made."""

    data: dict[str, Any]
    signoff: SignOff


def _checked_judgements(page: dict[str, Any], part: dict[str, Any], source: Path) -> dict[str, Any]:
    """The draft's judgements as the model writes them; every problem named by its field."""
    raw = part.get("judgements")
    if not isinstance(raw, dict) or not raw:
        raise _problem(source, "judges no criterion", field="assessment.judgements")
    criteria = list(page.get("criteria") or [])
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for criterion, fields in raw.items():
        where = f"assessment.judgements.{criterion}"
        if criterion not in criteria:
            problems.append(
                Problem(str(source), f"the unit has no criterion {criterion!r}", field=where)
            )
            continue
        try:
            judgement = Judgement.model_validate(fields)
        except ValidationError as exc:
            for p in validation_problems(exc, fields, source):
                problems.append(replace(p, field=f"{where}.{p.field}".rstrip(".")))
            continue
        assessment = Assessment(judgements={criterion: judgement})
        out[criterion] = assessment.to_data()["judgements"][criterion]
    if problems:
        raise RecordError(problems, hint="save the draft again from the page; nothing was signed")
    return out


def _draft_assessment(
    page: dict[str, Any], part: dict[str, Any], judgements: dict[str, Any]
) -> dict[str, Any]:
    """assessment.yaml's data after import, as far as the manifest hashes it."""
    rest = dict(page.get("assessment_rest") or {})
    rest["feedback"] = part.get("feedback") or ""
    if part.get("outcome"):
        rest["outcome"] = part["outcome"]
    else:
        rest.pop("outcome", None)
    return {**rest, "judgements": judgements}


def sign_draft(
    draft: dict[str, Any],
    page: dict[str, Any],
    page_sha256: str,
    key_path: str | os.PathLike[str],
    *,
    signed_by: str | None = None,
    passphrase: str | None = None,
    source: Path = Path("draft"),
) -> SignedDraft:
    """Sign a draft beside the page it was made in (``page``: that page's panel data).

    Refuses a draft made in another page, or for another portfolio or round.
    """
    for name in ("portfolio_fingerprint", "base", "unit"):
        if draft.get(name) != page.get(name):
            raise _problem(
                source,
                f"its {name} is not the page's: it was not made in this page",
                field=name,
                hint="sign it beside the page you judged in",
            )
    part = draft["assessment"]
    judgements = _checked_judgements(page, part, source)
    key = load_private_key(Path(key_path), passphrase)
    files = dict(page.get("signed_base") or {})
    schema = page.get("assessment_schema")
    files.update(
        assessment_entries(
            _draft_assessment(page, part, judgements), str(schema) if schema else None
        )
    )
    ordered = {p: files[p] for p in sorted(files)}
    manifest = Manifest(created_at=now(), files=ordered, fingerprint=fingerprint_of(ordered))
    signer = (signed_by or "").strip() or key_name(key_path) or str(page.get("assessor") or "")
    base = str(draft.get("base") or "")
    signature, public = sign_manifest(
        manifest, key, signed_by=signer, page_sha256=page_sha256, base=base
    )
    signoff = SignOff(
        signed_by=signer,
        signed_at=manifest.created_at,
        manifest=manifest,
        public_key=public,
        key_fingerprint=key_fingerprint(public),
        signature=signature,
        interim=len(part["judgements"]) < len(page.get("criteria") or []),
        signed_in="browser",
        page_sha256=page_sha256,
        base=base,
    )
    return SignedDraft({**draft, "signoff": signoff.model_dump(mode="json")}, signoff)
