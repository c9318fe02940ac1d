"""Every learner page, built as its notebook builds it, reads as plain words: no internal key
(``risks/vulnerable_to_harm``), path (``../portfolio.yaml``), model key (``(gibbs)``), time
zone offset (``+00:00``), machine date (``2026-03-10``), Python word or doubled label."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.notebooks import pages
from cpc306_portfolio.notebooks.assessment_plan_page import assessment_plan_page

from .conftest import before_assessment, only_widget, reflection_fields, widgets_in

#: What must never reach a learner's eyes, each with why.
INTERNAL = {
    "a scope or evidence key": re.compile(r"\b[a-z]+(?:_[a-z]+)*/[a-z]+_[a-z_]+\b"),
    "a path": re.compile(r"\.\./|\b[\w-]+\.(?:yaml|ipynb)\b|/tmp/|/work/"),
    "a reflection model key": re.compile(r"\((?:gibbs|driscoll|kolb|schon|rolfe|free)\)"),
    "a time zone offset": re.compile(r"[+-]\d\d:\d\d\b|\d\dZ\b|\bUTC\b"),
    "a machine date": re.compile(r"\b\d{4}-\d\d-\d\d\b"),
    "a Python word": re.compile(r"\b(?:None|True|False|dict|Traceback)\b"),
    "a label said twice": re.compile(r"\b([A-Z][a-z]+(?: [a-z]+)+): \1\b", re.IGNORECASE),
}


def page_text(page) -> str:
    """What a learner reads on a page: HTML views as text, labels, options and buttons."""
    parts: list[str] = []
    for widget in widgets_in(page):
        value = getattr(widget, "value", None)
        name = widget.__class__.__name__
        if name in {"HTML", "LiveView"} and isinstance(value, str):
            if "<style>" in value:
                continue
            parts.append(re.sub(r"<[^>]+>", " ", value))
        for attribute in ("description", "placeholder"):
            text = getattr(widget, attribute, None)
            if isinstance(text, str):
                parts.append(text)
        for option in getattr(widget, "options", ()) or ():
            parts.append(option[0] if isinstance(option, tuple) else str(option))
    return " ".join(unescape(" ".join(parts)).split())


def problems_in(text: str) -> list[str]:
    found = []
    for why, pattern in INTERNAL.items():
        for match in pattern.finditer(text):
            start = max(0, match.start() - 50)
            found.append(f"{why}: …{text[start : match.end() + 30]}…")
    return found


def _pages(folder: Path):
    folder_ = str(folder)
    yield "start", pages.start_page(folder_, "CPC 306")
    yield "knowledge", pages.knowledge_page(folder_, "CPC 306")
    yield "reflection", pages.reflection_page(folder_, "CPC 306")
    yield "plan", pages.plan_page(folder_, "CPC 306")
    yield "export", pages.export_page(folder_, "CPC 306")
    yield "plan and reviews", assessment_plan_page(folder_, "CPC 306")
    for criterion in open_portfolio(folder).standard.criteria:
        yield criterion, pages.criterion_page(folder_, "CPC 306", criterion)


def test_the_walker_catches_each_kind_of_internal_word():
    for sample in (
        "risks/vulnerable_to_harm",
        "see ../portfolio.yaml",
        "Reflective account (gibbs)",
        "on 2026-03-10 10:00+00:00",
        "⚠ None is not a date",
        "Ready for assessment: ready for assessment",
    ):
        assert problems_in(sample), sample
    assert not problems_in("Saved on 10 March 2026 at 14:05. Risks: risks to people")


def test_every_learner_page_of_the_sample_shows_no_internal_word(sample_copy):
    found = {name: problems_in(page_text(page)) for name, page in _pages(sample_copy)}
    assert {name: p for name, p in found.items() if p} == {}


def test_every_page_before_assessment_shows_no_internal_word(sample_copy):
    # Criteria ready for assessment or in progress, not yet judged; a draft account.
    folio = open_portfolio(before_assessment(sample_copy))
    folio.add_reflection(
        {**reflection_fields(), "stages": {"description": "Short."}, "draft": True}
    )
    found = {name: problems_in(page_text(page)) for name, page in _pages(sample_copy)}
    assert {name: p for name, p in found.items() if p} == {}
    text = page_text(pages.criterion_page(str(sample_copy), "CPC 306", "A2"))
    assert "Ready for assessment" in text or "In progress" in text


def test_saving_your_details_says_so_in_words(sample_copy):
    page = pages.start_page(str(sample_copy), "CPC 306")
    details = only_widget(page, "cpc306-profile-form")
    details.inputs["learner.job_title"].value = "Senior Contracts Officer"
    assert details.save() is not None, details.errors.shown()
    assert problems_in(page_text(page)) == []


def test_a_failed_save_and_a_stale_save_show_no_internal_word(sample_copy):
    before_assessment(sample_copy)
    page = pages.criterion_page(str(sample_copy), "CPC 306", "A2")
    form = only_widget(page, "cpc306-evidence-form")
    form.title.value = "No date given"
    assert form.save() is None
    assert "the date is missing" in form.errors.shown()["date"]
    assert problems_in(page_text(page)) == []
    form.record.value = "E003"
    elsewhere = open_portfolio(sample_copy)
    theirs = elsewhere.read_evidence("E003")
    theirs.scope = [*theirs.scope, "risks/vulnerable_to_harm"]
    elsewhere.update_evidence(theirs)
    form.description.value = "My change"
    assert form.save() is None
    assert "changed in another window" in page_text(page)
    assert problems_in(page_text(page)) == []
