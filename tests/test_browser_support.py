"""The browser-check policy of ``tests/browser.py``: in CI a check that cannot run fails."""

from __future__ import annotations

import pytest

from . import browser


@pytest.mark.parametrize("value", ["true", "True", "1", "yes", "on", " TRUE ", "woodpecker"])
def test_any_value_but_a_no_means_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    assert browser.in_ci()


@pytest.mark.parametrize("value", ["", "0", "false", "False", "no", "OFF"])
def test_an_empty_or_negative_value_is_not_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    assert not browser.in_ci()


def test_a_missing_browser_fails_in_ci_and_skips_elsewhere(monkeypatch):
    monkeypatch.setattr(browser, "chromium_path", lambda: None)
    monkeypatch.setenv("CI", "on")
    with pytest.raises(pytest.fail.Exception, match="must run in CI"):
        browser.require_browser()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        browser.require_browser()
