"""What a record can only be checked for against the loaded unit, and the unit's reflection models.

A model (:mod:`.models`) checks what one file can say about itself; these check its
mappings to the unit's criteria, scope options, knowledge items and evidence kinds, and
the rules that cross fields (a witness for observed work, a reflection's stages).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from ..errors import Problem
from ..standard.methods import AssessmentMethod
from ..standard.model import Standard
from .contact_checks import contact_problems
from .layout import EVIDENCE_DIR
from .models import Assessment, Evidence, Profile, Reflection
from .reflection import reflection_models
from .suggest import unknown_ids as _unknown


def check_mappings(fields: Mapping[str, Any], standard: Standard, path: str) -> list[Problem]:
    """Unknown criteria, scope options, knowledge items and evidence kinds in raw fields.

    Works on unvalidated data too, so one save reports a bad date and a bad mapping at once.
    """
    out: list[Problem] = []
    for field, valid, what in (
        ("criteria", standard.criteria, "criterion"),
        ("scope", standard.scope_options, "scope option"),
        ("knowledge", standard.knowledge_ids, "knowledge item"),
        ("evidence_kind", standard.evidence_kinds, "evidence kind"),
    ):
        values = fields.get(field)
        if isinstance(values, list):
            out += _unknown(path, field, [v for v in values if isinstance(v, str)], valid, what)
    return out


_MAPPED = ("criteria", "scope", "knowledge", "evidence_kind")


def _common(record: Evidence | Reflection, standard: Standard, path: str) -> list[Problem]:
    """What every kind of record must meet: known mappings, and no date in the future."""
    # The four mapped fields as they are (a full model_dump per record costs more than
    # the check): lists of plain strings, as a dump would give them.
    mapped = {f: getattr(record, f, None) for f in _MAPPED}
    out = check_mappings(mapped, standard, path)
    if record.date > date.today() + timedelta(days=1):
        out.append(
            Problem(
                path,
                f"the date {record.date} is in the future",
                field="date",
                hint="give the date the activity took place (YYYY-MM-DD)",
            )
        )
    return out


def check_evidence(record: Evidence, standard: Standard, path: str) -> list[Problem]:
    """An evidence record against the unit: mappings, its witness, its attachments' folder."""
    out = _common(record, standard, path)
    linked = record.method == AssessmentMethod.OBSERVATION and bool(record.observation)
    if record.method.needs_witness and record.witness is None and not linked:
        out.append(
            Problem(
                path,
                "evidence observed by your assessor names their observation record"
                if record.method == AssessmentMethod.OBSERVATION
                else f"evidence by {record.method.label.lower()} needs a witness",
                field="observation" if record.method == AssessmentMethod.OBSERVATION else "witness",
                hint="choose your assessor's observation record (in the file, observation: "
                "O001); only your assessor records what they observed, with cpc306 assess "
                "observe: ask them if it is not there yet"
                if record.method == AssessmentMethod.OBSERVATION
                else "add the name and role of the person who saw the work",
            )
        )
    for i, att in enumerate(record.attachments):
        if not att.path.startswith(record.id + "/"):
            out.append(
                Problem(
                    path,
                    f"attachment {att.path!r} is not in this record's folder",
                    field=f"attachments[{i}].path",
                    hint=f"attachments live under {EVIDENCE_DIR}/{record.id}/",
                )
            )
    return out


def check_reflection(record: Reflection, standard: Standard, path: str) -> list[Problem]:
    """A reflective account against the unit and its reflection model's stages."""
    out = _common(record, standard, path)
    models = reflection_models()
    model = models.get(record.model)
    if model is None:
        out.append(
            Problem(
                path,
                f"unknown reflection model {record.model!r}",
                field="model",
                hint=f"use one of: {', '.join(models)}",
            )
        )
    else:
        for stage in record.stages:
            if stage not in model.stage_ids:
                out.append(
                    Problem(
                        path,
                        f"{model.name} has no stage {stage!r}",
                        field=f"stages.{stage}",
                        hint=f"its stages are: {', '.join(model.stage_ids)}",
                    )
                )
        if not any(text.strip() for text in record.stages.values()):
            out.append(
                Problem(
                    path,
                    "every stage is empty",
                    field="stages",
                    hint="write at least one stage of the reflection",
                )
            )
    return out


def check_profile(profile: Profile, standard: Standard, path: str) -> list[Problem]:
    if profile.unit.replace(" ", "").lower() != standard.code.replace(" ", "").lower():
        return [
            Problem(
                path,
                f"the portfolio is for unit {profile.unit!r} but {standard.code!r} is loaded",
                field="unit",
                hint=f"load the unit file for {profile.unit} (--standard FILE)",
            )
        ]
    return []


def check_assessment(assessment: Assessment, standard: Standard, path: str) -> list[Problem]:
    return _unknown(
        path, "judgements", [*assessment.judgements], standard.criteria, "criterion", True
    )


def check_mapped(record: Any, standard: Standard, path: str) -> list[Problem]:
    """A record with only mappings to check against the unit (a progress review)."""
    return check_mappings(record.model_dump(), standard, path)


def check_review(record: Any, standard: Standard, path: str) -> list[Problem]:
    """A progress review's mappings, and dates that look forward from the review."""
    out = check_mapped(record, standard, path)
    if record.next_review is not None and record.next_review <= record.date:
        out.append(
            Problem(
                path,
                f"the next review ({record.next_review}) is not after this one ({record.date})",
                field="next_review",
                hint="give the date the next review is due, after the review's own date",
            )
        )
    for i, target in enumerate(record.targets):
        if target.by < record.date:
            out.append(
                Problem(
                    path,
                    f"the target is due {target.by}, before the review that set it ({record.date})",
                    field=f"targets[{i}].by",
                    hint="give each target a date on or after the review",
                )
            )
    return out


def check_witness(record: Any, standard: Standard, path: str) -> list[Problem]:
    """A registered witness: reachable, an expert's criteria from the unit, their mappings.

    Checked here rather than in the model so each problem names its field (and the
    command its option).
    """
    out = check_mapped(record, standard, path)
    if not record.email.strip() and not record.phone.strip():
        out.append(
            Problem(
                path,
                "a witness needs an email address or a phone number, so the assessor can "
                "check their statement",
                field="email",
                hint="give --email or --phone (or both)",
            )
        )
    out += contact_problems(record.email, record.phone, path)
    known = standard.assessment_strategy.expert_witness_criteria
    if record.status == "expert" and not record.expert_criteria:
        out.append(
            Problem(
                path,
                "an expert witness names the unit's expert-witness criteria they meet",
                field="expert_criteria",
                hint=f"the unit's criteria: {', '.join(known) or 'none'}",
            )
        )
    unknown = [c for c in record.expert_criteria if c not in known]
    if unknown:
        out.append(
            Problem(
                path,
                f"{', '.join(unknown)}: not an expert-witness criterion of {standard.code}",
                field="expert_criteria",
                hint=f"use the ids in the unit's assessment strategy: {', '.join(known)}"
                if known
                else f"{standard.code} lists no expert-witness criteria: register the witness "
                "as occupationally_competent",
            )
        )
    return out
