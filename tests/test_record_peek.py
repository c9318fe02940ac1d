"""Callers that only look at records (validate, its plan checks, the scan) share one record
built once per file; a caller that may change its record still gets one of its own."""

from __future__ import annotations

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.files import stamps
from cpc306_portfolio.portfolio import records


def test_validate_and_scan_build_each_record_once(sample_copy, monkeypatch):
    monkeypatch.setattr(stamps, "RACY_NS", -(10**12))  # every file settled at once
    built: list[str] = []
    real = records.validate_tree

    def counted(model, tree, path):
        built.append(str(path))
        return real(model, tree, path)

    monkeypatch.setattr(records, "validate_tree", counted)
    folio = open_portfolio(sample_copy)
    assert folio.validate() == []
    folio.notices()
    folio.scan()
    record_files = [p for p in built if "/evidence/E" in p or "/reflections/R" in p]
    assert len(record_files) == 25
    assert len(set(record_files)) == 25


def test_a_record_read_to_change_is_never_the_shared_one(sample_copy, monkeypatch):
    monkeypatch.setattr(stamps, "RACY_NS", -(10**12))
    folio = open_portfolio(sample_copy)
    assert folio.validate() == []
    shared, _ = folio.records.peek(folio.records.kind("evidence"), "E001")
    mine = folio.read_evidence("E001")
    assert mine is not shared
    mine.title = "Changed in memory, never saved"
    again, _ = folio.records.peek(folio.records.kind("evidence"), "E001")
    assert again is shared and again.title != mine.title
    other = folio.read_evidence("E001")
    assert other is not mine and other is not shared and other.title == shared.title


def test_validate_then_its_scan_read_each_small_attachment_once(sample_copy, monkeypatch):
    from .conftest import files_opened

    monkeypatch.setattr(stamps, "RACY_NS", -(10**12))
    attachments = sorted(
        p.relative_to(sample_copy).as_posix()
        for p in sample_copy.glob("evidence/E*/*")
        if p.is_file() and p.stat().st_size < 256 * 1024
    )
    assert attachments
    folio = open_portfolio(sample_copy)
    with files_opened(sample_copy) as opened:
        assert folio.validate() == []
        notices = folio.notices()
    assert {a: opened[a] for a in attachments} == dict.fromkeys(attachments, 1)
    # and the scan found what it finds reading every file itself
    again = open_portfolio(sample_copy)
    assert [(f.model_dump(), a) for f, a in folio.scan()] == [
        (f.model_dump(), a) for f, a in again.scan()
    ]
    assert notices == again.notices()


def test_an_attachment_changed_between_validate_and_scan_is_read_again(sample_copy, monkeypatch):
    monkeypatch.setattr(stamps, "RACY_NS", -(10**12))
    folio = open_portfolio(sample_copy)
    path = sample_copy / "evidence" / "E001" / "escalation-briefing.md"
    assert path.is_file()
    folio.validate()
    path.write_text(path.read_text(encoding="utf-8") + "\nCall 07700 900123 today.\n")
    before = [f for f, _ in open_portfolio(sample_copy).scan() if f.field.endswith(path.name)]
    findings = [f for f, _ in folio.scan() if f.field.endswith(path.name)]
    assert findings == before
    assert any(f.kind == "phone" for f in findings)


def test_a_render_lets_go_of_the_records_its_scan_shared(sample_copy, monkeypatch):
    """A render builds every record for itself: the scan's shared copies are not kept too."""
    from cpc306_portfolio.render.withheld import open_findings

    monkeypatch.setattr(stamps, "RACY_NS", -(10**12))
    folio = open_portfolio(sample_copy)
    folio.scan()
    assert any(parsed.shared is not None for parsed in folio.records._memo.values())
    open_findings(folio)
    assert all(parsed.shared is None for parsed in folio.records._memo.values())
