"""The sample portfolio in evidence/ is what every learner copies: these checks keep it honest.

Its dates tell one story in order, no knowledge-only method carries a performance criterion
alone, it names no person who uses services beyond what a criterion needs, and its sign-off
verifies against the demo trust list in demo-keys/ (never inside the portfolio folder).
"""

from __future__ import annotations

import calendar
import csv
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.portfolio.assessor_evidence import read_assessor_records
from cpc306_portfolio.portfolio.assessor_models import Observation
from cpc306_portfolio.portfolio.kinds import record_texts
from cpc306_portfolio.portfolio.models import Evidence, Reflection
from cpc306_portfolio.portfolio.store import Portfolio
from cpc306_portfolio.portfolio.witnesses import read_witnesses

from .conftest import ROOT, SAMPLE, run_cli

DEMO_KEYS = ROOT / "demo-keys"
DEMO_TRUST = DEMO_KEYS / "demo-trust-list.txt"

MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}
_MONTH = "|".join(MONTHS)
# "9 February 2026", "9 February" (the record's own year), "2026-02-09".
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}}) ({_MONTH})(?: (\d{{4}}))?\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# A month named on its own ("in March", "October 2025"): it must have begun by the record's date.
_MONTH_ALONE = re.compile(rf"(?<!\d )\b({_MONTH})\b(?: (\d{{4}}))?")
# A month's figures, data or return can only be reported once that month is over.
_MONTH_FIGURES = re.compile(
    rf"\b({_MONTH})(?: (\d{{4}}))?(?:'s)? (?:[a-z]+ )?(?:figures|data|returns?)\b"
    rf"|\b(?:figures|data|returns?) for ({_MONTH})(?: (\d{{4}}))?\b"
)
_RECORD_ID = re.compile(r"\b([ER]\d{3,})\b")

Record = Evidence | Reflection


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _dates_in(text: str, year: int) -> Iterable[tuple[date, str]]:
    for m in _DAY_MONTH.finditer(text):
        yield date(int(m[3] or year), MONTHS[m[2]], int(m[1])), m[0]
    for m in _ISO.finditer(text):
        yield date(int(m[1]), int(m[2]), int(m[3])), m[0]


def record_date_problems(record: Record, by_id: dict[str, Record]) -> list[str]:
    """Dates a record mentions, and records it cites, that come after the record itself."""
    out: list[str] = []
    day = record.date
    for field, text in record_texts(record).items():
        where = f"{record.id} ({day}) {field}"
        for when, words in _dates_in(text, day.year):
            if when > day:
                out.append(f"{where}: {words!r} is after the record's date")
        for m in _MONTH_ALONE.finditer(text):
            start = date(int(m[2] or day.year), MONTHS[m[1]], 1)
            if start > day:
                out.append(f"{where}: {m[0]!r} had not begun by the record's date")
        for m in _MONTH_FIGURES.finditer(text):
            month, year = (m[1], m[2]) if m[1] else (m[3], m[4])
            if _month_end(int(year or day.year), MONTHS[month]) >= day:
                out.append(f"{where}: {m[0]!r} reports a month not over by the record's date")
        for cited in _RECORD_ID.findall(text):
            other = by_id.get(cited)
            if other is None:
                out.append(f"{where}: cites {cited}, which the portfolio does not hold")
            elif other.date > day:
                out.append(f"{where}: cites {cited}, dated later ({other.date})")
    sds = record.self_directed_support if isinstance(record, Evidence) else None
    if sds and sds.agreed_on and sds.agreed_on > day:
        out.append(f"{record.id} ({day}): agreement recorded on {sds.agreed_on}, after the record")
    return out


def _rows(folio: Portfolio, name: str) -> tuple[Evidence, list[dict[str, str]]]:
    for record in folio.evidence():
        for att in record.attachments:
            if att.path.endswith("/" + name):
                with folio.attachment_path(att).open(encoding="utf-8", newline="") as f:
                    return record, list(csv.DictReader(f))
    raise AssertionError(f"the sample has no attachment called {name}")


def _period_end(period: str) -> date | None:
    if re.fullmatch(r"\d{4}-\d{2}", period):
        return _month_end(int(period[:4]), int(period[5:]))
    if re.fullmatch(r"\d{4}-W\d{2}", period):
        return date.fromisocalendar(int(period[:4]), int(period[6:]), 7)
    if m := re.fullmatch(r"(\d{4})-(?:W\d{2}\.\.)?W(\d{2})", period):  # weeks 10 to 14
        return date.fromisocalendar(int(m[1]), int(m[2]), 7)
    if m := re.fullmatch(r"(\d{4}-\d{2})-\d{2}\.\.(\d{2})", period):  # days 1 to 5
        return date.fromisoformat(f"{m[1]}-{m[2]}")
    return None


