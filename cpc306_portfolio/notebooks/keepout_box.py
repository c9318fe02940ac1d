"""Start here's warning while no one is on the keep-out list, with the form to add names.

Until the learner names the people to keep out of their text (people who use services, their
families), a name like "Edith Marlowe" is saved with no warning: the page says so at the top
and takes the names right there. The names are stored as keyed hashes (``Portfolio.add_keep_out``).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as w

from ..errors import PortfolioError
from ..portfolio.store import Portfolio
from .forms import css

WARNING = (
    "<p><strong>⚠ No one is on your keep-out list yet.</strong> Until you add the people who "
    "must never be identifiable in your text (people who use services, their families, anyone "
    "in a complaint or a safeguarding case), the app cannot warn you when you type one of "
    "their names. Add them here, one name a line. Only a coded form of each name is kept in "
    "your portfolio folder; the names stay on this computer.</p>"
)


class KeepOutBox(w.VBox):
    """The warning and a one-box form; hidden once the list has a name."""

    def __init__(self, portfolio: Portfolio) -> None:
        self.folio = portfolio
        self.names = css(
            w.Textarea(
                description="Names",
                placeholder="One name a line, e.g. Edith Marlowe",
                layout=w.Layout(width="95%", height="5em"),
            ),
            "keep-out-names",
        )
        self.add_button = css(
            w.Button(description="Add to my keep-out list", button_style="primary"),
            "keep-out-add",
        )
        self.status = css(w.HTML(), "status")
        self.warning = w.HTML(WARNING)
        #: Called with the whole list after names are added (the page redraws).
        self.listeners: list[Callable[[Any], None]] = []
        self.add_button.on_click(lambda _b: self.add())
        self.showing = False
        super().__init__([])
        css(self, "keep-out-warning")
        self.update()

    def listed(self) -> list[str] | None:
        """The names on the list (None when they cannot be read on this machine)."""
        try:
            return self.folio.keep_out_names()
        except PortfolioError:
            return None

    def update(self) -> None:
        """Show the warning only while the list is empty."""
        listed = self.listed()
        self.showing = listed is not None and not listed
        # Not merely hidden: a page's first box is its first form's, unless this one is needed.
        if self.showing:
            self.status.value = ""
            self.children = [self.warning, self.names, self.add_button, self.status]
        else:
            self.children = [self.status]

    def add(self) -> list[str] | None:
        """Add the names typed (one a line); say what happened."""
        names = [n.strip() for n in self.names.value.splitlines() if n.strip()]
        if not names:
            self.status.value = (
                '<p class="cpc306-error-text" role="alert">⚠ Type at least one name, one a '
                "line, then press the button.</p>"
            )
            return None
        try:
            listed = self.folio.add_keep_out(names)
        except PortfolioError as exc:
            self.status.value = (
                f'<p class="cpc306-error-text" role="alert">⚠ {escape(str(exc))}</p>'
            )
            return None
        self.names.value = ""
        self.update()
        count = len(names)
        self.status.value = (
            f'<p class="cpc306-saved">✔ Added {count} name{"s" if count > 1 else ""} to your '
            "keep-out list. You can see and change the list under Your details below.</p>"
        )
        for listener in self.listeners:
            listener(listed)
        return listed


def keep_out_box(portfolio: Portfolio) -> KeepOutBox:
    """Start here's keep-out warning for ``portfolio``."""
    return KeepOutBox(portfolio)
