"""The assessor's panel without a browser: judging, overall feedback and signing off, each
button's result or refusal shown beside it (``test_assessor_panel_browser.py`` clicks it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpc306_portfolio import declare, open_portfolio
from cpc306_portfolio.assessor.signing import new_key
from cpc306_portfolio.notebooks.widgets import assessor_panel

from .conftest import before_assessment, find_widget


@pytest.fixture
def declared(sample_copy: Path):
    """The sample declared by its learner, not yet judged."""
    folder = before_assessment(sample_copy)
    declare(open_portfolio(folder))
    return open_portfolio(folder)


def _status(panel, name: str) -> str:
    return find_widget(panel, f"cpc306-{name}-status").value


def test_judging_a_criterion_says_what_was_recorded(declared):
    panel = assessor_panel(declared)
    find_widget(panel, "cpc306-judge-criterion").value = "A2"
    find_widget(panel, "cpc306-judge-outcome").value = "met"
    find_widget(panel, "cpc306-judge-feedback").value = "A clear risk assessment."
    find_widget(panel, "cpc306-judge").click()
    assert "✔ A2 judged met" in _status(panel, "judge")
    judgement = open_portfolio(declared.root).read_assessment().judgements["A2"]
    assert (judgement.outcome, judgement.feedback) == ("met", "A clear risk assessment.")


def test_overall_feedback_is_saved(declared):
    panel = assessor_panel(declared)
    find_widget(panel, "cpc306-overall-feedback").value = "Well organised, well mapped."
    find_widget(panel, "cpc306-feedback").click()
    assert "✔ Feedback saved" in _status(panel, "feedback")
    assert open_portfolio(declared.root).read_assessment().feedback == (
        "Well organised, well mapped."
    )


def test_signing_off_with_nothing_judged_is_refused_beside_the_button(declared, tmp_path):
    key = new_key(tmp_path / "assessor.key", comment="Priya Castellan")
    panel = assessor_panel(declared)
    find_widget(panel, "cpc306-signoff-key").value = str(key.private_path)
    find_widget(panel, "cpc306-signoff").click()
    status = _status(panel, "signoff")
    assert status.startswith('<p class="cpc306-error-text">⚠ ')
    assert "no criterion has been judged yet" in status
    assert open_portfolio(declared.root).read_assessment().signoff is None


def test_signing_off_part_judged_is_an_interim_sign_off(declared, tmp_path):
    key = new_key(tmp_path / "assessor.key", comment="Priya Castellan")
    panel = assessor_panel(declared)
    find_widget(panel, "cpc306-judge-criterion").value = "A1"
    find_widget(panel, "cpc306-judge-outcome").value = "met"
    find_widget(panel, "cpc306-judge").click()
    find_widget(panel, "cpc306-signoff-key").value = f"  {key.private_path}  "
    find_widget(panel, "cpc306-signoff").click()
    signoff = open_portfolio(declared.root).read_assessment().signoff
    assert signoff is not None and signoff.interim
    assert f"✔ Interim sign-off by Priya Castellan, key {signoff.key_fingerprint[:16]}" in _status(
        panel, "signoff"
    )


def test_a_wrong_passphrase_is_refused_and_nothing_is_signed(declared, tmp_path):
    key = new_key(tmp_path / "assessor.key", passphrase="right horse", comment="P C")
    panel = assessor_panel(declared)
    find_widget(panel, "cpc306-judge-criterion").value = "A1"
    find_widget(panel, "cpc306-judge-outcome").value = "met"
    find_widget(panel, "cpc306-judge").click()
    find_widget(panel, "cpc306-signoff-key").value = str(key.private_path)
    find_widget(panel, "cpc306-signoff-passphrase").value = "wrong"
    find_widget(panel, "cpc306-signoff").click()
    assert "cpc306-error-text" in _status(panel, "signoff")
    assert open_portfolio(declared.root).read_assessment().signoff is None


def test_signing_off_an_undeclared_portfolio_asks_for_the_declaration(sample_copy, tmp_path):
    folio = open_portfolio(before_assessment(sample_copy))
    key = new_key(tmp_path / "assessor.key")
    panel = assessor_panel(folio)
    find_widget(panel, "cpc306-signoff-key").value = str(key.private_path)
    find_widget(panel, "cpc306-signoff").click()
    assert "the learner has not declared the work their own" in _status(panel, "signoff")
