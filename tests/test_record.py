"""The unit assessment record: its data, its page of its own, and its section of the portfolio.

No browser here (``tests/test_record_browser.py`` prints it); the page is built in-process.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import date

import pytest
import yaml

from cpc306_portfolio import judge, open_portfolio, write_assessment_record
from cpc306_portfolio.errors import UsageError
from cpc306_portfolio.portfolio.assessor_evidence import read_assessor_records
from cpc306_portfolio.portfolio.models import ActionPoint as ActionPointModel
from cpc306_portfolio.render import RECORD_PARTS, assessment_record, load_report
from cpc306_portfolio.render.csp import CSP
from cpc306_portfolio.render.record import BRIEF_CHARS, action_points_of, brief
from cpc306_portfolio.render.record_page import assessment_record_html

from .conftest import ROOT, create_portfolio, load_standard, profile_fields, run_cli, snapshot
from .test_no_knowledge import _unit_file
from .test_render import PAYLOAD, _hostile, _learner_markup, external_urls, page_of, parse

TRUST = ROOT / "demo-keys" / "demo-trust-list.txt"
SAMPLE = ROOT / "evidence"


@pytest.fixture(scope="module")
def record_page() -> str:
    return assessment_record_html(SAMPLE, trust=TRUST)


def _text(html: str) -> str:
    """The page's visible words: tags dropped, entities decoded, spaces collapsed."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", html)))
    return re.sub(r" ([:;,.)])", r"\1", text)  # "<b>Yes</b>:" reads "Yes:"


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# The text and what it says -----------------------------------------------------------------


def test_brief_keeps_short_text_whole_and_says_when_it_shortens():
    assert brief("Met. All good.") == brief("Met. All good.", 100)
    assert not brief("Met. All good.").shortened
    long = "Met. " + "The first sentence is long enough to count. " * 3 + "x" * 300
    cut = brief(long)
    assert cut.shortened and cut.full_length == len(long)
    assert cut.text.endswith("count.") and len(cut.text) <= BRIEF_CHARS
    # No sentence ends in time: cut at a clause, else at a word, and the cut shows.
    clause = brief("Met. " + "a clause of words, " * 20)
    assert clause.shortened and clause.text.endswith("of words …")
    words = brief("word " * 100)
    assert words.shortened and words.text.endswith("word …")


def test_the_record_lists_a_judgements_action_points_open_or_closed():
    judgement = open_portfolio(SAMPLE).read_assessment().judgements["A1"]
    assert action_points_of(judgement) == []
    later = judgement.model_copy(
        update={
            "outcome": "not_yet_met",
            "actions": [
                ActionPointModel(id="AP1", text="Add the contact notes", by=date(2027, 1, 15)),
                ActionPointModel(
                    id="AP2",
                    text="Re-read the escalation policy",
                    by=date(2027, 1, 20),
                    closed_on=date(2027, 1, 18),
                ),
            ],
        }
    )
    points = action_points_of(later)
    assert [(p.what, p.by_text, p.status) for p in points] == [
        ("Add the contact notes", "15 Jan 2027", "open"),
        ("Re-read the escalation policy", "20 Jan 2027", "closed 18 Jan 2027"),
    ]


def test_the_record_is_a_list_of_parts_each_with_its_macro():
    parts = assessment_record(load_report(SAMPLE))
    assert [p.id for p in parts] == [p.id for p in RECORD_PARTS]
    macros = (ROOT / "templates/render/sections/_record_parts.html.j2").read_text()
    for part in RECORD_PARTS:
        assert f"macro part_{part.id}(v, linked)" in macros


def test_the_sample_record_names_learner_unit_assessor_centre_and_every_decision(record_page):
    text = _text(record_page)
    folio = open_portfolio(SAMPLE)
    p, unit = folio.profile, folio.standard
    for fact in (p.learner.name, p.assessor.name, p.centre.name, p.centre.number):
        assert fact in text
    assert f"{unit.code} {unit.title}" in text and p.unit_sha256 in text
    assessment = folio.read_assessment()
    titles = {r.id: r.title for r in [*folio.evidence(), *folio.reflections()]}
    for crit, j in assessment.judgements.items():
        row = _text(record_page.split(f'<th scope="row">{crit}<', 1)[1].split("</tr>", 1)[0])
        assert j.judged_on.strftime("%d %b %Y") in row
        assert all(rid in row for rid in j.evidence)
        assert all(m.label in row for m in j.methods_sampled)
        assert row.count("✔") == 5 and "Reliable: confirmed" in row
        shown = brief(j.feedback)
        assert _words(shown.text) in row
        if shown.shortened:
            assert f"the full text is in the portfolio, under {crit}" in row
        for rid in j.evidence:  # a learner's record by its title; the assessor's by its id
            assert titles.get(rid, rid) in text  # once, in "Evidence relied on"
    assert "A1" in [c for c, j in assessment.judgements.items() if brief(j.feedback).shortened]
    iqa = assessment.iqa
    assert iqa is not None
    assert iqa.sampled_by in text and iqa.outcome in text and _words(iqa.notes) in text
    for kid in unit.knowledge_ids:
        assert re.search(rf"\b{kid}\b", text), kid


