"""The unit standard as data: its typed model, its loader, the assessment methods it names."""

from .checks import check_standard
from .loader import (
    available_standards,
    find_units,
    load_standard,
    same_code,
    standard_dirs,
    unit_sha256,
    unit_text,
)
from .model import (
    AssessmentStrategy,
    BoldTerm,
    Criterion,
    Element,
    KeyWord,
    KnowledgeItem,
    KnowledgeSubItem,
    ScopeCategory,
    ScopeOption,
    Standard,
)

__all__ = [
    "AssessmentStrategy",
    "BoldTerm",
    "Criterion",
    "Element",
    "KeyWord",
    "KnowledgeItem",
    "KnowledgeSubItem",
    "ScopeCategory",
    "ScopeOption",
    "Standard",
    "available_standards",
    "check_standard",
    "find_units",
    "load_standard",
    "same_code",
    "standard_dirs",
    "unit_sha256",
    "unit_text",
]
