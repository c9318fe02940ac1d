"""Action points in the assessor's workspace: set with a "not yet met", closed one by one.

The rows of :class:`ActionPointRows` go to :func:`~cpc306_portfolio.assessor.assessment.assess`
as its ``actions=`` (what ``cpc306 assess judge --action --by`` passes); each open point's
"Close" calls :func:`~cpc306_portfolio.assessor.actions.close_action` (``cpc306 assess action
close``). The form checks the rows first so that a refusal names the row in words.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as w

from ..assessor.actions import NewAction, close_action
from ..errors import Problem, RecordError
from ..portfolio.models import ActionPoint
from ..portfolio.store import Portfolio
from .datebox import DateBox, read_date
from .forms import FieldErrors, Form, css, problem


class ActionPointRows(w.VBox):
    """Rows of action points (what, by when), and a button that adds another row."""

    def __init__(self) -> None:
        self.rows: list[tuple[w.Text, DateBox]] = []
        self.boxes: list[w.HBox] = []
        self.add_button = css(
            w.Button(description="Add another action point", icon="plus"), "action-add"
        )
        self.add_button.on_click(lambda _b: self.add_row())
        self.intro = w.HTML(
            "<h4>Action points (with “not yet met”)</h4>"
            "<p>What the learner is to do, and the date it is due.</p>"
        )
        super().__init__([self.intro, self.add_button])
        css(self, "judge-actions")
        self.add_row()

    def add_row(self) -> None:
        """One more empty row above the button."""
        what = css(
            w.Text(
                description="Action",
                placeholder="e.g. Add the minutes of the May review",
                layout=w.Layout(width="55%"),  # room for the date box and its hint
            ),
            "action-text",
        )
        by = DateBox("By", "action-by", future=True)
        self.rows.append((what, by))
        box = css(w.HBox([what, by]), "action-row")
        self.boxes.append(box)
        self.children = [self.intro, *self.boxes, self.add_button]

    def reset(self) -> None:
        """Back to one empty row (after a save)."""
        self.rows, self.boxes = [], []
        self.add_row()

    def values(self) -> list[tuple[str, date | str | None]]:
        """The rows that say something: (what, by); an empty row is left out."""
        return [(t.value.strip(), d.value) for t, d in self.rows if t.value.strip() or d.value]

    def problems(self, outcome: str | None, today: date | None = None) -> list[Problem]:
        """What is wrong with the rows, in words naming the row and the field."""
        day = today or date.today()
        found = self.values()
        if found and outcome != "not_yet_met":
            return [
                problem(
                    "actions",
                    "action points go with “not yet met” only",
                    "choose not yet met, or empty the action point rows",
                )
            ]
        out = []
        for number, (text, by) in enumerate(found, 1):
            name = f"action point {number}" + (f" (“{text}”)" if text else "")
            if not text:
                out.append(
                    problem("actions", f"{name} has a date but no words", "say what is to be done")
                )
            elif by is None:
                out.append(
                    problem("actions", f"{name} has no “by” date", "give the date it is due")
                )
            elif not isinstance(by, date):
                _when, why = read_date(str(by), future=True)
                out.append(problem("actions", f"{name}: {why}"))
            elif by < day:
                out.append(
                    problem(
                        "actions",
                        f"{name} is due {by:%d %B %Y}, a date already past",
                        "give a date from today on",
                    )
                )
        return out

    def collect(self, outcome: str | None) -> list[NewAction]:
        """The action points for ``assess(actions=...)``; raise RecordError naming the row."""
        problems = self.problems(outcome)
        if problems:
            raise RecordError(problems)
        return [(text, by if isinstance(by, date) else None) for text, by in self.values()]


class CloseActionForm(Form):
    """Close one open action point with a note (``cpc306 assess action close``)."""

    def __init__(self, folio: Portfolio, criterion: str, action: ActionPoint) -> None:
        self.folio, self.criterion, self.action = folio, criterion, action
        err = FieldErrors()
        self.note = css(
            w.Text(
                description="Note",
                placeholder="why it is closed (optional)",
                layout=w.Layout(width="95%"),
            ),
            "close-note",
        )
        super().__init__(
            f"close-{action.id.lower()}",
            f"{action.id}: {action.text} (by {action.by:%d %B %Y})",
            [err.row("note", self.note)],
            err,
        )
        self.save_button.description = f"Close {action.id}"
        css(self, "close-action-form")

    def collect(self) -> dict[str, Any]:
        return {"note": self.note.value.strip()}

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> ActionPoint:
        return close_action(self.folio, self.criterion, self.action.id, note=fields["note"])

    def describe(self, saved: Any) -> str:
        return f"Closed {saved.id} on {saved.closed_on:%d %B %Y}"

    def save(self) -> Any | None:
        saved = super().save()
        if saved is not None:  # closed: nothing more to do here until the page redraws
            self.save_button.disabled = self.note.disabled = True
        return saved


class OpenActions(w.VBox):
    """One "Close" form per open action point of a criterion, redrawn after every save."""

    def __init__(self, folio: Portfolio, criterion: str) -> None:
        self.folio, self.criterion = folio, criterion
        self.forms: list[CloseActionForm] = []
        #: Called after an action point is closed (the page redraws its views).
        self.listeners: list[Any] = []
        super().__init__([])
        css(self, "open-actions")
        self.refresh()

    def refresh(self) -> None:
        """The open action points as the judgement holds them now."""
        judgement = self.folio.read_assessment().judgements.get(self.criterion)
        open_points = [a for a in (judgement.actions if judgement else []) if not a.closed]
        self.forms = [CloseActionForm(self.folio, self.criterion, a) for a in open_points]
        for form in self.forms:
            form.listeners.append(self._closed)
        head = w.HTML("<h2>Open action points</h2>") if self.forms else w.HTML("")
        self.children = [head, *self.forms]

    def _closed(self, saved: Any) -> None:
        for listener in self.listeners:
            listener(saved)
