"""The assessor's judging panel offers their own records as evidence relied on."""

from __future__ import annotations

import ipywidgets as w
import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.notebooks.assessor_forms import JudgementForm
from cpc306_portfolio.notebooks.relied_on import relied_on_choices


@pytest.fixture(autouse=True)
def _close_widgets():
    yield
    w.Widget.close_all()


def test_c3_offers_the_observation_and_questioning_on_its_knowledge(sample_copy):
    folio = open_portfolio(sample_copy)
    ids = [rid for rid, _ in relied_on_choices(folio, "C3", set())]
    assert "E010" in ids and "O003" in ids, ids
    assert "O001" not in ids, "an observation of other criteria is not offered"
    labels = dict(relied_on_choices(folio, "C3", set()))
    assert "your own record" in labels["O003"] and "observation of 05 May 2026" in labels["O003"]


def test_the_form_ticks_what_the_judgement_relied_on_and_saves_it(sample_copy):
    folio = open_portfolio(sample_copy)
    form = JudgementForm(folio, "B4")
    assert form.evidence["O002"].value, "B4 relies on the Board observation O002"
    form.evidence["O002"].value = False
    form.evidence["O002"].value = True
    assert form.save() is not None
    saved = open_portfolio(sample_copy).read_assessment().judgements["B4"]
    assert "O002" in saved.evidence


def test_an_assessor_record_relied_on_but_not_mapped_is_still_offered(sample_copy):
    folio = open_portfolio(sample_copy)
    ids = [rid for rid, _ in relied_on_choices(folio, "A1", {"Q001"})]
    assert ids.count("Q001") == 1
