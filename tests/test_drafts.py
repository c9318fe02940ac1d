"""Judging in the page, signing beside it, importing: each attack of issue 24 as a regression.

The page holds no key: it saves a draft bound to the portfolio and the round. ``cpc306
assess sign`` signs the draft beside the page, with the page's digest computed from the
file; import refuses anything it cannot stand behind, and every signature or trust
failure exits 7.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from cpc306_portfolio import declare, new_key, open_portfolio, render_portfolio
from cpc306_portfolio.execute.engines import InProcess
from cpc306_portfolio.portfolio.evidence_rules import RULES_OF_EVIDENCE
from cpc306_portfolio.render.csp import content_security_policy
from cpc306_portfolio.render.page_check import page_panel_data
from cpc306_portfolio.render.panel import panel_script

from .conftest import before_assessment, run_cli, snapshot

DRAFT_FIELDS = ("format", "unit", "learner", "portfolio_fingerprint", "portfolio_files", "base")


def met(**over: Any) -> dict[str, Any]:
    """A "met" as the page writes one with everything the unit's strategy asks."""
    return {
        "outcome": "met",
        "judged_on": "2026-12-01",
        "feedback": "Clear, well evidenced.",
        "methods_sampled": ["product"],
        "evidence": ["E001"],
        "rules": {r: {"met": True, "note": ""} for r in RULES_OF_EVIDENCE},
    } | over


def not_yet(**over: Any) -> dict[str, Any]:
    return {"outcome": "not_yet_met", "judged_on": "2026-12-01", "feedback": "More."} | over


def draft_from(page: Path, judgements: dict[str, Any], **over: Any) -> dict[str, Any]:
    """The draft the page's script saves, built from the page's own data block."""
    data = page_panel_data(page)
    draft = {name: data[name] for name in DRAFT_FIELDS}
    draft["assessment"] = {"judgements": judgements, "feedback": "", "outcome": None}
    draft["signoff"] = None
    return draft | over


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def world(sample_copy: Path, tmp_path: Path) -> dict[str, Path]:
    """A copy of the sample declared but not judged, its page, a key and the centre's list."""
    before_assessment(sample_copy)
    declare(open_portfolio(sample_copy))
    key = new_key(tmp_path / "keys" / "priya", comment="Priya Castellan")
    page = render_portfolio(sample_copy, tmp_path / "page.html", engine=InProcess())
    return {"folder": sample_copy, "page": page, "key": key.private_path, "trust": key.public_path}


def sign(world: dict[str, Path], draft: Path, page: Path | None = None, code: int = 0) -> Path:
    signed = draft.with_name(draft.stem + "-signed.json")
    run_cli(
        "assess", "sign", draft, "--page", page or world["page"], "--key", world["key"],
        "-o", signed, code=code,
    )  # fmt: skip
    return signed


def edit_e009(page: Path, target: Path) -> Path:
    text = page.read_text(encoding="utf-8")
    at = text.index("<p", text.index('id="rec-E009"'))
    target.write_text(text[:at] + "<p>I also renegotiated the contract myself.</p>" + text[at:])
    return target


def test_the_page_offers_no_key_and_keeps_no_lasting_draft(world):
    html = world["page"].read_text(encoding="utf-8")
    script = panel_script()
    for word in ("pkcs8", "importKey", "localStorage", "indexedDB", "crypto.subtle"):
        assert word not in script
    assert 'type="file" id="signing-key"' not in html and "signing key" not in html.lower()
    assert "Never load your private key into a page" in html
    assert "sessionStorage" in script


def test_signed_beside_the_honest_page_imports_and_verifies(world, tmp_path):
    draft = write(tmp_path / "draft.json", draft_from(world["page"], {"A1": met()}))
    out = run_cli(
        "assess", "sign", draft, "--page", world["page"], "--key", world["key"],
        "-o", tmp_path / "signed.json",
    )  # fmt: skip
    assert "A1 met" in out
    signed = json.loads((tmp_path / "signed.json").read_text())
    assert signed["signoff"]["page_sha256"] and signed["signoff"]["base"] == signed["base"]
    run_cli("assess", "import", world["folder"], tmp_path / "signed.json", code=7)  # no list
    out = run_cli(
        "assess", "import", world["folder"], tmp_path / "signed.json", "--trust", world["trust"]
    )
    assert "INTERIM sign-off by Priya Castellan" in out
    assert open_portfolio(world["folder"]).read_assessment().judgements["A1"].outcome == "met"
    run_cli("verify", world["folder"], "--trust", world["trust"])


