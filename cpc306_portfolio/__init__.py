"""cpc306-portfolio: evidence portfolios for any NOS unit (CPC 306 built in), as a library.

This module only hands names on; notebooks, the CLI and three-line scripts all call these.
Each public name is written once, in ``_WHERE`` (the ``TYPE_CHECKING`` imports repeat it
for type checkers, and ``tests/test_api.py`` keeps the two in step). Each name is imported
on first use, so ``import cpc306_portfolio`` (and every ``cpc306``
command) pays only for what it touches: pandas, pydantic models, nbconvert and papermill
load when a name that needs them is first asked for.
"""

import importlib as _importlib
import typing as _typing

from .deferred import defer_rfc3987_syntax as _defer_rfc3987_syntax
from .version import __version__

_defer_rfc3987_syntax()

if _typing.TYPE_CHECKING:
    from .analysis.coverage import compute_coverage
    from .analysis.status import PortfolioStatus, portfolio_status
    from .assessor.actions import action_rows, close_action
    from .assessor.appeals import appeals_wording
    from .assessor.assessment import (
        assess,
        judge,
        judge_many,
        record_iqa,
        set_feedback,
        sign_off,
    )
    from .assessor.records import comment_on_observation, discuss, observe, question
    from .assessor.signing import (
        KeyInfo,
        key_fingerprint,
        load_private_key,
        load_trust,
        new_key,
        sign_manifest,
        verify_signature,
    )
    from .assessor.verification import SignatureCheck, Verification, verify_portfolio
    from .cohort.batch import run_batch
    from .errors import (
        AttachmentError,
        BatchError,
        ConfidentialityError,
        ConflictError,
        FileSystemError,
        ForkedFailure,
        KernelStartError,
        LockError,
        NotFoundError,
        PortfolioError,
        PortfolioInvalidError,
        Problem,
        ProblemsError,
        RecordError,
        RenderError,
        SigningError,
        StandardError,
        UnsafeFileError,
        UsageError,
        VerificationError,
    )
    from .portfolio.assessor_evidence import read_assessor_records
    from .portfolio.declaration import declare
    from .portfolio.manifest import build_manifest, diff_manifest
    from .portfolio.models import (
        SCHEMA,
        Acknowledgement,
        ActionPoint,
        Assessment,
        Attachment,
        Declaration,
        Evidence,
        IQASample,
        Judgement,
        Manifest,
        Profile,
        Reflection,
        SelfDirectedSupport,
        SignOff,
        Witness,
    )
    from .portfolio.reflection import ReflectionModel, reflection_model, reflection_models
    from .portfolio.responses import (
        acknowledge_decision,
        mark_action_done,
        read_responses,
        reply_to_action,
    )
    from .portfolio.store import Portfolio, create_portfolio, open_portfolio
    from .portfolio.upgrade import upgrade_portfolio
    from .render import render_portfolio
    from .render.record_page import write_assessment_record
    from .standard import Standard, available_standards, find_units, load_standard
    from .standard.drafting import import_unit
    from .standard.mahara import export_matrix
    from .standard.methods import AssessmentMethod

#: Where each lazily imported name lives (the TYPE_CHECKING block above, for tools).
_WHERE: dict[str, str] = {
    "compute_coverage": ".analysis.coverage",
    "PortfolioStatus": ".analysis.status",
    "portfolio_status": ".analysis.status",
    "action_rows": ".assessor.actions",
    "close_action": ".assessor.actions",
    "appeals_wording": ".assessor.appeals",
    "assess": ".assessor.assessment",
    "declare": ".portfolio.declaration",
    "judge": ".assessor.assessment",
    "judge_many": ".assessor.assessment",
    "record_iqa": ".assessor.assessment",
    "set_feedback": ".assessor.assessment",
    "sign_off": ".assessor.assessment",
    "KeyInfo": ".assessor.signing",
    "key_fingerprint": ".assessor.signing",
    "load_private_key": ".assessor.signing",
    "load_trust": ".assessor.signing",
    "new_key": ".assessor.signing",
    "sign_manifest": ".assessor.signing",
    "verify_signature": ".assessor.signing",
    "SignatureCheck": ".assessor.verification",
    "Verification": ".assessor.verification",
    "verify_portfolio": ".assessor.verification",
    "comment_on_observation": ".assessor.records",
    "discuss": ".assessor.records",
    "observe": ".assessor.records",
    "question": ".assessor.records",
    "read_assessor_records": ".portfolio.assessor_evidence",
    "run_batch": ".cohort.batch",
    "AttachmentError": ".errors",
    "BatchError": ".errors",
    "ConfidentialityError": ".errors",
    "ConflictError": ".errors",
    "FileSystemError": ".errors",
    "ForkedFailure": ".errors",
    "KernelStartError": ".errors",
    "LockError": ".errors",
    "NotFoundError": ".errors",
    "PortfolioError": ".errors",
    "PortfolioInvalidError": ".errors",
    "Problem": ".errors",
    "ProblemsError": ".errors",
    "RecordError": ".errors",
    "RenderError": ".errors",
    "SigningError": ".errors",
    "StandardError": ".errors",
    "UnsafeFileError": ".errors",
    "UsageError": ".errors",
    "VerificationError": ".errors",
    "build_manifest": ".portfolio.manifest",
    "diff_manifest": ".portfolio.manifest",
    "SCHEMA": ".portfolio.models",
    "Acknowledgement": ".portfolio.models",
    "Assessment": ".portfolio.models",
    "Attachment": ".portfolio.models",
    "Declaration": ".portfolio.models",
    "Evidence": ".portfolio.models",
    "IQASample": ".portfolio.models",
    "Judgement": ".portfolio.models",
    "Manifest": ".portfolio.models",
    "Profile": ".portfolio.models",
    "Reflection": ".portfolio.models",
    "SelfDirectedSupport": ".portfolio.models",
    "SignOff": ".portfolio.models",
    "Witness": ".portfolio.models",
    "ActionPoint": ".portfolio.models",
    "acknowledge_decision": ".portfolio.responses",
    "mark_action_done": ".portfolio.responses",
    "read_responses": ".portfolio.responses",
    "reply_to_action": ".portfolio.responses",
    "ReflectionModel": ".portfolio.reflection",
    "reflection_model": ".portfolio.reflection",
    "reflection_models": ".portfolio.reflection",
    "Portfolio": ".portfolio.store",
    "create_portfolio": ".portfolio.store",
    "open_portfolio": ".portfolio.store",
    "upgrade_portfolio": ".portfolio.upgrade",
    "render_portfolio": ".render",
    "write_assessment_record": ".render.record_page",
    "Standard": ".standard",
    "available_standards": ".standard",
    "find_units": ".standard",
    "load_standard": ".standard",
    "import_unit": ".standard.drafting",
    "export_matrix": ".standard.mahara",
    "AssessmentMethod": ".standard.methods",
}

#: The public API: every lazy name, and the version. Written once, in ``_WHERE`` above.
__all__ = ["__version__", *_WHERE]


def __getattr__(name: str) -> _typing.Any:
    try:
        module = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(_importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
