"""The stale save, in plain words: this item changed in another window; keep either version.

When a save is refused because the record changed since the form opened it (another tab,
the command line: :class:`~cpc306_portfolio.errors.ConflictError`), nothing is lost: the
panel shows the two versions side by side, field by field where they differ, and offers
"Keep my version" (saved over the other) or "Keep the other version" (shown in the form).
The version not kept stays on screen, as text to copy, until the learner closes it or
leaves the page.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as w

from ..errors import ConflictError, PortfolioError
from ..portfolio.reflection import reflection_models
from ..standard.model import Standard
from .forms import css
from .wording import FIELD_LABELS, field_text

SHORT = "This item was changed in another window: see both versions above, and keep either."
THEIRS = "Saved in the other window"
MINE = "Your version (not saved)"

#: Fields that differ on every save and mean nothing to the learner.
_QUIET = {"id", "schema", "created", "modified", "revision", "confidentiality"}

MESSAGE = (
    "This item was changed in another window (or another program) after you opened it here, "
    "so nothing was saved. Both versions are below: keep either."
)


def differences(standard: Standard, mine: Any, theirs: Any) -> list[tuple[str, str, str]]:
    """(label, the other version, my version) for each field that differs, in words."""
    left, right = theirs.to_data(), mine.to_data()
    stage_titles = {s.id: s.title for m in reflection_models().values() for s in m.stages}
    out = []
    for key in dict.fromkeys([*left, *right]):
        if key in _QUIET or left.get(key) == right.get(key):
            continue
        if key == "stages":
            a, b = left.get(key) or {}, right.get(key) or {}
            for stage in dict.fromkeys([*a, *b]):
                if a.get(stage, "") != b.get(stage, ""):
                    label = stage_titles.get(stage, stage.replace("_", " ").capitalize())
                    out.append((label, a.get(stage) or "(empty)", b.get(stage) or "(empty)"))
            continue
        out.append(
            (
                FIELD_LABELS.get(key, key.replace("_", " ").capitalize()),
                field_text(standard, key, left.get(key)),
                field_text(standard, key, right.get(key)),
            )
        )
    return out


def _cell(which: str, text: str) -> str:
    # The column's name inside the cell too: on a phone the rows stack and the head is hidden.
    box = '<div class="cpc306-version-text" style="white-space:pre-wrap">'
    return f'<td><span class="cpc306-version-label">{which}: </span>{box}{escape(text)}</div></td>'


def versions_html(standard: Standard, mine: Any, theirs: Any, *, kept: str = "") -> str:
    """The two versions side by side (a table that reads row by row on a phone)."""
    rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th>{_cell(THEIRS, other)}{_cell(MINE, own)}</tr>'
        for label, other, own in differences(standard, mine, theirs)
    )
    said = {
        "": f"<p><strong>⚠ {escape(MESSAGE)}</strong></p>",
        "theirs": (
            "<p><strong>The other version is now in the form.</strong> Your version was not "
            "saved: it stays here, so you can copy anything you want from it, until you close "
            "this or leave the page.</p>"
        ),
    }[kept]
    return (
        f'<div class="cpc306-conflict" role="alert">{said}'
        '<table class="cpc306-versions"><thead><tr><th scope="col">What differs</th>'
        f'<th scope="col">{THEIRS}</th><th scope="col">{MINE}'
        f"</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )


class ConflictPanel(w.VBox):
    """Shown when a save meets a newer version; hidden otherwise.

    Its table and buttons are made the first time it shows (most pages never need them:
    every widget is a model the page loads before it is usable).
    """

    def __init__(
        self, standard: Standard, keep_mine: Callable[[Any], Any], keep_theirs: Callable[[Any], Any]
    ) -> None:
        self.standard = standard
        self.error: ConflictError | None = None
        self._keepers = (keep_mine, keep_theirs)
        self._built = False
        super().__init__([])
        css(self, "conflict-panel")
        self.hide()

    def _build(self) -> None:
        if self._built:
            return
        keep_mine, keep_theirs = self._keepers
        self.table = css(w.HTML(), "versions")
        self.mine = css(
            w.Button(description="Keep my version", button_style="primary"), "keep-mine"
        )
        self.theirs = css(w.Button(description="Keep the other version"), "keep-theirs")
        self.close_button = css(w.Button(description="Close"), "close-versions")
        self.mine.on_click(lambda _b: self._keep(keep_mine, "mine"))
        self.theirs.on_click(lambda _b: self._keep(keep_theirs, "theirs"))
        self.close_button.on_click(lambda _b: self.hide())
        self.buttons = w.HBox([self.mine, self.theirs], layout=w.Layout(flex_flow="row wrap"))
        self.children = [self.table, self.buttons, self.close_button]
        self._built = True

    def show(self, error: ConflictError) -> PortfolioError:
        """Show both versions; return the plain-words error for the form's message line."""
        self._build()
        self.error = error
        self.table.value = versions_html(self.standard, error.mine, error.theirs)
        self.buttons.layout.display = ""
        self.close_button.layout.display = "none"
        self.layout.display = ""
        return PortfolioError(SHORT)

    def hide(self) -> None:
        self.error = None
        if self._built:
            self.table.value = ""
        self.layout.display = "none"

    def _keep(self, keep: Callable[[Any], Any], which: str) -> None:
        error = self.error
        if error is None:
            return
        keep(error)
        if which == "mine":
            if self.error is error:  # saved (a new conflict would have replaced the error)
                self.hide()
            return
        self.table.value = versions_html(self.standard, error.mine, error.theirs, kept="theirs")
        self.buttons.layout.display = "none"
        self.close_button.layout.display = ""