def test_an_edited_page_is_caught_by_verify_and_by_import(world, tmp_path):
    run_cli("verify", world["folder"], "--html", world["page"])
    edited = edit_e009(world["page"], tmp_path / "edited.html")
    out = run_cli("verify", world["folder"], "--html", edited, code=7)
    assert "section 'section-evidence', item 'rec-h-E009'" in out
    assert "renegotiated the contract myself" in out

    draft = write(tmp_path / "draft.json", draft_from(edited, {"B4": met()}))
    signed = sign(world, draft, page=edited)
    before = snapshot(world["folder"])
    out = run_cli("assess", "import", world["folder"], signed, "--trust", world["trust"], code=7)
    assert "not what" in out and "renders now" in out
    out = run_cli(
        "assess", "import", world["folder"], signed, "--trust", world["trust"],
        "--html", edited, code=7,
    )  # fmt: skip
    assert "first difference: section 'section-evidence', item 'rec-h-E009'" in out
    out = run_cli(
        "assess", "import", world["folder"], signed, "--trust", world["trust"],
        "--html", world["page"], code=7,
    )  # fmt: skip
    assert "is not the page" in out
    assert snapshot(world["folder"]) == before


def test_a_crafted_script_cannot_change_what_is_imported(world, tmp_path):
    # The learner changes the script (and recomputes its hash): the page's draft says met
    # where the assessor chose not yet met. Signed beside that page, it is refused.
    text = world["page"].read_text(encoding="utf-8")
    script = panel_script()
    crafted_script = script.replace('"use strict";', '"use strict"; /* flip B4 */', 1)
    text = text.replace(script, crafted_script).replace(
        content_security_policy(script), content_security_policy(crafted_script)
    )
    crafted = tmp_path / "crafted.html"
    crafted.write_text(text, encoding="utf-8")
    draft = write(tmp_path / "draft.json", draft_from(crafted, {"B4": met()}))
    signed = sign(world, draft, page=crafted)
    run_cli("assess", "import", world["folder"], signed, "--trust", world["trust"], code=7)
    run_cli("verify", world["folder"], "--html", crafted, code=7)


def test_a_draft_imports_only_with_unsigned(world, tmp_path):
    draft = write(tmp_path / "draft.json", draft_from(world["page"], {"A1": met()}))
    out = run_cli("assess", "import", world["folder"], draft, code=7)
    assert "is not signed" in out and "--unsigned" in out
    out = run_cli("assess", "import", world["folder"], draft, "--unsigned")
    assert "recorded, NOT signed" in out
    assert open_portfolio(world["folder"]).read_assessment().signoff is None


def test_a_stripped_signature_does_not_import_as_signed(world, tmp_path):
    draft = write(tmp_path / "draft.json", draft_from(world["page"], {"B4": not_yet()}))
    signed = json.loads(sign(world, draft).read_text())
    signed["signoff"] = None
    signed["assessment"]["judgements"]["B4"] = met()
    stripped = write(tmp_path / "stripped.json", signed)
    run_cli("assess", "import", world["folder"], stripped, "--trust", world["trust"], code=7)


def test_a_second_round_imports_and_the_first_cannot_come_back(world, tmp_path):
    first = sign(world, write(tmp_path / "r1.json", draft_from(world["page"], {"B4": not_yet()})))
    trust = ("--trust", world["trust"])
    run_cli("assess", "import", world["folder"], first, *trust)
    out = run_cli("assess", "import", world["folder"], first, *trust, code=7)  # twice
    assert "no longer the current one" in out

    page2 = render_portfolio(world["folder"], tmp_path / "page2.html", engine=InProcess())
    judged = {"B4": met(evidence=["E009"])}
    second = write(tmp_path / "r2.json", draft_from(page2, judged))
    run_cli("assess", "import", world["folder"], sign(world, second, page=page2), *trust)
    assert open_portfolio(world["folder"]).read_assessment().judgements["B4"].outcome == "met"
    out = run_cli("assess", "import", world["folder"], first, *trust, code=7)  # rollback
    assert "older round" in out
    assert open_portfolio(world["folder"]).read_assessment().judgements["B4"].outcome == "met"


def test_a_key_not_on_the_centre_s_list_is_refused(world, tmp_path):
    other = new_key(tmp_path / "keys" / "home-made", comment="Priya Castellan")
    draft = write(tmp_path / "draft.json", draft_from(world["page"], {"A1": met()}))
    signed = sign(world, draft)
    out = run_cli("assess", "import", world["folder"], signed, "--trust", other.public_path, code=7)
    assert "not on the centre's list" in out


@pytest.mark.parametrize(
    ("mangle", "field"),
    [
        (lambda t: t.replace('"signoff": null', '"signoff": null, "signoff": null'), "signoff"),
        (lambda t: t.replace('"2026-12-01"', '"9999-12-31"'), "judged_on"),
        (lambda t: t.replace('"signoff": null', '"signoff": null, "extra": 1'), "extra"),
        (lambda t: t.replace('"feedback": ""', '"feedback": "", "signed": true'), "signed"),
    ],
    ids=["duplicate key", "future date", "unknown field", "unknown assessment field"],
)
def test_duplicated_future_dated_and_unknown_fields_are_refused(world, tmp_path, mangle, field):
    draft = draft_from(world["page"], {"A1": met()})
    path = tmp_path / "draft.json"
    path.write_text(mangle(json.dumps(draft)), encoding="utf-8")
    out = run_cli("assess", "import", world["folder"], path, "--unsigned", code=4)
    assert re.search(rf"\b{field}\b", out), out


