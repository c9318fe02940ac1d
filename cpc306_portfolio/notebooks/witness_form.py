"""The witness form: register a witness, through the same call as ``cpc306 witness add``.

A witness on the register agreed to be named and contacted: their name, role,
organisation, how they know the learner, an email address and/or a phone number (checked
as the library checks them, :mod:`~..portfolio.contact_checks`), and their status. An
expert witness names which of the unit's expert-witness criteria (its assessment
strategy) they meet. Their contact details are never confidentiality findings afterwards.
Problems are said beside the field, in words, before the library is asked: the library's
own messages name command-line options.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as w

from ..errors import RecordError
from ..portfolio.contact_checks import email_problem, phone_problem
from ..portfolio.kinds import WITNESS
from ..portfolio.planning import RegisteredWitness
from ..portfolio.store import Portfolio
from .forms import FieldErrors, Form, css, problem
from .lean import plain_html, shared_layout

#: Short enough for one line at 390 px (a radio option does not wrap); said in full above.
STATUSES = [
    ("Occupationally competent", "occupationally_competent"),
    ("Expert witness", "expert"),
]
#: What to give in each required box, in the learner's words.
REQUIRED = {
    "name": "Give the witness's full name (they agree to be named)",
    "role": "Give their job title",
    "organisation": "Give the organisation they work for",
    "relationship": "Say how they know you, e.g. line manager, colleague, provider's manager",
}


def _wide() -> w.Layout:
    return shared_layout(width="95%")  # one model for every field that never hides


class WitnessForm(Form):
    """Register a witness who agreed to be named and contacted."""

    def __init__(self, portfolio: Portfolio) -> None:
        self.folio = portfolio
        err = FieldErrors()
        self.name = css(w.Text(description="Name", layout=_wide()), "witness-reg-name")
        self.role = css(w.Text(description="Job title", layout=_wide()), "witness-reg-role")
        self.organisation = css(
            w.Text(description="Organisation", layout=_wide()), "witness-reg-organisation"
        )
        self.relationship = css(
            w.Text(description="Relationship", layout=_wide()), "witness-reg-relationship"
        )
        self.relationship.placeholder = "how they know you, e.g. my line manager"
        self.email = css(w.Text(description="Email", layout=_wide()), "witness-reg-email")
        self.phone = css(w.Text(description="Phone", layout=_wide()), "witness-reg-phone")
        self.witness_status = css(
            w.RadioButtons(options=STATUSES, value=None, description="Status", layout=_wide()),
            "witness-reg-status",
        )
        criteria = portfolio.standard.assessment_strategy.expert_witness_criteria
        self.meets = {
            key: css(w.Checkbox(description=text, indent=False, layout=_wide()), f"meets-{key}")
            for key, text in criteria.items()
        }
        ask = (
            "<p>Which of the unit's expert-witness criteria do they meet?</p>"
            if criteria
            else f"<p>{escape(portfolio.standard.code)} lists no expert-witness criteria, so "
            "a witness is registered as occupationally competent.</p>"
        )
        self.expert = css(w.VBox([w.HTML(ask), *self.meets.values()]), "witness-reg-expert")
        self.agreed = css(
            w.Checkbox(description="Yes, they agreed", indent=False, layout=_wide()),
            "witness-reg-agreed",
        )
        rows = [
            plain_html(
                '<p class="cpc306-hint">A witness saw your work and can vouch for it. Register '
                "them once; then choose them when you add their testimony as evidence. Your "
                "assessor may phone or email them to check their statement, so their contact "
                "details are kept (they are not flagged as identifying anyone).</p>"
            ),
            err.row("name", self.name),
            err.row("role", self.role),
            err.row("organisation", self.organisation),
            err.row("relationship", self.relationship),
            plain_html('<p class="cpc306-hint">Their email address or phone number, or both:</p>'),
            err.row("email", self.email),
            err.row("phone", self.phone),
            plain_html(
                '<p class="cpc306-hint">Occupationally competent: they do this work themselves. '
                "Expert witness: they meet the unit's expert-witness criteria.</p>"
            ),
            err.row("status", self.witness_status),
            err.row("expert_criteria", self.expert),
            plain_html("<p>Did they agree to be named, and to be contacted by your assessor?</p>"),
            err.row("agreed", self.agreed),
        ]
        super().__init__("witness", "Register a witness", rows, err)
        self.save_button.description = "Register witness"
        self.witness_status.observe(lambda _c: self._toggle(), names="value")
        self._toggle()

    def _toggle(self) -> None:
        self.expert.layout.display = "" if self.witness_status.value == "expert" else "none"

    def collect(self) -> dict[str, Any]:
        problems = [
            problem(field, advice)
            for field, advice in REQUIRED.items()
            if not getattr(self, field).value.strip()
        ]
        email, phone = self.email.value.strip(), self.phone.value.strip()
        if not email and not phone:
            problems.append(
                problem(
                    "email",
                    "Give their email address or their phone number (or both): your assessor "
                    "contacts them to check their statement",
                )
            )
        if email and (why := email_problem(email)):
            problems.append(problem("email", f"Email: {why}"))
        if phone and (why := phone_problem(phone)):
            problems.append(problem("phone", f"Phone: {why}"))
        if self.witness_status.value is None:
            problems.append(problem("status", "Choose their status"))
        meets = [key for key, box in self.meets.items() if box.value]
        if self.witness_status.value == "expert" and not self.meets:
            problems.append(
                problem(
                    "status",
                    f"{self.folio.standard.code} lists no expert-witness criteria: choose "
                    "occupationally competent",
                )
            )
        elif self.witness_status.value == "expert" and not meets:
            problems.append(
                problem("expert_criteria", "Tick which expert-witness criteria they meet")
            )
        if not self.agreed.value:
            problems.append(
                problem(
                    "agreed",
                    "Register only a witness who agreed to be named and contacted: ask them "
                    "first, then tick this box",
                )
            )
        if problems:
            raise RecordError(problems)
        return {
            "name": self.name.value.strip(),
            "role": self.role.value.strip(),
            "organisation": self.organisation.value.strip(),
            "relationship": self.relationship.value.strip(),
            "email": email,
            "phone": phone,
            "status": self.witness_status.value,
            "expert_criteria": meets if self.witness_status.value == "expert" else [],
        }

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> RegisteredWitness:
        saved: RegisteredWitness = self.folio.add(
            WITNESS, fields, acknowledge=acknowledge, unknown="ignore"
        )
        return saved

    def free_text(self) -> dict[str, str]:
        return {
            "role": self.role.value,
            "organisation": self.organisation.value,
            "relationship": self.relationship.value,
        }

    def names_to_keep_out(self) -> list[str]:
        return list(self.folio.profile.keep_out)

    def reset(self) -> None:
        for box in (self.name, self.role, self.organisation, self.relationship):
            box.value = ""
        self.email.value = self.phone.value = ""
        self.witness_status.value = None
        for tick in self.meets.values():
            tick.value = False
        self.agreed.value = False
        self._toggle()

    def describe(self, saved: Any) -> str:
        return (
            f"Registered {saved.id}: {saved.name}. Choose them when you add their testimony "
            "as evidence."
        )


def witness_form(portfolio: Portfolio, evidence: Any = None) -> WitnessForm:
    """The form that registers a witness (on each criterion page, beside the evidence form).

    Given the page's ``evidence`` form, a witness just registered is offered in it at once.
    """
    form = WitnessForm(portfolio)
    if evidence is not None:
        form.listeners.append(lambda _saved: evidence.testimony.refresh())
    return form
