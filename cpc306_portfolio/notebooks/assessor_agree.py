"""Agreeing the assessment plan or a progress review as the assessor, from the workspace.

The same calls as ``cpc306 plan agree --as assessor --key KEY`` and ``cpc306 review agree ID
--as assessor --key KEY``: :func:`~cpc306_portfolio.portfolio.assessment_plan.agree_plan` and
:func:`~cpc306_portfolio.portfolio.reviews.agree_review`, signed with
:func:`~cpc306_portfolio.assessor.agreements.agreement_signer`. As on the sign-off page, the
key is read from the assessor's own disk in the kernel, its passphrase typed in the page is
cleared after every attempt (agreed or not) and never written anywhere.
"""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as w

from ..assessor.agreements import agreement_signer
from ..errors import RecordError
from ..portfolio.assessment_plan import agree_plan, read_assessment_plan
from ..portfolio.kinds import REVIEW
from ..portfolio.reviews import agree_review
from ..portfolio.store import Portfolio
from .assessor_signoff import key_fields
from .forms import FieldErrors, Form, css, problem

PLAN = "plan"


class AgreeForm(Form):
    """Agree the plan or a review as the assessor, signed with your key."""

    def __init__(self, folio: Portfolio, key: str = "") -> None:
        self.folio = folio
        err = FieldErrors()
        self.which = css(
            w.Dropdown(options=[], value=None, description="Agree", layout=w.Layout(width="95%")),
            "agree-which",
        )
        self.refresh()
        self.key, self.passphrase = key_fields(key, "agree")
        self.name = css(
            w.Text(description="Your name", placeholder="default: as the portfolio names you"),
            "agree-name",
        )
        rows = [
            err.row("agree", self.which),
            err.row("key", self.key),
            err.row("passphrase", self.passphrase),
            err.row("name", self.name),
        ]
        super().__init__("agree", "Agree the plan or a review as the assessor", rows, err)
        self.save_button.description = "Agree and sign"

    def refresh(self) -> None:
        """Offer the plan (when there is one) and every review the portfolio holds now."""
        options = [("The assessment plan", PLAN)] if read_assessment_plan(self.folio) else []
        options += [
            (f"Progress review {r.id} of {r.date:%d %B %Y}", r.id)
            for r in self.folio.records.all(REVIEW)
        ]
        self.which.options = options
        self.which.value = None

    def collect(self) -> dict[str, Any]:
        problems = []
        if self.which.value is None:
            problems.append(problem("agree", "choose the plan or the review to agree"))
        if not self.key.value.strip():
            problems.append(problem("key", "give the path of your private key file"))
        if problems:
            self.passphrase.value = ""
            raise RecordError(problems)
        return {"which": self.which.value, "key": self.key.value.strip(), "name": self.name.value}

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Any:
        passphrase = self.passphrase.value or None
        self.passphrase.value = ""  # out of the form before the key is even read
        sign = agreement_signer(os.path.expanduser(fields["key"]), passphrase)
        name = fields["name"].strip()
        if fields["which"] == PLAN:
            agreed = agree_plan(self.folio, "assessor", name=name, sign=sign)
            return ("the assessment plan", agreed)
        agreed = agree_review(self.folio, fields["which"], "assessor", name=name, sign=sign)
        return (f"review {fields['which']}", agreed)

    def save(self) -> Any | None:
        try:
            return super().save()
        finally:
            self.passphrase.value = ""  # never kept, whether it agreed or not

    def describe(self, saved: Any) -> str:
        what, agreement = saved
        return f"{agreement.name} agreed {what} as the assessor and signed it"
