from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio.analysis.coverage import (
    CRITERIA_COLUMNS,
    KNOWLEDGE_COLUMNS,
    SCOPE_COLUMNS,
    STATUS_LABELS,
    STATUS_SYMBOLS,
    Coverage,
    compute_coverage,
)
from cpc306_portfolio.analysis.status import coverage_of
from cpc306_portfolio.portfolio.models import Assessment, Evidence, Judgement
from cpc306_portfolio.portfolio.store import Portfolio, create_portfolio
from cpc306_portfolio.standard import Standard, load_standard

TODAY = date(2025, 6, 1)
WITNESS = {"name": "Sam Lee", "role": "Contracts manager"}

TINY_UNIT = """\
schema: nos-unit/1
code: TST 9
title: A tiny unit with other ids
elements:
  - id: P
    title: Plan
    criteria:
      - id: P1
        text: Plan the visit with the provider
        bold_terms: [{term: provider, scope: [places]}]
        explanation: Plan it.
        prompts: [Who?, When?]
        typical_evidence: [visit plan, email to the provider]
        knowledge: [T2]
      - id: P2
        text: Record the visit
        explanation: Write it down.
        prompts: [What?, Where?]
        typical_evidence: [visit note]
  - id: Q
    title: Review
    criteria:
      - id: Q1
        text: Review the outcome
        explanation: Look back.
        prompts: [What went well?, What next?]
        typical_evidence: [review minutes]
      - id: Q2
        text: Reflect on your part
        explanation: Think about it.
        prompts: [How did you feel?, What would you change?]
        typical_evidence: [reflective log]
scope:
  - id: places
    label: Places
    heading: Places
    options: [{id: home, label: at home}, {id: office, label: in the office}]
  - id: kinds
    label: Kinds of evidence
    options: [{id: seen, label: seen at work}, {id: written, label: written work}]
evidence_kind_category: kinds
knowledge:
  groups:
    - title: Know
      items:
        - id: T1
          text: The rules for
          sub_items: [{id: T1a, text: visits}, {id: T1b, text: notes}]
        - {id: T2, text: How to plan}
assessment_strategy:
  performance_methods: [observation, product]
  simulation_allowed: false
  currency_months: 12
  min_items_per_criterion: 2
  reflective_account_required: [Q2]
"""


def _profile(unit: str) -> dict[str, Any]:
    return {
        "unit": unit,
        "learner": {"name": "Alex Learner"},
        "centre": {"name": "Centre"},
        "assessor": {"name": "Ana Assessor"},
    }


@pytest.fixture
def cpc(tmp_path: Path) -> Portfolio:
    return create_portfolio(tmp_path / "p", _profile("CPC 306"), standard=load_standard("CPC 306"))


@pytest.fixture
def tiny_unit(tmp_path: Path) -> Standard:
    path = tmp_path / "tst9.yaml"
    path.write_text(TINY_UNIT, encoding="utf-8")
    return load_standard(path)


@pytest.fixture
def tiny(tmp_path: Path, tiny_unit: Standard) -> Portfolio:
    return create_portfolio(tmp_path / "t", _profile("TST 9"), standard=tiny_unit)


def _evidence(p: Portfolio, method: str = "product", **fields: Any) -> Evidence:
    data: dict[str, Any] = {
        "title": "Contract review",
        "date": date(2025, 3, 1),
        "method": method,
        "description": "What I did.",
    }
    if method in {"observation", "witness_testimony", "expert_witness"}:
        data["witness"] = WITNESS
    data.update(fields)
    return p.add_evidence(data)


def _reflection(p: Portfolio, **fields: Any) -> Any:
    data = {
        "title": "Looking back",
        "date": date(2025, 4, 1),
        "model": "gibbs",
        "stages": {"description": "I chaired the review."},
    }
    data.update(fields)
    return p.add_reflection(data)


def _row(cov: Coverage, crit: str) -> dict[str, Any]:
    rows = cov.criteria[cov.criteria["criterion"] == crit]
    assert len(rows) == 1
    return rows.iloc[0].to_dict()


def _judge(p: Portfolio, **judgements: Judgement) -> None:
    p.save_assessment(Assessment(judgements=judgements))


