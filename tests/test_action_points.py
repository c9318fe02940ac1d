"""Action points on a 'not yet met', the learner's replies and acknowledgements, appeals."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from cpc306_portfolio import (
    ConfidentialityError,
    NotFoundError,
    RecordError,
    UsageError,
    acknowledge_decision,
    appeals_wording,
    close_action,
    declare,
    judge,
    mark_action_done,
    new_key,
    open_portfolio,
    read_responses,
    reply_to_action,
    sign_off,
    verify_portfolio,
)
from cpc306_portfolio.assessor.actions import action_rows
from cpc306_portfolio.assessor.appeals import DEFAULT_APPEALS
from cpc306_portfolio.portfolio.manifest import build_manifest
from cpc306_portfolio.portfolio.responses import acknowledgement_state

from .conftest import MET_KWARGS, cli_result, run_cli, snapshot, without_iqa

SOON = date.today() + timedelta(days=30)
LATER = date.today() + timedelta(days=60)
# A valid NHS number from the test range people use in examples: the scan must catch it.
NHS = "943 476 5919"


def _unanswered(folder: Path) -> Path:
    """The sample's learner acknowledged every decision: these tests start before they did."""
    (folder / "responses.yaml").unlink()
    return folder


def _not_yet_met(folder: Path, criterion: str = "A4") -> None:
    _unanswered(folder)
    judge(
        open_portfolio(folder),
        criterion,
        "not_yet_met",
        feedback="Show the risk log.",
        actions=[("Add an extract of the risk log", SOON), ("Reflect on the escalation", LATER)],
    )


def test_a_not_yet_met_carries_numbered_action_points_with_dates(sample_copy: Path):
    _not_yet_met(sample_copy)
    judgement = open_portfolio(sample_copy).read_assessment().judgements["A4"]
    assert [(a.id, a.by, a.closed) for a in judgement.actions] == [
        ("AP1", SOON, False),
        ("AP2", LATER, False),
    ]
    text = (sample_copy / "assessment.yaml").read_text(encoding="utf-8")
    a4 = text[text.index("\n  A4:") : text.index("\n  A5:")]
    assert "Add an extract of the risk log" in a4 and "closed_on" not in a4


def test_judging_again_keeps_the_points_and_numbers_on(sample_copy: Path):
    _not_yet_met(sample_copy)
    folio = open_portfolio(sample_copy)
    judge(folio, "A4", "not_yet_met", feedback="Nearly", actions=[("One more", SOON)])
    ids = [a.id for a in folio.read_assessment().judgements["A4"].actions]
    assert ids == ["AP1", "AP2", "AP3"]
    judge(folio, "A4", "met", **MET_KWARGS)
    actions = folio.read_assessment().judgements["A4"].actions
    assert all(a.closed_on == date.today() for a in actions)
    assert "judged met" in actions[0].closed_note


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("--outcome", "not_yet_met", "--action", "Do it"), "--by"),
        (("--outcome", "not_yet_met", "--action", "Do it", "--by", "2020-01-01"), "--by"),
        (("--outcome", "not_yet_met", "--action", "Do it", "--by", "soon"), "--by"),
        (("--outcome", "met", "--action", "Do it", "--by", SOON.isoformat()), "--action"),
    ],
)
def test_bad_action_points_are_refused_naming_the_option(sample_copy: Path, args, named):
    before = snapshot(sample_copy)
    result = cli_result("assess", "judge", sample_copy, "A4", *args, code=2)
    assert named in result.output
    assert "Traceback" not in result.output
    assert snapshot(sample_copy) == before


