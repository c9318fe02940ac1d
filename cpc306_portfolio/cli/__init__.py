"""The ``cpc306`` command: a thin layer over the public API, one module per noun.

Importing the command modules registers their commands on :func:`main`.
"""

from . import (  # noqa: F401  (each registers its commands)
    assess,
    batch,
    evidence,
    keepout,
    notebooks,
    reflection,
    standard,
    status,
    upgrade,
)
from .main import EXIT_CODES, main, run

__all__ = ["EXIT_CODES", "main", "run"]
