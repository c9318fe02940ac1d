"""cpc306-portfolio: evidence portfolios for NOS unit CPC 306, as a library.

This module only hands names on; notebooks, the CLI and three-line scripts all call these.
"""

from .assessor.assessment import (
    assess,
    declare,
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
from .version import __version__

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
