"""The evidence form's editing paths (notebooks/evidence_form.py): a record changed by
another program meanwhile, files added while editing, a witness that no longer applies,
a record broken by hand, and going back to a new item."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.notebooks.evidence_form import NEW, evidence_form

from .conftest import before_assessment, snapshot, uploaded


@pytest.fixture
def folio(sample_copy: Path):
    return open_portfolio(before_assessment(sample_copy))


def test_a_record_changed_elsewhere_since_it_was_opened_is_not_overwritten(folio):
    form = evidence_form(folio, "A2")
    form.record.value = "E003"
    form.title.value = "My edit in the form"
    elsewhere = open_portfolio(folio.root)
    theirs = elsewhere.read_evidence("E003")
    theirs.title = "Their edit in another window"
    elsewhere.update_evidence(theirs)
    before = snapshot(folio.root)
    assert form.save() is None
    assert "changed in another window" in form.errors.general.value
    versions = form.conflict.table.value  # both versions, side by side, in plain words
    assert "Their edit in another window" in versions and "My edit in the form" in versions
    for word in ("revision", ".mine", ".yaml"):
        assert word not in form.errors.general.value + versions
    assert "Nothing was saved" in form.status.value
    assert snapshot(folio.root) == before
    assert form.title.value == "My edit in the form"  # the learner's typing is kept
    assert open_portfolio(folio.root).read_evidence("E003").title == (
        "Their edit in another window"
    )


def test_reopening_the_record_shows_the_other_edit_and_then_saves(folio):
    form = evidence_form(folio, "A2")
    form.record.value = "E003"
    elsewhere = open_portfolio(folio.root)
    theirs = elsewhere.read_evidence("E003")
    theirs.title = "Their edit"
    elsewhere.update_evidence(theirs)
    form.record.value = NEW
    form.record.value = "E003"
    assert form.title.value == "Their edit"
    form.title.value = "Both edits, one after the other"
    assert form.save() is not None
    assert open_portfolio(folio.root).read_evidence("E003").title == (
        "Both edits, one after the other"
    )


def test_files_uploaded_while_editing_are_attached_beside_the_old_ones(folio):
    form = evidence_form(folio, "A2")
    form.record.value = "E003"
    before = folio.read_evidence("E003").attachments
    form.upload.value = (uploaded("second look.txt", b"A second look at the risks.\n"),)
    saved = form.save()
    assert saved is not None
    after = open_portfolio(folio.root).read_evidence("E003").attachments
    assert after[: len(before)] == before
    assert [a.path for a in after[len(before) :]] == ["E003/second-look.txt"]
    assert f"Saved E003: {saved.title}, {len(after)} file(s)." in form.status.value
    assert form.upload.value == ()


def test_an_edit_whose_new_file_identifies_someone_saves_nothing_at_all(folio):
    """The edited text and the new file are one save: refusing the file keeps the old text."""
    form = evidence_form(folio, "A2")
    form.record.value = "E003"
    form.title.value = "A new title for the risk review"
    form.upload.value = (uploaded("call notes.txt", b"Rang about NHS number 943 476 5919.\n"),)
    before = snapshot(folio.root)
    assert form.save() is None
    assert snapshot(folio.root) == before
    assert form.title.value == "A new title for the risk review"  # the typing is kept


def test_a_witness_typed_for_a_method_that_needs_none_is_not_kept(folio):
    form = evidence_form(folio, "B7")
    form.title.value = "Training plan"
    form.date.value = date(2026, 4, 1)
    form.method.value = "witness_testimony"
    assert form.witness.layout.display == ""
    form.witness_name.value = "Sam Lee"
    form.witness_role.value = "Team Manager"
    form.method.value = "product"
    assert form.witness.layout.display == "none"
    form.description.value = "The training plan I agreed with my manager after the review."
    saved = form.save()
    assert saved is not None, form.errors.shown()
    assert open_portfolio(folio.root).read_evidence(saved.id).witness is None


def test_an_edit_to_a_product_drops_the_witness_it_had(folio):
    witnessed = next(r for r in folio.evidence() if r.witness is not None)
    form = evidence_form(folio)
    form.record.value = witnessed.id
    assert form.witness_name.value == witnessed.witness.name
    form.method.value = "product"
    assert form.save() is not None, form.errors.shown()
    record = open_portfolio(folio.root).read_evidence(witnessed.id)
    assert record.method.value == "product" and record.witness is None


def test_a_record_broken_by_hand_is_still_offered_by_its_id(folio):
    (folio.root / "evidence" / "E002.yaml").write_text("id: [E002\n", encoding="utf-8")
    form = evidence_form(open_portfolio(folio.root), "A1")
    labels = dict((value, label) for label, value in form.record.options)
    assert labels[NEW] == "A new item of evidence"
    assert labels["E002"] == "Edit E002"
    assert labels["E001"] == "Edit E001"  # every record by id, as none can be titled


def test_going_back_to_a_new_item_empties_the_form_but_keeps_the_pages_criterion(folio):
    form = evidence_form(folio, "A2")
    form.record.value = "E003"
    assert form.title.value
    form.record.value = NEW
    assert (form.title.value, form.description.value, form.date.value) == ("", "", None)
    assert form.criteria.value == ("A2",)
    assert form.method.value is None and form.witness.layout.display == "none"


def test_each_record_is_offered_with_its_title(folio):
    form = evidence_form(folio)
    offered = [value for _label, value in form.record.options]
    assert offered == [NEW, *folio.evidence_ids()]
    first = folio.read_evidence("E001")
    assert dict((v, k) for k, v in form.record.options)["E001"].startswith(
        f"Edit E001: {first.title[:50]}"
    )


def test_after_a_save_the_new_record_is_offered_for_editing(folio):
    form = evidence_form(folio, "B7")
    form.title.value = "Training plan"
    form.date.value = date(2026, 4, 1)
    form.method.value = "product"
    form.description.value = "The training plan I agreed with my manager after the review."
    saved = form.save()
    assert saved is not None, form.errors.shown()
    assert saved.id in [value for _label, value in form.record.options]
    assert form.record.value == NEW and form.title.value == ""