def test_empty_cpc306_portfolio_is_all_not_started(cpc: Portfolio) -> None:
    cov = coverage_of(cpc, today=TODAY)
    unit = cpc.standard
    assert list(cov.criteria.columns) == CRITERIA_COLUMNS
    assert list(cov.criteria["criterion"]) == list(unit.criteria)
    assert set(cov.criteria["status"]) == {"not_started"}
    assert set(cov.criteria["symbol"]) == {STATUS_SYMBOLS["not_started"]}
    assert list(cov.matrix.index) == list(unit.criteria)
    assert cov.matrix.shape == (len(unit.criteria), 0)
    p = cov.progress
    assert (p.criteria_total, p.criteria_not_started, p.criteria_ready) == (21, 21, 0)
    assert (p.knowledge_total, p.knowledge_covered) == (16, 0)
    assert (p.scope_total, p.scope_covered) == (len(unit.scope_options), 0)
    assert (p.evidence_count, p.reflection_count, p.percent_ready) == (0, 0, 0.0)


def test_undefined_knowledge_ids_never_appear(cpc: Portfolio) -> None:
    cov = coverage_of(cpc, today=TODAY)
    ids = list(cov.knowledge["id"])
    assert ids == list(cpc.standard.knowledge_ids)
    assert "K3" not in ids and "K9" not in ids
    targets = {g.target for g in cov.gaps}
    assert "K3" not in targets and "K9" not in targets
    # Even a record that names K3 (bypassing the store's check) does not make K3 appear.
    stray = Evidence(
        id="E001",
        title="t",
        date=TODAY,
        method="product",
        description="d",
        knowledge=["K3", "K1"],
    )
    cov = compute_coverage(cpc.standard, [stray], [], today=TODAY)
    assert "K3" not in set(cov.knowledge["id"])
    assert bool(cov.knowledge.set_index("id").loc["K1", "covered"])
    assert "K3" not in {g.target for g in cov.gaps}


def test_statuses_through_to_judgement(cpc: Portfolio) -> None:
    _evidence(cpc, "product", criteria=["A1", "A2", "B7"])
    _evidence(cpc, "professional_discussion", criteria=["A3"])
    _evidence(cpc, "observation", criteria=["A4", "A5"])
    cov = coverage_of(cpc, today=TODAY)
    assert _row(cov, "A1")["status"] == "ready"
    assert _row(cov, "A1")["symbol"] == STATUS_SYMBOLS["ready"]
    a3 = _row(cov, "A3")
    assert a3["status"] == "in_progress"
    assert "no current evidence from" in a3["reason"] and "observation" in a3["reason"]
    assert _row(cov, "B7")["status"] == "in_progress"
    assert "reflective account" in _row(cov, "B7")["reason"]
    assert _row(cov, "C1")["status"] == "not_started"
    assert _row(cov, "A1")["items"] == ["E001"]
    assert _row(cov, "A1")["methods"] == ["product"]

    _judge(
        cpc,
        A4=Judgement(outcome="met", judged_on=date(2025, 5, 2)),
        A5=Judgement(outcome="not_yet_met", judged_on=date(2025, 5, 2), feedback="Too thin."),
        C1=Judgement(outcome="met", judged_on=date(2025, 5, 3), feedback="Seen in person."),
    )
    cov = coverage_of(cpc, today=TODAY)
    a4, a5, c1 = _row(cov, "A4"), _row(cov, "A5"), _row(cov, "C1")
    assert (a4["status"], a4["symbol"]) == ("met", STATUS_SYMBOLS["met"])
    assert a4["reason"] == "judged met on 2025-05-02"
    assert (a5["status"], a5["symbol"]) == ("not_yet_met", STATUS_SYMBOLS["not_yet_met"])
    assert "Too thin." in a5["reason"]
    # Judgement wins even over an unstarted criterion.
    assert c1["status"] == "met" and "Seen in person." in c1["reason"]
    a5_gaps = [g for g in cov.gaps if g.target == "A5"]
    assert [g.kind for g in a5_gaps] == ["not_yet_met"]
    assert "Too thin." in a5_gaps[0].message
    assert not [g for g in cov.gaps if g.target in {"A4", "C1", "A1"}]
    p = cov.progress
    assert (p.criteria_met, p.criteria_not_yet_met, p.criteria_ready) == (2, 1, 2)
    assert p.criteria_in_progress == 2  # A3, B7
    assert p.criteria_not_started == 21 - 7
    assert p.percent_ready == round(100 * 4 / 21, 1)
    assert p.evidence_count == 3


