"""Reopen a reflective account to finish or correct it, or remove it (with a confirmation).

:class:`ReflectionEditor` is the reflection form with a choice of record at its top, as the
evidence form has: "A new reflective account", or one of the learner's accounts, drafts
included, shown in the form to edit and save again (``Portfolio.update``, journalled and
refused, never lost, when another window changed it meanwhile). :class:`AccountList` lists
the accounts, each with Open and Remove.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any, cast

import ipywidgets as w

from ..errors import ConflictError, PortfolioError
from ..portfolio.models import Reflection
from ..portfolio.reflection import reflection_models
from ..portfolio.store import Portfolio
from .confirm import ConfirmRemove
from .conflict import ConflictPanel
from .datebox import long_date
from .export_state import declaration_reminder
from .forms import css
from .views import reflection_state
from .widgets import ReflectionForm

NEW = ""


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class ReflectionEditor(ReflectionForm):
    """The reflective account form, able to open an existing account and save it again."""

    def __init__(self, portfolio: Portfolio, criterion: str | None = None) -> None:
        self.folio = portfolio
        self.record = css(w.Dropdown(description="Account", layout=w.Layout(width="95%")), "record")
        self.loaded: Reflection | None = None
        super().__init__(portfolio, criterion)
        self.model.layout.width = "auto"  # the model's whole name, never cut
        self.conflict = ConflictPanel(portfolio.standard, self._keep_mine, self._keep_theirs)
        head, *rest = cast(Any, self).children
        self.children = [head, self.record, *rest[:-4], self.conflict, *rest[-4:]]
        self.record.observe(lambda change: self.load(change["new"]), names="value")

    def _options(self) -> None:
        options = [("A new reflective account", NEW)]
        try:
            options += [
                (f"{r.id}: {_short(r.title)}" + (" (draft)" if r.draft else ""), r.id)
                for r in self.folio.reflections()
            ]
        except PortfolioError:  # a file broken by hand: still offer every account by id
            options += [(r, r) for r in self.folio.reflection_ids()]
        self.record.options = options

    def _heading(self, text: str) -> None:
        head = cast(Any, self).children[0]
        head.value = f"<h3>{escape(text)}</h3>"

    def reset(self) -> None:
        super().reset()
        self.loaded = None
        if hasattr(self, "conflict"):  # built: the heading is there to change
            self._heading("Write a reflective account")
        self._options()
        self.record.value = NEW

    def load(self, record_id: str) -> None:
        """Show an account in the form (``""``: a new, empty one)."""
        self.errors.clear()
        self.findings.clear()
        self.status.value = ""
        if not record_id:
            if self.loaded is not None:
                super().reset()
                self.loaded = None
                self._heading("Write a reflective account")
            return
        record = self.folio.read_reflection(record_id)
        self.loaded = record
        self.title.value = record.title
        self.date.value = record.date
        self.texts = dict(record.stages)
        self.boxes = {}
        if self.model.value == record.model:
            self._show_stages(record.model)
        else:
            self.model.value = record.model  # draws its stages from self.texts
        self.texts = dict(record.stages)
        for stage_id, box in self.boxes.items():
            box.value = record.stages.get(stage_id, "")
        for box, chosen in (
            (self.criteria, record.criteria),
            (self.scope, record.scope),
            (self.knowledge, record.knowledge),
        ):
            offered = {value for _label, value in box.options}
            box.value = tuple(c for c in chosen if c in offered)
        self.draft.value = record.draft
        self.status.value = (
            f'<p class="cpc306-hint">Editing {escape(record.id)}: change what you need and '
            "press Save.</p>"
        )
        self._heading(f"Finish or correct {record.id}: {record.title}")

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Reflection:
        if self.loaded is None:
            return super().write(fields, acknowledge)
        data = {**self.loaded.to_data(), **fields}
        self.folio.draft("reflection", data)  # located problems, if any
        try:
            saved: Reflection = self.folio.update(
                Reflection.model_validate(data), acknowledge=acknowledge, unknown="ignore"
            )
        except ConflictError as exc:
            raise self.conflict.show(exc) from None
        return saved

    def _keep_mine(self, error: ConflictError) -> None:
        """Save the form's version over the one another window saved."""
        self.loaded = error.theirs
        self.save()

    def _keep_theirs(self, error: ConflictError) -> None:
        self.load(error.theirs.id)

    def describe(self, saved: Any) -> str:
        draft = (
            " as a draft: open it again from the list of your accounts to finish it"
            if saved.draft
            else ""
        )
        return f"Saved {saved.id}: {saved.title}{draft}.{declaration_reminder(self.folio)}"


class AccountList(w.VBox):
    """The learner's reflective accounts, each with Open (into the form) and Remove."""

    def __init__(self, portfolio: Portfolio, form: ReflectionEditor) -> None:
        super().__init__([])
        css(self, "account-list")
        self.folio = portfolio
        self.form = form
        self.confirm = ConfirmRemove(self._remove)
        #: Called after an account is removed (the page redraws).
        self.listeners: list[Callable[[Any], None]] = []
        self.update()

    def update(self) -> None:
        """Redraw the rows from the portfolio."""
        try:
            accounts = self.folio.reflections()
        except PortfolioError as exc:
            self.children = [w.HTML(f'<p class="cpc306-error-text">⚠ {escape(str(exc))}</p>')]
            return
        models = reflection_models()
        rows: list[w.Widget] = [
            w.HTML(
                "<h3>Your reflective accounts</h3>"
                + (
                    "<p>Open an account to finish or correct it.</p>"
                    if accounts
                    else "<p>You have not written a reflective account yet.</p>"
                )
            )
        ]
        for record in accounts:
            model = models.get(record.model)
            mapped = ", ".join(record.criteria) or "no criterion yet"
            text = (
                f"<strong>{escape(record.id)}</strong> {escape(record.title)}"
                f'<br><span class="cpc306-hint">{long_date(record.date)} · '
                f"{escape(model.name if model else 'your own structure')} · "
                f"criteria: {escape(mapped)}</span>"
                f'<br><span class="cpc306-account-state">{escape(reflection_state(record))}'
                "</span>"
            )
            opener = css(w.Button(description=f"Open {record.id}"), "open-record")
            opener.on_click(lambda _b, rid=record.id: self.open_account(rid))
            remover = css(w.Button(description="Remove…"), "remove-record")
            remover.on_click(
                lambda _b, r=record: self.confirm.ask(
                    r.id, f"the reflective account {r.id} “{r.title}”"
                )
            )
            rows.append(
                css(
                    w.HBox(
                        [w.HTML(text, layout=w.Layout(flex="1 1 auto")), opener, remover],
                        layout=w.Layout(flex_flow="row wrap", align_items="center"),
                    ),
                    "account-row",
                )
            )
        self.children = [*rows, self.confirm]

    def open_account(self, record_id: str) -> None:
        """Show one account in the form below, and take the learner there."""
        self.form.record.value = record_id
        self.form.title.focus()  # the browser scrolls to the form's first box

    def _remove(self, record_id: str) -> str:
        self.folio.remove_reflection(record_id)
        if self.form.record.value == record_id:
            self.form.reset()
        else:
            keep = self.form.record.value
            self.form._options()
            self.form.record.value = keep
        self.update()
        for listener in self.listeners:
            listener(record_id)
        return f"Removed {record_id}."


def reflection_editor(portfolio: Portfolio, criterion: str | None = None) -> ReflectionEditor:
    """The reflective account form that can also reopen an account."""
    return ReflectionEditor(portfolio, criterion)
