from __future__ import annotations

import copy
import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.assessor.iqa import candidate_types, iqa_sample
from cpc306_portfolio.cohort.dashboard import CSP, write_dashboard
from cpc306_portfolio.cohort.worker import FAILED, RENDERED, LearnerResult, learner_summary

from .browser import chromium
from .cohorts import add_learner
from .conftest import SAMPLE

PAYLOAD = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def base_summary(tmp_path_factory) -> dict[str, Any]:
    folder = add_learner(tmp_path_factory.mktemp("cohort"), "base")
    return learner_summary(open_portfolio(folder))


def summary(base: dict[str, Any], **over: Any) -> dict[str, Any]:
    out = copy.deepcopy(base)
    out.update(over)
    return out


def test_learner_summary_holds_what_the_dashboard_needs(base_summary):
    s = base_summary
    assert s["name"] == "Jordan Ashby" and s["assessors"] == ["Priya Castellan"]
    assert s["elements"] == ["A", "B", "C"] and s["elements_evidenced"] == ["A", "B", "C"]
    assert "observation" in s["methods"] and "reflective_account" in s["methods"]
    assert len(s["criteria"]) == 21 and s["ready"] is True
    assert s["evidence_count"] == len(list((SAMPLE / "evidence").glob("E*.yaml")))
    assert s["reflection_count"] == len(list((SAMPLE / "reflections").glob("R*.yaml")))


# The IQA sample ----------------------------------------------------------------------


def test_new_and_experienced_split_by_records_then_start_date(base_summary):
    summaries = {
        "few": summary(base_summary, evidence_count=2, reflection_count=0),
        "many": summary(base_summary, evidence_count=20),
        "mid-old": summary(base_summary, evidence_count=8, started="2025-01-01"),
        "mid-new": summary(base_summary, evidence_count=8, started="2026-06-01"),
    }
    assert candidate_types(summaries) == {
        "few": "new",
        "mid-new": "new",
        "mid-old": "experienced",
        "many": "experienced",
    }


def test_iqa_sample_covers_every_assessor_method_element_and_candidate(base_summary):
    summaries = {
        # A rich portfolio: every method and element, assessor Priya.
        "amy": summary(base_summary, name="Amy", evidence_count=18),
        # Only one thing nobody else has: assessor Sam.
        "ben": summary(
            base_summary,
            name="Ben",
            assessors=["Sam Second"],
            methods=["product"],
            elements_evidenced=["A"],
            evidence_count=3,
            reflection_count=0,
        ),
        # Adds nothing the others do not.
        "cat": summary(base_summary, name="Cat", methods=["product"], evidence_count=12),
        # Adds a site.
        "dan": summary(base_summary, name="Dan", organisation="Elsewhere Trust", evidence_count=9),
    }
    sample = iqa_sample(summaries)
    chosen = [s.key for s in sample.learners]
    assert chosen[0] == "amy"
    assert "ben" in chosen and "dan" in chosen and "cat" not in chosen
    covered = {r for s in sample.learners for r in s.covers}
    for requirement in [
        ("assessor", "Priya Castellan"),
        ("assessor", "Sam Second"),
        ("candidate", "new"),
        ("candidate", "experienced"),
        ("element", "A"),
        ("element", "B"),
        ("element", "C"),
        ("site", "Elsewhere Trust"),
        *[("method", m) for m in base_summary["methods"]],
    ]:
        assert requirement in covered, requirement
    assert sample.uncovered == []
    ben = next(s for s in sample.learners if s.key == "ben")
    assert "assessor Sam Second" in ben.reason and ben.reason.startswith("Pick")
    assert all(s.reason for s in sample.learners)


def test_iqa_sample_says_what_no_learner_can_cover(base_summary):
    only_a = summary(base_summary, elements_evidenced=["A"])
    sample = iqa_sample({"one": only_a, "two": summary(only_a, evidence_count=1)})
    assert {r for r, _ in sample.uncovered} == {("element", "B"), ("element", "C")}
    assert "no learner has evidence for element B" in dict(sample.uncovered)[("element", "B")]