def test_reflection_satisfies_reflective_account_rule(cpc: Portfolio) -> None:
    _evidence(cpc, "product", criteria=["B7"])
    assert _row(coverage_of(cpc, today=TODAY), "B7")["status"] == "in_progress"
    _reflection(cpc, criteria=["B7"])
    cov = coverage_of(cpc, today=TODAY)
    assert _row(cov, "B7")["status"] == "ready"
    assert _row(cov, "B7")["items"] == ["E001", "R001"]
    assert list(cov.matrix.columns) == ["E001", "R001"]
    assert cov.matrix.loc["B7", "R001"] == "reflective_account"
    assert cov.matrix.loc["A1", "R001"] == ""
    assert cov.progress.reflection_count == 1


def test_reflection_alone_is_not_performance_evidence(cpc: Portfolio) -> None:
    _reflection(cpc, criteria=["B7"])
    b7 = _row(coverage_of(cpc, today=TODAY), "B7")
    assert b7["status"] == "in_progress"
    assert "reflective account" not in b7["reason"]


def test_simulated_evidence_does_not_count(cpc: Portfolio) -> None:
    _evidence(cpc, "observation", criteria=["A1"], simulated=True)
    cov = coverage_of(cpc, today=TODAY)
    a1 = _row(cov, "A1")
    assert a1["status"] == "in_progress"
    assert "E001 is simulated" in a1["reason"]
    assert cov.matrix.loc["A1", "E001"] == "observation"
    gap = next(g for g in cov.gaps if g.target == "A1")
    assert gap.kind == "performance" and "simulated" in gap.message
    _evidence(cpc, "observation", criteria=["A1"])
    assert _row(coverage_of(cpc, today=TODAY), "A1")["status"] == "ready"


def test_currency_window(cpc: Portfolio) -> None:
    _evidence(cpc, "product", criteria=["A1"], date=date(2022, 3, 1))
    # CPC 306 counts 24 months: on 2024-03-01 the item is exactly at the edge and counts.
    assert _row(coverage_of(cpc, today=date(2024, 3, 1)), "A1")["status"] == "ready"
    late = _row(coverage_of(cpc, today=date(2024, 3, 2)), "A1")
    assert late["status"] == "in_progress"
    assert "out of date" in late["reason"] and "2022-03-01" in late["reason"]
    assert late["items"] == ["E001"]  # still shown as mapped


def test_gap_order_and_next_steps(cpc: Portfolio) -> None:
    _evidence(cpc, "product", criteria=list(cpc.standard.criteria)[:-2], knowledge=["K8"])
    cov = coverage_of(cpc, today=TODAY)
    unit = cpc.standard
    crit_order = list(unit.criteria)
    crit_gaps = [g for g in cov.gaps if g.target in unit.criteria]
    know_gaps = [g for g in cov.gaps if g.kind == "knowledge"]
    assert cov.gaps == crit_gaps + know_gaps
    assert [g.target for g in crit_gaps] == ["B7", "C5", "C6"]
    assert [g.kind for g in crit_gaps] == ["reflective_account", "performance", "performance"]
    c5 = crit_gaps[1]
    assert c5.message.startswith("C5 has no evidence from an observation")
    assert "add a record of" in c5.next_step and "C5" in c5.next_step
    assert unit.criteria["C5"].typical_evidence[0] in c5.next_step
    positions = [crit_order.index(g.target) for g in crit_gaps]
    assert positions == sorted(positions)
    know_order = [k for k in unit.knowledge_items]
    assert [g.target for g in know_gaps] == [k for k in know_order if k != "K8"]
    k2 = next(g for g in know_gaps if g.target == "K2")
    assert unit.knowledge_items["K2"].text in k2.message
    scope_ids = set(unit.scope_options)
    assert not [g for g in cov.gaps if g.target in scope_ids]


