"""One scanner for a whole run: a text met again is scanned once, with the same findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpc306_portfolio.confidentiality import scan as scan_module
from cpc306_portfolio.confidentiality.names import KeepOutMatcher
from cpc306_portfolio.confidentiality.scan import Scanner, scan_fields, scan_file, scan_text

NAMES = ["Edith Marlowe"]
TEXT = (
    "Met Edith Marlowe (NHS 943 476 5919, born 01/02/1990) at LS1 4AP; "
    "call 07700 900123 or write to jo.bloggs@example.org. **Edith** Marlowe agreed."
)


def as_tuples(findings: list[scan_module.Finding]) -> list[tuple[object, ...]]:
    return [(f.kind, f.field, f.record, f.start, f.end, f.snippet, f.fingerprint) for f in findings]


def test_a_repeated_text_is_scanned_once_and_found_in_every_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    real = scan_module.find_hits
    monkeypatch.setattr(
        scan_module, "find_hits", lambda text, names: calls.append(text) or real(text, names)
    )
    scanner = Scanner(NAMES, ["07700 900123"])
    first = scanner.fields({"title": "Visit", "description": TEXT}, record="E001")
    scanned = len(calls)
    second = scanner.fields({"description": TEXT, "notes": TEXT}, record="E002")
    assert len(calls) == scanned  # nothing scanned again
    fresh = scan_fields(
        {"description": TEXT, "notes": TEXT},
        record="E002",
        keep_out=NAMES,
        allow=["07700 900123"],
    )
    assert as_tuples(second) == as_tuples(fresh)
    assert {f.record for f in first} == {"E001"} and {f.record for f in second} == {"E002"}
    assert {f.field for f in second} == {"description", "notes"}
    kinds = {f.kind for f in second}
    assert kinds == {"listed_name", "nhs_number", "date_of_birth", "postcode", "email"}


def test_findings_are_those_of_scan_text_for_every_kind_of_text() -> None:
    scanner = Scanner(KeepOutMatcher.from_names(NAMES))
    for text in (TEXT, "", "plain prose with 12 apples", "Edith&nbsp;Marlowe", TEXT * 3):
        for _ in range(2):  # the second time from memory
            got = scanner.text(text, field="f", record="R001")
            assert as_tuples(got) == as_tuples(
                scan_text(text, field="f", record="R001", keep_out=NAMES)
            )


def test_what_it_remembers_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    scanner = Scanner(NAMES)
    long = "x" * (scan_module.REMEMBER_CHARS + 1) + " Edith Marlowe"
    assert [f.kind for f in scanner.text(long)] == ["listed_name"]
    assert long not in scanner._seen
    monkeypatch.setattr(scan_module, "REMEMBER_TOTAL_CHARS", 30)
    small = Scanner(NAMES)
    small.text("Edith Marlowe was there")  # 23 characters: kept
    small.text("and Edith Marlowe again")  # 23 more would pass 30: scanned, not kept
    assert list(small._seen) == ["Edith Marlowe was there"]
    assert [f.kind for f in small.text("and Edith Marlowe again")] == ["listed_name"]


def test_a_scanner_that_does_not_remember_keeps_nothing() -> None:
    scanner = Scanner(NAMES, remember=False)
    assert scanner.text(TEXT) and not scanner._seen


def test_a_file_scanned_twice_gives_its_findings_twice(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("x" * 50 + TEXT, encoding="utf-8")
    scanner = Scanner(NAMES)
    once = scanner.file(path, record="E001")
    again = scanner.file(path, record="E002", data=path.read_bytes())
    expected = scan_file(path, record="E002", keep_out=NAMES)
    assert as_tuples(again) == as_tuples(expected)
    assert [f.start for f in once] == [f.start for f in again]
    assert once[0].start >= 50
