"""The page shows the plan's earlier agreements, each target's day met, and a move kept."""

from __future__ import annotations

import re

import pytest

from cpc306_portfolio import render_portfolio
from cpc306_portfolio.execute.engines import InProcess

from .conftest import SAMPLE


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("page") / "sample.html"
    render_portfolio(SAMPLE, out, engine=InProcess())
    text = out.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def test_the_first_agreement_to_the_plan_is_still_shown(page):
    earlier = page[page.index("Earlier agreements to the plan") : page.index("Progress reviews")]
    assert "Learner: agreed by Jordan Ashby on 19 January 2026" in earlier
    assert "Assessor: agreed by Priya Castellan on 19 January 2026" in earlier
    assert "the signature holds" in earlier and "does NOT hold" not in earlier


def test_each_target_says_the_day_it_was_met(page):
    assert "24 April 2026 yes, 20 April 2026" in page
    tables = [part.split("Next review", 1)[0] for part in page.split("Targets set at review")[1:]]
    assert len(tables) >= 3 and not any("not yet" in table for table in tables)


def test_an_activity_done_after_a_move_keeps_its_move(page):
    assert "Done: O003 (moved to 05 May 2026: The Contracts Board decided on 29 April" in page
    assert "30 June 2026, moved to 05 May 2026 (Observation; done: O003)" in page
