"""The wide text fields of the assessor's forms: one layout and one way to make a text area."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from .forms import css


def wide(**extra: Any) -> w.Layout:
    """A layout nearly the width of the page (``extra`` adds, e.g., a height)."""
    return w.Layout(width="95%", **extra)


def text_box(
    name: str, description: str, placeholder: str, height: str, value: str = ""
) -> w.Textarea:
    """A wide text area with the CSS hook ``cpc306-<name>``."""
    area = w.Textarea(
        value=value, description=description, placeholder=placeholder, layout=wide(height=height)
    )
    return css(area, name)
