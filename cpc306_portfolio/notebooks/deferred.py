"""A form shown as its heading, one line and a button until the learner asks for it.

A criterion page carries the evidence form (what a learner comes for), the form that
registers a witness and the reflective account form. Built at once, the two last are about
half of the page's widget models, each fetched and drawn by the browser before the page can
be used, for forms most visits never touch (a witness is registered once; accounts are
mostly written on their own page). :class:`DeferredForm` stands in their place: the same
card and heading, a line on what the form is for, and a button that builds the form where
it stands and puts the cursor in its first field. Whoever watches the form for saves (the
page redraws) is told of the saves of the form once it is built.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as w

from .forms import css
from .lean import plain_html


class DeferredForm(w.VBox):
    """``build()`` is called on the first press of the button; its form then stands here."""

    def __init__(
        self, name: str, title: str, words: str, label: str, build: Callable[[], Any]
    ) -> None:
        self._build = build
        self.form: Any = None
        #: Called with what was saved after every successful save of the form (once built).
        self.listeners: list[Callable[[Any], None]] = []
        self.opener = css(w.Button(description=label, tooltip=label), "open-form", f"open-{name}")
        self.opener.on_click(lambda _button: self.show_form())
        about = plain_html(f"<h3>{escape(title)}</h3><p class='cpc306-hint'>{escape(words)}</p>")
        super().__init__([about, self.opener])
        css(self, "form", "deferred-form", f"{name}-later")

    def show_form(self) -> Any:
        """The form, built and shown on first use (the cursor in its first field)."""
        if self.form is None:
            form = self._build()
            form.listeners.append(self._saved)
            self.form = form
            self.children = [form]
            self.remove_class("cpc306-form")  # the form draws its own card
            _focus_first(form)
        return self.form

    def _saved(self, saved: Any) -> None:
        for listener in list(self.listeners):
            listener(saved)


def _focus_first(form: Any) -> None:
    """Put the cursor in the form's first text or choice field (ipywidgets' ``focus``)."""
    stack = list(getattr(form, "children", ()))
    while stack:
        widget = stack.pop(0)
        if isinstance(widget, w.Text | w.Textarea | w.Dropdown):
            widget.focus()
            return
        stack[:0] = list(getattr(widget, "children", ()))
