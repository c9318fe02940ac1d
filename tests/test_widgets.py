"""The notebook forms without a browser: set values, click Save, read what is on disk."""

from __future__ import annotations

import hashlib
import html
from datetime import date
from pathlib import Path

import ipywidgets as w
import pytest

from cpc306_portfolio import Portfolio, open_portfolio
from cpc306_portfolio.notebooks.evidence_form import EvidenceForm
from cpc306_portfolio.notebooks.views import (
    criterion_html,
    gaps_html,
    knowledge_html,
    mapped_html,
    progress_html,
    warnings_html,
)
from cpc306_portfolio.notebooks.widgets import (
    assessor_panel,
    declaration_panel,
    evidence_form,
    profile_form,
    reflection_form,
)

from .conftest import before_assessment, find_widget, profile_fields, snapshot, uploaded

NHS = "943 476 5919"  # a valid NHS number (test range)


@pytest.fixture
def folio(sample_copy: Path) -> Portfolio:
    # The learner's view: the sample as it was before the learner declared it and the
    # assessor judged it, so the forms meet a portfolio still being built.
    return open_portfolio(before_assessment(sample_copy))


@pytest.fixture
def new_id(folio: Portfolio) -> str:
    """The id the next evidence record saved in ``folio`` will get."""
    return f"E{len(folio.evidence_ids()) + 1:03d}"


def _fill(form: EvidenceForm, **over) -> EvidenceForm:
    values = {
        "title": "Quarterly review with the provider",
        "date": date(2026, 3, 4),
        "method": "product",
        "description": "Minutes of the review where the missed visits were discussed.",
    }
    values.update(over)
    for name, value in values.items():
        getattr(form, name).value = value
    return form


def _b7_form(folio: Portfolio) -> EvidenceForm:
    return _fill(evidence_form(folio, "B7"))


def test_evidence_form_saves_a_mapped_record(folio, new_id):
    form = _b7_form(folio)
    form.kind.value = ("evidence/documentary",)
    form.criteria.value = ("B7", "A3")
    form.scope.value = ("non_compliance/milestones",)
    form.knowledge.value = ("K8b", "K14")
    form.save_button.click()
    record = folio.read_evidence(new_id)
    assert record.title == "Quarterly review with the provider"
    assert record.date == date(2026, 3, 4)
    assert record.method.value == "product"
    assert record.criteria == ["B7", "A3"]
    assert record.scope == ["non_compliance/milestones"]
    assert record.knowledge == ["K8b", "K14"]
    assert record.evidence_kind == ["evidence/documentary"]
    assert record.self_directed_support is None and record.witness is None
    # a successful save clears the form for the next item and says what it saved
    assert new_id in form.status.value
    assert form.title.value == "" and form.description.value == ""
    assert form.criteria.value == ("B7",)


def test_an_invalid_form_writes_nothing_and_keeps_the_typing(folio):
    before = snapshot(folio.root)
    form = _fill(evidence_form(folio, "B7"), title="   ", date=None)
    form.description.value = "My words, which must not be lost."
    form.save_button.click()
    assert snapshot(folio.root) == before
    shown = form.errors.shown()
    assert "Give it a short title" in shown["title"]
    assert "date" in shown
    assert form.description.value == "My words, which must not be lost."
    assert "Nothing was saved" in form.status.value


def test_a_method_that_needs_a_witness_shows_the_witness_fields(folio, new_id):
    form = _b7_form(folio)
    assert form.witness.layout.display == "none"
    form.method.value = "witness_testimony"
    assert form.witness.layout.display == ""
    before = snapshot(folio.root)
    form.save_button.click()
    assert snapshot(folio.root) == before
    assert "needs a witness" in form.errors.shown()["witness"]
    form.witness_name.value = "Sam Okafor"
    form.witness_role.value = "Contracts manager"
    form.save_button.click()
    witness = folio.read_evidence(new_id).witness
    assert witness is not None and witness.name == "Sam Okafor"


