"""Gates 9 to 12: shown text is scanned, initials match, the keep-out list travels hashed."""

from __future__ import annotations

import shutil

import pytest

from cpc306_portfolio import ConfidentialityError, create_portfolio, open_portfolio
from cpc306_portfolio.confidentiality.identifiers import FindingKind
from cpc306_portfolio.confidentiality.names import KeepOutMatcher, hashed_forms
from cpc306_portfolio.confidentiality.scan import scan_text
from cpc306_portfolio.errors import NotFoundError
from cpc306_portfolio.portfolio.upgrade import upgrade_portfolio
from cpc306_portfolio.render.richtext import WITHHELD, withhold

from .conftest import SAMPLE, evidence_fields, profile_fields, with_clear_keep_out
from .conftest import run_cli as run

NAME = "Mrs Edith Marlowe"


# 10. The scanned text is the shown text ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Visited **Edith** Marlowe today.",
        "Visited Edi*th* Marlowe today.",
        "Visited Edith&nbsp;Marlowe today.",
        "Visited Edith&#32;Marlowe today.",
        "Visited Edi\u200bth Marlowe today.",
        "Visited Ed<b></b>ith Marlowe today.",
        "Visited \uff25dith Marlowe today.",
    ],
)
def test_markup_entities_and_invisible_characters_do_not_hide_a_name(text):
    (finding,) = scan_text(text, keep_out=[NAME])
    assert finding.kind == "listed_name"
    assert text[finding.start : finding.end].endswith("Marlowe")
    assert "Marlowe" not in finding.snippet


def test_markup_does_not_hide_other_identifiers():
    kinds = [f.kind for f in scan_text("NHS no. 943&nbsp;476&nbsp;5919 and `LS1 4AP`")]
    assert kinds == ["nhs_number", "postcode"]


def test_assessor_feedback_is_scanned(portfolio):
    portfolio.assessment_path.write_text(
        "schema: cpc306-portfolio/2\nfeedback: Good work with Mrs Ivy Example's review.\n"
    )
    found = [(f.record, f.field) for f, ack in portfolio.scan() if ack is None]
    assert found == [("assessment", "feedback")]


# 11. Initials and titles -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["E. Marlowe", "E Marlowe", "Ms Marlowe", "Dr. Marlowe"])
def test_an_initial_or_a_title_with_the_surname_is_found(text):
    assert [f.kind for f in scan_text(f"I met {text}.", keep_out=[NAME])] == ["listed_name"]


@pytest.mark.parametrize("text", ["Edith came.", "Marlowe Road", "a Marlowe play", "J. Marlowe"])
def test_a_first_name_or_surname_alone_or_another_initial_is_not(text):
    assert scan_text(text, keep_out=[NAME]) == []


def test_render_withholds_the_forms_the_scan_finds():
    assert withhold("E. Marlowe and Edith  Marlowe", [NAME]) == f"{WITHHELD} and {WITHHELD}"


# 12. The list travels only as keyed hashes ---------------------------------------------------


def test_the_list_is_hashed_in_the_folder_and_kept_with_the_learner(tmp_path):
    folio = create_portfolio(tmp_path / "p", profile_fields(keep_out=[NAME, "Tomasz Wren"]))
    text = (folio.profile_path).read_text()
    assert "Marlowe" not in text and "Wren" not in text and "keep_out_hashed" in text
    assert open_portfolio(folio.root).keep_out_names() == [NAME, "Tomasz Wren"]
    with pytest.raises(ConfidentialityError, match="not saved") as refused:
        folio.add_evidence(evidence_fields(description="Met T. Wren at home."))
    (finding,) = refused.value.findings
    assert (finding.kind, finding.field) == (FindingKind.LISTED_NAME, "description")
    assert "Wren" not in str(refused.value)  # the refusal does not repeat the name either
    assert folio.evidence_ids() == []


