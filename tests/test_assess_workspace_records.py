"""The assessor's workspace, second round: action points, own records, the record, agreements.

Each form is checked alone, without a server (as in ``test_assess_workspace.py``): a real
record is written through the same function as its command and validates; a refused input
says so in words beside the field and writes nothing. The records page is driven in Chromium
in ``test_assess_app_browser.py``.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import ipywidgets as w
import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.assessor.agreements import agreement_signature_ok
from cpc306_portfolio.assessor.signing import new_key
from cpc306_portfolio.cohort.caseload import caseload_folders
from cpc306_portfolio.errors import UsageError
from cpc306_portfolio.notebooks import assessor_pages as pages
from cpc306_portfolio.notebooks.assessor_actions import OpenActions
from cpc306_portfolio.notebooks.assessor_agree import PLAN, AgreeForm
from cpc306_portfolio.notebooks.assessor_forms import JudgementForm
from cpc306_portfolio.notebooks.assessor_record_forms import (
    DiscussionForm,
    ObservationForm,
    QuestionForm,
)
from cpc306_portfolio.notebooks.record_route import (
    FILE_NAME,
    check_output_dir,
    record_headers,
)
from cpc306_portfolio.notebooks.workspace import PAGES, caseload_parameter
from cpc306_portfolio.portfolio.assessment_plan import add_activity, read_assessment_plan
from cpc306_portfolio.portfolio.assessor_evidence import (
    knowledge_decisions,
    performance_records,
    read_assessor_records,
)
from cpc306_portfolio.render.csp import CSP

from .conftest import OLD_SAMPLE, cli_result, find_widget, find_widgets, html_of, snapshot

TODAY = date.today()


@pytest.fixture(autouse=True)
def _close_widgets():
    yield
    w.Widget.close_all()


@pytest.fixture
def one(tmp_path: Path) -> Path:
    """A copy of the sample with A2 unjudged."""
    folder = tmp_path / "case" / "one"
    shutil.copytree(OLD_SAMPLE, folder)
    folio = open_portfolio(folder)
    assessment = folio.read_assessment()
    kept = {k: v for k, v in assessment.judgements.items() if k != "A2"}
    folio.save_assessment(assessment.model_copy(update={"judgements": kept}))
    return folder


def _env(folder: Path, criterion: str = "") -> tuple[str, dict[str, str]]:
    folders = caseload_folders(folder.parent)
    (key,) = folders
    query = f"learner={key}" + (f"&criterion={criterion}" if criterion else "")
    return caseload_parameter(folders), {"QUERY_STRING": query}


def _not_yet_met(form: JudgementForm) -> None:
    form.outcome.value = "not_yet_met"
    form.evidence["E003"].value = True
    form.methods["product"].value = True
    form.feedback.value = "The risk log names no owner for each risk."


def test_action_points_are_refused_in_words_and_saved_with_not_yet_met(one):
    form = JudgementForm(open_portfolio(one), "A2")
    _not_yet_met(form)
    text, by = form.actions.rows[0]
    text.value = "Add an owner to each risk in the log"
    before = snapshot(one)
    assert form.save() is None
    assert (
        "action point 1 (“Add an owner to each risk in the log”) has no “by” date"
        in (form.errors.shown()["actions"])
    )
    by.value = TODAY - timedelta(days=1)
    assert form.save() is None
    assert "a date already past" in form.errors.shown()["actions"]
    form.outcome.value = "met"
    by.value = TODAY + timedelta(days=14)
    assert form.save() is None
    assert "go with “not yet met” only" in form.errors.shown()["actions"]
    assert snapshot(one) == before, "a refused judgement wrote something"
    assert "Your text is still in the form" in form.status.value

    form.outcome.value = "not_yet_met"
    form.actions.add_button.click()
    second_text, second_by = form.actions.rows[1]
    second_text.value = "Show the log to the provider's manager"
    second_by.value = TODAY + timedelta(days=28)
    assert form.save() is not None and "A2 not yet met" in form.status.value
    judgement = open_portfolio(one).read_assessment().judgements["A2"]
    assert [(a.id, a.text, a.by) for a in judgement.actions] == [
        ("AP1", "Add an owner to each risk in the log", TODAY + timedelta(days=14)),
        ("AP2", "Show the log to the provider's manager", TODAY + timedelta(days=28)),
    ]
    assert len(form.actions.rows) == 1 and form.actions.rows[0][0].value == ""
    cli_result("validate", one)


def test_an_open_action_point_is_closed_with_a_note_as_the_cli_does(one):
    cli_result(
        "assess", one, "A2", "--outcome", "not_yet_met", "--feedback", "Needs owners.",
        "--action", "Add an owner to each risk", "--by", str(TODAY + timedelta(days=7)),
        "--action", "Date the log", "--by", str(TODAY + timedelta(days=9)),
    )  # fmt: skip
    caseload, env = _env(one, "A2")
    page = pages.assessor_page("criterion", caseload, environ=env)
    closing = find_widget(page, "cpc306-open-actions")
    assert isinstance(closing, OpenActions) and len(closing.forms) == 2
    shown = "\n".join(html_of(page))
    assert "AP1</strong>: Add an owner to each risk" in shown and ": <span" in shown
    assert '<span class="cpc306-action-status">open</span>' in shown
    first = closing.forms[0]
    first.note.value = "The log now names an owner for each risk."
    assert first.save() is not None and "Closed AP1" in first.status.value
    assert first.save_button.disabled
    actions = open_portfolio(one).read_assessment().judgements["A2"].actions
    assert actions[0].closed_on == TODAY
    assert actions[0].closed_note == "The log now names an owner for each risk."
    assert not actions[1].closed
    assert "closed " in "\n".join(html_of(page))  # the page redrew after the close
    closing.refresh()
    assert [f.action.id for f in closing.forms] == ["AP2"]
    cli_result("validate", one)


def test_an_observation_from_the_form_is_performance_evidence_for_a2(one):
    form = ObservationForm(open_portfolio(one))
    before = snapshot(one)
    assert form.save() is None
    shown = form.errors.shown()
    assert "tick the criteria you saw shown" in shown["criteria"]
    assert "say what you saw" in shown["narrative"]
    assert snapshot(one) == before
    form.criteria.boxes["A2"].value = True
    form.scope.boxes[next(iter(form.scope.boxes))].value = True
    form.knowledge.boxes["K5"].value = True
    form.narrative.value = "Jordan took the contract review meeting through each risk.\nCalm."
    form.location.value = "The commissioning team's office"
    saved = form.save()
    assert saved is not None and f"Recorded observation {saved.id}" in form.status.value
    folio = open_portfolio(one)
    records = read_assessor_records(folio)
    (made,) = [r for r in records.observations if r.id == saved.id]
    assert made.criteria == ["A2"] and made.knowledge == ["K5"]
    assert made.narrative.endswith("\nCalm.") and made.assessor == folio.profile.assessor.name
    assert saved.id in performance_records(folio.standard, records)["A2"]
    assert not form.criteria.value and form.narrative.value == ""
    cli_result("validate", one)


def test_a_discussion_offers_criteria_only_where_the_strategy_allows(one):
    form = DiscussionForm(open_portfolio(one))
    assert not form.counts  # CPC 306 counts discussion as knowledge evidence only
    assert find_widgets(form, "cpc306-discuss-knowledge-list")
    assert not find_widgets(form, "cpc306-discuss-criteria-list")
    assert "knowledge evidence here" in "\n".join(html_of(form))
    before = snapshot(one)
    form.save()
    assert "tick the knowledge items" in form.errors.shown()["knowledge"]
    assert "write the key points" in form.errors.shown()["key_points"]
    assert snapshot(one) == before
    form.knowledge.boxes["K1"].value = form.knowledge.boxes["K2"].value = True
    form.topics.value = "The Care Act duties\n\nMarket shaping"
    form.notes.value = "Explained the market-shaping duty with the local example."
    form.showed.value = "Sound knowledge of K1 and K2."
    saved = form.save()
    assert saved is not None and "knowledge evidence for K1, K2" in form.status.value
    (made,) = read_assessor_records(open_portfolio(one)).discussions
    assert made.topics == ["The Care Act duties", "Market shaping"] and made.criteria == []
    cli_result("validate", one)


def test_a_bank_question_is_shown_with_its_model_answer_and_marked(one):
    form = QuestionForm(open_portfolio(one))
    form.item.value = "K1"
    assert form.which.value is not None and form.which.value in dict(
        (v, k) for k, v in form.which.options
    )
    banked = next(b.question for b in form.bank if b.question.id == form.which.value)
    assert "Model answer:" in form.shown.value and banked.must_include[0][:20] in (
        form.shown.value.replace("&#x27;", "'").replace("&quot;", '"')
    )
    before = snapshot(one)
    form.save()
    assert "write the learner&#x27;s answer" in form.errors.shown()["answer"]
    assert "choose met or not yet met" in form.errors.shown()["outcome"]
    assert snapshot(one) == before
    form.answer.value = "The local authority must promote a diverse market of services."
    form.outcome.value = "met"
    form.note.value = "Covered every point."
    saved = form.save()
    assert saved is not None and f"{banked.id} (K1) marked met" in form.status.value
    questioning = read_assessor_records(open_portfolio(one)).questioning
    assert [(q.question_id, q.outcome) for q in questioning] == [(banked.id, "met")]
    assert knowledge_decisions(questioning) == {"K1": "met"}
    cli_result("validate", one)


def test_the_records_page_and_the_criterion_page_show_the_assessors_records(one):
    assert "records" in PAGES and "records" in pages.BUILDERS
    cli_result(
        "assess", "observe", one, "--date", str(TODAY), "--criteria", "A2",
        "--narrative", "Saw <b>the risk log</b> reviewed.",
    )  # fmt: skip
    caseload, env = _env(one)
    page = pages.assessor_page("records", caseload, environ=env)
    shown = "\n".join(html_of(page))
    assert "Observations" in shown and "Saw &lt;b&gt;the risk log&lt;/b&gt; reviewed." in shown
    assert "Knowledge: mapped and assessed" in shown and 'data-knowledge="K1"' in shown
    for kind in ("observe-form", "discuss-form", "question-form"):
        assert find_widgets(page, f"cpc306-{kind}"), kind
    caseload, env = _env(one, "A2")
    criterion = "\n".join(html_of(pages.assessor_page("criterion", caseload, environ=env)))
    assert "Your own records for A2" in criterion
    assert "(performance evidence for A2)" in criterion
    assert 'href="records.ipynb?learner=' in criterion and "#O001" in criterion


def test_the_record_is_written_to_the_assessors_folder_and_served_under_its_csp(one, tmp_path):
    out = tmp_path / "records"
    caseload, env = _env(one)
    before = snapshot(one)
    page = pages.assessor_page("learner", caseload, environ=env, records=str(out))
    find_widget(page, "cpc306-write-record").click()
    status = find_widget(page, "cpc306-record-status").value
    (key,) = caseload_folders(one.parent)
    written = out / key / FILE_NAME
    assert "✔ Written to" in status and f'href="/cpc306/record/{key}"' in status
    html = written.read_text(encoding="utf-8")
    assert "<script" not in html and "Content-Security-Policy" in html
    assert snapshot(one) == before, "the record went into the learner's portfolio"
    assert record_headers()["Content-Security-Policy"] == CSP
    assert record_headers()["X-Content-Type-Options"] == "nosniff"
    with pytest.raises(UsageError, match="inside the learner's portfolio"):
        check_output_dir(one / "exports", {key: one})
    nowhere = pages.assessor_page("learner", caseload, environ=env)  # no folder given
    find_widget(nowhere, "cpc306-write-record").click()
    assert "no output folder" in find_widget(nowhere, "cpc306-record-status").value


def test_the_assessor_agrees_the_plan_and_a_review_signed_and_keeps_no_passphrase(one, tmp_path):
    key = tmp_path / "keys" / "assessor.key"
    new_key(key, passphrase="a long passphrase", comment="Priya Castellan")
    folio = open_portfolio(one)
    add_activity(
        folio,
        {"activity": "Observe", "method": "observation", "criteria": ["C3"],
         "planned_date": str(TODAY + timedelta(days=20))},
    )  # fmt: skip
    form = AgreeForm(folio, str(key))
    assert form.which.options == ((("The assessment plan", PLAN)),)
    form.save()
    assert "choose the plan or the review" in form.errors.shown()["agree"]
    form.which.value = PLAN
    form.passphrase.value = "wrong"
    before = snapshot(one)
    assert form.save() is None
    assert "wrong passphrase" in form.errors.general.value and form.passphrase.value == ""
    assert snapshot(one) == before
    form.passphrase.value = "a long passphrase"
    assert form.save() is not None and form.passphrase.value == ""
    assert "agreed the assessment plan as the assessor and signed it" in form.status.value
    plan = read_assessment_plan(open_portfolio(one))
    assert plan is not None
    agreement = plan.agreements["assessor"]
    assert agreement_signature_ok("plan", "assessment-plan.yaml", "assessor", agreement)
    cli_result(
        "review", "add", one, "--date", str(TODAY), "--progress", "On track.",
    )  # fmt: skip
    form.refresh()
    (review_id,) = [v for _label, v in form.which.options if v != PLAN]
    form.which.value = review_id
    form.passphrase.value = "a long passphrase"
    assert form.save() is not None and f"review {review_id}" in form.status.value
    from cpc306_portfolio.portfolio.kinds import REVIEW

    (review,) = open_portfolio(one).records.all(REVIEW)
    assert agreement_signature_ok("review", review_id, "assessor", review.agreements["assessor"])
    for path in [*one.rglob("*"), *tmp_path.rglob("*")]:
        if path.is_file():
            assert b"a long passphrase" not in path.read_bytes(), path
    cli_result("validate", one)


def test_a_discussion_maps_criteria_where_the_units_strategy_counts_it(one):
    unit = one / "unit.yaml"
    old = "performance_methods: [observation, witness_testimony, expert_witness, product]"
    text = unit.read_text(encoding="utf-8")
    assert old in text
    unit.write_text(text.replace(old, old[:-1] + ", professional_discussion]"), encoding="utf-8")
    cli_result("upgrade", one, "--adopt-unit")
    form = DiscussionForm(open_portfolio(one))
    assert form.counts and find_widgets(form, "cpc306-discuss-criteria-list")
    form.knowledge.boxes["K8b"].value = True
    form.criteria.boxes["B4"].value = True
    form.notes.value = "Talked through how the Board report was put together."
    saved = form.save()
    assert saved is not None and saved.criteria == ["B4"]
    folio = open_portfolio(one)
    assert saved.id in performance_records(folio.standard, read_assessor_records(folio))["B4"]
    cli_result("validate", one)
