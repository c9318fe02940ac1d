"""JupyterLab opens the learner's Start here notebook unchanged: no "unsaved" dot on its tab.

It used to show as changed the moment its kernel started: JupyterLab writes the kernel's
``language_info`` into the notebook, and the generated one lacked the Python version.
"""

from __future__ import annotations

import json

import pytest

from .browser import chromium
from .test_lab_browser import UI_TIMEOUT_MS, _wait_kernel_idle, lab  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def _changes(before: dict, after: dict) -> list[str]:
    keys = set(before["metadata"]) | set(after["metadata"])
    out = [
        f"metadata {key}: {before['metadata'].get(key)!r} -> {after['metadata'].get(key)!r}"
        for key in sorted(keys)
        if before["metadata"].get(key) != after["metadata"].get(key)
    ]
    out += [
        f"cell {old.get('id')}: {old!r} -> {new!r}"
        for old, new in zip(before["cells"], after["cells"], strict=False)
        if old != new
    ]
    return out


def test_start_here_opens_in_jupyterlab_unchanged(lab):  # noqa: F811
    server, folio = lab
    path = folio / "notebooks" / "00_start_here.ipynb"
    before = json.loads(path.read_text(encoding="utf-8"))
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{server.base}/lab/tree/00_start_here.ipynb?token={server.token}")
        page.wait_for_selector(".jp-Notebook", timeout=UI_TIMEOUT_MS)
        _wait_kernel_idle(page)
        page.wait_for_timeout(2000)  # what JupyterLab changes on opening is changed by now
        tab = page.locator(".lm-TabBar-tab", has_text="00_start_here")
        dirty = "jp-mod-dirty" in (tab.first.get_attribute("class") or "")
        changes: list[str] = []
        if dirty:  # save it, to say what JupyterLab changed
            page.keyboard.press("Control+s")
            page.wait_for_timeout(3000)
            changes = _changes(before, json.loads(path.read_text(encoding="utf-8")))
    assert not dirty, f"Start here showed as changed on opening: {changes}"