def test_without_the_key_listed_names_cannot_be_checked_and_nothing_else_breaks(
    tmp_path, monkeypatch
):
    folio = create_portfolio(tmp_path / "p", profile_fields(keep_out=[NAME]))
    finding = folio.preview_findings("evidence", evidence_fields(description="Mrs Marlowe's"))[0]
    folio.add_evidence(
        evidence_fields(description="Mrs Marlowe's"),
        acknowledge={finding.fingerprint: "the provider's manager, not a service user"},
    )
    monkeypatch.setenv("CPC306_CONFIG_DIR", str(tmp_path / "assessor-config"))
    elsewhere = open_portfolio(folio.root)
    assert elsewhere.keep_out_matcher()[1] is False
    assert elsewhere.validate() == []
    out = run("scan", str(folio.root))
    assert "cannot be checked on this machine" in out
    with pytest.raises(NotFoundError, match="not on this machine"):
        elsewhere.keep_out_names()
    out = run("validate", str(folio.root))
    assert "valid" in out and "cannot check the names" in out


def test_keep_out_command_adds_lists_and_removes(tmp_path):
    folder = tmp_path / "p"
    run(
        "init",
        str(folder),
        "--name",
        "Jo Learner",
        "--centre",
        "C",
        "--assessor",
        "A",
        "--keep-out",
        NAME,
    )
    run("keep-out", str(folder), "add", "Tomasz Wren", "Aisha Lindqvist")
    assert run("keep-out", str(folder), "list").split("\n")[:3] == [
        NAME,
        "Tomasz Wren",
        "Aisha Lindqvist",
    ]
    run("keep-out", str(folder), "remove", "tomasz   WREN")
    assert "Tomasz" not in run("keep-out", str(folder), "list")
    assert "Wren" not in (folder / "portfolio.yaml").read_text()
    assert "is not on the keep-out list" in run(
        "keep-out", str(folder), "remove", "Nobody Here", code=3
    )


def test_declaring_keeps_the_list(tmp_path):
    from cpc306_portfolio.portfolio.declaration import declare

    folio = create_portfolio(tmp_path / "p", profile_fields(keep_out=[NAME]))
    declare(folio)
    assert open_portfolio(folio.root).keep_out_names() == [NAME]


def test_upgrade_moves_clear_names_to_hashes_and_validate_warned(tmp_path):
    folder = tmp_path / "old"
    with_clear_keep_out(shutil.copytree(SAMPLE, folder))  # as a portfolio made before hashing
    assert "Marlowe" in (folder / "portfolio.yaml").read_text()
    out = run("validate", str(folder))
    assert "stored in clear" in out and "cpc306 upgrade" in out
    report = upgrade_portfolio(folder)
    assert "keep-out-hashes" in [name for name, _ in report.done]
    text = (folder / "portfolio.yaml").read_text()
    assert "Marlowe" not in text and "Wren" not in text
    folio = open_portfolio(folder)
    assert "Mrs Edith Marlowe" in folio.keep_out_names()
    assert "stored in clear" not in run("validate", str(folder))
    assert upgrade_portfolio(folder).done == ()


def test_hashed_matching_finds_what_clear_matching_finds():
    key = b"k" * 32
    hashed = KeepOutMatcher.from_hashes(key, hashed_forms(key, NAME), 6)
    clear = KeepOutMatcher.from_names([NAME])
    text = "Mrs Edith Marlowe, then E. Marlowe, Ms Marlowe's son, and Edith alone."
    assert hashed.spans(text) == clear.spans(text) and len(clear.spans(text)) == 3


# 9. validate counts findings nobody acknowledged -------------------------------------------


def test_validate_counts_unacknowledged_identifiers_typed_into_a_file(portfolio):
    record = portfolio.add_evidence(evidence_fields())
    path = portfolio.record_path(record.id)
    path.write_text(path.read_text().replace("Minutes", "Minutes for Mrs Ivy Example,"))
    out = run("validate", str(portfolio.root), code=5)
    assert "1 possible identifier(s) of a person not acknowledged (in E001)" in out
    assert "cpc306 scan" in out


def test_the_start_here_form_keeps_working(tmp_path):
    from cpc306_portfolio.notebooks.widgets import profile_form

    folio = create_portfolio(tmp_path / "p", profile_fields(keep_out=[NAME]))
    form = profile_form(folio.root)
    assert form.keep_out.value == NAME
    form.keep_out.value += "\nMr New Person"
    form.save_button.click()
    assert open_portfolio(folio.root).keep_out_names() == [NAME, "Mr New Person"]
    assert "New Person" not in folio.profile_path.read_text()