# The page and the CSV files -------------------------------------------------------------


def _results(base: dict[str, Any]) -> list[LearnerResult]:
    return [
        LearnerResult("amy", "/c/amy", RENDERED, html="amy.html", summary=summary(base)),
        LearnerResult(
            "evil folder",
            "/c/evil",
            RENDERED,
            html="evil folder.html",
            summary=summary(base, name=PAYLOAD, assessor=PAYLOAD, assessors=[PAYLOAD]),
        ),
        LearnerResult(
            "=cmd",
            "/c/=cmd",
            FAILED,
            kind="invalid",
            reason=f"the portfolio is invalid: {PAYLOAD}",
            fix="Ask the learner to fix it.",
        ),
    ]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.head_first: tuple[str, dict[str, str | None]] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "head":
            self._in_head = True
        elif self._in_head and self.head_first is None:
            self.head_first = (tag, dict(attrs))
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "xlink:href") and value is not None:
                self.urls.append(value)


def test_dashboard_is_offline_escaped_and_names_failures(tmp_path, base_summary):
    page = write_dashboard(tmp_path, _results(base_summary)).read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(page)
    assert parser.head_first == ("meta", {"http-equiv": "Content-Security-Policy", "content": CSP})
    assert "script" not in parser.tags and "img" not in parser.tags and "iframe" not in parser.tags
    for url in parser.urls:
        assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.I), url
    assert "evil%20folder.html" in parser.urls and "amy.html" in parser.urls
    assert not re.search(r"url\(|@import|import\(", page)
    assert "<script>alert" not in page and "onerror=alert(1)>" not in page
    assert "&lt;script&gt;alert(" in page
    assert "Failures (1)" in page and "=cmd" in page and "Ask the learner to fix it." in page
    assert "<svg" in page and "Ready for assessment" in page


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_csv_files_hold_the_same_tables(tmp_path, base_summary):
    results = _results(base_summary)
    write_dashboard(tmp_path, results)
    cohort = _csv(tmp_path / "cohort.csv")
    assert [row["learner"] for row in cohort] == ["amy", "evil folder", "'=cmd"]
    amy = cohort[0]
    progress = base_summary["progress"]
    assert int(amy["criteria_ready"]) == progress["criteria_ready"]
    assert float(amy["percent_ready_or_met"]) == progress["percent_ready"]
    assert amy["ready_for_assessment"] == "True" and amy["html"] == "amy.html"
    assert cohort[2]["outcome"] == "failed" and cohort[2]["fix"] == "Ask the learner to fix it."
    assert cohort[1]["name"] == "'" + PAYLOAD if PAYLOAD[0] in "=+-@" else PAYLOAD

    heat = _csv(tmp_path / "heatmap.csv")
    items = {c["criterion"]: c["items"] for c in base_summary["criteria"]}
    assert [row["learner"] for row in heat] == ["amy", "evil folder"]
    assert {k: int(heat[0][k]) for k in items} == items

    long = _csv(tmp_path / "criteria.csv")
    assert len(long) == 2 * len(base_summary["criteria"])
    assert {row["status_label"] for row in long} == {"Ready for assessment"}

    iqa = _csv(tmp_path / "iqa_sample.csv")
    sample = iqa_sample({r.key: r.summary for r in results if r.summary})
    assert [row["learner"] for row in iqa] == [s.key for s in sample.learners]
    assert all(row["why"].startswith("Pick") for row in iqa)


@pytest.mark.browser
def test_dashboard_in_chromium_makes_no_request_and_passes_axe(tmp_path, base_summary):
    from axe_playwright_python.sync_playwright import Axe

    page_path = write_dashboard(tmp_path, _results(base_summary))
    with chromium() as browser:
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(page_path.as_uri())
        assert requests == [page_path.as_uri()]
        assert dialogs == []
        results = Axe().run(
            page,
            options={
                "runOnly": {
                    "type": "tag",
                    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
                }
            },
        )
        assert results.violations_count == 0, results.generate_report()
        page.emulate_media(media="print")
        assert page.pdf(format="A4")[:4] == b"%PDF"
