from __future__ import annotations

import base64
import copy
import csv
import hashlib
import io
import json
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from cpc306_portfolio import create_portfolio, load_standard, open_portfolio
from cpc306_portfolio.assessor.iqa import candidate_types, iqa_sample
from cpc306_portfolio.cohort.dashboard import write_dashboard
from cpc306_portfolio.cohort.worker import (
    FAILED,
    RENDERED,
    LearnerResult,
    LearnerTask,
    learner_summary,
    render_learner,
)

from .cohorts import add_learner
from .conftest import DATA, OLD_SAMPLE, ROOT, profile_fields

PAYLOAD = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"
TODAY = date(2026, 12, 1)
SECOND_UNIT = DATA / "units" / "sgx035.yaml"
SCRIPT = ROOT / "templates" / "dashboard" / "dashboard.js"


@pytest.fixture(scope="module")
def base_summary(tmp_path_factory) -> dict[str, Any]:
    folder = add_learner(tmp_path_factory.mktemp("cohort"), "base")
    return learner_summary(open_portfolio(folder))


def _latest_record_day(folder: Path) -> str:
    """The newest activity date or save day among a portfolio's records, read by hand."""
    days = []
    for record in [*folder.glob("evidence/*.yaml"), *folder.glob("reflections/*.yaml")]:
        data = yaml.safe_load(record.read_text(encoding="utf-8"))
        days += [str(data["date"]), str(data["modified"])[:10]]
    return max(days)


def summary(base: dict[str, Any], **over: Any) -> dict[str, Any]:
    out = copy.deepcopy(base)
    out.update(over)
    return out


def test_learner_summary_holds_what_the_dashboard_needs(base_summary):
    s = base_summary
    assert s["name"] == "Jordan Ashby" and s["assessors"] == ["Priya Castellan"]
    assert s["unit"] == "CPC 306" and s["unit_title"].startswith("Take action")
    assert s["elements"] == ["A", "B", "C"] and s["elements_evidenced"] == ["A", "B", "C"]
    assert "observation" in s["methods"] and "reflective_account" in s["methods"]
    assert len(s["criteria"]) == 21 and s["ready"] is True
    assert s["evidence_count"] == len(list((OLD_SAMPLE / "evidence").glob("E*.yaml")))
    assert s["reflection_count"] == len(list((OLD_SAMPLE / "reflections").glob("R*.yaml")))
    assert s["last_activity"] == _latest_record_day(OLD_SAMPLE)
    ready = [c for c in s["criteria"] if c["status"] == "ready"]
    assert ready and all("" < c["waiting_since"] <= s["last_activity"] for c in ready)
    assert all(c["judged_on"] == "" and c["relied_on"] == 0 for c in s["criteria"])


# The IQA sample ----------------------------------------------------------------------


def _cohort(base: dict[str, Any], n: int = 40, assessors: int = 4) -> dict[str, dict[str, Any]]:
    return {
        f"l{i:02d}": summary(
            base,
            name=f"Learner {i}",
            assessor=f"Assessor {i % assessors}",
            assessors=[f"Assessor {i % assessors}"],
            started="2024-01-01",
            evidence_count=2 + i % 15,
        )
        for i in range(n)
    }


def test_new_learners_are_those_who_started_recently(base_summary):
    summaries = {
        "old": summary(base_summary, started="2025-01-01"),
        "new": summary(base_summary, started=(TODAY - timedelta(days=20)).isoformat()),
    }
    assert candidate_types(summaries, TODAY) == {"old": "experienced", "new": "new"}


def test_sample_takes_the_rate_and_one_learner_of_every_assessor(base_summary):
    cohort = _cohort(base_summary)
    sample = iqa_sample(cohort, rate=0.1, seed=1, today=TODAY)
    assert sample.target == 4 and len(sample.learners) == 4 and sample.population == 40
    assert {s.assessor for s in sample.learners} == {f"Assessor {i}" for i in range(4)}
    assert len(iqa_sample(cohort, rate=0.25, seed=1, today=TODAY).learners) == 10
    # Five assessors and a 2 % rate: the rate gives 1, the assessors raise it to 5.
    sample = iqa_sample(_cohort(base_summary, 40, 5), rate=0.02, seed=1, today=TODAY)
    assert len(sample.learners) == 5 and all(
        "the pick for assessor" in s.reason for s in sample.learners
    )