def test_observed_work_asks_for_the_assessors_record_not_a_witness(folio):
    form = _b7_form(folio)
    form.method.value = "observation"
    assert form.witness.layout.display == "none" and form.observation.layout.display == ""
    before = snapshot(folio.root)
    form.save_button.click()
    assert snapshot(folio.root) == before
    shown = html.unescape(form.errors.shown()["observation"])
    assert shown.count("choose your assessor's observation record") == 1


def test_an_nhs_number_is_not_saved_until_edited(folio, new_id):
    before = snapshot(folio.root)
    form = _b7_form(folio)
    form.description.value = f"Visited the person (NHS {NHS}) about missed calls."
    form.save_button.click()
    assert snapshot(folio.root) == before
    (row,) = form.findings.rows.values()
    assert row.finding.label == "NHS number"
    assert NHS not in row.finding.snippet and "***" in row.finding.snippet
    assert NHS not in str([c.value for c in row.box.children if isinstance(c, w.HTML)])
    assert NHS in form.description.value  # the learner's text is still there to edit
    form.description.value = "Visited the person about missed calls."
    form.save_button.click()
    record = folio.read_evidence(new_id)
    assert record.confidentiality == []
    assert form.findings.children == ()


def test_an_acknowledgement_needs_a_reason_and_is_recorded(folio, new_id):
    form = _b7_form(folio)
    form.description.value = f"Checked the record for NHS {NHS} with the provider."
    form.save_button.click()
    (row,) = form.findings.rows.values()
    row.tick.value = True
    before = snapshot(folio.root)
    form.save_button.click()
    assert snapshot(folio.root) == before
    assert "say why" in row.error.value
    row.reason.value = "a made-up number in a training exercise"
    form.save_button.click()
    (ack,) = folio.read_evidence(new_id).confidentiality
    assert ack.kind == "nhs_number" and ack.field == "description"
    assert ack.reason == "a made-up number in a training exercise"


def test_a_ticked_finding_edited_away_is_not_recorded(folio):
    form = _b7_form(folio)
    form.description.value = f"Checked the record for NHS {NHS} with the provider."
    form.save_button.click()
    (row,) = form.findings.rows.values()
    row.tick.value, row.reason.value = True, "a made-up number"
    form.description.value = "Checked the record with the provider."
    form.save_button.click()
    assert folio.read_evidence("E019").confidentiality == []


def test_a_listed_name_in_the_title_is_caught(folio):
    form = _fill(evidence_form(folio, "B7"), title="Call with Mrs Edith Marlowe")
    before = snapshot(folio.root)
    form.save_button.click()
    assert snapshot(folio.root) == before
    assert [r.finding.label for r in form.findings.rows.values()] == ["name on your keep-out list"]


def test_uploaded_files_are_attached(folio, new_id):
    form = _b7_form(folio)
    content = b"Action plan agreed with the provider.\n"
    form.upload.value = (uploaded("action plan.txt", content),)
    form.save_button.click()
    (att,) = folio.read_evidence(new_id).attachments
    assert att.path == f"{new_id}/action-plan.txt"
    assert att.sha256 == hashlib.sha256(content).hexdigest()
    assert (folio.evidence_dir / new_id / "action-plan.txt").read_bytes() == content
    assert folio.validate() == []


def test_a_finding_in_an_upload_is_shown_then_acknowledged(folio, new_id):
    form = _b7_form(folio)
    form.upload.value = (uploaded("note.txt", b"Call the office on 07700 900123."),)
    before = snapshot(folio.root)
    form.save_button.click()
    assert snapshot(folio.root) == before
    (row,) = form.findings.rows.values()
    assert row.finding.field == "attachment:note.txt"
    row.tick.value, row.reason.value = True, "the provider's office line"
    form.save_button.click()
    record = folio.read_evidence(new_id)
    assert [a.field for a in record.confidentiality] == ["attachment:note.txt"]
    assert len(record.attachments) == 1


