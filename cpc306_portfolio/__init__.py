"""cpc306-portfolio: evidence portfolios for NOS unit CPC 306, as a library.

This module only hands names on; notebooks, the CLI and three-line scripts all call these.
"""

from .errors import (
    AttachmentError,
    ConfidentialityError,
    LockError,
    NotFoundError,
    PortfolioError,
    PortfolioInvalidError,
    Problem,
    RecordError,
    StandardError,
    UsageError,
)
from .methods import AssessmentMethod
from .models import (
    SCHEMA,
    Acknowledgement,
    Assessment,
    Attachment,
    Evidence,
    Judgement,
    Profile,
    Reflection,
    SelfDirectedSupport,
    Witness,
)
from .reflection import ReflectionModel, reflection_model, reflection_models
from .standard import Standard, available_standards, load_standard
from .store import Portfolio, create_portfolio, open_portfolio

__version__ = "0.1.0"

__all__ = [
    "SCHEMA",
    "Acknowledgement",
    "Assessment",
    "AssessmentMethod",
    "Attachment",
    "AttachmentError",
    "ConfidentialityError",
    "Evidence",
    "Judgement",
    "LockError",
    "NotFoundError",
    "Portfolio",
    "PortfolioError",
    "PortfolioInvalidError",
    "Problem",
    "Profile",
    "RecordError",
    "Reflection",
    "ReflectionModel",
    "SelfDirectedSupport",
    "Standard",
    "StandardError",
    "UsageError",
    "Witness",
    "__version__",
    "available_standards",
    "create_portfolio",
    "load_standard",
    "open_portfolio",
    "reflection_model",
    "reflection_models",
]