def test_sample_is_reproducible_from_its_seed(base_summary):
    cohort = _cohort(base_summary)
    first = iqa_sample(cohort, seed=42, today=TODAY)
    again = iqa_sample(cohort, seed=42, today=TODAY)
    assert [s.key for s in first.learners] == [s.key for s in again.learners]
    assert first.seed == 42
    draws = {
        tuple(s.key for s in iqa_sample(cohort, seed=k, today=TODAY).learners) for k in range(10)
    }
    assert len(draws) > 1
    unseeded = iqa_sample(cohort, today=TODAY)
    assert [s.key for s in iqa_sample(cohort, seed=unseeded.seed, today=TODAY).learners] == [
        s.key for s in unseeded.learners
    ]


def test_weights_favour_risk_not_full_portfolios(base_summary):
    cohort = _cohort(base_summary, 20, 1)
    criteria = copy.deepcopy(base_summary["criteria"])
    criteria[0].update(status="met", judged_on="2026-01-05", relied_on=1)
    cohort["l05"] = summary(cohort["l05"], criteria=criteria)
    cohort["l09"] = summary(cohort["l09"], evidence_count=400)  # the fullest portfolio
    picked: dict[str, int] = {}
    for seed in range(1000):
        for s in iqa_sample(cohort, rate=0.1, seed=seed, today=TODAY).learners:
            picked[s.key] = picked.get(s.key, 0) + 1
    sample = iqa_sample(cohort, rate=1.0, seed=0, today=TODAY)
    risky = next(s for s in sample.learners if s.key == "l05")
    assert risky.weight == 3 and risky.factors == ["single_item_met"]
    assert 'a "met" resting on one item' in risky.reason
    plain = next(s for s in sample.learners if s.key == "l09")
    assert plain.weight == 1 and "no risk factor" in plain.reason
    # Weight 3 against 1: drawn far more often; the fullest portfolio no more than most.
    others = [picked.get(k, 0) for k in cohort if k not in ("l05", "l09")]
    mean = sum(others) / len(others)
    assert picked["l05"] > 2 * mean
    assert picked.get("l09", 0) < 1.5 * mean


def test_a_factor_every_learner_shares_tells_no_one_apart(base_summary):
    cohort = _cohort(base_summary, 10, 2)  # nobody signed off or judged: all assessors new
    assert all(s.factors == [] for s in iqa_sample(cohort, rate=1, seed=2, today=TODAY).learners)
    cohort["l00"] = summary(cohort["l00"], signed_off=True)  # Assessor 0 has signed off
    sample = iqa_sample(cohort, rate=1, seed=2, today=TODAY)
    new = {s.key for s in sample.learners if "new_assessor" in s.factors}
    assert new == {k for k, s in cohort.items() if s["assessor"] == "Assessor 1"}


def test_sample_says_what_no_learner_can_cover(base_summary):
    only_a = summary(base_summary, elements_evidenced=["A"])
    sample = iqa_sample({"one": only_a, "two": summary(only_a, evidence_count=1)}, seed=3)
    gaps = dict(sample.uncovered)
    assert set(gaps) >= {("element", "CPC 306 B"), ("element", "CPC 306 C")}
    assert "no learner has evidence for element CPC 306 B" in gaps[("element", "CPC 306 B")]


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
            name="Cam Broken",
        ),
    ]


