"""The sample shows the whole assessment record, as a centre would keep it (issue 31).

A plan agreed before anything was assessed, reviews agreed by both across the programme, the
assessor's own observations, discussion and marked questioning for every knowledge item the
bank holds, a witness register, complete judgements on several dates, a sign-off a day or
more after the declaration, a sealed IQA sample, and no keep-out name in clear. The story's
slips stay fixed (see test_the_story_slips_stay_fixed).
"""

from __future__ import annotations

import csv
import os
from datetime import date
from pathlib import Path

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.portfolio.assessment_plan import agreement_states, read_assessment_plan
from cpc306_portfolio.portfolio.assessor_evidence import latest_marks, read_assessor_records
from cpc306_portfolio.portfolio.evidence_rules import RULES_OF_EVIDENCE
from cpc306_portfolio.portfolio.kinds import REVIEW, record_texts
from cpc306_portfolio.portfolio.reviews import review_states
from cpc306_portfolio.portfolio.store import Portfolio
from cpc306_portfolio.portfolio.witnesses import read_witnesses

from .conftest import ROOT, SAMPLE, cli_result

DEMO_KEYS = ROOT / "demo-keys"
DEMO_TRUST = DEMO_KEYS / "demo-trust-list.txt"
KEEP_OUT = ("Edith Marlowe", "Tomasz Wren", "Aisha Lindqvist")


@pytest.fixture(scope="module")
def sample() -> Portfolio:
    return open_portfolio(SAMPLE, readonly=True)


def _texts(folio: Portfolio) -> dict[str, str]:
    out = {}
    for record in [*folio.evidence(), *folio.reflections()]:
        for field, text in record_texts(record).items():
            out[f"{record.id} {field}"] = text
    for record in folio.evidence():
        for att in record.attachments:
            path = folio.attachment_path(att)
            if path.suffix in {".md", ".csv"}:
                out[f"{record.id} {att.path}"] = path.read_text(encoding="utf-8")
    return out


def test_no_keep_out_name_is_in_clear_anywhere_in_the_sample(sample: Portfolio) -> None:
    profile = (SAMPLE / "portfolio.yaml").read_text(encoding="utf-8")
    assert "keep_out: []" in profile and "keep_out_hashed:" in profile
    for path in SAMPLE.rglob("*"):
        if path.is_file() and path.suffix in {".yaml", ".md", ".csv"}:
            text = path.read_text(encoding="utf-8")
            for name in KEEP_OUT:
                for part in name.split():
                    assert part not in text, (path, part)


def test_the_three_who_direct_their_own_support_are_never_told_apart(sample: Portfolio) -> None:
    for where, text in _texts(sample).items():
        assert "Person A" not in text and "Person B" not in text, where
        assert "Person C" not in text and "Persons A" not in text, where


def test_the_plan_came_first_and_both_agreed_it(sample: Portfolio) -> None:
    plan = read_assessment_plan(sample)
    assert plan is not None and len(plan.activities) >= 8
    first = min(r.date for r in [*sample.evidence(), *sample.reflections()])
    assert plan.created.date() < first
    assert agreement_states(plan) == {"learner": "agreed", "assessor": "agreed"}
    assert plan.agreements["assessor"].signature  # signed with the demo key
    # The observations the plan sets out include C3 and B4, and the assessor made them.
    planned = {c for a in plan.activities if a.method.value == "observation" for c in a.criteria}
    assert {"C3", "B4"} <= planned
    observed = {c for o in read_assessor_records(sample).observations for c in o.criteria}
    assert planned <= observed
    assert all(a.status == "done" and a.record for a in plan.activities)


def test_at_least_three_reviews_across_the_programme_agreed_by_both(sample: Portfolio) -> None:
    reviews = sorted(sample.records.all(REVIEW), key=lambda r: r.date)
    assert len(reviews) >= 3
    assert len({r.date.month for r in reviews}) >= 3
    for review in reviews:
        assert review_states(review) == {"learner": "agreed", "assessor": "agreed"}, review.id
        assert review.targets and review.learner_comments, review.id
        assert review.agreements["assessor"].agreed_at.date() >= review.date, review.id


def test_every_knowledge_item_is_questioned_and_marked(sample: Portfolio) -> None:
    records = read_assessor_records(sample)
    bank = sample.standard.question_bank
    asked = {q.question_id: q for q in records.questioning}
    for item in sample.standard.knowledge_ids:
        questions = [q.id for q in bank if q.knowledge == item]
        assert len(questions) >= 2, item  # the assessor chooses which to ask
        assert any(q in asked for q in questions), item
    for q in records.questioning:
        assert q.answer and q.note, q.id
        assert q.question_id in {b.id for b in bank}, q.id
    for q in latest_marks(records.questioning).values():  # an earlier mark may be "not yet"
        assert q.outcome == "met", q.id
    assert records.discussions and records.discussions[0].showed


def test_every_met_is_complete_and_judged_on_three_dates(sample: Portfolio) -> None:
    assessment = sample.read_assessment()
    judgements = assessment.judgements
    assert set(judgements) == set(sample.standard.criteria)
    for crit, j in judgements.items():
        assert j.outcome == "met", crit
        assert set(j.rules) == set(RULES_OF_EVIDENCE), crit
        assert all(rule.met for rule in j.rules.values()), crit
        assert j.methods_sampled and j.evidence and j.feedback, crit
    assert len({j.judged_on for j in judgements.values()}) >= 3
    developing = [c for c, j in judgements.items() if "To develop" in j.feedback]
    assert len(developing) >= 5, developing
    assert assessment.outcome == "met"  # the unit outcome


