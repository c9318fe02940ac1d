"""Pages that redraw themselves (notebooks/live.py): one coverage per refresh for every view,
a redraw after each successful save of a watched form and none after a failed one, a view
that cannot draw saying why in its place, and a page with no portfolio yet left alone."""

from __future__ import annotations

from datetime import date

import pytest

from cpc306_portfolio import PortfolioError, open_portfolio
from cpc306_portfolio.analysis import status as status_module
from cpc306_portfolio.notebooks.live import LivePage, LiveView
from cpc306_portfolio.notebooks.widgets import reflection_form

LONG = "I checked the provider's records against the contract and wrote down each gap I found."


def test_a_view_carries_its_name_as_a_class_and_draws_on_refresh(portfolio):
    page = LivePage(portfolio, "test")
    view = page.view(lambda folio, cov: f"<p>{folio.standard.code}: {len(cov.gaps)}</p>", "x")
    assert isinstance(view, LiveView) and view.value == ""
    assert {"cpc306-live", "cpc306-live-x"} <= set(view._dom_classes)
    assert {"cpc306-page", "cpc306-page-test"} <= set(page._dom_classes)
    page.refresh()
    assert view.value.startswith("<p>CPC 306: ") and page.refreshes == 1


def test_every_view_of_a_refresh_is_drawn_from_one_coverage(portfolio, monkeypatch):
    computed = []
    real = status_module.portfolio_status

    def counted(folio, *args, **kwargs):
        computed.append(folio)
        return real(folio, *args, **kwargs)

    monkeypatch.setattr("cpc306_portfolio.notebooks.live.portfolio_status", counted)
    page = LivePage(portfolio, "test")
    seen = []
    for name in ("a", "b", "c"):
        page.view(lambda _f, cov: seen.append(cov) or "", name)
    page.refresh()
    assert len(computed) == 1 and len(seen) == 3
    assert seen[0] is seen[1] is seen[2]


def test_a_view_that_cannot_draw_says_why_in_its_place_and_the_others_draw(portfolio):
    page = LivePage(portfolio, "test")

    def broken(_folio, _cov):
        raise PortfolioError("plan.yaml: not valid YAML <here>", hint="fix it by hand")

    bad = page.view(broken, "bad")
    good = page.view(lambda _f, _c: "<p>fine</p>", "good")
    page.refresh()
    assert bad.value.startswith('<p class="cpc306-error-text">⚠ plan.yaml: not valid YAML')
    assert "&lt;here&gt;" in bad.value and "fix it by hand" in bad.value
    assert good.value == "<p>fine</p>"


def test_an_error_that_is_not_the_learners_is_not_hidden(portfolio):
    page = LivePage(portfolio, "test")
    page.view(lambda _f, _c: 1 / 0, "bug")  # type: ignore[arg-type,return-value]
    with pytest.raises(ZeroDivisionError):
        page.refresh()


def test_a_page_with_no_portfolio_yet_draws_nothing():
    page = LivePage(None, "start")
    view = page.view(lambda _f, _c: "never", "x")
    page.refresh()
    assert view.value == "" and page.refreshes == 0


def _fill(form) -> None:
    form.title.value = "After the notice"
    form.date.value = date(2026, 6, 10)
    form.model.value = "driscoll"
    form.boxes["what"].value = LONG
    form.draft.value = True


def test_a_watched_forms_save_redraws_the_page_and_a_failed_one_does_not(portfolio):
    page = LivePage(portfolio, "test")
    listing = page.view(lambda folio, _c: " ".join(folio.reflection_ids()), "ids")
    form = reflection_form(portfolio)
    page.watch([form])
    page.refresh()
    assert (listing.value, page.refreshes) == ("", 1)
    assert form.save() is None  # nothing typed: refused
    assert page.refreshes == 1
    _fill(form)
    saved = form.save()
    assert saved is not None
    assert (listing.value, page.refreshes) == (saved.id, 2)
    assert open_portfolio(portfolio.root).reflection_ids() == [saved.id]


def test_a_form_that_is_not_watched_does_not_redraw_the_page(portfolio):
    page = LivePage(portfolio, "test")
    page.view(lambda folio, _c: " ".join(folio.reflection_ids()), "ids")
    form = reflection_form(portfolio)
    _fill(form)
    assert form.save() is not None
    assert page.refreshes == 0


def test_a_record_broken_by_hand_is_reported_where_the_views_were(portfolio):
    portfolio.add_reflection(
        {
            "title": "After the notice",
            "date": "2026-06-10",
            "model": "driscoll",
            "stages": {"what": LONG},
            "draft": True,
        }
    )
    page = LivePage(portfolio, "test")
    view = page.view(lambda folio, _c: " ".join(folio.reflection_ids()), "ids")
    (portfolio.root / "reflections" / "R001.yaml").write_text("id: [R001\n", encoding="utf-8")
    page.refresh()
    assert "R001.yaml" in view.value and "cpc306-error-text" in view.value


def test_the_hidden_button_redraws_the_page_when_another_tab_saved(sample_copy):
    from cpc306_portfolio.notebooks import pages

    page = pages.knowledge_page(str(sample_copy), "CPC 306")
    assert page.children[-1] is page.refresher and page.refresher.layout.display == "none"
    before = page.refreshes
    page.refresher.click()  # what the page script does on another tab's message
    assert page.refreshes == before + 1