def test_knowledge_parent_and_sub_items(cpc: Portfolio) -> None:
    _evidence(cpc, criteria=["A1"], knowledge=["K8"])
    _evidence(cpc, criteria=["A1"], knowledge=["K15a"])
    cov = coverage_of(cpc, today=TODAY)
    k = cov.knowledge.set_index("id")
    assert list(cov.knowledge.columns) == KNOWLEDGE_COLUMNS
    assert all(k.loc[s, "covered"] for s in ["K8", "K8a", "K8b", "K8c", "K8d", "K8e"])
    assert k.loc["K8c", "items"] == ["E001"] and k.loc["K8c", "parent"] == "K8"
    assert k.loc["K8", "group"] == "Legislation and organisational policy and procedures"
    assert bool(k.loc["K15a", "covered"]) and not bool(k.loc["K15b", "covered"])
    assert not bool(k.loc["K15", "covered"])
    k15 = next(g for g in cov.gaps if g.target == "K15")
    assert "K15b" in k15.message and "K15a" not in k15.message
    assert "K15b" in k15.next_step
    _evidence(cpc, criteria=["A1"], knowledge=["K15b"])
    cov = coverage_of(cpc, today=TODAY)
    k = cov.knowledge.set_index("id")
    assert bool(k.loc["K15", "covered"])
    assert k.loc["K15", "items"] == ["E002", "E003"]
    assert "K15" not in {g.target for g in cov.gaps}
    assert cov.progress.knowledge_covered == 2


def test_scope_option_without_evidence_is_shown_not_failed(cpc: Portfolio) -> None:
    _evidence(
        cpc,
        criteria=["A2"],
        scope=["risks/financial_loss"],
        evidence_kind=[next(iter(cpc.standard.evidence_kinds))],
    )
    cov = coverage_of(cpc, today=TODAY)
    scope = cov.scope.set_index("option")
    assert list(cov.scope.columns) == SCOPE_COLUMNS
    assert list(scope.index) == list(cpc.standard.scope_options)
    assert bool(scope.loc["risks/financial_loss", "covered"])
    assert scope.loc["risks/financial_loss", "category"] == "risks"
    assert not bool(scope.loc["risks/people", "covered"])
    assert scope.loc["risks/people", "items"] == []
    # The item's own kind is not scope coverage: B4's "evidence" options are covered only
    # by what a record maps in its scope.
    kind = next(iter(cpc.standard.evidence_kinds))
    assert scope.loc[kind, "items"] == []
    assert not bool(scope.loc[kind, "covered"])
    assert cov.progress.scope_covered == 1
    assert _row(cov, "A2")["status"] == "ready"
    assert "risks/people" not in {g.target for g in cov.gaps}


def test_second_unit_needs_no_code_change(tiny: Portfolio) -> None:
    unit = tiny.standard
    cov = coverage_of(tiny, today=TODAY)
    assert list(cov.criteria["criterion"]) == ["P1", "P2", "Q1", "Q2"]
    assert list(cov.criteria["element"]) == ["P", "P", "Q", "Q"]
    assert list(cov.knowledge["id"]) == ["T1", "T1a", "T1b", "T2"]
    assert list(cov.scope["option"]) == [
        "places/home",
        "places/office",
        "kinds/seen",
        "kinds/written",
    ]
    assert cov.progress.knowledge_total == 2 and cov.progress.scope_total == 4
    # min_items_per_criterion is 2 here: one observation is not enough.
    _evidence(tiny, "observation", criteria=["P1", "Q2"], scope=["places/home"], knowledge=["T1"])
    cov = coverage_of(tiny, today=TODAY)
    p1 = _row(cov, "P1")
    assert p1["status"] == "in_progress"
    assert "1 current item(s) of the 2" in p1["reason"]
    p1_gaps = [g for g in cov.gaps if g.target == "P1"]
    assert [g.kind for g in p1_gaps] == ["items"]
    assert "visit plan" in p1_gaps[0].next_step
    # Q2 needs a reflective account too; with it, the count of two is reached.
    q2_gaps = [g for g in cov.gaps if g.target == "Q2"]
    assert [g.kind for g in q2_gaps] == ["reflective_account"]
    # A product is performance evidence in this unit; a professional discussion is not.
    _evidence(tiny, "professional_discussion", criteria=["P1", "P2"])
    _reflection(tiny, criteria=["Q2"])
    cov = coverage_of(tiny, today=TODAY)
    assert _row(cov, "P1")["status"] == "ready"
    p2 = _row(cov, "P2")
    assert p2["status"] == "in_progress"
    assert "observation or a product / document" in p2["reason"]
    assert _row(cov, "Q2")["status"] == "ready"
    assert _row(cov, "Q1")["status"] == "not_started"
    q1 = [g for g in cov.gaps if g.target == "Q1"]
    # Not started with a minimum of two: one performance item plus one more item.
    assert [g.kind for g in q1] == ["performance", "items"]
    assert "add 1 more item" in q1[1].next_step
    assert list(cov.matrix.columns) == ["E001", "E002", "R001"]
    assert cov.matrix.loc["P2", "E002"] == "professional_discussion"
    assert cov.matrix.loc["Q2", "R001"] == "reflective_account"
    know = cov.knowledge.set_index("id")
    assert all(know.loc[k, "covered"] for k in ["T1", "T1a", "T1b"])
    assert [g.target for g in cov.gaps if g.kind == "knowledge"] == ["T2"]
    assert "P1" in next(g for g in cov.gaps if g.target == "T2").next_step
    # Currency comes from the unit too: 12 months here.
    stale = coverage_of(tiny, today=date(2026, 3, 2))
    assert _row(stale, "P1")["status"] == "in_progress"
    assert "out of date" in _row(stale, "P1")["reason"]
    p = cov.progress
    assert (p.criteria_total, p.criteria_ready, p.criteria_in_progress) == (4, 2, 1)
    assert (p.knowledge_covered, p.scope_covered, p.percent_ready) == (1, 1, 50.0)
    assert unit.code == "TST 9"


