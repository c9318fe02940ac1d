"""The witness register (``witnesses/W001.yaml``): who they are, how to reach them, checks.

A witness is a record kind (:data:`~.kinds.WITNESS`). An evidence record's testimony links
to its witness by id (:func:`testimony`). A registered witness agreed to be named and
reached, so their email address and phone number are not confidentiality findings
anywhere in the portfolio (:meth:`~.checks.PrivacyChecks.contacts`); anyone else's are.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from .kinds import WITNESS
from .planning import WITNESS_DECLARATION, CheckMethod, RegisteredWitness, WitnessCheck

if TYPE_CHECKING:
    from .folio import Portfolio


def read_witnesses(portfolio: Portfolio) -> list[RegisteredWitness]:
    """Every witness on the register; raises listing every bad file."""
    witnesses: list[RegisteredWitness] = portfolio.records.all(WITNESS)
    return witnesses


def check_witness(
    portfolio: Portfolio,
    witness_id: str,
    *,
    how: CheckMethod,
    on: date | str,
    by: str = "",
    notes: str = "",
) -> RegisteredWitness:
    """Record the assessor's check that a witness is real and stands by their statement."""
    with portfolio.locked():
        witness: RegisteredWitness = portfolio.records.get(WITNESS, witness_id.upper())
        check = WitnessCheck.model_validate(
            {"how": how, "on": on, "by": by or portfolio.profile.assessor.name, "notes": notes}
        )
        witness.checks = [*witness.checks, check]
        saved: RegisteredWitness = portfolio.update(witness)
    return saved


def testimony(
    portfolio: Portfolio, witness_id: str, statement: str, on: date | str
) -> dict[str, Any]:
    """An evidence record's ``witness`` field for a registered witness's dated statement."""
    witness: RegisteredWitness = portfolio.records.get(WITNESS, witness_id.upper())
    contact = " / ".join(c for c in (witness.email, witness.phone) if c)
    return {
        "name": witness.name,
        "role": witness.role,
        "organisation": witness.organisation,
        "contact": contact,
        "statement": statement,
        "register_id": witness.id,
        "statement_date": on,
        "declaration": WITNESS_DECLARATION,
    }
