"""Whether a portfolio is fit to be declared or signed off, and who a key says it is.

Declaring and signing refuse an invalid portfolio and any possible identifier of a person
the learner has neither edited out nor acknowledged; a sign-off also needs the learner's
declaration and at least one judgement, and is *interim* until every criterion is judged.
The page's signed download (:mod:`.assessment_file`) meets the same rules.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import SigningError, UsageError
from ..portfolio.declaration import require_valid
from ..portfolio.models import Assessment
from ..portfolio.store import Portfolio
from .signing import public_path_for


def key_name(key_path: str | os.PathLike[str]) -> str:
    """The name written in a private key's ``.pub`` file beside it ('' if none)."""
    public = public_path_for(Path(key_path).expanduser())
    try:
        parts = public.read_text(encoding="utf-8").split(maxsplit=2)
    except OSError:
        return ""
    return " ".join(parts[2].split()) if len(parts) > 2 else ""


def require_signable(portfolio: Portfolio, assessment: Assessment) -> bool:
    """Refuse what a sign-off must not cover; return whether it is interim.

    Refuses an invalid or undeclared portfolio, open confidentiality findings and an
    assessment with no judgement; a sign-off before every criterion is judged is interim.
    """
    require_valid(portfolio, "signed")
    if portfolio.profile.declaration is None:
        raise SigningError(
            f"{portfolio.root}: the learner has not declared the work their own, so it "
            "cannot be signed off",
            hint="ask the learner to declare it (cpc306 declare PORTFOLIO) and send it again",
        )
    if not assessment.judgements:
        raise UsageError(
            "no criterion has been judged yet, so there is nothing to sign off",
            hint="judge each criterion first (cpc306 assess PORTFOLIO CRITERION --outcome)",
        )
    return any(c not in assessment.judgements for c in portfolio.standard.criteria)
