"""Bounded output: text fields have a size limit, huge attachments are listed not embedded,
and a refused huge input leaves nothing behind."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import yaml

from cpc306_portfolio.portfolio.models import MAX_MAPPINGS, MAX_TEXT_CHARS, MAX_TITLE_CHARS
from cpc306_portfolio.render import attachments

from .conftest import run_cli, snapshot


def _set(folder: Path, record: str, **fields: object) -> None:
    path = folder / "evidence" / f"{record}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(fields)
    path.write_text(yaml.safe_dump(data, width=10**9, allow_unicode=True), encoding="utf-8")


def _files(folder: Path) -> set[str]:
    # The write lock is the only file a refused write may leave (it holds nothing).
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")} - {".cpc306.lock"}


def test_validate_refuses_a_title_past_its_limit_naming_the_field(sample_copy: Path):
    _set(sample_copy, "E001", title="Monitoring visit " * 90_000)  # 1.5 MB
    out = run_cli("validate", sample_copy, code=4)
    assert "E001.yaml" in out and "title" in out
    assert f"at most {MAX_TITLE_CHARS} characters" in out


def test_validate_refuses_a_description_past_its_limit(sample_copy: Path):
    _set(sample_copy, "E001", description="x" * (MAX_TEXT_CHARS + 1))
    out = run_cli("validate", sample_copy, code=4)
    assert "description" in out and f"{MAX_TEXT_CHARS:,}".replace(",", "") in out


def test_validate_refuses_a_record_mapped_to_more_criteria_than_the_limit(sample_copy: Path):
    _set(sample_copy, "E001", criteria=[f"A{n % 8 + 1}" for n in range(MAX_MAPPINGS + 1)])
    out = run_cli("validate", sample_copy, code=4)
    assert "E001.yaml" in out and "criteria" in out
    assert f"at most {MAX_MAPPINGS} items" in out


def test_a_refused_huge_title_renders_nothing_and_leaves_nothing_behind(
    sample_copy: Path, tmp_path: Path
):
    _set(sample_copy, "E001", title="Monitoring visit " * 90_000)
    before = snapshot(sample_copy)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = run_cli("render", sample_copy, "-o", out_dir / "page.html", code=1)
    assert "title" in out and "Traceback" not in out
    assert list(out_dir.iterdir()) == []
    assert snapshot(sample_copy) == before


def test_adding_a_huge_title_is_refused_and_writes_no_record(sample_copy: Path):
    before = _files(sample_copy)
    args = ["evidence", "add", sample_copy, "--title", "T" * (MAX_TITLE_CHARS + 1)]
    args += ["--date", "2026-03-02", "--method", "product", "--description", "d"]
    out = run_cli(*args, code=4)
    assert "title" in out
    assert _files(sample_copy) == before


def test_an_attachment_past_the_embedding_size_is_listed_not_embedded(
    sample_copy: Path, tmp_path: Path, monkeypatch
):
    monkeypatch.setattr(attachments, "MAX_EMBED_BYTES", 200_000)
    video = tmp_path / "observation.mp4"
    video.write_bytes(os.urandom(300_000))
    run_cli("evidence", "attach", sample_copy, "E001", video)
    page = tmp_path / "page.html"
    run_cli("render", sample_copy, "-o", page)
    html = page.read_text(encoding="utf-8")
    digest = hashlib.sha256(video.read_bytes()).hexdigest()
    assert digest in html
    assert "Not embedded in this page" in html
    assert "<code>evidence/E001/observation.mp4</code>" in html
    assert 'download="observation.mp4"' not in html
