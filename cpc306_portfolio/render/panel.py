r"""The assessment panel's data: what the page's one script needs to judge and sign.

The script (``templates/render/nbconvert/cpc306/assessor.js``) is the same text on every page, so
its SHA-256 in the Content-Security-Policy never changes with a portfolio. Everything
about this portfolio reaches it through one inert ``<script type="application/json">``
block, where every ``<``, ``>`` and ``&`` is written as a ``\u`` escape: no text in it can
close the element or be read as markup, and the script reads it with ``JSON.parse``.

The page holds no key and signs nothing (DESIGN.md, "Trust"): judging in it makes a draft
bound to this portfolio (its fingerprint) and this round (the ``base`` digest of the
assessment shown). The data also holds what ``cpc306 assess sign`` needs to build the
manifest ``cpc306 sign`` would build after import (the entries of the learner's files and
declaration, the rest of ``assessment.yaml`` those entries hash): that trusted code reads
it from the page file, and import believes it only because the page must be what the
folder renders now.
"""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup

from ..assessor.drafts import FORMAT, assessment_base
from ..files.templates import template_path
from ..portfolio.evidence_rules import RULES_OF_EVIDENCE
from ..portfolio.layout import ASSESSMENT_FILE
from ..portfolio.manifest import (
    as_hashed,
    assessment_schema,
    learner_part,
)
from ..standard.methods import AssessmentMethod
from .data import ReportData

DATA_ID = "cpc306-assessment-data"
SCRIPT = ("nbconvert", "cpc306", "assessor.js")
_HIDDEN_KEYS = ("signoff", "modified", "iqa", "judgements", "feedback", "outcome")


def panel_script() -> str:
    """The exact text of the panel's script, as inlined (and hashed) in every page."""
    return template_path("render", *SCRIPT).read_text(encoding="utf-8")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "learner"


def panel_data(data: ReportData) -> dict[str, Any]:
    """Plain data for the panel script."""
    assessment = data.assessment.to_data()
    learner = learner_part(data.manifest)
    return {
        "format": FORMAT,
        "unit": data.standard.code,
        "learner": data.portfolio.profile.learner.name,
        "file_stem": f"assessment-{_slug(data.portfolio.profile.learner.name)}",
        "assessor": data.portfolio.profile.assessor.name,
        "declared": data.portfolio.profile.declaration is not None,
        "portfolio_fingerprint": learner.fingerprint,
        "portfolio_files": learner.files,
        "signed_base": {
            k: v for k, v in data.manifest.files.items() if not k.startswith(f"{ASSESSMENT_FILE}#")
        },
        "base": assessment_base(data.assessment),
        "assessment_schema": assessment_schema(data.portfolio),
        # The rest of assessment.yaml exactly as the sign-off's feedback entry hashes it.
        "assessment_rest": as_hashed(
            {k: v for k, v in assessment.items() if k not in _HIDDEN_KEYS},
            assessment_schema(data.portfolio),
        ),
        "criteria": list(data.standard.criteria),
        "rules": list(RULES_OF_EVIDENCE),
        "methods": [m.value for m in AssessmentMethod],
        "met_requires": data.standard.assessment_strategy.met_requires.model_dump(mode="json"),
        "judgements": assessment.get("judgements", {}),
        "feedback": data.assessment.feedback,
        "outcome": data.assessment.outcome,
        "signed": data.signed,
    }


def json_block(value: Any, element_id: str) -> Markup:
    """An inert JSON data block that no text inside it can break out of."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(f'<script type="application/json" id="{element_id}">{text}</script>')


def panel_block(data: ReportData) -> Markup:
    """The panel's data block for one portfolio."""
    return json_block(panel_data(data), DATA_ID)
