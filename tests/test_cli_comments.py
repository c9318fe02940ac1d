"""``cpc306 review comment`` and ``cpc306 respond observation``: the learner's comments."""

from __future__ import annotations

from pathlib import Path

from cpc306_portfolio import new_key, open_portfolio, sign_off, verify_portfolio
from cpc306_portfolio.assessor.records import observe
from cpc306_portfolio.portfolio.kinds import OBSERVATION, REVIEW
from cpc306_portfolio.portfolio.reviews import review_states

from .conftest import cli_result, run_cli, snapshot

# A valid NHS number from the range used in examples: the scan must catch it.
NHS = "943 476 5919"
WIDE = {"COLUMNS": "250"}


def _with_review(folder: Path) -> None:
    run_cli(
        "plan", "add", folder, "--activity", "Observe the B4 meeting", "--method",
        "observation", "--criteria", "A2", "--date", "2027-01-10",
    )  # fmt: skip
    run_cli("review", "add", folder, "--date", "2026-12-01", "--progress", "On track.")
    run_cli("review", "agree", folder, "V001", "--as", "learner")


def test_review_comment_writes_the_learners_comments_and_says_to_agree_again(old_sample_copy):
    _with_review(old_sample_copy)
    out = run_cli("review", "comment", old_sample_copy, "v001", "--comments", "Happy with it.")
    assert "Saved your comments on review V001." in out
    assert "agree it again" in out and "--as learner" in out
    review = open_portfolio(old_sample_copy).records.get(REVIEW, "V001")
    assert review.learner_comments == "Happy with it."
    assert review_states(review)["learner"] == "changed since agreed"


def test_review_comment_from_a_file_and_refused_when_it_identifies_someone(
    old_sample_copy: Path, tmp_path: Path
):
    _with_review(old_sample_copy)
    before = snapshot(old_sample_copy)
    bad = cli_result(
        "review", "comment", old_sample_copy, "V001", "--comments", f"Her NHS number is {NHS}",
        code=5, env=WIDE,
    ).output  # fmt: skip
    assert "NHS number" in bad and NHS not in bad and "--acknowledge" in bad
    assert snapshot(old_sample_copy) == before
    text = tmp_path / "c.txt"
    text.write_text("Written in a file.\n", encoding="utf-8")
    run_cli("review", "comment", old_sample_copy, "V001", "--comments-file", text)
    assert open_portfolio(old_sample_copy).records.get(REVIEW, "V001").learner_comments == (
        "Written in a file."
    )
    both = cli_result(
        "review", "comment", old_sample_copy, "V001", "--comments", "x", "--comments-file", text,
        code=2,
    ).output  # fmt: skip
    assert "not both" in both
    assert (
        "no comment given"
        in cli_result(
            "review", "comment", old_sample_copy, "V001", "--comments", " ", code=2
        ).output
    )


def test_review_comment_acknowledges_a_finding_with_a_reason(old_sample_copy: Path):
    _with_review(old_sample_copy)
    words = f"NHS number {NHS} (the sample form)"
    bad = cli_result(
        "review", "comment", old_sample_copy, "V001", "--comments", words,
        code=5, env=WIDE,
    ).output  # fmt: skip
    fingerprint = bad.split("[")[-1].split("]")[0]
    run_cli(
        "review", "comment", old_sample_copy, "V001", "--comments", words,
        "--acknowledge", f"{fingerprint}=It is the sample form, fictional",
    )  # fmt: skip
    review = open_portfolio(old_sample_copy).records.get(REVIEW, "V001")
    assert NHS in review.learner_comments


def test_respond_observation_keeps_the_assessors_account_and_the_sign_off_sees_it(
    old_sample_copy: Path, tmp_path: Path
):
    folio = open_portfolio(old_sample_copy)
    observe(folio, on="2026-05-02", criteria=["A2"], narrative="Seen chairing the meeting.")
    key = new_key(tmp_path / "k.key")
    sign_off(folio, key.private_path)
    assert verify_portfolio(folio, key.public_path).ok
    before = snapshot(old_sample_copy)
    bad = cli_result(
        "respond", "observation", old_sample_copy, "O001", "--comment", f"About {NHS}",
        code=5, env=WIDE,
    ).output  # fmt: skip
    assert "learner_comment" in bad and "NHS number" in bad and NHS not in bad
    assert snapshot(old_sample_copy) == before
    out = run_cli(
        "respond", "observation", old_sample_copy, "o001", "--comment", "I would add the Board.",
        env=WIDE,
    )  # fmt: skip
    assert "Saved your comment on observation O001." in out
    assert "assessor/observations/O001.yaml as changed since the sign-off" in out
    record = open_portfolio(old_sample_copy).records.get(OBSERVATION, "O001")
    assert record.learner_comment == "I would add the Board."
    assert record.narrative == "Seen chairing the meeting."
    # As documented: the sign-off covers the assessor's file, the declaration never does.
    result = verify_portfolio(open_portfolio(old_sample_copy), key.public_path)
    assert result.signoff is not None and result.declaration is not None
    assert result.signoff.changed == ["assessor/observations/O001.yaml"]
    assert result.declaration.changed == result.declaration.added == []
    assert "sign-off" in run_cli("respond", "observation", "--help")
    missing = cli_result(
        "respond", "observation", old_sample_copy, "O009", "--comment", "x", code=3
    ).output
    assert "O001" in missing


def test_review_comments_after_the_declaration_show_as_a_change_to_it(old_sample_copy: Path):
    from cpc306_portfolio import declare

    _with_review(old_sample_copy)
    folio = open_portfolio(old_sample_copy)
    declare(folio)
    before = verify_portfolio(folio).declaration
    assert before is not None and before.changed == before.added == []
    run_cli("review", "comment", old_sample_copy, "V001", "--comments", "Fine.")
    result = verify_portfolio(open_portfolio(old_sample_copy))
    assert result.declaration is not None
    assert result.declaration.changed == ["reviews/V001.yaml#review"]
    assert "reviews/V001.yaml#review" in run_cli("review", "comment", "--help", env=WIDE)
