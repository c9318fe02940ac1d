"""The assessor's own records: observe, discuss, question; the bank; manifests; migration."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.assessor.records import comment_on_observation, observe, question
from cpc306_portfolio.errors import ConfidentialityError, StandardError
from cpc306_portfolio.portfolio.assessor_evidence import (
    assessed_knowledge,
    knowledge_decisions,
    read_assessor_records,
)
from cpc306_portfolio.portfolio.manifest import build_manifest
from cpc306_portfolio.standard import load_standard
from cpc306_portfolio.standard.bank import question_bank

from .conftest import DATA, ROOT, run_cli

DEMO_LIST = ROOT / "demo-keys" / "demo-trust-list.txt"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_observe_adds_a_record_that_validates_and_is_the_assessors(sample_copy: Path, tmp_path):
    narrative = _write(tmp_path / "n.txt", "Jordan set out the risks of the missed calls.\n")
    out = run_cli(
        "assess", "observe", sample_copy, "--date", "2026-05-02", "--criteria", "A2,A3",
        "--knowledge", "K5", "--narrative-file", narrative, "--location", "Council offices",
    )  # fmt: skip
    assert "Recorded observation O001 by Priya Castellan" in out
    data = yaml.safe_load((sample_copy / "assessor/observations/O001.yaml").read_text())
    assert data["schema"] == "cpc306-portfolio/4"
    assert data["assessor"] == "Priya Castellan" and data["criteria"] == ["A2", "A3"]
    assert data["narrative"] == "Jordan set out the risks of the missed calls."
    assert "valid" in run_cli("validate", sample_copy)
    # The learner's declaration never covers it; the sign-off's manifest does.
    folio = open_portfolio(sample_copy)
    assert (
        "assessor/observations/O001.yaml"
        not in build_manifest(folio, include_assessment=False).files
    )
    assert "assessor/observations/O001.yaml" in build_manifest(folio, include_assessment=True).files
    from cpc306_portfolio.analysis.status import portfolio_status

    rows = {r["criterion"]: r for r in portfolio_status(folio).rows.criteria}
    assert "O001" in rows["A2"]["items"] and "observation" in rows["A2"]["methods"]
    bad = run_cli(
        "assess", "observe", sample_copy, "--date", "2026-05-02", "--criteria", "Z9",
        "--narrative", "x", code=4,
    )  # fmt: skip
    assert "--criteria" in bad and "Z9" in bad


def test_question_marks_the_bundled_k1_question(sample_copy: Path, tmp_path: Path):
    answer = _write(tmp_path / "a.txt", "The Equality Act 2010 and the PSED; UK GDPR public task.")
    out = run_cli(
        "assess", "question", sample_copy, "--question", "K1-Q1", "--answer-file", answer,
        "--outcome", "met", "--date", "2026-05-03",
    )  # fmt: skip
    assert "Q001: K1-Q1 (K1) marked met" in out and "K1: met" in out
    folio = open_portfolio(sample_copy)
    records = read_assessor_records(folio)
    (marked,) = records.questioning
    assert marked.knowledge == ["K1"] and marked.answer.startswith("The Equality Act")
    assert "equality" in marked.question and marked.bank == "the installed unit CPC 306"
    assert assessed_knowledge(records) == {"K1": ["Q001"]}
    missing = run_cli(
        "assess", "question", sample_copy, "--question", "K9-Q1", "--answer", "x",
        "--outcome", "met", code=3,
    )  # fmt: skip
    assert "K1-Q1" in missing


def test_editing_an_assessor_record_after_sign_off_fails_verify(sample_copy: Path, tmp_path):
    observe(
        open_portfolio(sample_copy),
        on="2026-05-02",
        criteria=["A2"],
        narrative="Jordan led the review of the risk register.",
    )
    key = tmp_path / "keys" / "priya.key"
    run_cli("keys", "new", key, "--name", "Priya Castellan")
    trust = key.with_name("priya.key.pub")
    run_cli("sign", sample_copy, "--key", key)
    assert "OK" in run_cli("verify", sample_copy, "--trust", trust)
    path = sample_copy / "assessor/observations/O001.yaml"
    path.write_text(path.read_text().replace("risk register", "risk regster"))
    out = run_cli("verify", sample_copy, "--trust", trust, code=7)
    assert "assessor/observations/O001.yaml" in out and "NOT OK" in out
    # The learner's declaration does not cover the assessor's record: it still verifies.
    assert "Declared by Jordan Ashby" in out and "nothing has changed since" in out


def test_the_learners_comment_is_scanned_and_kept(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    record = observe(folio, on="2026-05-02", criteria=["A2"], narrative="Seen.")
    with pytest.raises(ConfidentialityError):
        comment_on_observation(folio, record.id, "Call me on 07700 900123 about it.")
    saved = comment_on_observation(folio, record.id, "I agree; I would add the Board's view.")
    assert saved.learner_comment.startswith("I agree") and saved.narrative == "Seen."
    assert saved.learner_comment_at is not None


def test_the_upgrade_makes_migrated_observations_and_loses_no_text(sample_copy: Path):
    e005 = (sample_copy / "evidence/E005.yaml").read_bytes()
    statement = yaml.safe_load(e005)["witness"]["statement"]
    run_cli("upgrade", sample_copy)
    assert (sample_copy / "evidence/E005.yaml").read_bytes() == e005
    o001 = yaml.safe_load((sample_copy / "assessor/observations/O001.yaml").read_text())
    assert o001["learner_record"] == "E005" and o001["narrative"] == statement
    assert "Made by cpc306 upgrade" in o001["migrated"] and "E005" in o001["migrated"]
    assert "valid" in run_cli("validate", sample_copy)
    assert "up to date" in run_cli("upgrade", sample_copy)


def _made_up_unit(tmp_path: Path, bank: str) -> Path:
    text = (DATA / "units" / "sgx035.yaml").read_text() if (DATA / "units").is_dir() else ""
    assert text, "tests/data/units/sgx035.yaml is the made-up unit"
    return _write(tmp_path / "unit.yaml", text + bank)


def test_any_units_bank_is_loaded_and_checked(tmp_path: Path):
    unit = load_standard(
        _made_up_unit(
            tmp_path,
            "\nquestion_bank:\n  - id: Q-A\n    knowledge: K1\n    question: Why?\n"
            "    model_answer: Because.\n    must_include: [a reason]\n",
        )
    )
    (banked,) = question_bank(unit)
    assert banked.question.knowledge == "K1"
    with pytest.raises(StandardError) as caught:
        load_standard(
            _made_up_unit(
                tmp_path / "bad",
                "\nquestion_bank:\n  - id: Q-A\n    knowledge: KZ\n    question: Why?\n"
                "    model_answer: Because.\n    must_include: [a reason]\n"
                "  - id: Q-A\n    knowledge: K1\n    question: How?\n"
                "    model_answer: So.\n    must_include: [a way]\n",
            )
        )
    fields = {p.field for p in caught.value.problems}
    assert {"question_bank[0].knowledge", "question_bank[0].id", "question_bank[1].id"} <= fields
    assert all(p.path.endswith("unit.yaml") for p in caught.value.problems)


def test_a_centre_bank_file_adds_questions_and_is_validated(sample_copy: Path, tmp_path: Path):
    bank = _write(
        tmp_path / "centre-bank.yaml",
        "schema: cpc306-bank/1\nunit: CPC 306\nquestions:\n"
        "  - id: NSA-K2-1\n    knowledge: K2\n    question: Name an ethical dilemma.\n"
        "    model_answer: A provider asks you to hide a missed call.\n"
        "    must_include: [a dilemma, how it was resolved]\n",
    )
    folio = open_portfolio(sample_copy)
    record = question(
        folio, "NSA-K2-1", answer="Keeping a provider's confidence.", outcome="met", banks=[bank]
    )
    assert record.bank == "centre-bank.yaml" and record.knowledge == ["K2"]
    decisions = knowledge_decisions(read_assessor_records(folio).questioning)
    assert decisions == {"K2": "met"}
    bad = _write(tmp_path / "bad.yaml", bank.read_text().replace("knowledge: K2", "knowledge: K3"))
    out = run_cli(
        "assess", "question", sample_copy, "--question", "NSA-K2-1", "--answer", "x",
        "--outcome", "met", "--bank", bad, code=4,
    )  # fmt: skip
    assert "bad.yaml" in out and "questions[0].knowledge" in out and "K3" in out


def test_the_learners_form_links_observed_work_to_the_assessors_record(sample_copy: Path):
    from cpc306_portfolio.notebooks.evidence_form import EvidenceForm

    folio = open_portfolio(sample_copy)
    observe(folio, on="2026-05-02", criteria=["A2"], narrative="Seen.")
    form = EvidenceForm(folio, "A2")
    labels = dict(form.method.options)
    assert "Observed by my assessor" in labels and "Observation" not in labels
    form.title.value = "My assessor watched the risk review"
    form.date.value = __import__("datetime").date(2026, 5, 2)
    form.method.value = "observation"
    assert form.witness.layout.display == "none" and form.observation.layout.display == ""
    form.description.value = "The risk review my assessor observed."
    form.observation.value = "O001"
    saved = form.save()
    assert saved is not None, form.errors.shown()
    assert saved.observation == "O001" and saved.witness is None
    # Editing the sample's own observation item keeps its recorded witness statement.
    form.record.value = "E005"
    form.title.value = "Observed by my assessor: the review meeting"
    again = form.save()
    assert again is not None and again.witness is not None and again.witness.statement


def test_an_observation_is_performance_evidence_and_a_discussion_only_if_allowed(portfolio):
    from cpc306_portfolio.analysis.status import portfolio_status
    from cpc306_portfolio.assessor.records import discuss
    from cpc306_portfolio.portfolio.assessor_models import performance_counts

    before = {r["criterion"]: r for r in portfolio_status(portfolio).rows.criteria}
    assert before["A2"]["status"] == "not_started"
    observe(portfolio, on="2026-05-02", criteria=["A2"], narrative="Seen.")
    talk = discuss(portfolio, on="2026-05-03", knowledge=["K2"], criteria=["B1"], key_points="x")
    state = portfolio_status(portfolio)
    rows = {r["criterion"]: r for r in state.rows.criteria}
    assert rows["A2"]["items"] == ["O001"] and rows["A2"]["status"] == "ready"
    assert rows["A2"]["methods"] == ["observation"]
    # CPC 306's strategy does not count professional discussion as performance evidence.
    assert rows["B1"]["status"] == "in_progress" and "D001" in rows["B1"]["items"]
    allowing = portfolio.standard.assessment_strategy.model_copy(
        update={"performance_methods": ["observation", "professional_discussion"]}
    )
    unit = portfolio.standard.model_copy(update={"assessment_strategy": allowing})
    assert performance_counts(talk, unit) and not performance_counts(talk, portfolio.standard)
    knowledge = {r["id"]: r for r in state.rows.knowledge}
    assert knowledge["K2"]["assessed"] == ["D001"] and knowledge["K1"]["assessed"] == []
    assert state.progress.knowledge_assessed == 1


def test_the_page_shows_the_assessors_records_as_the_assessors(sample_copy: Path):
    import html
    import re

    from cpc306_portfolio.render import load_report, render_section

    folio = open_portfolio(sample_copy)
    observe(
        folio,
        on="2026-05-02",
        criteria=["A2"],
        narrative="Jordan weighed the risks <script>alert(1)</script>.",
    )
    comment_on_observation(folio, "O001", "I <b>agree</b>.")
    page = render_section("criteria", load_report(sample_copy))
    a2 = page[page.index('id="crit-A2"') : page.index('id="crit-A3"')]
    assert "Assessor's own records" in a2 and 'href="#rec-O001"' in a2
    assert "(performance evidence)" in a2
    section = page[page.index('id="section-assessor-records"') :]
    assert "Assessor's records" in html.unescape(section[: section.index("</h2>")])
    article = section[section.index('id="rec-O001"') :]
    article = article[: article.index("</article>")]
    assert "Assessor's record" in html.unescape(article)
    assert "The learner's comment" in html.unescape(article)
    assert "<script>" not in page and "<b>agree" not in page
    assert re.search(r"&lt;script&gt;alert\(1\)&lt;/script&gt;", article)


def test_the_learners_page_shows_the_assessors_records_read_only(sample_copy: Path):
    from cpc306_portfolio.notebooks.assessor_records_view import assessor_records_html

    folio = open_portfolio(sample_copy)
    assert assessor_records_html(folio, "A2") == ""
    observe(folio, on="2026-05-02", criteria=["A2"], narrative="Risks <i>weighed</i>.")
    comment_on_observation(folio, "O001", "Thank you.")
    shown = assessor_records_html(folio, "A2")
    assert "Your assessor's records for A2" in shown.replace("&#39;", "'")
    assert "O001" in shown and "&lt;i&gt;weighed" in shown and "Thank you." in shown
    assert "<input" not in shown and "<button" not in shown and "<textarea" not in shown
    assert assessor_records_html(folio, "A3") == ""


def test_standard_questions_and_status_show_the_bank_and_what_is_assessed(sample_copy, tmp_path):
    listed = run_cli("standard", "questions", "--answers")
    assert "K1-Q1 (K1" in listed and "Model answer" in listed and "Equality Act 2010" in listed
    assert "Knowledge assessed" not in run_cli("status", sample_copy)
    answer = _write(tmp_path / "a.txt", "The Equality Act 2010 and the PSED.")
    run_cli(
        "assess", "question", sample_copy, "--question", "K1-Q1", "--answer-file", answer,
        "--outcome", "met",
    )  # fmt: skip
    assert "Knowledge assessed by the assessor" in run_cli("status", sample_copy)
    assert "1/16 (K1)" in run_cli("status", sample_copy)


def test_a_judgement_may_rely_on_the_assessors_observation(sample_copy: Path):
    from cpc306_portfolio.assessor.assessment import judge

    folio = open_portfolio(sample_copy)
    observe(folio, on="2026-05-02", criteria=["A2"], narrative="Seen.")
    rules = dict.fromkeys(("valid", "authentic", "current", "sufficient", "reliable"), True)
    judged = judge(
        folio, "A2", "met", feedback="Seen at work.", methods_sampled=["observation"],
        evidence=["O001"], rules=rules,
    )  # fmt: skip
    assert judged.evidence == ["O001"]


def test_a_discussion_keeps_its_recording_and_the_sign_off_covers_it(sample_copy, tmp_path):
    recording = _write(tmp_path / "talk.m4a", "not really audio")
    notes = _write(tmp_path / "notes.txt", "We discussed the ethics of the notice.")
    out = run_cli(
        "assess", "discuss", sample_copy, "--date", "2026-05-04", "--knowledge", "K2",
        "--notes-file", notes, "--topic", "Ethics", "--attach", recording,
    )  # fmt: skip
    assert "Recorded discussion D001" in out
    kept = sample_copy / "assessor/discussions/D001/talk.m4a"
    assert kept.read_text() == "not really audio"
    data = yaml.safe_load((sample_copy / "assessor/discussions/D001.yaml").read_text())
    assert data["recording"]["path"] == "assessor/discussions/D001/talk.m4a"
    assert "valid" in run_cli("validate", sample_copy)
    manifest = build_manifest(open_portfolio(sample_copy), include_assessment=True)
    assert "assessor/discussions/D001/talk.m4a" in manifest.files
    # A folder left by a copy that stopped is named, never written into.
    (sample_copy / "assessor/discussions/D002").mkdir()
    left = run_cli(
        "assess", "discuss", sample_copy, "--date", "2026-05-04", "--knowledge", "K2",
        "--notes", "x", "--attach", recording, code=2,
    )  # fmt: skip
    assert "D002" in left and "remove it" in left