def test_sign_off_at_least_a_day_after_the_declaration_and_iqa_after_it(
    sample: Portfolio,
) -> None:
    declaration = sample.profile.declaration
    assessment = sample.read_assessment()
    assert declaration is not None and assessment.signoff is not None
    assert (assessment.signoff.signed_at - declaration.signed_at).days >= 1
    assert assessment.iqa is not None and assessment.iqa.signature
    assert assessment.iqa.sampled_on > assessment.signoff.signed_at.date()
    # What the IQA says it sampled is what the sample holds.
    assert set(assessment.iqa.criteria) <= set(assessment.judgements)
    for record_id in ("O002", "O003", "E017", "E020", "E015"):
        assert record_id in assessment.iqa.notes


def test_the_witness_register_is_complete(sample: Portfolio) -> None:
    register = read_witnesses(sample)
    assert len(register) >= 4
    assert {w.status for w in register} == {"occupationally_competent", "expert"}
    for witness in register:
        assert witness.relationship and witness.email and witness.phone, witness.id
        assert witness.checks and witness.checks[0].notes, witness.id


def test_validate_gives_no_warning_with_the_learners_own_config() -> None:
    env = {**os.environ, "CPC306_CONFIG_DIR": str(DEMO_KEYS / "learner-config")}
    result = cli_result("validate", SAMPLE, env=env)
    assert result.exit_code == 0, result.output
    assert "valid" in result.output and "warning" not in result.output.lower()


def test_verify_with_the_demo_trust_list_is_ok_and_every_part_hashed() -> None:
    result = cli_result("verify", SAMPLE, "--trust", DEMO_TRUST)
    assert result.exit_code == 0, result.output
    assert "OK: everything declared and signed still matches." in result.output
    assert "carries no hash" not in result.output
    assert "NOT on the centre's list" not in result.output


def _log(folio: Portfolio) -> tuple[date, list[dict[str, str]]]:
    record = folio.read_evidence("E015")
    path: Path = folio.attachment_path(record.attachments[0])
    with path.open(encoding="utf-8", newline="") as f:
        return record.date, list(csv.DictReader(f))


def test_the_story_slips_stay_fixed(sample: Portfolio) -> None:
    texts = _texts(sample)
    notice = sample.read_evidence("E012")
    _, log = _log(sample)
    # The notice of 6 May cites April's figures: the log has them before it was served.
    april = [r for r in log if r["period"] == "2026-04"]
    assert april and min(date.fromisoformat(r["checked_on"]) for r in april) < notice.date
    # The log claims every check: the closure report's July and August checks are in it.
    months = {"2026-06": "June", "2026-07": "July", "2026-08": "August"}
    for ref in ("N1", "N2", "N3", "N4", "N5", "N6"):
        for period, name in months.items():
            assert any(
                r["ref"] == ref
                and (
                    r["period"] == period
                    or name in r["measure"]
                    or (not r["period"] and r["checked_on"][:7] == period)
                )
                for r in log
            ), (ref, period)
    # The expert witness wrote before the Board met: nothing reported back yet.
    assert "reported back" not in texts["E017 witness.statement"]
    # Referrals stopped and the provider-concerns process began with the rating.
    assert "suspended new referrals" in texts["E007 description"]
    assert "provider-concerns process" in texts["E007 description"]
    # The officer who signs the notice does not hear the challenge.
    assert "Head of Commissioning signed" in texts["E012 description"]
    assert "Director of Adult Social Care" in texts["E010 description"]
    # No provider named to its competitors without agreement.
    assert "agreed in writing" in texts["E019 description"]
    # Safeguarding information is shared on public task, not consent.
    assert all("consent to share" not in t for t in texts.values())
    assert "public task" in texts["E002 description"]
    # The employer's permission for the two exempt Board reports is recorded.
    for record_id in ("E009", "E018"):
        assert "written permission" in texts[f"{record_id} description"], record_id


def test_the_demo_centre_sits_beside_the_sample_with_its_records() -> None:
    from cpc306_portfolio.centre.folder import open_centre
    from cpc306_portfolio.centre.models import IqaPlan, IqaReport
    from cpc306_portfolio.centre.qa import report_signed

    folder = ROOT / "demo-centre"
    assert not (SAMPLE / "centre.yaml").exists() and (folder / "centre.yaml").is_file()
    centre = open_centre(folder)
    people = {p.name: p for p in centre.register.assessors}
    assert {str(p.role) for p in people.values()} == {"assessor", "iqa"}
    plan = centre.read(IqaPlan, "iqa/plan.yaml")
    assert plan is not None and [s.learner for s in plan.samples] == [SAMPLE.name]
    reports = centre.records(IqaReport, "iqa/reports")
    assert len(reports) == 1 and reports[0].decision == "agree"
    assert report_signed(reports[0], centre.register)  # sealed with the demo IQA key
    # One action from the report, tracked to closure after the report was made.
    [action] = reports[0].actions
    assert action.done_on is not None and reports[0].made.date() <= action.done_on
    assert any((folder / "standardisation").glob("S*.yaml"))