def log_problems(folio: Portfolio) -> list[str]:
    """The monitoring log against the action plan: nothing judged before it was due."""
    plan_record, plan = _rows(folio, "action-plan.csv")
    log_record, log = _rows(folio, "monitoring-log.csv")
    out: list[str] = []
    plan_dates: dict[str, set[date]] = {}
    for row in plan:
        due = date.fromisoformat(row["due"])
        dates = {due}
        if row["interim_due"]:
            interim = date.fromisoformat(row["interim_due"])
            dates.add(interim)
            if interim > due:
                out.append(f"action plan {row['no']}: interim date {interim} after due {due}")
        if due < plan_record.date:
            out.append(f"action plan {row['no']}: due {due} before the plan ({plan_record.date})")
        plan_dates[f"AP{row['no']}"] = dates
    for i, row in enumerate(log, start=2):
        where = f"monitoring log line {i} ({row['ref']})"
        checked, due = date.fromisoformat(row["checked_on"]), date.fromisoformat(row["due"])
        if checked > log_record.date:
            out.append(f"{where}: checked on {checked}, after {log_record.id} ({log_record.date})")
        end = _period_end(row["period"]) if row["period"] else None
        if end is not None and end >= checked:
            out.append(f"{where}: reports {row['period']} before it was over ({checked})")
        if row["status"] == "not met" and checked < due:
            out.append(f"{where}: 'not met' on {checked}, before it was due on {due}")
        if row["ref"] in plan_dates and due not in plan_dates[row["ref"]]:
            out.append(f"{where}: due {due} is not a date the action plan gives")
    return out


def assessment_date_problems(folio: Portfolio, by_id: dict[str, Any]) -> list[str]:
    """Declared after the last activity; judged as the programme went, after the evidence
    relied on; signed after judging and at least a day after the declaration."""
    out: list[str] = []
    declaration = folio.profile.declaration
    assessment = folio.read_assessment()
    if declaration is None or assessment.signoff is None:
        return ["the sample must be declared and signed off"]
    declared = declaration.signed_at.date()
    latest = max((r for r in by_id.values() if isinstance(r, Record)), key=lambda r: r.date)
    if latest.date > declared:
        out.append(f"declared on {declared}, before {latest.id} ({latest.date})")
    signed = assessment.signoff.signed_at.date()
    if (signed - declared).days < 1:
        out.append(f"signed off on {signed}, less than a day after the declaration ({declared})")
    for crit, j in assessment.judgements.items():
        if j.judged_on > signed:
            out.append(f"{crit} judged on {j.judged_on}, after the sign-off ({signed})")
        for cited in j.evidence:
            if by_id[cited].date > j.judged_on:
                out.append(f"{crit} judged on {j.judged_on}, relying on later {cited}")
    return out


def date_problems(folio: Portfolio) -> list[str]:
    records: list[Record] = [*folio.evidence(), *folio.reflections()]
    by_id = {r.id: r for r in records}
    out = [p for r in records for p in record_date_problems(r, by_id)]
    # The assessor's own records may be relied on too: dated, never after a judgement.
    theirs = read_assessor_records(folio)
    dated = {**by_id, **{r.id: r for r in [*theirs.observations, *theirs.discussions]}}
    dated.update({r.id: r for r in theirs.questioning})
    return out + log_problems(folio) + assessment_date_problems(folio, dated)


@pytest.fixture(scope="module")
def sample() -> Portfolio:
    return open_portfolio(SAMPLE, readonly=True)


def test_every_date_in_the_sample_is_in_order(sample: Portfolio) -> None:
    assert date_problems(sample) == []


def _move(folder: Path, record_id: str, old: str, new: str) -> None:
    sub = "reflections" if record_id.startswith("R") else "evidence"
    path = folder / sub / f"{record_id}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, (record_id, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("record_id", "old", "new", "expected"),
    [
        # The supervision record cites reflections that would then be written after it.
        ("E021", "date: '2026-10-14'", "date: '2026-10-01'", "cites R001, dated later"),
        # The follow-up visit would then report a credit note not yet received.
        ("E008", "date: '2026-04-08'", "date: '2026-03-20'", "'25 March' is after"),
        # The closure report would then report a month not yet over.
        ("E015", "date: '2026-09-04'", "date: '2026-08-28'", "August's data"),
        # Agreement recorded after the record that says it was given.
        ("E011", "agreed_on: '2026-05-05'", "agreed_on: '2026-05-12'", "after the record"),
    ],
)
def test_a_date_moved_out_of_order_is_caught(
    sample_copy: Path, record_id: str, old: str, new: str, expected: str
) -> None:
    _move(sample_copy, record_id, old, new)
    problems = date_problems(open_portfolio(sample_copy, readonly=True))
    assert any(expected in p for p in problems), problems


def test_an_action_judged_before_it_was_due_is_caught(sample_copy: Path) -> None:
    log = next((sample_copy / "evidence").glob("*/monitoring-log.csv"))
    rows = log.read_text(encoding="utf-8").splitlines()
    # Judge the April missed-visit target on the visit of 8 April, before it fell due.
    rows = [r.replace("2026-05-01,AP6", "2026-04-08,AP6") for r in rows]
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    problems = log_problems(open_portfolio(sample_copy, readonly=True))
    assert any("'not met' on 2026-04-08, before it was due" in p for p in problems), problems
    assert any("reports 2026-04 before it was over" in p for p in problems), problems


