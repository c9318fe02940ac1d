"""A searchable list of tick boxes: the forms' long choice lists (criteria, scope, knowledge).

A multi-select needs Ctrl-click (impossible on a phone) and a plain click silently drops
everything chosen before, the criterion the page chose included. Here each option is its own
tick box, so a tap or the space bar changes that option alone, and a search box above
narrows a long list. It keeps the multi-select's API, so forms change little: ``options`` is
a list of ``(label, value)`` pairs, ``value`` the tuple of chosen values in the order
chosen, observable as ``value``, and an unknown value is refused as the multi-select does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

import ipywidgets as w
import traitlets
from ipywidgets.widgets.widget_bool import CheckboxStyle

from .lean import plain_html, shared_layout, shared_style

#: Above this many options the list scrolls inside its box and gets a search field.
SEARCH_FROM = 8


def _matches(words: list[str], label: str) -> bool:
    low = label.lower()
    return all(word in low for word in words)


class ChoiceList(w.VBox):
    """Tick boxes for ``options`` with a search field; ``value`` is the chosen values."""

    value = traitlets.Tuple()
    options: traitlets.List[tuple[str, str]] = traitlets.List()
    description = traitlets.Unicode("")

    def __init__(
        self,
        options: Sequence[tuple[str, str]] = (),
        value: Iterable[str] = (),
        description: str = "",
        **kwargs: Any,
    ) -> None:
        self._updating = False
        self.title = plain_html()
        self.search = w.Text(
            description="Search",
            placeholder="type a word or a code to narrow the list",
            continuous_update=True,
            layout=w.Layout(width="100%", max_width="30rem"),
        )
        self.search.add_class("cpc306-choices-filter")
        self.none_found = plain_html()
        self.list = w.VBox([], layout=shared_layout(max_height="18rem", overflow="auto"))
        self.list.add_class("cpc306-choices-list")
        self.boxes: list[w.Checkbox] = []
        super().__init__([self.title, self.search, self.none_found, self.list], **kwargs)
        self.add_class("cpc306-choices")
        self.search.observe(lambda _c: self._filter(), names="value")
        self.description = description
        self.options = [(str(label), str(val)) for label, val in options]
        self.value = tuple(value)

    @traitlets.observe("description")
    def _describe(self, change: Any) -> None:
        self._show_title()

    def _show_title(self) -> None:
        chosen = len(self.value)
        count = f" ({chosen} chosen)" if chosen else ""
        self.title.value = (
            f'<p class="cpc306-choices-title"><strong>{escape(self.description)}</strong>'
            f"{escape(count)}</p>"
        )

    @traitlets.observe("options")
    def _build(self, change: Any) -> None:
        kept = [v for v in self.value if v in {val for _l, val in self.options}]
        self.boxes = []
        # One layout and one style for every box: each widget is a model the page loads.
        layout, style = shared_layout(width="auto"), shared_style(CheckboxStyle)
        for label, val in self.options:
            box = w.Checkbox(
                value=val in kept, description=label, indent=False, layout=layout, style=style
            )
            box.add_class("cpc306-choice")
            box.observe(self._ticked, names="value")
            self.boxes.append(box)
        self.list.children = self.boxes
        self.search.layout.display = None if len(self.options) >= SEARCH_FROM else "none"
        self.value = tuple(kept)
        self._filter()

    @traitlets.validate("value")
    def _valid(self, proposal: Any) -> tuple[str, ...]:
        wanted = tuple(proposal["value"])
        known = [val for _l, val in self.options]
        unknown = [v for v in wanted if v not in known]
        if unknown:
            raise traitlets.TraitError(f"Invalid selection: value not found: {unknown[0]}")
        return tuple(dict.fromkeys(wanted))  # in the order given, as the multi-select keeps it

    @traitlets.observe("value")
    def _show_value(self, change: Any) -> None:
        self._updating = True
        try:
            for (_label, val), box in zip(self.options, self.boxes, strict=True):
                box.value = val in self.value
        finally:
            self._updating = False
        self._show_title()

    def _ticked(self, change: Any) -> None:
        if self._updating:
            return
        ticked = {val for (_l, val), box in zip(self.options, self.boxes, strict=True) if box.value}
        kept = [v for v in self.value if v in ticked]
        self.value = (*kept, *(v for _l, v in self.options if v in ticked and v not in kept))

    def _filter(self) -> None:
        """Show the options whose label holds every word typed (ticked ones always show)."""
        words = self.search.value.lower().split()
        shown = [
            box
            for (label, val), box in zip(self.options, self.boxes, strict=True)
            if not words or _matches(words, label) or val in self.value
        ]
        if list(self.list.children) != shown:
            self.list.children = shown
        self.none_found.value = (
            '<p class="cpc306-hint" role="status">Nothing matches: clear the search to see '
            "every option.</p>"
            if words and not shown
            else ""
        )
