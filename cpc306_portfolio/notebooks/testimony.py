"""Witness testimony in the evidence form: a registered witness's dated statement.

The part of the evidence form shown for the methods witness testimony and expert witness:
choose a witness from the register, paste their statement in their own words, give the
date they wrote it, and confirm they made the witness's declaration. What it writes is the
evidence record's ``witness`` field exactly as ``cpc306 evidence add --witness W001
--testimony-file F`` writes it (:func:`~..portfolio.witnesses.testimony`). Choosing no one
keeps the plain name-and-role boxes for a witness who is not on the register.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as w

from ..errors import PortfolioError, Problem
from ..portfolio.models import Witness
from ..portfolio.planning import WITNESS_DECLARATION
from ..portfolio.store import Portfolio
from ..portfolio.witnesses import read_witnesses, testimony
from ..standard.methods import AssessmentMethod
from .datebox import DateBox
from .forms import FieldErrors, css, problem

NOT_REGISTERED = ""
#: The methods whose evidence is a witness's own statement.
TESTIMONY_METHODS = frozenset({AssessmentMethod.WITNESS_TESTIMONY, AssessmentMethod.EXPERT_WITNESS})
STATUS_WORDS = {"occupationally_competent": "occupationally competent", "expert": "expert witness"}


class RegisteredTestimony(w.VBox):
    """Choose a registered witness and give their dated statement and declaration."""

    def __init__(self, portfolio: Portfolio, errors: FieldErrors) -> None:
        self.folio = portfolio
        self.choice = css(
            w.Dropdown(description="Who", layout=w.Layout(width="95%")), "testimony-witness"
        )
        self.statement = css(
            w.Textarea(description="Their statement", layout=w.Layout(width="95%", height="8em")),
            "testimony-statement",
        )
        self.statement.placeholder = "The witness's own account of what they saw you do"
        self.statement_date = DateBox("Dated", "testimony-date")
        self.declared = css(
            w.Checkbox(description="They signed it", indent=False, layout=w.Layout(width="95%")),
            "testimony-declared",
        )
        self.details = css(
            w.VBox(
                [
                    errors.row("witness.statement", self.statement),
                    errors.row("witness.statement_date", self.statement_date),
                    w.HTML(
                        "<p>The witness's declaration, which they sign under their statement:"
                        f'</p><blockquote class="cpc306-declaration">'
                        f"{escape(WITNESS_DECLARATION)}</blockquote>"
                    ),
                    errors.row("witness.declaration", self.declared),
                ]
            ),
            "testimony-details",
        )
        intro = w.HTML(
            '<p class="cpc306-hint">Choose the witness from your register (register them in '
            "the form below if they are not there yet), then give their statement.</p>"
        )
        super().__init__([intro, errors.row("witness.register_id", self.choice), self.details])
        css(self, "testimony")
        self._plain: w.Widget | None = None
        self.choice.observe(lambda _c: self._toggle(), names="value")
        self.refresh()

    @property
    def chosen(self) -> str:
        """The chosen witness's id, or ``""`` (someone not on the register)."""
        if self.layout.display == "none":
            return NOT_REGISTERED
        return str(self.choice.value or NOT_REGISTERED)

    def refresh(self) -> None:
        """Offer every witness on the register now (after one is registered, say)."""
        options = [("Someone not on the register (give their name and role)", NOT_REGISTERED)]
        try:
            witnesses = read_witnesses(self.folio)
        except PortfolioError:  # a register file broken by hand: validate names it
            witnesses = []
        options += [
            (f"{x.id}: {x.name}, {x.role} ({STATUS_WORDS.get(x.status, x.status)})", x.id)
            for x in witnesses
        ]
        current = self.choice.value
        self.choice.options = options
        ids = [value for _label, value in options]
        self.choice.value = current if current in ids else NOT_REGISTERED
        self._toggle()

    def _toggle(self) -> None:
        self.details.layout.display = "" if self.choice.value else "none"
        if self._plain is not None:
            self._plain.layout.display = "none" if self.chosen else ""

    def show_for(self, method: str | None, plain: w.Widget) -> None:
        """Show this part for a testimony method; hide ``plain`` (name, role) once one is chosen."""
        testimony_method = method is not None and AssessmentMethod(method) in TESTIMONY_METHODS
        self.layout.display = "" if testimony_method else "none"
        self._plain = plain
        self._toggle()

    def fill(self, witness: Witness | None) -> None:
        """Show a record's registered testimony (or nothing) for editing."""
        self.refresh()
        registered = witness.register_id if witness and witness.register_id else NOT_REGISTERED
        ids = [value for _label, value in self.choice.options]
        self.choice.value = registered if registered in ids else NOT_REGISTERED
        self.statement.value = witness.statement if witness and registered else ""
        self.statement_date.value = witness.statement_date if witness and registered else None
        self.declared.value = bool(witness and registered and witness.declaration)
        self._toggle()

    def problems(self, method: str | None = None) -> list[Problem]:
        """What is missing from a registered witness's testimony, said beside each box.

        Evidence by an expert witness needs a witness registered as one.
        """
        out = []
        if method == AssessmentMethod.EXPERT_WITNESS.value:
            witness = next((x for x in read_witnesses(self.folio) if x.id == self.chosen), None)
            if witness is not None and witness.status != "expert":
                out.append(
                    problem(
                        "witness.register_id",
                        f"{witness.name} is registered as occupationally competent, not as an "
                        "expert witness: choose the method Witness testimony, or an expert",
                    )
                )
        if not self.statement.value.strip():
            out.append(
                problem("witness.statement", "Give the witness's statement, in their own words")
            )
        if self.statement_date.value is None:
            out.append(problem("witness.statement_date", "Give the date of their statement"))
        elif found := self.statement_date.problem("witness.statement_date"):
            out.append(found)
        if not self.declared.value:
            out.append(
                problem(
                    "witness.declaration",
                    "A statement counts only with the witness's declaration: tick once they "
                    "have signed it",
                )
            )
        return out

    def witness_field(self) -> dict[str, Any]:
        """The evidence record's ``witness`` field, as the command line writes it."""
        return testimony(
            self.folio, self.chosen, self.statement.value, self.statement_date.value or ""
        )

    def free_text(self) -> dict[str, str]:
        return {"witness.statement": self.statement.value} if self.chosen else {}
