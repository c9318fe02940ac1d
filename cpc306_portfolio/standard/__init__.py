"""The unit standard as data: its typed model, its loader, the assessment methods it names."""

from .loader import available_standards, check_standard, load_standard, standard_dirs
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
    "load_standard",
    "standard_dirs",
]
