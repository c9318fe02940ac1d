"""A large attachment is scanned a window at a time: nothing missed at an edge, nothing twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpc306_portfolio.confidentiality import windows as windows_module
from cpc306_portfolio.confidentiality.scan import scan_file, scan_text
from cpc306_portfolio.confidentiality.windows import windows

NHS = "943 476 5919"  # a valid check digit, as test_privacy.py uses


@pytest.fixture
def small_windows(monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    monkeypatch.setattr(windows_module, "SCAN_WINDOW", 64)
    monkeypatch.setattr(windows_module, "SCAN_OVERLAP", 24)
    return 64, 24


def _counted(chunks: list[str]) -> list[int]:
    """Each file offset, as many times as some window counts a finding starting there."""
    counts: list[int] = []
    for offset, text, lo, hi in windows(iter(chunks)):
        assert 0 <= lo <= hi <= len(text)
        counts += range(offset + lo, offset + hi)
    return counts


def test_every_offset_is_counted_exactly_once(small_windows) -> None:
    text = "".join(chr(ord("a") + i % 26) for i in range(1000))
    for size in (1, 7, 64, 88, 300, 1000):
        chunks = [text[i : i + size] for i in range(0, len(text), size)]
        assert _counted(chunks) == list(range(len(text))), size


def test_each_window_carries_context_on_both_sides(small_windows) -> None:
    window, overlap = small_windows
    text = "x" * 500
    found = list(windows(iter([text])))
    for offset, piece, lo, hi in found[1:-1]:
        assert lo == overlap  # context before what it counts
        assert len(piece) - hi == overlap  # and after
        assert hi - lo == window
        assert piece == text[offset : offset + len(piece)]


def test_short_text_is_one_window_and_nothing_is_nothing() -> None:
    assert list(windows(iter(["short"]))) == [(0, "short", 0, 5)]
    assert list(windows(iter([]))) == []
    assert list(windows(iter(["", ""]))) == []


@pytest.mark.parametrize("at", range(40, 90, 7))
def test_an_identifier_across_a_window_edge_is_found_once_at_its_file_offset(
    small_windows, tmp_path: Path, at: int
) -> None:
    text = "." * at + f"NHS {NHS}" + "." * 150
    path = tmp_path / "notes.txt"
    path.write_text(text, encoding="utf-8")
    found = scan_file(path, record="E001")
    assert [(f.kind, text[f.start : f.end]) for f in found] == [("nhs_number", NHS)]
    assert found[0].field == "attachment:E001/notes.txt"


def test_a_cue_in_the_previous_window_still_counts(small_windows, tmp_path: Path) -> None:
    # "DOB" ends one window, the date begins the next: the overlap carries the cue over.
    text = "." * 58 + "DOB: 12/03/1941" + "." * 100
    path = tmp_path / "notes.txt"
    path.write_text(text, encoding="utf-8")
    [finding] = scan_file(path)
    assert text[finding.start : finding.end] == "12/03/1941"
    assert finding.field == "attachment:notes.txt"


def test_scanning_in_windows_finds_what_one_pass_finds(small_windows, tmp_path: Path) -> None:
    parts = [
        f"NHS {NHS}",
        "call 07700 900123",
        "Edith Marlowe",
        "LS1 4AP",
        "jo@example.org",
        "DOB 12/03/1941",
    ]
    text = " filler text, ".join(parts * 4)
    path = tmp_path / "notes.md"
    path.write_text(text, encoding="utf-8")
    keep_out = ["Edith Marlowe"]
    windowed = [(f.kind, f.start, f.end) for f in scan_file(path, keep_out=keep_out)]
    whole = [(f.kind, f.start, f.end) for f in scan_text(text, keep_out=keep_out)]
    assert windowed == whole
    assert len(whole) == 24