@pytest.mark.parametrize("criterion", ["A1", "C2"])
def test_self_directed_support_is_asked_and_recorded(folio, new_id, criterion):
    form = _fill(evidence_form(folio, criterion))
    assert form.sds.layout.display == ""
    before = snapshot(folio.root)
    form.save_button.click()
    assert snapshot(folio.root) == before
    assert "direct their own support" in form.errors.shown()["self_directed_support"]
    form.sds_directing.value = "Yes"
    form.sds_agreed.value = True
    form.save_button.click()
    assert snapshot(folio.root) == before
    assert "date they agreed" in form.errors.shown()["self_directed_support.agreed_on"]
    form.sds_date.value = date(2026, 3, 5)
    form.save_button.click()
    sds = folio.read_evidence(new_id).self_directed_support
    assert sds is not None
    assert (sds.directing_own_support, sds.agreed, sds.agreed_on) == (True, True, date(2026, 3, 5))


def test_self_directed_support_follows_the_chosen_criteria(folio):
    form = evidence_form(folio, "B7")
    assert form.sds.layout.display == "none"
    form.criteria.value = ("B7", "C2")
    assert form.sds.layout.display == ""


def test_editing_an_existing_record(folio):
    # E003, the risk assessment, carries an attachment that an edit must keep.
    form = evidence_form(folio, "A2")
    form.record.value = "E003"
    original = folio.read_evidence("E003")
    assert original.attachments
    ids = folio.evidence_ids()
    assert form.title.value == original.title
    assert set(form.criteria.value) == set(original.criteria)
    form.title.value = "A clearer title"
    form.save_button.click()
    assert folio.read_evidence("E003").title == "A clearer title"
    assert folio.evidence_ids() == ids  # no new record
    assert folio.read_evidence("E003").attachments == original.attachments


def test_reflection_form_one_box_per_stage_with_its_prompt(folio):
    form = reflection_form(folio, "B7")
    assert list(form.boxes) == [
        "description",
        "feelings",
        "evaluation",
        "analysis",
        "conclusion",
        "action_plan",
    ]
    assert form.boxes["feelings"].placeholder.startswith("What were you thinking")
    form.boxes["description"].value = "I led the review."
    form.model.value = "driscoll"
    assert list(form.boxes) == ["what", "so_what", "now_what"]
    form.model.value = "gibbs"
    assert form.boxes["description"].value == "I led the review."  # not lost
    form.title.value = "After the review"
    form.date.value = date(2026, 6, 1)
    form.boxes["action_plan"].value = "Book contract law training."
    before = snapshot(folio.root)
    form.save_button.click()
    assert snapshot(folio.root) == before  # four stages empty, two very short
    shown = form.errors.shown()
    assert "Feelings is empty" in shown["stages.feelings"]
    assert "Action plan is very short" in shown["stages.action_plan"]
    form.draft.value = True
    form.save_button.click()
    record = folio.read_reflection("R003")
    assert record.draft
    assert "draft" in form.status.value
    assert record.model == "gibbs"
    assert record.stages == {
        "description": "I led the review.",
        "action_plan": "Book contract law training.",
    }
    assert record.criteria == ["B7"]


def test_reflection_errors_and_findings_write_nothing(folio):
    form = reflection_form(folio, "B7")
    form.title.value = "After the review"
    form.date.value = date(2026, 6, 1)
    before = snapshot(folio.root)
    form.save_button.click()
    assert "every stage is empty" in form.errors.shown()["stages"]
    form.boxes["feelings"].value = "I worried about Mr Tomasz Wren."
    form.save_button.click()
    assert snapshot(folio.root) == before
    assert [r.finding.field for r in form.findings.rows.values()] == ["stages.feelings"]


def test_profile_form_updates_the_keep_out_list(folio):
    form = profile_form(folio.root)
    assert form.inputs["learner.name"].value == "Jordan Ashby"
    form.keep_out.value += "\nMr New Person\n"
    form.save_button.click()
    assert open_portfolio(folio.root).profile.keep_out[-1] == "Mr New Person"
    form.inputs["learner.name"].value = " "
    before = snapshot(folio.root)
    form.save_button.click()
    assert snapshot(folio.root) == before
    assert "learner.name" in form.errors.shown()