def test_status_labels_and_symbols_are_shared_and_distinct() -> None:
    statuses = ["not_started", "in_progress", "ready", "met", "not_yet_met"]
    assert list(STATUS_LABELS) == statuses == list(STATUS_SYMBOLS)
    assert len(set(STATUS_SYMBOLS.values())) == len(statuses)


def test_compute_coverage_is_pure_over_records(tiny_unit: Standard) -> None:
    ev = Evidence(
        id="E001",
        title="t",
        date=TODAY,
        method="product",
        description="d",
        criteria=["P1"],
    )
    before = ev.model_dump()
    judged = Assessment(judgements={"P2": Judgement(outcome="met", judged_on=TODAY)})
    cov = compute_coverage(tiny_unit, [ev], [], judged, today=TODAY)
    assert ev.model_dump() == before
    assert _row(cov, "P2")["status"] == "met"
    assert _row(cov, "P1")["status"] == "in_progress"


UNIT_FILES = sorted((Path(__file__).parent / "data" / "units").glob("*.yaml"))


@pytest.mark.parametrize("path", UNIT_FILES, ids=[p.stem for p in UNIT_FILES])
def test_every_checked_in_unit_gets_its_own_tables(path: Path) -> None:
    unit = load_standard(path)
    first = next(iter(unit.criteria))
    ev = Evidence(
        id="E001",
        title="t",
        date=TODAY,
        method=unit.assessment_strategy.performance_methods[0],
        description="d",
        criteria=[first],
    )
    cov = compute_coverage(unit, [ev], [], today=TODAY)
    assert list(cov.criteria["criterion"]) == list(unit.criteria)
    assert list(cov.knowledge["id"]) == list(unit.knowledge_ids)
    assert list(cov.scope["option"]) == list(unit.scope_options)
    assert cov.matrix.loc[first, "E001"] == ev.method.value
    assert _row(cov, first)["status"] in {"ready", "in_progress"}
    assert cov.progress.knowledge_total == len(unit.knowledge_items)
    targets = [g.target for g in cov.gaps]
    assert set(targets) <= set(unit.criteria) | set(unit.knowledge_items)


def test_the_report_data_offers_the_same_tables_as_dataframes(sample_copy: Path) -> None:
    # The report shows plain rows; a notebook asking ReportData.coverage gets the pandas
    # tables compute_coverage makes, row for row the same.
    from cpc306_portfolio.analysis.status import coverage_of
    from cpc306_portfolio.render import load_report

    data = load_report(sample_copy)
    frames = data.coverage
    expected = coverage_of(data.portfolio)
    for table in ("criteria", "scope", "knowledge"):
        assert getattr(frames, table).equals(getattr(expected, table)), table
        assert getattr(frames, table).to_dict("records") == data.rows_of(table), table
    assert frames.matrix.equals(expected.matrix)
    assert frames.progress == expected.progress == data.rows.progress
