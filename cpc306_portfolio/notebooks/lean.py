"""Fewer widget models for the same page: shared layouts and styles.

Every ipywidgets widget brings its own ``Layout`` and, for most kinds, its own style, and
each is a model the browser fetches over the kernel's websocket before the page is usable
(a criterion page had about 970 models, 430 of them layouts and styles). A layout or a
style may be referenced by any number of widgets, so widgets with the same settings can
share one: :func:`shared_layout` for parts whose layout the code never changes (an error
line, a hint, a view), and :func:`share_styles` once a page is built (no code changes a
widget's style after it is made; a layout may be, so layouts are shared only where asked).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget import _instances  # every open model of this kernel

#: One instance per kind and settings in this kernel (a page's kernel serves one page).
_SHARED: dict[tuple[Any, ...], w.Widget] = {}


def _alive(widget: w.Widget | None) -> bool:
    # Widget.close_all() (between tests, or a page rebuilt) closes shared ones too.
    return widget is not None and getattr(widget, "comm", None) is not None


def shared_layout(**settings: Any) -> w.Layout:
    """One ``Layout`` with these settings for every widget that asks (never change it)."""
    key = ("layout", *sorted(settings.items()))
    found = _SHARED.get(key)
    if not _alive(found):
        found = _SHARED[key] = w.Layout(**settings)
    return found  # type: ignore[return-value]


def plain_html(value: str = "") -> w.HTML:
    """An HTML widget with the shared plain layout (for text the code never hides)."""
    return w.HTML(value, layout=shared_layout())


def plain_vbox(children: Any = ()) -> w.VBox:
    """A VBox with the shared plain layout (for a row the code never hides)."""
    return w.VBox(list(children), layout=shared_layout())


def walk(root: w.Widget) -> Iterator[w.Widget]:
    """``root`` and every widget under it through ``children`` (each once)."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        widget = todo.pop()
        if id(widget) in seen:
            continue
        seen.add(id(widget))
        yield widget
        todo.extend(c for c in getattr(widget, "children", ()) if isinstance(c, w.Widget))


def share_styles(root: w.Widget) -> int:
    """Give the widgets under ``root`` whose styles have the same settings one style.

    Every widget of the kernel that used a style given up is pointed at the one kept (a
    style may serve many: a list's tick boxes share one), then the style given up is closed,
    so the browser never fetches it. Returns how many were closed.
    """
    keep: dict[tuple[type, str], w.Widget] = {}
    given_up: dict[int, w.Widget] = {}
    for widget in walk(root):
        style = getattr(widget, "style", None)
        if not isinstance(style, w.Widget) or not _alive(style) or id(style) in given_up:
            continue
        key = (type(style), json.dumps(style.get_state(), sort_keys=True, default=str))
        first = keep.setdefault(key, style)
        if first is not style:
            given_up[id(style)] = first
    if not given_up:
        return 0
    for widget in list(_instances.values()):
        style = getattr(widget, "style", None) if "style" in widget.keys else None
        if style is not None and id(style) in given_up:
            widget.style = given_up[id(style)]
    closed = 0
    for widget in list(_instances.values()):
        if id(widget) in given_up:
            widget.close()
            closed += 1
    return closed
