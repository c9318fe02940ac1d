"""``cpc306 review met``: a review's target marked met, with the day, on its own record."""

from __future__ import annotations

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.portfolio.kinds import REVIEW
from cpc306_portfolio.portfolio.manifest import build_manifest
from cpc306_portfolio.portfolio.reviews import review_states

from .conftest import run_cli


def _new_review(folder) -> str:
    out = run_cli(
        "review", "add", folder, "--date", "2026-11-19", "--progress", "Ready to declare.",
        "--target", "Read every record once more=2026-11-20",
        "--target", "Declare the portfolio=2026-11-21",
    )  # fmt: skip
    review_id = next(w for w in out.replace(":", " ").split() if w.startswith("V0"))
    run_cli("review", "agree", folder, review_id, "--as", "learner")
    run_cli("review", "agree", folder, review_id, "--as", "assessor")
    return review_id


def test_a_target_met_keeps_both_agreements_and_what_the_learner_declared(sample_copy):
    review_id = _new_review(sample_copy)
    folio = open_portfolio(sample_copy)
    declared_before = build_manifest(folio, include_assessment=False).files
    out = run_cli("review", "met", sample_copy, review_id, "2", "--on", "2026-11-20")
    assert "met on 2026-11-20: Declare the portfolio" in out
    folio = open_portfolio(sample_copy)
    review = folio.records.get(REVIEW, review_id)
    assert [(t.met, t.met_on and t.met_on.isoformat()) for t in review.targets] == [
        (False, None),
        (True, "2026-11-20"),
    ]
    assert review_states(review) == {"learner": "agreed", "assessor": "agreed"}
    assert build_manifest(folio, include_assessment=False).files == declared_before
    assert (
        f"reviews/{review_id}.yaml#targets_met"
        in build_manifest(folio, include_assessment=True).files
    )


def test_a_target_that_is_not_there_or_a_day_before_the_review_is_refused(sample_copy):
    review_id = _new_review(sample_copy)
    out = run_cli("review", "met", sample_copy, review_id, "3", "--on", "2026-11-20", code=2)
    assert "has no target 3" in out and "numbered 1 to 2" in out
    out = run_cli("review", "met", sample_copy, review_id, "1", "--on", "2026-11-18", code=2)
    assert "from 2026-11-19 (the review)" in out
    out = run_cli("review", "met", sample_copy, review_id, "1", "--on", "20 Nov", code=2)
    assert "is not a date" in out and "YYYY-MM-DD" in out
    review = open_portfolio(sample_copy).records.get(REVIEW, review_id)
    assert not any(t.met for t in review.targets), "a refusal wrote nothing"
