from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from cpc306_portfolio import (
    build_manifest,
    declare,
    diff_manifest,
    judge,
    open_portfolio,
    record_iqa,
    set_feedback,
)
from cpc306_portfolio.portfolio.manifest import learner_part, manifest_lines

from .conftest import evidence_fields


def _diff(before, after):
    return diff_manifest(before, after)


def test_fingerprint_is_sha256_of_bagit_style_lines(sample_copy: Path):
    manifest = build_manifest(open_portfolio(sample_copy), include_assessment=False)
    lines = "".join(f"{manifest.files[p]}  {p}\n" for p in sorted(manifest.files))
    assert manifest.fingerprint == hashlib.sha256(lines.encode()).hexdigest()
    assert list(manifest.files) == sorted(manifest.files)


def test_manifest_covers_records_attachments_and_profile_only(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    (sample_copy / "evidence" / ".DS_Store").write_bytes(b"junk")
    (sample_copy / "evidence" / "E001" / ".E001.yaml.x.cpc306-tmp").parent.mkdir(exist_ok=True)
    (sample_copy / "evidence" / "E001" / ".E001.yaml.x.cpc306-tmp").write_bytes(b"torn")
    (sample_copy / "notebooks").mkdir()
    (sample_copy / "notebooks" / "A1.ipynb").write_text("{}")
    (sample_copy / ".cpc306.lock").write_text("")
    files = build_manifest(folio, include_assessment=False).files
    attachment = "evidence/E012/improvement-notice-NBC-ASC-HC-07.pdf"
    digest = hashlib.sha256((sample_copy / attachment).read_bytes()).hexdigest()
    assert files[attachment] == digest
    assert "evidence/E001.yaml" in files
    assert "reflections/R002.yaml" in files
    assert "portfolio.yaml#profile" in files
    assert not [p for p in files if "/." in p or p.startswith(".") or "notebooks" in p]
    assert not [p for p in files if p.startswith("assessment.yaml")]


def test_manifest_is_stable_across_runs_and_no_op_saves(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    judge(folio, "A1", "met")
    first = build_manifest(folio, include_assessment=True)
    folio.save_profile(folio.profile)
    folio.update_evidence(folio.read_evidence("E003"))
    folio.save_assessment(folio.read_assessment())
    again = build_manifest(open_portfolio(sample_copy), include_assessment=True)
    assert again.fingerprint == first.fingerprint
    assert again.files == first.files


def test_editing_a_record_is_named_exactly(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    before = build_manifest(folio, include_assessment=False)
    record = folio.read_evidence("E003")
    record.title = record.title + " (revised)"
    folio.update_evidence(record)
    after = build_manifest(folio, include_assessment=False)
    assert _diff(before, after) == ([], [], ["evidence/E003.yaml"])
    assert after.fingerprint != before.fingerprint


def test_one_byte_of_an_attachment_is_named(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    before = build_manifest(folio, include_assessment=False)
    target = sample_copy / "evidence" / "E018" / "monthly-figures.csv"
    data = bytearray(target.read_bytes())
    data[10] ^= 1
    target.write_bytes(bytes(data))
    after = build_manifest(folio, include_assessment=False)
    assert _diff(before, after) == (
        [],
        [],
        ["evidence/E018/monthly-figures.csv"],
    )


def test_adding_and_removing_attachments_and_records(portfolio, tmp_path: Path):
    record = portfolio.add_evidence(evidence_fields())
    before = build_manifest(portfolio, include_assessment=False)
    note = tmp_path / "minutes.txt"
    note.write_text("Minutes of the meeting.")
    portfolio.attach(record.id, note)
    added = build_manifest(portfolio, include_assessment=False)
    assert _diff(before, added) == (
        [f"evidence/{record.id}/minutes.txt"],
        [],
        ["evidence/E001.yaml"],
    )

    portfolio.add_evidence(evidence_fields(title="Second meeting"))
    portfolio.detach(record.id, "minutes.txt")
    after = build_manifest(portfolio, include_assessment=False)
    assert _diff(added, after) == (
        ["evidence/E002.yaml"],
        ["evidence/E001/minutes.txt"],
        ["evidence/E001.yaml"],
    )

    portfolio.remove_evidence("E002")
    assert _diff(after, build_manifest(portfolio, include_assessment=False)) == (
        [],
        ["evidence/E002.yaml"],
        [],
    )


def test_a_file_dropped_in_by_hand_is_added(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    before = build_manifest(folio, include_assessment=False)
    (sample_copy / "evidence" / "E001").mkdir(exist_ok=True)
    (sample_copy / "evidence" / "E001" / "extra.txt").write_text("slipped in")
    after = build_manifest(folio, include_assessment=False)
    assert _diff(before, after) == (["evidence/E001/extra.txt"], [], [])


def test_declaring_does_not_change_what_is_declared(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    before = build_manifest(folio, include_assessment=False)
    declaration = declare(folio)
    assert declaration.manifest.fingerprint == before.fingerprint
    after = build_manifest(open_portfolio(sample_copy), include_assessment=False)
    assert after.fingerprint == before.fingerprint
    signed = build_manifest(open_portfolio(sample_copy), include_assessment=True)
    assert "portfolio.yaml#declaration" in signed.files


def test_profile_entry_ignores_modified_but_not_content(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    before = build_manifest(folio, include_assessment=False)
    path = sample_copy / "portfolio.yaml"
    text = path.read_text()
    touched = re.sub(r"^modified: .*$", "modified: '2030-01-01T00:00:00Z'", text, flags=re.M)
    assert touched != text
    path.write_text(touched)
    assert build_manifest(folio, include_assessment=False).files == before.files
    path.write_text(text.replace("Jordan Ashby", "Jordan Ashby-Smith"))
    after = build_manifest(folio, include_assessment=False)
    assert _diff(before, after) == ([], [], ["portfolio.yaml#profile"])


def test_assessment_entries_name_the_judgement_and_leave_out_iqa(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    judge(folio, "A1", "met")
    judge(folio, "B2", "met")
    before = build_manifest(folio, include_assessment=True)
    assert {"assessment.yaml#judgements/A1", "assessment.yaml#judgements/B2"} <= set(before.files)
    record_iqa(folio, sampled_by="Sam Sampler", criteria=["A1"], outcome="agreed")
    assert build_manifest(folio, include_assessment=True).files == before.files
    judge(folio, "B2", "not_yet_met", feedback="Show the escalation.")
    set_feedback(folio, "Well organised.")
    after = build_manifest(folio, include_assessment=True)
    assert _diff(before, after) == (
        [],
        [],
        ["assessment.yaml#feedback", "assessment.yaml#judgements/B2"],
    )
    assert (
        learner_part(after).fingerprint
        == build_manifest(folio, include_assessment=False).fingerprint
    )


def test_diff_manifest_on_plain_mappings():
    old = {"a": "1" * 64, "b": "2" * 64, "c": "3" * 64}
    new = {"b": "2" * 64, "c": "4" * 64, "d": "5" * 64}
    assert diff_manifest(old, new) == (["d"], ["a"], ["c"])


@pytest.mark.parametrize(
    ("name", "written"),
    [("E001/line\nbreak.txt", "E001/line%0Abreak.txt"), ("E001/100%.txt", "E001/100%25.txt")],
)
def test_awkward_names_are_percent_encoded_so_one_entry_is_one_line(name: str, written: str):
    assert manifest_lines({name: "a" * 64}) == f"{'a' * 64}  {written}\n"
