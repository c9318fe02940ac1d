"""The learner's own look at the built page (the export page's link ends in ``#learner``):
the assessor's "Your judgement of A1" forms stay hidden until someone asks for them; the
same file opened as an assessor opens it shows them at once."""

from __future__ import annotations

import shutil

import pytest

from cpc306_portfolio import declare, open_portfolio, render_portfolio

from .browser import chromium
from .conftest import SAMPLE, before_assessment

pytestmark = [pytest.mark.browser, pytest.mark.kernel]


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    base = tmp_path_factory.mktemp("learner-view")
    folder = base / "sample"
    shutil.copytree(SAMPLE, folder)
    declare(open_portfolio(before_assessment(folder)))
    return render_portfolio(folder, folder / "exports" / "sample-portfolio.html")


def test_the_learners_link_hides_the_assessors_forms_until_asked(page_file):
    with chromium() as browser:
        page = browser.new_page()
        page.goto(page_file.as_uri() + "#learner")
        note = page.locator(".learner-view")
        note.wait_for()
        assert "forms your assessor fills in are hidden" in note.inner_text()
        assert page.locator(".judge:visible").count() == 0
        assert not page.get_by_text("Your judgement of A1", exact=True).is_visible()
        note.get_by_role("button", name="Show the assessor's forms").click()
        assert page.locator(".judge:visible").count() == len(
            open_portfolio(page_file.parent.parent).standard.criteria
        )
        assert page.locator(".learner-view").count() == 0


def test_opened_as_an_assessor_opens_it_the_forms_show_at_once(page_file):
    with chromium() as browser:
        page = browser.new_page()
        page.goto(page_file.as_uri())
        page.locator(".judge").first.wait_for()
        assert page.get_by_text("Your judgement of A1", exact=True).is_visible()
        assert page.locator(".learner-view").count() == 0
