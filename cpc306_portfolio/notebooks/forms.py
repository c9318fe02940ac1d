"""What every notebook form shares: field errors, the confidentiality panel, the save flow.

A form never clears on a failed save: the learner's typing stays exactly as it was, the
problems show beside the fields at fault, and possible identifiers show (masked) with an
acknowledge box and a reason for each. Only a save that wrote a record clears the form.
Every widget a test or a browser needs has a stable ``cpc306-...`` CSS class.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

import ipywidgets as w

from ..confidentiality.scan import scan_fields
from ..errors import ConfidentialityError, PortfolioError, Problem, RecordError
from .lean import plain_html, plain_vbox

Key = tuple[str, str, str]  # kind, field, fingerprint of a finding

_FRIENDLY = {
    "String should have at least 1 character": "please fill this in",
    "Input should be a valid date": "please give a date",
    "Field required": "please fill this in",
}

#: What to do about an empty or invalid field, in the learner's words (never internal ids).
FIELD_ADVICE = {
    "title": "Give it a short title",
    "date": "Give the date it took place, as day/month/year (e.g. 10/03/2026)",
    "method": "Choose how you gathered this evidence",
    "description": "Say what happened, what you did and what it shows",
    "model": "Choose a reflection model",
    "stages": "Write at least one stage of your reflection",
    "evidence_kind": "Choose the kind of evidence it is",
    "witness": "Give the name and role of the person who saw the work",
}


def css(widget: Any, *names: str) -> Any:
    """Add ``cpc306-<name>`` classes to a widget and return it."""
    for name in names:
        widget.add_class(f"cpc306-{name}")
    return widget


MULTI_HINT = "Tick each one that applies (tap, or Tab to it and press Space)"


def MULTI_HINT_HTML(search: bool = True) -> w.HTML:
    """The line above a list of tick boxes that says how to choose several.

    ``search``: the list has a search box (a short list, such as the kinds of evidence, has
    none, and its line does not speak of one).
    """
    words = f"{MULTI_HINT}; search to narrow the list." if search else f"{MULTI_HINT}."
    return plain_html(f'<p class="cpc306-hint">{escape(words)}</p>')


def problem(field: str, message: str, hint: str = "") -> Problem:
    """A problem the form itself finds (no file involved yet)."""
    return Problem(path="", message=message, field=field, hint=hint)


def _message(p: Problem) -> str:
    root = _roots(p.field)[-1] if p.field else ""
    internal = p.message.startswith(("Input should be", "Field required", "String should"))
    if root in FIELD_ADVICE and (internal or p.message in _FRIENDLY):
        return escape(FIELD_ADVICE[root])
    text = _FRIENDLY.get(p.message, p.message)
    return escape(text + (f" ({p.hint})" if p.hint else ""))


def _roots(field: str) -> list[str]:
    """Where a field's problem may show, most specific first, the field as a whole last.

    ``witness.name`` -> [``witness.name``, ``witness``]; ``actions[1].what`` ->
    [``actions[1].what``, ``actions.what``, ``actions[1]``, ``actions``]: a row of a list
    that has its own error line gets its problem there, others under the list.
    """
    out: list[str] = []
    cuts = [m.start() for m in re.finditer(r"[.\[]", field)] + [len(field)]
    for cut in reversed(cuts):
        prefix = field[:cut]
        for candidate in (prefix, re.sub(r"\[\d+\]", "", prefix)):
            if candidate and candidate not in out:
                out.append(candidate)
    return out


class FieldErrors:
    """An error line under each field, keyed by the record field it shows."""

    def __init__(self) -> None:
        self.slots: dict[str, w.HTML] = {}
        self.general = css(plain_html(), "error", "error-general")

    def slot(self, field: str) -> w.HTML:
        """The (initially empty) error line for one field, to place under its widget."""
        if field not in self.slots:
            self.slots[field] = css(plain_html(), "error", f"error-{field}")
        return self.slots[field]

    def row(self, field: str, widget: w.Widget) -> w.VBox:
        """A field's widget with its error line below it."""
        return plain_vbox([widget, self.slot(field)])

    def clear(self) -> None:
        for slot in [*self.slots.values(), self.general]:
            slot.value = ""

    def show(self, problems: Sequence[Problem]) -> None:
        """Put each problem next to its field, or in the general line if it has none."""
        self.clear()
        for p in problems:
            slot = next((self.slots[r] for r in _roots(p.field) if r in self.slots), None)
            target = slot or self.general
            label = "" if slot or not p.field else f"{escape(p.field)}: "
            target.value += f'<p class="cpc306-error-text">⚠ {label}{_message(p)}</p>'

    def flag_findings(self, findings: Sequence[Any]) -> None:
        """Say beside each field that its text might identify a person (details below)."""
        for f in findings:
            field = "attachments" if f.field.startswith("attachment:") else f.field
            slot = next((self.slots[r] for r in _roots(field) if r in self.slots), None)
            if slot is None:
                continue
            slot.value += (
                f'<p class="cpc306-error-text cpc306-finding-here">⚠ This might identify a '
                f"person ({escape(f.label)}: <code>{escape(f.snippet)}</code>). Edit it, or "
                "acknowledge it below the form.</p>"
            )

    def shown(self) -> dict[str, str]:
        """Every field with an error showing (for tests and for reading aloud)."""
        out = {k: v.value for k, v in self.slots.items() if v.value}
        return out | ({"": self.general.value} if self.general.value else {})


