"""The ``cpc306`` command: a thin layer over the public API, one module per command or noun.

Importing the command modules registers their commands on :func:`main` (``main.py``).
"""

from . import (  # noqa: F401  (each registers its commands)
    actions,
    app,
    assess,
    assess_app,
    assess_record,
    assess_records,
    batch,
    centre,
    comments,
    declare,
    eqa,
    evidence,
    init,
    iqa,
    keepout,
    notebooks,
    plan,
    reflection,
    render,
    respond,
    review,
    scan,
    signing,
    standard,
    standard_questions,
    status,
    upgrade,
    validate,
    witness,
)
from .main import EXIT_CODES, main, run

__all__ = ["EXIT_CODES", "main", "run"]