def test_no_knowledge_only_method_is_the_sole_support_of_a_criterion(sample: Portfolio) -> None:
    strategy = sample.standard.assessment_strategy
    records: list[Record] = [*sample.evidence(), *sample.reflections()]
    by_id = {r.id: r for r in records}

    observed = {o.id: o for o in read_assessor_records(sample).observations}

    def performs(record: Record | Observation) -> bool:
        if isinstance(record, Observation):  # the assessor's own observation always does
            return True
        return isinstance(record, Evidence) and record.method in strategy.performance_methods

    for crit in sample.standard.criteria:
        mapped = [r for r in records if crit in r.criteria]
        assert any(performs(r) for r in mapped), (crit, [r.id for r in mapped])
    for crit, judgement in sample.read_assessment().judgements.items():
        relied = [by_id.get(i) or observed[i] for i in judgement.evidence]
        assert any(performs(r) for r in relied), (crit, judgement.evidence)
    # In this sample the discussion and the questions show knowledge only: they map to none.
    knowledge_only = {"professional_discussion", "question_and_answer"}
    talked = [r for r in sample.evidence() if r.method.value in knowledge_only]
    assert sorted(r.method.value for r in talked) == sorted(knowledge_only)
    assert {r.id: r.criteria for r in talked} == {r.id: [] for r in talked}


def test_every_criterion_is_judged_on_evidence_mapped_to_it(sample: Portfolio) -> None:
    judgements = sample.read_assessment().judgements
    assert list(judgements) == list(sample.standard.criteria)
    theirs = read_assessor_records(sample).observations
    records: list[Any] = [*sample.evidence(), *sample.reflections(), *theirs]
    mapped = {c: {r.id for r in records if c in r.criteria} for c in sample.standard.criteria}
    for crit, judgement in judgements.items():
        assert set(judgement.evidence) <= mapped[crit], (crit, judgement.evidence)
        assert judgement.feedback, crit


def test_witnesses_say_who_they_are_and_how_to_reach_them(sample: Portfolio) -> None:
    witnessed = [r for r in sample.evidence() if r.method.needs_witness]
    # The sample shows every kind of witnessed evidence a learner may copy.
    assert {r.method.value for r in witnessed} == {
        "observation",
        "witness_testimony",
        "expert_witness",
    }
    register = {w.id: w for w in read_witnesses(sample)}
    observations = {o.id: o for o in read_assessor_records(sample).observations}
    for record in witnessed:
        if record.method.value == "observation":
            # Observed work is the assessor's own record: the learner only links to it.
            assert record.witness is None, record.id
            assert record.observation in observations, record.id
            assert observations[record.observation].date <= record.date, record.id
            continue
        witness = record.witness
        assert witness is not None and witness.register_id in register, record.id
        assert witness.statement and witness.declaration, record.id
        assert witness.statement_date == record.date, record.id
        entry = register[witness.register_id]
        assert entry.email.endswith("@northmoor.example.org"), entry.id
        assert re.fullmatch(r"01632 960\d{3}", entry.phone), entry.id  # Ofcom drama numbers
        # The assessor checked each witness, after the statement was made.
        assert entry.checks and all(c.on >= record.date for c in entry.checks), entry.id
        if record.method.value == "expert_witness":
            assert entry.status == "expert", entry.id
            criteria = sample.standard.assessment_strategy.expert_witness_criteria
            assert set(entry.expert_criteria) == set(criteria), entry.id


_PERSON = re.compile(r"\bPersons? [ABC]\b")
_TOO_MUCH = re.compile(
    r"\b(he|she|his|her|him|hers|man|woman|aged|years old|eighties|seventies|young)\b"
    r"|\b\d{1,3}[- ]year[- ]old\b",
    re.IGNORECASE,
)


def test_people_who_use_services_are_described_no_more_than_the_criteria_need(
    sample: Portfolio,
) -> None:
    # Caldicott: the minimum necessary. Whose agreement counts is needed; sex and age are not.
    for record in [*sample.evidence(), *sample.reflections()]:
        for field, text in record_texts(record).items():
            for sentence in re.split(r"(?<=[.;:])\s+", text):
                if _PERSON.search(sentence):
                    found = _TOO_MUCH.search(sentence)
                    assert found is None, (record.id, field, found and found[0], sentence)


def test_the_sample_verifies_against_the_demo_trust_list() -> None:
    out = run_cli("verify", SAMPLE, "--trust", DEMO_TRUST)
    assert "the key is on the centre's list" in out


def test_no_key_travels_with_the_portfolio() -> None:
    for path in SAMPLE.rglob("*"):
        if path.is_file():
            assert b"PRIVATE KEY" not in path.read_bytes(), path
    assert (DEMO_KEYS / "demo-assessor.key").is_file()
    assert "DEMO" in (DEMO_KEYS / "demo-assessor.key.pub").read_text(encoding="utf-8")