class _FindingRow:
    def __init__(self, finding: Any) -> None:
        self.finding = finding
        self.tick = css(
            w.Checkbox(description="It identifies no one: acknowledge", indent=False), "ack"
        )
        self.reason = css(
            w.Text(description="Reason", placeholder="why it identifies no one"), "ack-reason"
        )
        self.error = css(w.HTML(), "error")
        text = (
            f"<p><strong>{escape(finding.label)}</strong> in <code>{escape(finding.field)}"
            f"</code>: <code>{escape(finding.snippet)}</code></p>"
        )
        self.box = css(w.VBox([w.HTML(text), self.tick, self.reason, self.error]), "finding")


def finding_key(finding: Any) -> Key:
    return (str(finding.kind), finding.field, finding.fingerprint)


class FindingsPanel(w.VBox):
    """Possible identifiers found on save: edit the text, or acknowledge each with a reason."""

    def __init__(self) -> None:
        super().__init__([])
        css(self, "findings")
        self.rows: dict[Key, _FindingRow] = {}

    def show(self, findings: Sequence[Any]) -> None:
        """Show these findings; a finding already shown keeps its tick and reason."""
        rows = {finding_key(f): self.rows.get(finding_key(f)) or _FindingRow(f) for f in findings}
        self.rows = rows
        intro = w.HTML(
            "<p><strong>Nothing was saved.</strong> This text might identify a person. Edit it "
            "in the box named below and save again, or, if it identifies no one, tick to "
            "acknowledge and say why (your assessor will see your reason).</p>"
        )
        self.children = [intro, *(r.box for r in rows.values())] if rows else []

    def clear(self) -> None:
        self.rows = {}
        self.children = []

    def acknowledgements(self) -> tuple[dict[str, str], list[Problem]]:
        """Each ticked finding's fingerprint and reason; a tick without a reason is a problem.

        The store matches them to what the save finds, and leaves out a ticked finding the
        learner has since edited away.
        """
        out: dict[str, str] = {}
        problems: list[Problem] = []
        for row in self.rows.values():
            row.error.value = ""
            if not row.tick.value:
                continue
            if not row.reason.value.strip():
                row.error.value = '<p class="cpc306-error-text">⚠ say why it identifies no one</p>'
                missing = problem(
                    "confidentiality", "say why each ticked finding identifies no one"
                )
                problems[:] = [missing]
                continue
            out[row.finding.fingerprint] = row.reason.value.strip()
        return out, problems


class Form(w.VBox):
    """A form with one Save button; subclasses collect fields and write them."""

    def __init__(self, kind: str, title: str, rows: Sequence[w.Widget], errors: FieldErrors):
        self.errors = errors
        self.findings = FindingsPanel()
        self.save_button = css(w.Button(description="Save", button_style="primary"), "save")
        self.status = css(plain_html(), "status")
        self.save_button.on_click(lambda _button: self.save())
        self.saved: list[Any] = []
        #: Called with what was saved after every successful save (the page redraws).
        self.listeners: list[Callable[[Any], None]] = []
        head = plain_html(f"<h3>{escape(title)}</h3>")
        tail = [errors.general, self.findings, self.save_button, self.status]
        super().__init__([head, *rows, *tail])
        css(self, "form", f"{kind}-form")

    def collect(self) -> dict[str, Any]:
        """The record's fields from the widgets; raise RecordError for a form-level problem."""
        raise NotImplementedError

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Any:
        """Write through the store; return what was saved (it has an ``id`` or is a profile).

        ``acknowledge`` is the ticked findings' fingerprints and reasons, for the store.
        """
        raise NotImplementedError

    def reset(self) -> None:
        """Empty the fields after a successful save."""

    def describe(self, saved: Any) -> str:
        return f"Saved {saved.id}: {saved.title}"

    def save(self) -> Any | None:
        """Validate and write; on any failure keep every field and say what to fix."""
        self.errors.clear()
        self.status.value = ""
        try:
            fields = self.collect()
            acks, problems = self.findings.acknowledgements()
            if problems:
                raise RecordError(problems)
            saved = self.write(fields, acks)
        except ConfidentialityError as exc:
            self.findings.show(exc.findings)
            self.errors.flag_findings(exc.findings)
            self._failed("possible identifiers of a person (see below)")
            return None
        except RecordError as exc:
            self.errors.show(exc.problems)
            found = self.text_findings()
            if found:
                self.findings.show(found)
                self.errors.flag_findings(found)
            why = "please correct the fields marked ⚠"
            if found:
                why += " and check the possible identifiers below"
            self._failed(why)
            return None
        except PortfolioError as exc:
            self.errors.general.value = f'<p class="cpc306-error-text">⚠ {escape(str(exc))}</p>'
            self._failed("see the message above")
            return None
        self.findings.clear()
        self.saved.append(saved)
        self.reset()
        self.status.value = f'<p class="cpc306-saved">✔ {escape(self.describe(saved))}</p>'
        for listener in self.listeners:
            listener(saved)
        return saved

    def free_text(self) -> dict[str, str]:
        """The form's free text as typed, by record field (scanned with field errors)."""
        return {}

    def text_findings(self) -> list[Any]:
        """Possible identifiers in the form's free text as typed (to show with field errors)."""
        texts = {k: v for k, v in self.free_text().items() if v.strip()}
        if not texts:
            return []
        return scan_fields(
            texts, record="", keep_out=self.names_to_keep_out(), allow=self.contacts()
        )

    def names_to_keep_out(self) -> list[str]:
        """The names the learner listed to keep out of their text."""
        return []

    def contacts(self) -> tuple[str, ...]:
        """Registered witnesses' contact details: never findings (as the store says)."""
        return ()

    def _failed(self, why: str) -> None:
        self.status.value = (
            f'<p class="cpc306-not-saved" role="alert">Nothing was saved: {escape(why)}. '
            "Your text is still in the form.</p>"
        )
