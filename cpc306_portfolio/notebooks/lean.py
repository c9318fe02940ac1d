"""Fewer widget models for the same page: shared layouts and styles.

Every ipywidgets widget brings its own ``Layout`` and, for most kinds, its own style, and
each is a model the browser fetches over the kernel's websocket before the page is usable
(a criterion page had about 970 models, 430 of them layouts and styles). A layout or a
style may be referenced by any number of widgets, so widgets with the same settings can
share one: :func:`shared_layout` for parts whose layout the code never changes (an error
line, a hint, a view), and :func:`lean_page` for every default style while a page is built
(no code changes a widget's style after it is made; a layout may be, so layouts are shared
only where asked).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial, wraps
from typing import Any, ParamSpec, TypeVar

import ipywidgets as w

#: One instance per kind and settings in this kernel (a page's kernel serves one page).
_SHARED: dict[tuple[Any, ...], w.Widget] = {}
#: How deep inside :func:`shared_styles` this kernel is (pages may build pages).
_DEPTH = 0
P = ParamSpec("P")
R = TypeVar("R")
W = TypeVar("W", bound=w.Widget)


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


def _subclasses(cls: type[w.DOMWidget]) -> Iterator[type[w.DOMWidget]]:
    sub: type[w.DOMWidget]
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@contextmanager
def shared_styles() -> Iterator[None]:
    """While inside, a widget made with its style at the defaults gets one shared style.

    A widget given a style of its own (settings, or an instance) keeps it. Nothing is made
    then closed: a model closed in a pre-heated kernel can leave Voilà's page waiting for it.
    """
    global _DEPTH
    patched = []
    if _DEPTH == 0:
        seen: set[int] = set()
        for cls in _subclasses(w.DOMWidget):
            trait = cls.class_traits().get("style")
            if trait is None or id(trait) in seen or not isinstance(trait.klass, type):
                continue
            seen.add(id(trait))
            trait.make_dynamic_default = partial(shared_style, trait.klass)
            patched.append(trait)
    _DEPTH += 1
    try:
        yield
    finally:
        _DEPTH -= 1
        for trait in patched:
            del trait.make_dynamic_default


def shared_style(kind: type[W]) -> W:
    """One style of ``kind`` at its defaults for every widget that asks (never change it)."""
    key = ("style", kind)
    found = _SHARED.get(key)
    if not _alive(found):
        found = _SHARED[key] = kind()
    return found  # type: ignore[return-value]


def lean_page(build: Callable[P, R]) -> Callable[P, R]:
    """``build`` (a page) with its widgets' default styles shared (:func:`shared_styles`)."""

    @wraps(build)
    def lean(*args: P.args, **kwargs: P.kwargs) -> R:
        with shared_styles():
            return build(*args, **kwargs)

    return lean
