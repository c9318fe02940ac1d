"""The centre folder: assessor register and trust list, IQA plan, reports, actions, meetings.

Everything here is fictional: names, keys (made per test) and the sample portfolio's copies.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from cpc306_portfolio.assessor.signing import load_trust_names, new_key
from cpc306_portfolio.centre.folder import REGISTER_FILE, open_centre
from cpc306_portfolio.centre.models import IqaReport
from cpc306_portfolio.centre.qa import (
    add_report,
    add_standardisation,
    close_action,
    make_plan,
    open_actions,
    parse_action,
    plan_progress,
    report_signed,
)
from cpc306_portfolio.centre.register import add_assessor, remake_trust, set_person
from cpc306_portfolio.centre.schemas import CENTRE_SCHEMA_DIR, centre_schemas
from cpc306_portfolio.errors import (
    NotFoundError,
    RecordError,
    SigningError,
    UsageError,
)
from cpc306_portfolio.portfolio.schemas import schema_text

from .conftest import ROOT

DEMO_PUB = ROOT / "demo-keys" / "demo-assessor.key.pub"
TODAY = date(2026, 12, 1)


def _key(tmp_path: Path, name: str) -> Path:
    return new_key(tmp_path / "keys" / name, comment=name).private_path


def _summary(name: str, assessor: str, ready: bool) -> dict:
    return {
        "name": name,
        "assessor": assessor,
        "assessors": [assessor],
        "unit": "CPC 306",
        "unit_title": "Take action to secure contract compliance",
        "elements": ["A"],
        "elements_evidenced": ["A"],
        "methods": ["observation"],
        "evidence_count": 3,
        "started": "2026-01-05",
        "criteria": [
            {"criterion": "A1", "element": "A", "status": "ready", "items": 2, "judged_on": ""},
            {"criterion": "A2", "element": "A", "status": "not_started", "items": 0},
        ],
        "signed_off": False,
        "ready": ready,
        "complete": False,
    }


@pytest.fixture
def centre(tmp_path) -> Path:
    folder = tmp_path / "centre"
    add_assessor(
        folder,
        name="Priya Castellan",
        role="assessor",
        status="qualified",
        key_file=DEMO_PUB,
        qualifications=["TAQA assessor award"],
        today=TODAY,
    )
    iqa = _key(tmp_path, "iqa.key")
    add_assessor(
        folder,
        name="Idris Quayle",
        role="iqa",
        status="qualified",
        key_file=f"{iqa}.pub",
        today=TODAY,
    )
    return folder


@pytest.fixture
def planned(centre) -> Path:
    summaries = {
        "amy": _summary("Amy Ashdown", "Priya Castellan", ready=True),
        "ben": _summary("Ben Brodie", "Priya Castellan", ready=False),
    }
    make_plan(
        centre,
        "cohort",
        summaries,
        interim=date(2027, 1, 15),
        summative=date(2027, 6, 30),
        rate=1.0,
        seed=4,
        today=TODAY,
    )
    return centre


def test_the_trust_list_holds_active_people_and_centre_works_as_trust(centre, tmp_path):
    names = load_trust_names(centre)
    assert sorted(names.values()) == ["Idris Quayle", "Priya Castellan"]
    set_person(centre, "priya castellan", active=False)  # case and spacing ignored
    assert list(load_trust_names(centre).values()) == ["Idris Quayle"]
    register = yaml.safe_load((centre / REGISTER_FILE).read_text(encoding="utf-8"))
    assert register["schema"] == "cpc306-centre/1"
    assert register["assessors"][0]["active"] is False
    assert register["assessors"][0]["qualifications"] == ["TAQA assessor award"]


def test_a_register_edited_by_hand_is_not_trusted_until_its_list_is_made_again(centre):
    path = centre / REGISTER_FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace("active: true", "active: false", 1),
        encoding="utf-8",
    )
    with pytest.raises(UsageError) as caught:
        load_trust_names(centre)
    assert "assessors.yaml changed after" in caught.value.message
    assert "cpc306 centre trust" in caught.value.hint
    remake_trust(centre)
    assert list(load_trust_names(centre).values()) == ["Idris Quayle"]


def test_bad_register_input_is_refused_and_nothing_is_lost(centre, tmp_path):
    before = (centre / REGISTER_FILE).read_bytes()
    trainee = _key(tmp_path, "trainee.key")
    with pytest.raises(UsageError, match="countersigner"):
        add_assessor(
            centre, name="Tia Trainee", role="assessor", status="trainee", key_file=f"{trainee}.pub"
        )
    with pytest.raises(UsageError, match="already Priya Castellan's"):
        add_assessor(
            centre, name="Sam Other", role="assessor", status="qualified", key_file=DEMO_PUB
        )
    with pytest.raises(NotFoundError, match="not on the centre's assessor register"):
        add_assessor(
            centre,
            name="Tia Trainee",
            role="assessor",
            status="trainee",
            countersigner="Nobody Known",
            key_file=f"{trainee}.pub",
        )
    assert (centre / REGISTER_FILE).read_bytes() == before
    person = add_assessor(
        centre,
        name="Tia Trainee",
        role="assessor",
        status="trainee",
        countersigner="Priya Castellan",
        key_file=f"{trainee}.pub",
    )
    assert person.countersigner == "Priya Castellan"


def test_a_broken_register_names_its_file_line_and_field(centre):
    path = centre / REGISTER_FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace("role: iqa", "role: boss"), encoding="utf-8"
    )
    with pytest.raises(RecordError) as caught:
        open_centre(centre).register  # noqa: B018
    problem = caught.value.problems[0]
    assert problem.path.endswith("assessors.yaml") and problem.line and "role" in problem.field


def test_a_centre_is_never_made_inside_a_portfolio_or_a_busy_folder(tmp_path):
    (tmp_path / "learner").mkdir()
    (tmp_path / "learner" / "portfolio.yaml").write_text("schema: x\n", encoding="utf-8")
    with pytest.raises(UsageError, match="inside the learner's portfolio"):
        open_centre(tmp_path / "learner" / "centre", create=True)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="already holds other files"):
        open_centre(tmp_path / "busy", create=True)
    with pytest.raises(NotFoundError, match="not a centre folder"):
        open_centre(tmp_path / "busy")


def test_the_plan_says_who_when_what_and_why_and_keeps_its_seed(planned):
    plan = yaml.safe_load((planned / "iqa" / "plan.yaml").read_text(encoding="utf-8"))
    assert plan["seed"] == 4 and plan["rate"] == 1.0
    stages = {s["learner"]: (s["stage"], s["due"]) for s in plan["samples"]}
    assert stages == {"amy": ("summative", "2027-06-30"), "ben": ("interim", "2027-01-15")}
    amy = next(s for s in plan["samples"] if s["learner"] == "amy")
    assert amy["criteria"] == ["A1"] and amy["methods"] == ["observation"]
    assert amy["assessor"] == "Priya Castellan" and amy["why"].startswith("Pick")


def test_reports_are_for_planned_learners_by_an_iqa_and_signed_with_their_key(planned, tmp_path):
    feedback = "Sound judgements on A1; note why the witness is reliable."
    with pytest.raises(UsageError, match="'zed' is not in the IQA plan"):
        add_report(planned, "zed", by="Idris Quayle", decision="agree", feedback=feedback)
    with pytest.raises(UsageError, match="not an active IQA"):
        add_report(planned, "amy", by="Priya Castellan", decision="agree", feedback=feedback)
    with pytest.raises(SigningError, match="not the one the register holds"):
        add_report(
            planned,
            "amy",
            by="Idris Quayle",
            decision="agree",
            feedback=feedback,
            key=_key(tmp_path, "stranger.key"),
        )
    assert not (planned / "iqa" / "reports").exists() or not any(
        (planned / "iqa" / "reports").iterdir()
    )
    report = add_report(
        planned,
        "amy",
        by="Idris Quayle",
        decision="disagree",
        feedback=feedback,
        actions=[parse_action("Re-judge A1 with the witness=2027-01-31")],
        key=tmp_path / "keys" / "iqa.key",
    )
    assert (
        report.id == "Q001" and report.stage == "summative" and report.assessor == "Priya Castellan"
    )
    register = open_centre(planned).register
    assert report_signed(report, register)
    # Closing the action is tracking: the signature still holds.
    close_action(planned, "A001", day=date(2027, 1, 20))
    saved = open_centre(planned).read(IqaReport, "iqa/reports/Q001.yaml")
    assert saved is not None and saved.actions[0].done_on == date(2027, 1, 20)
    assert report_signed(saved, register)
    # Changing what was judged breaks it.
    saved.feedback = "Everything is fine."
    assert not report_signed(saved, register)


def test_actions_need_a_date_and_are_tracked_to_closure_across_records(planned):
    with pytest.raises(UsageError, match="has no due date"):
        parse_action("Recheck B3")
    with pytest.raises(UsageError, match="has no due date"):
        parse_action("Recheck B3=soon")
    add_report(
        planned,
        "ben",
        by="Idris Quayle",
        decision="agree",
        feedback="Fine so far.",
        actions=[("Plan an observation", date(2027, 2, 1))],
    )
    meeting = add_standardisation(
        planned,
        day=date(2026, 12, 3),
        topic="Judging A1 consistently",
        attendees=["Priya Castellan", "Idris Quayle"],
        notes="Agreed what a sufficient record of a contract meeting is.",
        actions=[("Share the exemplar", date(2027, 1, 10))],
    )
    assert meeting.id == "S001" and meeting.actions[0].id == "A002"
    centre = open_centre(planned)
    assert [a.id for a, _ in open_actions(centre)] == ["A002", "A001"]  # oldest due first
    close_action(planned, "A002")
    assert [a.id for a, _ in open_actions(centre)] == ["A001"]
    with pytest.raises(NotFoundError, match="A009"):
        close_action(planned, "A009")
    lines = {line.sample.learner: line for line in plan_progress(centre, date(2027, 2, 1))}
    assert lines["ben"].report is not None and lines["amy"].report is None
    assert not lines["amy"].overdue  # due 2027-06-30
    assert lines["amy"].sample.stage == "summative"


def test_shipped_centre_schemas_match_the_models():
    generated = centre_schemas()
    shipped = {p.name: p.read_text(encoding="utf-8") for p in CENTRE_SCHEMA_DIR.glob("*.json")}
    assert set(shipped) == set(generated), "run: python -m cpc306_portfolio.centre.schemas"
    for name, schema in generated.items():
        assert shipped[name] == schema_text(schema), f"{name}: regenerate"
        assert json.loads(shipped[name])["$id"].startswith("cpc306-centre/1/")


def _add_cpd_many(folder: str, who: str, n: int) -> None:
    from cpc306_portfolio.centre.register import add_cpd

    for i in range(n):
        add_cpd(folder, who, day=date(2026, 11, 1 + i), activity=f"{who} session {i}", hours=1)


def test_two_writers_at_once_lose_nothing(centre):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        jobs = [
            pool.submit(_add_cpd_many, str(centre), who, 10)
            for who in ("Priya Castellan", "Idris Quayle")
        ]
        for job in jobs:
            job.result()
    register = open_centre(centre).register
    assert [len(p.cpd) for p in register.assessors] == [10, 10]
    assert not list(centre.rglob("*.cpc306-tmp"))
    assert sorted(load_trust_names(centre).values()) == ["Idris Quayle", "Priya Castellan"]


def test_a_plan_fixed_in_advance_is_replaced_only_when_asked_and_then_kept(planned):
    summaries = {"cat": _summary("Cat Carmody", "Priya Castellan", ready=False)}
    dates = {"interim": date(2027, 2, 1), "summative": date(2027, 7, 1)}
    before = (planned / "iqa" / "plan.yaml").read_bytes()
    with pytest.raises(UsageError, match="already has a plan") as caught:
        make_plan(planned, "cohort", summaries, **dates, seed=9)
    assert "--replace" in caught.value.hint
    assert (planned / "iqa" / "plan.yaml").read_bytes() == before
    plan = make_plan(planned, "cohort", summaries, **dates, seed=9, replace=True)
    assert [s.learner for s in plan.samples] == ["cat"]
    (kept,) = (planned / "iqa" / "plans").glob("plan-*.yaml")
    assert kept.read_bytes() == before