def test_the_assessor_closes_and_lists_action_points(sample_copy: Path):
    _unanswered(sample_copy)
    run_cli(
        "assess", "judge", sample_copy, "A4", "--outcome", "not_yet_met", "--feedback", "More",
        "--action", "Add the log", "--by", SOON.isoformat(),
    )  # fmt: skip
    folio = open_portfolio(sample_copy)
    reply_to_action(folio, "A4", "AP1", "Added it as E024")
    listed = run_cli("assess", "actions", sample_copy)
    assert "A4 AP1  open" in listed and "Added it as E024" in listed
    assert "A4: the learner has not acknowledged this decision" in listed
    out = run_cli("assess", "action", "close", sample_copy, "A4", "AP1", "--note", "Seen it")
    assert "closed on" in out
    action = folio.read_assessment().judgements["A4"].actions[0]
    assert (action.closed_on, action.closed_note) == (date.today(), "Seen it")
    assert "No open action points." in run_cli("assess", "actions", sample_copy, "--open")
    missing = cli_result("assess", "action", "close", sample_copy, "A4", "AP9", code=3)
    assert "AP9" in missing.output and "AP1" in missing.output
    again = cli_result("assess", "action", "close", sample_copy, "A4", "AP1", code=2)
    assert "already closed" in again.output


def test_an_overdue_point_is_marked(sample_copy: Path):
    _not_yet_met(sample_copy)
    rows = action_rows(open_portfolio(sample_copy), today=SOON + timedelta(days=1))
    a4 = [r for r in rows if r.criterion == "A4"]
    assert [(r.action.id, r.overdue) for r in a4] == [("AP1", True), ("AP2", False)]
    mark_action_done(open_portfolio(sample_copy), "A4", "AP1")
    rows = action_rows(open_portfolio(sample_copy), today=SOON + timedelta(days=1))
    a4 = [r for r in rows if r.criterion == "A4"]
    assert (a4[0].status, a4[0].overdue) == ("done, to close", False)


def test_a_reply_and_done_survive_a_reload_in_the_learners_own_file(sample_copy: Path):
    _not_yet_met(sample_copy)
    reply_to_action(open_portfolio(sample_copy), "A4", "AP2", "Written as R003\non Friday")
    mark_action_done(open_portfolio(sample_copy), "A4", "AP2")
    assessment = (sample_copy / "assessment.yaml").read_bytes()
    reply = read_responses(open_portfolio(sample_copy)).criteria["A4"].actions["AP2"]
    assert (reply.text, reply.done) == ("Written as R003\non Friday", True)
    assert reply.replied_at is not None and reply.done_at is not None
    assert (sample_copy / "assessment.yaml").read_bytes() == assessment  # not the assessor's
    assert "valid" in run_cli("validate", sample_copy)


def test_a_reply_with_an_nhs_number_is_refused_and_nothing_written(sample_copy: Path):
    _not_yet_met(sample_copy)
    before = snapshot(sample_copy)
    with pytest.raises(ConfidentialityError) as caught:
        reply_to_action(open_portfolio(sample_copy), "A4", "AP1", f"Patient {NHS} agreed")
    assert "NHS number" in str(caught.value) and NHS not in str(caught.value)
    assert snapshot(sample_copy) == before
    result = cli_result("respond", "reply", sample_copy, "A4", "AP1", f"NHS {NHS}", code=5)
    assert "might identify a person" in result.output


def test_replies_to_what_is_not_there_are_refused(sample_copy: Path):
    _not_yet_met(sample_copy)
    folio = open_portfolio(sample_copy)
    with pytest.raises(NotFoundError, match="AP7"):
        reply_to_action(folio, "A4", "AP7", "Done")
    with pytest.raises(UsageError, match="no criterion 'Z9'"):
        acknowledge_decision(folio, "Z9")
    with pytest.raises(UsageError, match="empty"):
        reply_to_action(folio, "A4", "AP1", "   ")
    close_action(folio, "A4", "AP1")
    with pytest.raises(UsageError, match="closed"):
        mark_action_done(folio, "A4", "AP1")


def test_a_changed_judgement_is_no_longer_acknowledged(sample_copy: Path):
    _not_yet_met(sample_copy)
    folio = open_portfolio(sample_copy)
    out = run_cli("respond", "acknowledge", sample_copy, "a4")
    assert "Recorded that you read the decision on A4" in out
    state = lambda: acknowledgement_state(  # noqa: E731
        folio.read_assessment().judgements["A4"], read_responses(folio).for_criterion("A4")
    )
    assert state() == "acknowledged"
    close_action(folio, "A4", "AP1", note="Seen")  # closing a point is not a new decision
    assert state() == "acknowledged"
    judge(folio, "A4", "not_yet_met", feedback="Something else now")
    assert state() == "changed"
    acknowledge_decision(folio, "A4")
    assert state() == "acknowledged"


