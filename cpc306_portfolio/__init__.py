"""cpc306-portfolio: evidence portfolios for any NOS unit (CPC 306 built in), as a library.

This module only hands names on; notebooks, the CLI and three-line scripts all call these.
Each name is imported on first use, so ``import cpc306_portfolio`` (and every ``cpc306``
command) pays only for what it touches: pandas, pydantic models, nbconvert and papermill
load when a name that needs them is first asked for.
"""

import importlib as _importlib
import typing as _typing

from .deferred import defer_rfc3987_syntax as _defer_rfc3987_syntax
from .errors import (
    AttachmentError,
    BatchError,
    ConfidentialityError,
    KernelStartError,
    LockError,
    NotFoundError,
    PortfolioError,
    PortfolioInvalidError,
    Problem,
    RecordError,
    RenderError,
    SigningError,
    StandardError,
    UsageError,
    VerificationError,
)
from .version import __version__

_defer_rfc3987_syntax()

if _typing.TYPE_CHECKING:
    from .assessor.assessment import (
        assess,
        judge,
        judge_many,
        record_iqa,
        set_feedback,
        sign_off,
    )
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
    from .portfolio.declaration import declare
    from .portfolio.manifest import build_manifest, diff_manifest
    from .portfolio.models import (
        SCHEMA,
        Acknowledgement,
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
    from .portfolio.store import Portfolio, create_portfolio, open_portfolio
    from .portfolio.upgrade import upgrade_portfolio
    from .render import render_portfolio
    from .standard import Standard, available_standards, find_units, load_standard
    from .standard.drafting import import_unit
    from .standard.mahara import export_matrix
    from .standard.methods import AssessmentMethod

#: Where each lazily imported name lives (the TYPE_CHECKING block above, for tools).
_WHERE: dict[str, str] = {
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
    "run_batch": ".cohort.batch",
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
    "ReflectionModel": ".portfolio.reflection",
    "reflection_model": ".portfolio.reflection",
    "reflection_models": ".portfolio.reflection",
    "Portfolio": ".portfolio.store",
    "create_portfolio": ".portfolio.store",
    "open_portfolio": ".portfolio.store",
    "upgrade_portfolio": ".portfolio.upgrade",
    "render_portfolio": ".render",
    "Standard": ".standard",
    "available_standards": ".standard",
    "find_units": ".standard",
    "load_standard": ".standard",
    "import_unit": ".standard.drafting",
    "export_matrix": ".standard.mahara",
    "AssessmentMethod": ".standard.methods",
}

__all__ = [
    "SCHEMA",
    "Acknowledgement",
    "Assessment",
    "AssessmentMethod",
    "Attachment",
    "AttachmentError",
    "BatchError",
    "ConfidentialityError",
    "Declaration",
    "Evidence",
    "IQASample",
    "Judgement",
    "KernelStartError",
    "KeyInfo",
    "LockError",
    "Manifest",
    "NotFoundError",
    "Portfolio",
    "PortfolioError",
    "PortfolioInvalidError",
    "Problem",
    "Profile",
    "RecordError",
    "Reflection",
    "ReflectionModel",
    "RenderError",
    "SelfDirectedSupport",
    "SignOff",
    "SignatureCheck",
    "SigningError",
    "Standard",
    "StandardError",
    "UsageError",
    "Verification",
    "VerificationError",
    "Witness",
    "__version__",
    "assess",
    "available_standards",
    "build_manifest",
    "create_portfolio",
    "declare",
    "diff_manifest",
    "export_matrix",
    "find_units",
    "import_unit",
    "judge",
    "judge_many",
    "key_fingerprint",
    "load_private_key",
    "load_standard",
    "load_trust",
    "new_key",
    "open_portfolio",
    "record_iqa",
    "reflection_model",
    "reflection_models",
    "render_portfolio",
    "run_batch",
    "set_feedback",
    "sign_manifest",
    "sign_off",
    "upgrade_portfolio",
    "verify_portfolio",
    "verify_signature",
]


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
