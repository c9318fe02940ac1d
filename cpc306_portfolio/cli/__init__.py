"""The ``cpc306`` command: a thin layer over the public API, one module per noun.

Importing the command modules registers their commands on :func:`main`.
"""

from . import (  # noqa: F401  (each registers its commands)
    assessor,
    cohort,
    evidence,
    jupyter,
    keepout,
    progress,
    reflection,
    standard,
    upgrade,
)
from .app import EXIT_CODES, main, run

__all__ = ["EXIT_CODES", "main", "run"]