def test_a_bare_met_is_refused_by_the_import_and_the_page_data_says_what_it_needs(world, tmp_path):
    bare = {"outcome": "met", "judged_on": "2026-12-01"}
    draft = write(tmp_path / "draft.json", draft_from(world["page"], {"A1": bare}))
    out = run_cli("assess", "import", world["folder"], draft, "--unsigned", code=4)
    assert "A1 is judged met without" in out and "feedback written" in out
    assert "assessment.judgements.A1" in out
    needs = page_panel_data(world["page"])["met_requires"]
    assert needs == {
        "rules": list(RULES_OF_EVIDENCE), "evidence": 1, "feedback": True, "methods": 1
    }  # fmt: skip


def test_a_draft_made_in_another_page_is_not_signed_beside_this_one(world, tmp_path):
    draft = write(tmp_path / "draft.json", draft_from(world["page"], {"A1": met()}, base="0" * 64))
    out = run_cli(
        "assess", "sign", draft, "--page", world["page"], "--key", world["key"],
        "-o", tmp_path / "signed.json", code=4,
    )  # fmt: skip
    assert "it was not made in this page" in out and "base" in out
    assert not (tmp_path / "signed.json").exists()


def test_the_cover_names_the_key_and_the_list_and_unsigned_judgements_say_so(world, tmp_path):
    from cpc306_portfolio.assessor.signing import load_trust_names, trust_list_fingerprint
    from cpc306_portfolio.render.page_check import RENDERED_AT

    from .conftest import ROOT, SAMPLE

    demo = ROOT / "demo-keys" / "demo-trust-list.txt"
    html = render_portfolio(SAMPLE, tmp_path / "demo.html", trust=demo, engine=InProcess())
    cover = html.read_text(encoding="utf-8").split('id="section-glance"')[0]
    demo_key = (ROOT / "demo-keys" / "demo-assessor.key.pub").read_text().split()[1]
    from cpc306_portfolio.assessor.signing import key_fingerprint

    assert key_fingerprint(demo_key) in cover
    assert "demo-trust-list.txt" in cover
    assert trust_list_fingerprint(load_trust_names(demo)) in cover
    assert "Only a page your centre rendered itself, with its own list" in cover
    assert "cpc306 verify PORTFOLIO --html PAGE" in cover
    assert RENDERED_AT.search(cover)

    draft = write(tmp_path / "draft.json", draft_from(world["page"], {"A1": met()}))
    run_cli("assess", "import", world["folder"], draft, "--unsigned")
    page = render_portfolio(world["folder"], tmp_path / "after.html", trust=world["trust"])
    text = page.read_text(encoding="utf-8")
    cover, rest = text.split('id="section-glance"', 1)
    glance, criteria = rest.split('id="section-criteria"', 1)
    assert "(recorded, not signed)" in cover
    assert "recorded, not signed" in glance
    a1 = criteria.split('id="crit-A1"', 1)[1].split("</article>", 1)[0]
    assert "(recorded, not signed)" in a1


def test_a_malformed_draft_is_not_signed_and_its_fields_are_named(world, tmp_path):
    judged = {"A1": {"outcome": "passed", "judged_on": "2026-12-01", "bogus": 1}, "Z9": met()}
    draft = write(tmp_path / "draft.json", draft_from(world["page"], judged))
    out = run_cli(
        "assess", "sign", draft, "--page", world["page"], "--key", world["key"],
        "-o", tmp_path / "signed.json", code=4,
    )  # fmt: skip
    assert "assessment.judgements.A1.outcome" in out and "assessment.judgements.A1.bogus" in out
    assert "assessment.judgements.Z9" in out
    assert not (tmp_path / "signed.json").exists()


def test_a_key_with_a_passphrase_asks_for_it(world, tmp_path):
    protected = tmp_path / "keys" / "protected"
    run_cli("keys", "new", protected, "--passphrase-prompt", input="pw-123\npw-123\n")
    draft = write(tmp_path / "draft.json", draft_from(world["page"], {"A1": met()}))
    args = ("assess", "sign", draft, "--page", world["page"], "--key", protected)
    out = run_cli(*args, "-o", tmp_path / "a.json", input="nope\n", code=1)
    assert "Passphrase" in out and "wrong passphrase" in out
    out = run_cli(*args, "-o", tmp_path / "b.json", input="pw-123\n")
    assert "Signed 1 judgement(s)" in out and (tmp_path / "b.json").exists()


def test_a_draft_cannot_record_the_unit_met_while_a_criterion_is_not(world, tmp_path):
    draft = draft_from(world["page"], {"A1": met(), "B4": not_yet()})
    draft["assessment"]["outcome"] = "met"
    path = write(tmp_path / "draft.json", draft)
    out = run_cli("assess", "import", world["folder"], path, "--unsigned", code=4)
    assert "the unit cannot be met while" in out and "assessment.outcome" in out
    assert str(path) in out
    assert open_portfolio(world["folder"]).read_assessment().judgements == {}
