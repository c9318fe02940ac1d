"""Ask before removing anything: "Remove X for good?" with Yes and Keep, then say what happened."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w

from ..errors import PortfolioError
from .forms import css


class ConfirmRemove(w.VBox):
    """A confirmation line, hidden until :meth:`ask`; Yes runs ``remove(key)``."""

    def __init__(self, remove: Callable[[str], str]) -> None:
        self.remove = remove
        self.key = ""
        self.question = w.HTML()
        self.yes = css(
            w.Button(description="Yes, remove it", button_style="danger"), "confirm-remove"
        )
        self.no = css(w.Button(description="No, keep it"), "cancel-remove")
        self.buttons = w.HBox([self.yes, self.no])
        self.status = css(w.HTML(), "status", "remove-status")
        self.yes.on_click(lambda _b: self.confirm())
        self.no.on_click(lambda _b: self.cancel())
        super().__init__([self.question, self.buttons, self.status])
        css(self, "confirm")
        self._show(False)

    def _show(self, asking: bool) -> None:
        self.question.layout.display = "" if asking else "none"
        self.buttons.layout.display = "" if asking else "none"

    def ask(self, key: str, what: str) -> None:
        """Ask whether to remove ``what`` (``key`` goes to ``remove``)."""
        self.key = key
        self.status.value = ""
        self.question.value = (
            f'<p class="cpc306-warning-text" role="alert">Remove {escape(what)} from your '
            "portfolio for good? This cannot be undone.</p>"
        )
        self._show(True)

    def cancel(self) -> None:
        self.key = ""
        self._show(False)
        self.status.value = '<p class="cpc306-hint">Nothing was removed.</p>'

    def confirm(self) -> str | None:
        """Remove what was asked about; say what happened."""
        if not self.key:
            return None
        key, self.key = self.key, ""
        self._show(False)
        try:
            done = self.remove(key)
        except PortfolioError as exc:
            self.status.value = (
                f'<p class="cpc306-error-text" role="alert">⚠ {escape(str(exc))}</p>'
            )
            return None
        self.status.value = f'<p class="cpc306-saved" role="status">✔ {escape(done)}</p>'
        return done