def test_each_knowledge_item_shows_the_decision_of_the_questions_asked_about_it(sample_copy):
    folio = open_portfolio(sample_copy)
    asked = [q for q in read_assessor_records(folio).questioning if "K6" in q.knowledge]
    assert asked, "the sample questions K6"
    ids = ", ".join(q.id for q in asked)
    line = _text(assessment_record_html(folio).split(">K6<", 1)[1].split("</li>", 1)[0])
    assert f"met ({ids}" in line and "not yet" not in line
    marks = yaml.safe_load(
        (sample_copy / "assessor" / "questioning" / f"{asked[-1].id}.yaml").read_text()
    )
    marks["outcome"] = "not_yet_met"
    (sample_copy / "assessor" / "questioning" / f"{asked[-1].id}.yaml").write_text(
        yaml.safe_dump(marks), encoding="utf-8"
    )
    line = _text(assessment_record_html(folio).split(">K6<", 1)[1].split("</li>", 1)[0])
    assert f"not yet met ({ids}" in line


def test_the_sign_off_reads_verified_only_against_the_centres_list(record_page):
    signoff = open_portfolio(SAMPLE).read_assessment().signoff
    assert signoff is not None
    verified = _text(record_page)
    assert signoff.key_fingerprint in verified
    assert (
        "Verified Yes: valid, unchanged, and the key is on the list demo-trust-list.txt" in verified
    )
    unverified = _text(assessment_record_html(SAMPLE))
    assert "Verified No: not checked against the centre's list" in unverified
    assert "NOT VERIFIED" in unverified


def test_a_not_yet_met_decision_shows_its_rules_notes_and_the_changed_sign_off(sample_copy):
    folio = open_portfolio(sample_copy)
    feedback = "Not yet. Add the risk of each option.\n\nSee the centre's template."
    rules = {"valid": True, "authentic": True, "current": True, "sufficient": "one statement"}
    judge(folio, "B4", "not_yet_met", feedback=feedback, evidence=["E009"], rules=rules)
    html = assessment_record_html(folio, trust=TRUST)
    row = _text(html.split('<th scope="row">B4<', 1)[1].split("</tr>", 1)[0])
    assert "Not yet met" in row and "E009" in row
    assert "Sufficient: confirmed" in row and "S: one statement" in row  # a note, ticked
    assert "Reliable: not confirmed" in row and "Valid: confirmed" in row
    assert "Not yet. Add the risk of each option." in row and "centre's template" in row
    text = _text(html)
    assert "Verified No: the portfolio changed after it was signed" in text
    assert "Not yet met (21 of 21 criteria judged, 1 not yet met)" in text


def test_the_page_runs_no_script_and_loads_nothing(record_page):
    page = parse(record_page)
    head = record_page[: record_page.index("</head>")]
    assert head.index('http-equiv="Content-Security-Policy"') < head.index("<style>")
    policy = [
        a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert policy == [CSP] and "script-src" not in CSP
    assert "<script" not in record_page.lower()
    assert external_urls(page) == []


def test_payloads_in_every_field_stay_text_in_the_record(tmp_path):
    folio = open_portfolio(_hostile(tmp_path))
    judge(folio, "B2", "met", feedback=PAYLOAD, evidence=["E001"], rules={"valid": PAYLOAD})
    html = assessment_record_html(folio)
    page = parse(html)
    assert _learner_markup(page) == []
    assert external_urls(page) == []
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{7*7}}" in html


def test_an_unjudged_portfolio_says_so_rather_than_leave_rows_out(tmp_path):
    folio = create_portfolio(tmp_path / "p", profile_fields())
    parts = {p.id: p.view for p in assessment_record(load_report(folio))}
    assert "evidence" not in parts  # nothing relied on yet: no empty table
    assert len(parts["decisions"]) == len(folio.standard.criteria)
    text = _text(assessment_record_html(folio))
    assert text.count("Not yet judged") == len(folio.standard.criteria)
    assert "Not sampled for internal quality assurance" in text
    assert "Not yet signed off" in text


def test_a_unit_with_no_knowledge_has_no_knowledge_part(tmp_path):
    unit = load_standard(_unit_file(tmp_path))
    profile = profile_fields(unit=unit.code, keep_out=[])
    folio = create_portfolio(tmp_path / "p", profile, standard=unit)
    assert "knowledge" not in [p.id for p in assessment_record(load_report(folio))]
    assert ">Knowledge<" not in assessment_record_html(folio)


# The command ---------------------------------------------------------------------------------


def test_cli_writes_the_record_and_never_into_the_portfolio(sample_copy, tmp_path):
    before = snapshot(sample_copy)
    out = tmp_path / "record.html"
    shown = run_cli("assess", "record", sample_copy, "-o", out, "--trust", TRUST)
    assert str(out) in shown
    assert "Unit assessment record: Jordan Ashby" in out.read_text(encoding="utf-8")
    error = run_cli("assess", "record", sample_copy, "-o", sample_copy / "r.html", code=2)
    assert "inside the portfolio folder" in error and "-o record.html" in error
    assert snapshot(sample_copy) == before
    with pytest.raises(UsageError):
        write_assessment_record(sample_copy, sample_copy / "evidence" / "r.html")


# The portfolio's section ---------------------------------------------------------------------


def test_the_portfolio_shows_the_record_and_each_judgements_text_once():
    html = page_of(SAMPLE)
    section = html.split('id="section-record"', 1)[1].split("</section>", 1)[0]
    assert "Decisions on the performance criteria" in section
    assert 'href="#crit-A1"' in section and 'href="#rec-E002"' in section
    # Outside the panel's data block (never shown), each judgement's text is on the page once.
    visible = _text(html)
    assessment = yaml.safe_load((SAMPLE / "assessment.yaml").read_text(encoding="utf-8"))
    for crit, j in assessment["judgements"].items():
        assert visible.count(_words(j["feedback"])) == 1, crit
    assert visible.count(_words(assessment["feedback"])) == 1
    assert visible.count(_words(assessment["iqa"]["notes"])) == 1
