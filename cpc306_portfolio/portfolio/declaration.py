"""The learner's declaration of authenticity, and whether a portfolio is fit to be declared.

The declaration is the learner's own record: it holds the manifest of their work at that
moment (:mod:`.manifest`) and lives in ``portfolio.yaml``. Declaring (and the assessor's
sign-off, which meets the same rules) refuses an invalid portfolio and any possible
identifier of a person the learner has neither edited out nor acknowledged.
"""

from __future__ import annotations

from ..errors import ConfidentialityError, PortfolioInvalidError
from ..files.yamlio import load_model
from .folio import Portfolio
from .manifest import build_manifest
from .models import Declaration, Profile, now


def require_valid(portfolio: Portfolio, action: str) -> None:
    problems = portfolio.validate()
    if problems:
        raise PortfolioInvalidError(
            problems, hint=f"fix these first (cpc306 validate lists them); nothing was {action}"
        )
    require_no_open_findings(portfolio, action)


def require_no_open_findings(portfolio: Portfolio, action: str) -> None:
    """Refuse while any possible identifier of a person is neither edited out nor acknowledged."""
    open_findings = [f for f, ack in portfolio.scan() if ack is None]
    if open_findings:
        lines = [
            f"  {f.record} {f.field}: {f.label}: {f.snippet}  [{f.fingerprint}]"
            for f in open_findings
        ]
        raise ConfidentialityError(
            f"{portfolio.root}: nothing was {action}: {len(open_findings)} possible "
            "identifier(s) of a person not yet edited out or acknowledged:\n" + "\n".join(lines),
            open_findings,
            hint="edit each record's text, or acknowledge each finding with a reason "
            "(cpc306 scan lists them; evidence add --acknowledge FINGERPRINT=REASON)",
        )


def declare(portfolio: Portfolio, *, statement: str | None = None) -> Declaration:
    """Record the learner's declaration of authenticity with the manifest of their work now.

    The statement is the unit's own wording unless given. Refuses while any file is
    invalid. Declaring again replaces the declaration.
    """
    with portfolio.locked():
        require_valid(portfolio, "declared")
        profile, problems = load_model(Profile, portfolio.profile_path)
        if profile is None:  # validate() above reports these; a race could still bring one
            raise PortfolioInvalidError(problems, hint="nothing was declared")
        declaration = Declaration(
            signed_by=profile.learner.name,
            signed_at=now(),
            statement=(statement or "").strip() or portfolio.standard.terms.declaration_statement,
            manifest=build_manifest(portfolio, include_assessment=False),
        )
        portfolio.save_profile(profile.model_copy(update={"declaration": declaration}))
    return declaration
