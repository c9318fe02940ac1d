"""Fewer widget models for the same page (issue 28: a page usable within 1 s).

Every model is fetched by the browser before the page is usable: a criterion page of the
sample had about 970. Layouts and styles with the same settings are shared, and nothing is
built twice, so it has far fewer; what the code hides or shows still moves alone.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
from ipywidgets.widgets.widget import Widget

from cpc306_portfolio.notebooks import pages
from cpc306_portfolio.notebooks.lean import shared_layout, shared_styles, walk

from .conftest import find_widget, only_widget


def _models() -> int:
    return len(Widget.widgets)  # every open model (the browser fetches them all)


def test_a_criterion_page_has_far_fewer_models(sample_copy: Path) -> None:
    page = pages.criterion_page(str(sample_copy), "CPC 306", "A2")
    # 970 before layouts and styles were shared, 526 before the witness and reflective
    # account forms were built only when asked for (tests/test_deferred_forms.py)
    assert _models() < 340
    styles = {id(x.style) for x in walk(page) if isinstance(getattr(x, "style", None), Widget)}
    assert len(styles) < 15
    # Every model a widget on the page refers to is open (a closed one breaks the page).
    for widget in walk(page):
        for name in ("layout", "style"):
            part = getattr(widget, name, None)
            if isinstance(part, Widget):
                assert part.comm is not None, (type(widget).__name__, name)


def test_the_reflection_stages_are_built_once(sample_copy: Path) -> None:
    page = pages.criterion_page(str(sample_copy), "CPC 306", "A2")
    find_widget(page, "cpc306-reflection-later").show_form()
    stages = [
        x
        for x in Widget.widgets.values()
        if "cpc306-stage-feelings" in getattr(x, "_dom_classes", ())
    ]
    assert len(stages) == 1


def test_hiding_a_part_hides_only_that_part(sample_copy: Path) -> None:
    page = pages.criterion_page(str(sample_copy), "CPC 306", "A2")
    form = only_widget(page, "cpc306-evidence-form")
    form.method.value = "witness_testimony"
    assert form.witness.layout.display != "none"
    form.method.value = "product"
    assert form.witness.layout.display == "none"
    for widget in walk(page):  # the views, errors and hints never hide with it
        if widget is not form.witness and widget.layout is form.witness.layout:
            raise AssertionError(f"{type(widget).__name__} shares the witness box's layout")
    assert find_widget(page, "cpc306-live-mapped").layout.display != "none"


def test_shared_parts_come_back_after_every_widget_is_closed() -> None:
    first = shared_layout(width="95%")
    assert shared_layout(width="95%") is first and shared_layout() is not first
    Widget.close_all()
    again = shared_layout(width="95%")
    assert again is not first and again.comm is not None


def test_default_styles_are_shared_while_a_page_is_built() -> None:
    with shared_styles():
        a, b = w.Text(), w.Text()
        c = w.Text(style={"description_width": "initial"})
        d = w.HTML()
    e = w.Text()
    assert a.style is b.style and c.style is not a.style and e.style is not a.style
    assert c.style.description_width == "initial" and d.style is not a.style
    assert a.style.comm is not None
