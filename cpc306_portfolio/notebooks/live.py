"""Views that refresh themselves: every form's save redraws the page's views, with no re-run.

A :class:`LivePage` holds the page's views (each an ``ipywidgets.HTML`` drawn by a function
of the portfolio and its coverage) and redraws them all, from one coverage computation,
whenever a form on the page saves. The same page works in Voilà and in JupyterLab.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any

import ipywidgets as w

from ..analysis.coverage_rows import CoverageRows
from ..analysis.status import portfolio_status
from ..errors import PortfolioError
from ..portfolio.store import Portfolio
from .forms import css
from .lean import shared_layout

#: A view's drawing: of the portfolio and its coverage rows (never pandas tables: a page's
#: kernel starts without pandas, about a fifth of its imports).
Draw = Callable[[Portfolio, CoverageRows], str]


class LiveView(w.HTML):
    """An HTML view drawn from the portfolio; :meth:`draw` redraws it."""

    def __init__(self, draw: Draw, name: str) -> None:
        super().__init__(layout=shared_layout())  # never hidden: one layout for every view
        self.draw_html = draw
        css(self, "live", f"live-{name}")

    def draw(self, portfolio: Portfolio, coverage: CoverageRows) -> None:
        try:
            self.value = self.draw_html(portfolio, coverage)
        except PortfolioError as exc:  # a file broken by hand: say so where the view was
            self.show_error(exc)

    def show_error(self, exc: PortfolioError) -> None:
        self.value = f'<p class="cpc306-error-text">⚠ {escape(str(exc))}</p>'


class LivePage(w.VBox):
    """A page of views and forms; a save in any form redraws every view."""

    def __init__(self, portfolio: Portfolio | None, name: str) -> None:
        super().__init__([])
        css(self, "page", f"page-{name}")
        self.portfolio = portfolio
        self.views: list[LiveView] = []
        #: Parts that are not views but redraw with them (a list of records with buttons).
        self.followers: list[Callable[[], None]] = []
        self.refreshes = 0
        #: Pressed by the app's page script when another tab saved (never shown).
        self.refresher = css(
            w.Button(description="Show the latest", layout=w.Layout(display="none")),
            "refresh",
        )
        self.refresher.on_click(lambda _b: self.refresh())

    def view(self, draw: Draw, name: str) -> LiveView:
        """A view on this page (drawn when the page is refreshed)."""
        live = LiveView(draw, name)
        self.views.append(live)
        return live

    def watch(self, forms: Sequence[Any]) -> None:
        """Redraw after every successful save of these forms."""
        for form in forms:
            form.listeners.append(lambda _saved: self.refresh())

    def refresh(self) -> None:
        """Redraw every view from one fresh read of the portfolio."""
        if self.portfolio is None:
            return
        try:
            coverage = portfolio_status(self.portfolio).rows
        except PortfolioError as exc:
            # A record broken by hand: every view says so where it was, and the forms stay.
            for live in self.views:
                live.show_error(exc)
        else:
            for live in self.views:
                live.draw(self.portfolio, coverage)
        for follow in self.followers:
            follow()
        self.refreshes += 1