def test_the_declaration_covers_the_learners_responses(sample_copy: Path):
    _not_yet_met(sample_copy)
    folio = open_portfolio(sample_copy)
    assert not any(
        p.startswith("responses.yaml")
        for p in build_manifest(folio, include_assessment=False).files
    )
    reply_to_action(folio, "A4", "AP1", "Added it")
    learner = build_manifest(folio, include_assessment=False).files
    assert "responses.yaml#A4" in learner
    check = verify_portfolio(folio).declaration
    # The sample was declared with the learner's acknowledgements: A4's entry now differs.
    assert check is not None and "responses.yaml#A4" in [*check.added, *check.changed]


def test_a_broken_responses_file_is_reported_not_emptied(sample_copy: Path):
    _not_yet_met(sample_copy)
    (sample_copy / "responses.yaml").write_text("criteria:\n  A4:\n    actions: [1, 2\n")
    folio = open_portfolio(sample_copy)
    with pytest.raises(RecordError, match=r"responses\.yaml"):
        reply_to_action(folio, "A4", "AP1", "Added it")
    assert "actions: [1, 2" in (sample_copy / "responses.yaml").read_text()
    assert "responses.yaml" in cli_result("validate", sample_copy, code=4).output


def test_nothing_to_acknowledge_before_a_decision(portfolio):
    with pytest.raises(NotFoundError, match="not made a decision"):
        acknowledge_decision(portfolio, "A1")
    assert not (portfolio.root / "responses.yaml").exists()


def test_the_appeals_wording_comes_from_the_centre_or_the_default(tmp_path: Path):
    assert appeals_wording(None) == DEFAULT_APPEALS
    centre = tmp_path / "centre"
    centre.mkdir()
    (centre / "centre.yaml").write_text("schema: cpc306-centre/1\nname: Test\n")
    assert appeals_wording(centre) == DEFAULT_APPEALS
    (centre / "centre.yaml").write_text(
        "schema: cpc306-centre/1\nname: Test\nappeals: Write to the appeals officer.\n"
    )
    assert appeals_wording(centre) == "Write to the appeals officer."
    assert appeals_wording(centre / "trust-list.txt") == "Write to the appeals officer."
    (centre / "centre.yaml").write_text("schema: cpc306-centre/1\nappeals: [1]\n")
    with pytest.raises(RecordError, match="appeals"):
        appeals_wording(centre)


def test_a_reply_edited_by_hand_is_found_by_the_scan(sample_copy: Path):
    _not_yet_met(sample_copy)
    reply_to_action(open_portfolio(sample_copy), "A4", "AP1", "Added it")
    path = sample_copy / "responses.yaml"
    path.write_text(path.read_text().replace("Added it", f"Added it for {NHS}"))
    out = cli_result("scan", sample_copy, code=5, env={"COLUMNS": "250"}).output
    assert "responses.yaml" in out and "NHS number" in out and NHS not in out


def test_the_sign_off_covers_action_points_and_the_learner_part_covers_replies(
    sample_copy: Path, tmp_path: Path
):
    _not_yet_met(without_iqa(sample_copy))
    folio = open_portfolio(sample_copy)
    key = new_key(tmp_path / "k.key")
    declare(folio)
    sign_off(folio, key.private_path)
    assert verify_portfolio(folio, key.public_path).ok
    close_action(folio, "A4", "AP1", note="Seen")
    result = verify_portfolio(folio, key.public_path)
    assert result.signoff is not None
    assert result.signoff.changed == ["assessment.yaml#judgements/A4"]
    sign_off(folio, key.private_path)
    reply_to_action(folio, "A4", "AP2", "Writing it")
    result = verify_portfolio(folio, key.public_path)
    assert result.declaration is not None and result.signoff is not None
    assert result.declaration.added == result.signoff.added == ["responses.yaml#A4"]