def test_profile_form_creates_a_new_portfolio(tmp_path):
    form = profile_form(tmp_path / "new", "CPC 306")
    fields = profile_fields()
    form.inputs["learner.name"].value = fields["learner"]["name"]
    form.inputs["centre.name"].value = fields["centre"]["name"]
    form.inputs["assessor.name"].value = fields["assessor"]["name"]
    form.keep_out.value = "Mrs Ivy Example"
    form.save_button.click()
    created = open_portfolio(tmp_path / "new")
    assert created.profile.learner.name == "Robin Testperson"
    assert created.profile.keep_out == ["Mrs Ivy Example"]


def test_declaration_needs_confirmation(folio):
    panel = declaration_panel(folio)
    find_widget(panel, "cpc306-declare").click()
    assert open_portfolio(folio.root).profile.declaration is None
    assert "tick the box" in find_widget(panel, "cpc306-declare-status").value
    find_widget(panel, "cpc306-declare-confirm").value = True
    find_widget(panel, "cpc306-declare").click()
    declaration = open_portfolio(folio.root).profile.declaration
    assert declaration is not None and declaration.signed_by == "Jordan Ashby"


def test_assessor_panel_records_a_judgement(folio):
    panel = assessor_panel(folio)
    find_widget(panel, "cpc306-judge-criterion").value = "A3"
    find_widget(panel, "cpc306-judge").click()
    assert not folio.assessment_path.exists() or "A3" not in folio.read_assessment().judgements
    find_widget(panel, "cpc306-judge-outcome").value = "met"
    find_widget(panel, "cpc306-judge-feedback").value = "Clear letter."
    find_widget(panel, "cpc306-judge").click()
    judgement = folio.read_assessment().judgements["A3"]
    assert judgement.outcome == "met" and judgement.feedback == "Clear letter."


def test_criterion_view_shows_the_unit_data_escaped(cpc306):
    html = criterion_html(cpc306, "A3")
    crit = cpc306.criteria["A3"]
    assert "<strong>non-compliance</strong>" in html
    assert "failure to meet the specifications" in html  # key word definition
    assert "non_compliance/milestones" in html  # scope options of the bold terms
    for prompt in crit.prompts:
        assert prompt.replace("'", "&#x27;") in html
    for kid in crit.knowledge:
        assert f"<strong>{kid}</strong>" in html
    label = cpc306.scope_categories["explanation"].label  # the bold word's scope heading
    assert label == "Provide an explanation" and label in html
    assert "direct their own support" in criterion_html(cpc306, "A1")
    assert "direct their own support" not in html


def test_views_escape_what_the_learner_wrote(portfolio):
    portfolio.add_evidence(
        {
            "title": "<script>alert(1)</script>",
            "date": "2026-01-05",
            "method": "product",
            "description": "x",
            "criteria": ["A2"],
        }
    )
    html = mapped_html(portfolio, "A2")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_gaps_progress_and_knowledge_views(portfolio):
    gaps = gaps_html(portfolio, "A2")
    assert "Not started" in gaps and "Next step" in gaps
    progress = progress_html(portfolio, links=True)
    assert '<a href="C6.ipynb">' in progress
    knowledge = knowledge_html(portfolio)
    assert "K18" in knowledge and "K3 or K9" in knowledge
    assert "No possible identifiers" in warnings_html(portfolio)


@pytest.mark.kernel
def test_the_export_panel_builds_into_exports_and_links_it(folio, monkeypatch):
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    panel = declaration_panel(folio)
    find_widget(panel, "cpc306-render").click()
    assert "declaration first" in find_widget(panel, "cpc306-render-status").value
    find_widget(panel, "cpc306-declare-confirm").value = True
    find_widget(panel, "cpc306-declare").click()
    find_widget(panel, "cpc306-render").click()
    assert "ready" in find_widget(panel, "cpc306-render-status").value
    out = folio.root / "exports" / f"{folio.root.name}-portfolio.html"
    assert out.is_file() and "Jordan Ashby" in out.read_text(encoding="utf-8")
    link = find_widget(panel, "cpc306-export-link").value
    assert f'href="/voila/files/exports/{out.name}"' in link
    assert "exports/" not in "".join(open_portfolio(folio.root).profile.declaration.manifest.files)
