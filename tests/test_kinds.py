"""A new kind of record plugs in as one part: its model, its folder, its checks.

The kind here is made up for the test (a witness's own statement, ``statements/S001.yaml``),
to show that nothing but a :class:`RecordKind` is needed for a portfolio to read, validate,
write, scan and remove it, beside evidence and reflections, without touching them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import pytest
from pydantic import Field, StringConstraints

from cpc306_portfolio import ConfidentialityError, RecordError, UsageError, open_portfolio
from cpc306_portfolio.portfolio.kinds import KINDS, RecordKind
from cpc306_portfolio.portfolio.models import MappedRecord
from cpc306_portfolio.portfolio.unit_checks import check_mappings
from cpc306_portfolio.standard import Standard

from .conftest import evidence_fields


class Statement(MappedRecord):
    id: Annotated[str, StringConstraints(pattern=r"^S\d{3,}$")]
    title: str
    date: date
    witness: str
    statement: str = Field(min_length=1)


def check_statement(record: Statement, unit: Standard, path: str) -> list[Any]:
    return check_mappings(record.model_dump(), unit, path)


STATEMENT = RecordKind(
    name="statement",
    model=Statement,
    prefix="S",
    folder="statements",
    check=check_statement,
    texts=lambda r: {"title": r.title, "statement": r.statement},
)


def statement_fields(**over: Any) -> dict[str, Any]:
    base = {
        "title": "What I saw at the review meeting",
        "date": "2025-06-12",
        "witness": "A line manager",
        "statement": "The learner chaired the meeting and agreed the action plan.",
        "criteria": ["A5"],
    }
    return {**base, **over}


@pytest.fixture
def folio(portfolio):
    return open_portfolio(portfolio.root, kinds=(*KINDS, STATEMENT))


def test_a_new_kind_is_added_read_and_validated_like_the_others(folio):
    saved = folio.add(STATEMENT, statement_fields())
    assert saved.id == "S001"
    assert (folio.root / "statements" / "S001.yaml").is_file()
    assert folio.records.get(STATEMENT, "S001").statement == saved.statement
    assert folio.add(STATEMENT, statement_fields()).id == "S002"
    assert folio.validate() == []
    # the kinds already there are untouched: evidence numbers from its own folder
    assert folio.add_evidence(evidence_fields()).id == "E001"
    assert folio.validate() == []


def test_a_new_kind_is_checked_against_the_unit(folio):
    with pytest.raises(RecordError) as caught:
        folio.add(STATEMENT, statement_fields(criteria=["Z9"]))
    assert [p.field for p in caught.value.problems] == ["criteria[0]"]
    assert not (folio.root / "statements").exists()


def test_a_broken_file_of_a_new_kind_is_reported_by_validate(folio):
    folio.add(STATEMENT, statement_fields())
    path = folio.root / "statements" / "S001.yaml"
    path.write_text(path.read_text().replace("  - A5", "  - Q1"))
    (folio.root / "statements" / "notes.txt").write_text("stray")
    found = {(p.path, p.field) for p in folio.validate()}
    assert (str(path), "criteria[0]") in found
    assert any(p.endswith("notes.txt") for p, _ in found)


def test_a_new_kinds_text_is_scanned_before_it_is_written(folio):
    with pytest.raises(ConfidentialityError):
        folio.add(STATEMENT, statement_fields(statement="Mrs Ivy Example was upset."))
    assert folio.layout.ids(STATEMENT) == []
    folio.add(STATEMENT, statement_fields())
    path = folio.root / "statements" / "S001.yaml"
    path.write_text(path.read_text().replace("chaired", "phoned 943 476 5919 and chaired"))
    assert [f.record for f, ack in folio.scan() if ack is None] == ["S001"]


def test_a_new_kind_is_updated_and_removed(folio):
    saved = folio.add(STATEMENT, statement_fields())
    saved.statement = "The learner chaired the meeting."
    again = folio.update(saved)
    assert again.revision == 2
    folio.remove("S001")
    assert folio.layout.ids(STATEMENT) == []
    with pytest.raises(UsageError, match="S001"):
        open_portfolio(folio.root).record_path("S001")  # a portfolio without the kind
