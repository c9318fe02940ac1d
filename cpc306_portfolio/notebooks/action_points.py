"""The learner's side of a decision on the criterion page: action points and acknowledgement.

Under the assessor's word: each action point (what, by when, open, overdue or closed) with
a reply box, a "done" button, and an "I have read this decision" button beside the
centre's appeals wording. Every button makes one package call
(:mod:`cpc306_portfolio.portfolio.responses`) that writes at once; a reply that might
identify someone is refused and stays in its box to be edited.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from html import escape
from typing import Any

import ipywidgets as w

from ..assessor.appeals import CENTRE_ENV, appeals_wording
from ..errors import PortfolioError
from ..portfolio.models import ActionPoint
from ..portfolio.responses import (
    ActionReply,
    acknowledge_decision,
    acknowledgement_state,
    mark_action_done,
    read_responses,
    reply_to_action,
)
from ..portfolio.store import Portfolio
from .forms import css


def _day(value: date) -> str:
    return value.strftime("%d %B %Y")


def _saved(text: str) -> str:
    return f'<p class="cpc306-saved" role="status">✔ {escape(text)}</p>'


def _failed(exc: PortfolioError) -> str:
    return f'<p class="cpc306-error-text" role="alert">⚠ {escape(str(exc))}</p>'


def _button(label: str, name: str, style: str = "primary") -> w.Button:
    return css(w.Button(description=label, button_style=style, layout=w.Layout(width="auto")), name)


class DecisionPanel(w.VBox):
    """Action points with reply boxes and "done" buttons, and the acknowledgement."""

    def __init__(self, portfolio: Portfolio, criterion: str, appeals: str | None = None) -> None:
        super().__init__([])
        css(self, "decision", f"decision-{criterion}")
        self.folio = portfolio
        self.criterion = criterion
        self.appeals = appeals or appeals_wording(os.environ.get(CENTRE_ENV) or None)
        #: Called with what was saved after every successful save (LivePage.watch).
        self.listeners: list[Callable[[Any], None]] = []
        self.replies: dict[str, w.Textarea] = {}
        self.status = css(w.HTML(), "decision-status")
        self.redraw()

    def _changed(self, saved: Any, message: str, keep: str = "") -> None:
        self.redraw(keep)
        self.status.value = _saved(message)
        for listener in self.listeners:
            listener(saved)

    def _run(self, call: Callable[[], Any], message: str, keep: str = "") -> None:
        try:
            saved = call()
        except PortfolioError as exc:
            self.status.value = _failed(exc)  # the reply box keeps what was typed
            return
        self._changed(saved, message, keep)

    def redraw(self, keep: str = "") -> None:
        """Rebuild from the files (keeping what is typed in every reply box but ``keep``)."""
        typed = {k: box.value for k, box in self.replies.items() if k != keep}
        judgement = self.folio.read_assessment().judgements.get(self.criterion)
        if judgement is None:
            self.children = []
            return
        answers = read_responses(self.folio).for_criterion(self.criterion)
        rows: list[w.Widget] = []
        self.replies = {}
        if judgement.actions:
            rows.append(css(w.HTML("<h3>What your assessor asks you to do</h3>"), "actions-h"))
        for action in judgement.actions:
            rows.append(self._action_row(action, answers.actions.get(action.id), typed))
        rows.append(self._acknowledgement(acknowledgement_state(judgement, answers), answers))
        rows.append(self.status)
        self.children = rows

    def _action_row(
        self, action: ActionPoint, reply: ActionReply | None, typed: dict[str, str]
    ) -> w.Widget:
        head = f"<p><strong>{escape(action.id)}</strong> {escape(action.text)} "
        head += f"<span class='cpc306-by'>(by {_day(action.by)})</span>: "
        if action.closed_on is not None:
            note = f": {escape(action.closed_note)}" if action.closed_note else ""
            head += f"closed by your assessor on {_day(action.closed_on)}{note}</p>"
            if reply and reply.text:
                head += f"<p class='cpc306-text'>Your reply: {escape(reply.text)}</p>"
            return css(w.HTML(head), "action", "action-closed", f"action-{action.id}")
        done = reply is not None and reply.done
        late = action.by < date.today() and not done
        head += "you said it is done; your assessor closes it" if done else "open"
        head += " <strong class='cpc306-error-text'>overdue</strong></p>" if late else "</p>"
        box = css(
            w.Textarea(
                description=f"Your reply on {action.id}",
                value=typed.get(action.id, reply.text if reply else ""),
                placeholder="What you did, or will do, about it",
                layout=w.Layout(width="95%", height="4em"),
                style={"description_width": "initial"},
            ),
            "action-reply",
            f"action-reply-{action.id}",
        )
        self.replies[action.id] = box
        save = _button("Save my reply", f"action-save-{action.id}")
        toggle = _button(
            "Not done after all" if done else "Mark as done",
            f"action-done-{action.id}",
            "" if done else "success",
        )
        ident = action.id

        def save_reply(_b: w.Button) -> None:
            self._run(
                lambda: reply_to_action(self.folio, self.criterion, ident, box.value),
                f"Saved your reply on {ident}",
                keep=ident,
            )

        def mark(_b: w.Button) -> None:
            self._run(
                lambda: mark_action_done(self.folio, self.criterion, ident, done=not done),
                f"{ident} marked {'not done' if done else 'done'}",
            )

        save.on_click(save_reply)
        toggle.on_click(mark)
        return css(
            w.VBox([w.HTML(head), box, w.HBox([save, toggle])]),
            "action",
            f"action-{action.id}",
        )

    def _acknowledgement(self, state: str, answers: Any) -> w.Widget:
        seen = answers.acknowledged
        if state == "acknowledged":
            text = f"You acknowledged this decision on {_day(seen.acknowledged_at.date())}."
        elif state == "changed":
            text = (
                "Your assessor changed this decision after you acknowledged it "
                f"({_day(seen.acknowledged_at.date())}): read it again."
            )
        else:
            text = "You have not acknowledged this decision yet."
        html = css(
            w.HTML(
                f"<p class='cpc306-ack-state'>{escape(text)}</p>"
                f"<p class='cpc306-appeals'>{escape(self.appeals)}</p>"
            ),
            "ack-text",
        )
        parts: list[w.Widget] = [html]
        if state != "acknowledged":
            button = _button("I have read this decision", "acknowledge")

            def acknowledge(_b: w.Button) -> None:
                self._run(
                    lambda: acknowledge_decision(self.folio, self.criterion),
                    "Recorded that you read the decision",
                )

            button.on_click(acknowledge)
            parts.append(w.HBox([button]))
        return css(w.VBox(parts), "acknowledgement")


def decision_panel(portfolio: Portfolio, criterion: str) -> DecisionPanel:
    """The action points and the acknowledgement of the decision on ``criterion``."""
    return DecisionPanel(portfolio, criterion)