class _Page(HTMLParser):
    """Links, tags, the first element of <head>, and the text of every <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.head_first: tuple[str, dict[str, str | None]] | None = None
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_head = False
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "head":
            self._in_head = True
        elif self._in_head and self.head_first is None:
            self.head_first = (tag, dict(attrs))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "xlink:href") and value is not None:
                self.urls.append(value)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def _directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def test_dashboard_is_offline_escaped_and_runs_only_our_script(tmp_path, base_summary):
    page = write_dashboard(tmp_path, _results(base_summary), today=TODAY).read_text("utf-8")
    parser = _Page()
    parser.feed(page)
    tag, attrs = parser.head_first or ("", {})
    assert tag == "meta" and attrs["http-equiv"] == "Content-Security-Policy"
    policy = _directives(str(attrs["content"]))
    assert policy["default-src"] == ["'none'"] and "connect-src" not in policy
    code = [text for a, text in parser.scripts if a.get("type") != "application/json"]
    assert code == [SCRIPT.read_text(encoding="utf-8")]  # ours, byte for byte
    digest = base64.b64encode(hashlib.sha256(code[0].encode()).digest()).decode()
    assert policy["script-src"] == [f"'sha256-{digest}'"]
    assert "Cam Broken" not in code[0] and "alert" not in code[0]
    (data,) = [text for a, text in parser.scripts if a.get("type") == "application/json"]
    assert "<" not in data  # so no learner text can close the block
    rows = json.loads(data)["rows"]
    assert [r["name"] for r in rows] == ["Jordan Ashby", PAYLOAD, "Cam Broken"]
    assert "img" not in parser.tags and "iframe" not in parser.tags
    for url in parser.urls:
        assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.I), url
    assert "evil%20folder.html" in parser.urls and "amy.html" in parser.urls
    assert not re.search(r"url\(|@import|import\(", page)
    markup = page.replace(data, "")  # the JSON block holds it, inert, with no "<" left
    assert "<script>alert" not in markup and "onerror=alert(1)>" not in markup
    assert "&lt;script&gt;alert(" in markup
    assert "Failures (1 of 3)" in page and "=cmd" in page and "Ask the learner to fix it." in page
    assert "Cam Broken" in page and "<svg" in page


def _csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), f"{path.name} has no UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_files_hold_every_learner_failed_ones_too(tmp_path, base_summary):
    results = _results(base_summary)
    write_dashboard(tmp_path, results, iqa_seed=7, today=TODAY)
    cohort = _csv(tmp_path / "cohort.csv")
    assert [row["learner"] for row in cohort] == ["amy", "evil folder", "'=cmd"]
    amy = cohort[0]
    progress = base_summary["progress"]
    assert int(amy["criteria_ready"]) == progress["criteria_ready"]
    assert float(amy["percent_ready_or_met"]) == progress["percent_ready"]
    assert amy["ready_for_assessment"] == "True" and amy["html"] == "amy.html"
    last = base_summary["last_activity"]
    assert amy["unit"] == "CPC 306" and amy["last_activity"] == last
    assert int(amy["days_since_activity"]) == (TODAY - date.fromisoformat(last)).days
    assert cohort[2]["outcome"] == "failed" and cohort[2]["fix"] == "Ask the learner to fix it."
    assert cohort[2]["name"] == "Cam Broken"
    # A payload starting with "<" is not a formula: it is kept exactly as typed.
    assert cohort[1]["name"] == PAYLOAD

    heat = _csv(tmp_path / "heatmap.csv")
    items = {c["criterion"]: c["items"] for c in base_summary["criteria"]}
    assert [row["learner"] for row in heat] == ["amy", "evil folder", "'=cmd"]
    assert {k: int(heat[0][k]) for k in items} == items
    assert heat[2]["outcome"] == "failed" and heat[2]["A1"] == ""

    long = _csv(tmp_path / "criteria.csv")
    assert len(long) == 2 * len(base_summary["criteria"])
    assert {row["status_label"] for row in long} == {"Ready for assessment"}
    assert {row["unit"] for row in long} == {"CPC 306"}

    iqa = _csv(tmp_path / "iqa_sample.csv")
    assert iqa and {row["seed"] for row in iqa} == {"7"}
    sample = iqa_sample({r.key: r.summary for r in results if r.summary}, seed=7, today=TODAY)
    assert [row["learner"] for row in iqa] == [s.key for s in sample.learners]
    assert all(row["why"].startswith("Pick") for row in iqa)


def test_since_the_last_run_names_who_moved_was_added_and_failed_newly(tmp_path, base_summary):
    now = _results(base_summary)
    before = {
        "amy": LearnerResult("amy", "/c/amy", RENDERED, summary=summary(base_summary)),
        "=cmd": LearnerResult("=cmd", "/c/=cmd", RENDERED, summary=summary(base_summary)),
        "gone": LearnerResult("gone", "/c/gone", RENDERED),
    }
    criteria = copy.deepcopy(base_summary["criteria"])
    for c in criteria[:3]:
        c["status"] = "not_started"
    before["amy"].summary["criteria"] = criteria  # type: ignore[index]
    before["amy"].summary["progress"] = dict(  # type: ignore[index]
        base_summary["progress"], criteria_ready=base_summary["progress"]["criteria_ready"] - 3
    )
    write_dashboard(tmp_path, now, previous=before, today=TODAY)
    changes = {row["learner"]: row["since_last_run"] for row in _csv(tmp_path / "cohort.csv")}
    p = base_summary["progress"]
    done = p["criteria_ready"] + p["criteria_met"]
    assert changes["amy"] == (
        f"moved: 3 criteria changed status; ready or met {done - 3} -> {done} of 21"
    )
    assert changes["evil folder"] == "added"
    assert changes["'=cmd"] == "failed newly"
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "gone: no longer in the cohort folder" in page


# Mixed cohorts and units that cannot be found ---------------------------------------------


def _sgx_learner(folder: Path, name: str) -> Path:
    unit = load_standard(SECOND_UNIT)
    folio = create_portfolio(folder, profile_fields(unit="SGX 035", learner={"name": name}), unit)
    folio.add_evidence(
        {
            "title": "Raised a concern",
            "date": "2026-10-01",
            "method": "observation",
            "description": "I noticed bruising, reported it to the manager and wrote it up.",
            "criteria": ["S1P1", "S1P2"],
            "witness": {"name": "Sam Senior", "role": "Senior carer"},
        }
    )
    return folder


def _summarise(folder: Path, standard: str = "") -> LearnerResult:
    task = LearnerTask(
        folder.name,
        str(folder.resolve()),
        "",
        "",
        render=False,
        standard=standard,
        display=f"{folder.parent.name}/{folder.name}",
    )
    return render_learner(task)


def test_a_mixed_cohort_is_grouped_by_unit_and_never_merges_criteria(tmp_path, monkeypatch):
    monkeypatch.delenv("CPC306_STANDARD_PATH", raising=False)  # the SGX portfolio has its copy
    cohort = tmp_path / "cohort"
    cpc = add_learner(cohort, "cpc-one", name="Cora Contracts")
    sgx = _sgx_learner(cohort / "sgx-one", "Sid Safeguard")
    results = [_summarise(cpc), _summarise(sgx)]
    assert [r.outcome for r in results] == [RENDERED, RENDERED], [r.reason for r in results]
    out = tmp_path / "out"
    out.mkdir()
    write_dashboard(out, results, iqa_seed=1, today=TODAY)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count('<table class="heat"') == 2
    assert "CPC 306: Take action to secure contract compliance: 1 learners" in page
    assert "SGX 035: Respond to concerns about the safety of adults" in page
    heat = _csv(out / "heatmap.csv")
    assert "CPC 306 A1" in heat[0] and "SGX 035 S1P1" in heat[0] and "A1" not in heat[0]
    assert heat[0]["SGX 035 S1P1"] == "" and heat[1]["SGX 035 S1P1"] == "1"
    assert {row["learner"]: row["unit"] for row in _csv(out / "cohort.csv")} == {
        "cpc-one": "CPC 306",
        "sgx-one": "SGX 035",
    }
    iqa = _csv(out / "iqa_sample.csv")
    assert {row["unit"] for row in iqa} == {"CPC 306", "SGX 035"}
    sample = iqa_sample({r.key: r.summary for r in results if r.summary}, seed=1, today=TODAY)
    assert ("element", "SGX 035 S1") in sample.requirements
    assert ("element", "CPC 306 A") in sample.requirements


def _made_before_units_travelled(folder: Path) -> Path:
    """The portfolio as schema 1 made it: no unit.yaml, only the unit's code."""
    (folder / "unit.yaml").unlink()
    profile = folder / "portfolio.yaml"
    lines = profile.read_text(encoding="utf-8").splitlines()
    lines = [ln for ln in lines if not ln.startswith("unit_sha256:")]
    lines[0] = "schema: cpc306-portfolio/1"
    profile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_a_learner_whose_unit_cannot_be_found_says_so_and_how_to_fix_it(tmp_path, monkeypatch):
    monkeypatch.delenv("CPC306_STANDARD_PATH", raising=False)
    cohort = tmp_path / "cohort"
    old = _made_before_units_travelled(_sgx_learner(cohort / "sgx-old", "Sid Safeguard"))
    result = _summarise(old)
    assert result.kind == "unit_not_found", result.reason
    assert "no unit standard called 'SGX 035'" in result.reason
    assert "cpc306 --standard UNIT.yaml upgrade cohort/sgx-old" in result.fix
    assert _summarise(old, standard=str(SECOND_UNIT)).outcome == RENDERED
    result = _summarise(old, standard=str(tmp_path / "missing.yaml"))
    assert result.kind == "unit_not_found" and "missing.yaml" in result.reason

    # A portfolio whose own copy is gone: restore it (the fix says where).
    lost = _sgx_learner(cohort / "sgx-lost", "Sam Safeguard")
    (lost / "unit.yaml").unlink()
    result = _summarise(lost)
    assert result.kind == "unit_not_found" and "cohort/sgx-lost/unit.yaml" in result.reason
    assert "restore unit.yaml" in result.fix and "--adopt-unit" in result.fix
    assert str(tmp_path) not in result.fix + result.reason

    # A copy changed by hand: the recorded hash no longer matches.
    edited = _sgx_learner(cohort / "sgx-edited", "Sue Safeguard")
    unit = edited / "unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    result = _summarise(edited)
    assert (
        result.kind == "unit_invalid" and "changed since the portfolio recorded it" in result.reason
    )
    assert "--adopt-unit" in result.fix
