"""What a sign-off means: declared work, no open findings, interim until all is judged,
a cover that is green only for a trusted key, and a sealed IQA record. Judging in the
page, signing beside it and importing are tested in ``test_drafts.py``."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from cpc306_portfolio import (
    ConfidentialityError,
    SigningError,
    declare,
    judge,
    judge_many,
    load_standard,
    new_key,
    open_portfolio,
    record_iqa,
    sign_off,
    verify_portfolio,
)
from cpc306_portfolio.files.yamlio import dump_yaml, read_yaml
from cpc306_portfolio.render.panel import DATA_ID, json_block

from .conftest import before_assessment, run_cli, snapshot
from .test_render import page_of

CRITERIA = list(load_standard("CPC 306").criteria)
NHS = "943 476 5919"  # a valid-checksum number, fictional


def _cover(html: str) -> str:
    return html[: html.index('id="section-glance"')]


def _hand_edit(path: Path, field: str, value: str) -> None:
    tree, problems = read_yaml(path)
    assert not problems
    tree[field] = value
    path.write_text(dump_yaml(tree), encoding="utf-8")


# Sign-off needs a declaration and no open findings ------------------------------------


def test_sign_refuses_an_undeclared_portfolio(sample_copy: Path, tmp_path: Path):
    before_assessment(sample_copy)
    folio = open_portfolio(sample_copy)
    judge(folio, "A1", "met")
    key = new_key(tmp_path / "k")
    before = snapshot(sample_copy)
    with pytest.raises(SigningError, match="not declared"):
        sign_off(folio, key.private_path)
    assert snapshot(sample_copy) == before


def test_declare_and_sign_refuse_open_findings_and_list_them(sample_copy: Path, tmp_path: Path):
    before_assessment(sample_copy)
    # A record edited by hand never met the store's guard.
    _hand_edit(sample_copy / "evidence" / "E003.yaml", "description", f"NHS number {NHS}.")
    folio = open_portfolio(sample_copy)
    with pytest.raises(ConfidentialityError, match=r"E003 description: NHS number: .*943 \*\*\*"):
        declare(folio)
    out = run_cli("declare", str(sample_copy), "--yes", code=5)
    assert "E003" in out and NHS not in out
    assert open_portfolio(sample_copy).profile.declaration is None


def test_a_sign_off_before_every_criterion_is_judged_is_interim(sample_copy, tmp_path):
    before_assessment(sample_copy)
    folio = open_portfolio(sample_copy)
    declare(folio)
    judge(folio, "A1", "met")
    key = new_key(tmp_path / "k", comment="Priya Castellan")
    out = run_cli("sign", str(sample_copy), "--key", str(key.private_path))
    assert "INTERIM sign-off: 1 of 21" in out
    result = verify_portfolio(folio, key.public_path)
    assert result.ok and result.signoff is not None and result.signoff.interim
    assert "Interim sign-off by Priya Castellan" in result.summary
    html = page_of(sample_copy, trust=key.public_path)
    assert "(interim: 1 of 21 criteria judged)" in _cover(html)
    assert "1 of 21 criteria judged" in _cover(html)
    judge_many(folio, CRITERIA, "met")
    assert not sign_off(folio, key.private_path).interim
    assert not verify_portfolio(folio, key.public_path).signoff.interim  # type: ignore[union-attr]


def test_the_signer_name_defaults_to_the_keys_own(sample_copy, tmp_path):
    before_assessment(sample_copy)
    folio = open_portfolio(sample_copy)
    declare(folio)
    judge(folio, "A1", "met")
    key = new_key(tmp_path / "k", comment="Morgan Deputy")
    assert sign_off(folio, key.private_path).signed_by == "Morgan Deputy"


# The cover tells the truth ------------------------------------------------------------


def test_a_learners_forged_sign_off_is_never_green(sample_copy, tmp_path):
    before_assessment(sample_copy)
    folio = open_portfolio(sample_copy)
    declare(folio)
    judge_many(folio, CRITERIA, "met")
    assessor = new_key(tmp_path / "assessor", comment="Priya Castellan")
    learner = new_key(tmp_path / "learner", comment="Jordan Ashby")
    run_cli(
        "sign", str(sample_copy), "--key", str(learner.private_path), "--name", "Priya Castellan"
    )

    untrusted = _cover(page_of(sample_copy))
    assert "✔" not in untrusted and "Signed off by" not in untrusted
    assert "NOT VERIFIED" in untrusted and "--trust CENTRE_KEYS" in untrusted
    assert 'class="seal seal-unverified"' in untrusted

    checked = _cover(page_of(sample_copy, trust=assessor.public_path))
    assert "✔" not in checked
    assert "NOT TRUSTED" in checked and learner.fingerprint[:16] in checked
    assert 'class="seal seal-untrusted"' in checked

    out = run_cli("verify", str(sample_copy), code=7)
    assert "NOT VERIFIED" in out
    out = run_cli("verify", str(sample_copy), "--trust", str(assessor.public_path), code=7)
    assert "NOT on the centre's list" in out


def test_the_signer_shown_is_the_name_the_trust_list_binds(sample_copy, tmp_path):
    before_assessment(sample_copy)
    folio = open_portfolio(sample_copy)
    declare(folio)
    judge_many(folio, CRITERIA, "met")
    key = new_key(tmp_path / "assessor", comment="Priya Castellan")
    sign_off(folio, key.private_path, signed_by="Somebody Typed")
    cover = _cover(page_of(sample_copy, trust=key.public_path))
    assert "✔" in cover and "Signed off by Priya Castellan" in cover
    assert "Somebody Typed" not in cover
    assert "Declared by Jordan Ashby" in cover and "Signed by Jordan" not in cover


# The IQA record is sealed -------------------------------------------------------------


def test_a_change_to_the_iqa_record_is_shown(sample_copy, tmp_path):
    before_assessment(sample_copy)
    folio = open_portfolio(sample_copy)
    declare(folio)
    judge_many(folio, CRITERIA, "met")
    key = new_key(tmp_path / "assessor", comment="Priya Castellan")
    iqa_key = new_key(tmp_path / "iqa", comment="Sam Sampler")
    sign_off(folio, key.private_path)
    sample = record_iqa(
        folio, sampled_by="Sam Sampler", outcome="agreed", key_path=iqa_key.private_path
    )
    assert sample.sha256 and sample.signature
    trust = tmp_path / "trust.pub"
    trust.write_text(key.public_path.read_text() + iqa_key.public_path.read_text())
    assert verify_portfolio(folio, trust).ok

    path = sample_copy / "assessment.yaml"
    path.write_text(path.read_text().replace("outcome: agreed", "outcome: disagreed"))
    result = verify_portfolio(folio, trust)
    assert not result.ok and result.iqa is not None and not result.iqa.intact
    assert "IQA sample by Sam Sampler has CHANGED" in result.summary
    assert "has CHANGED since it was recorded" in page_of(sample_copy, trust=trust)


# VACSR from the command line, shown per criterion -------------------------------------


def test_assess_records_the_rules_of_evidence(sample_copy):
    before_assessment(sample_copy)
    run_cli(
        "assess",
        str(sample_copy),
        "A2",
        "--outcome",
        "not_yet_met",
        "--valid",
        "--authentic",
        "--current",
        "--rule-note",
        "sufficient=only one example",
    )
    j = open_portfolio(sample_copy).read_assessment().judgements["A2"]
    assert [r for r, c in j.rules.items() if c.met] == ["valid", "authentic", "current"]
    assert j.rules["sufficient"].note == "only one example" and not j.rules["sufficient"].met
    html = page_of(sample_copy)
    crit = re.search(r'<article [^>]*id="crit-A2".*?</article>', html, re.S).group(0)  # type: ignore[union-attr]
    assert "✔</span> Current" in crit and "✘</span> Sufficient: not confirmed" in crit
    assert "only one example" in crit


# Learner text, as typed; open findings withheld; the data block is inert ---------------


def test_learner_text_is_shown_exactly_as_typed(sample_copy):
    typed = "5*3*2 and \\\\council\\share\nsecond line &lt; *not emphasis*"
    _hand_edit(sample_copy / "evidence" / "E003.yaml", "description", typed)
    html = page_of(sample_copy)
    assert (
        '<p class="plain">5*3*2 and \\\\council\\share\nsecond line &amp;lt; *not emphasis*</p>'
        in html
    )
    assert "<em>" not in html


def test_open_findings_are_withheld_and_counted_on_the_cover(sample_copy):
    _hand_edit(sample_copy / "evidence" / "E003.yaml", "description", f"NHS number {NHS} noted.")
    html = page_of(sample_copy)
    assert NHS not in html and "943 *** ****" in html
    assert "1 possible identifier(s)" in _cover(html)


def test_the_data_block_cannot_be_closed_by_its_contents():
    block = json_block({"x": "</script><script>alert(1)</script>&\u2028"}, DATA_ID)
    body = block[block.index(">") + 1 : block.rindex("</script>")]
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == {"x": "</script><script>alert(1)</script>&\u2028"}


# Over-mapping -------------------------------------------------------------------------


def test_over_mapped_items_are_flagged_in_the_page_and_in_status(sample_copy):
    # The unit (as the package ships it now) expects at most four criteria of one item.
    unit = Path(load_standard("CPC 306").source_path or "").read_bytes()
    assert b"max_criteria_per_item: 4" in unit
    (sample_copy / "unit.yaml").write_bytes(unit)
    _hand_edit(sample_copy / "portfolio.yaml", "unit_sha256", hashlib.sha256(unit).hexdigest())
    # Give one item six.
    path = sample_copy / "evidence" / "E001.yaml"
    tree, _ = read_yaml(path)
    tree["criteria"] = CRITERIA[:6]
    path.write_text(dump_yaml(tree), encoding="utf-8")
    folio = open_portfolio(sample_copy)
    wide = [r.id for r in [*folio.evidence(), *folio.reflections()] if len(r.criteria) > 4]
    assert "E001" in wide
    html = page_of(sample_copy)
    item = re.search(r'<article [^>]*id="rec-E001".*?</article>', html, re.S).group(0)  # type: ignore[union-attr]
    assert "Possibly over-mapped:</strong> mapped to 6 criteria, more than the 4" in item
    assert html.count("over-mapped?") >= len(wide)  # beside each in Coverage at a glance
    out = run_cli("status", str(sample_copy))
    assert "Possibly over-mapped" in out and "E001: mapped to 6 criteria" in out
    data = json.loads(run_cli("status", str(sample_copy), "--json"))
    assert sorted(m.split(":")[0] for m in data["over_mapping"] if m[0] in "ER") == sorted(wide)


def test_a_criterion_resting_only_on_wide_items_is_flagged():
    from types import SimpleNamespace

    from cpc306_portfolio.assessor.over_mapping import over_mapping

    unit = load_standard("CPC 306")
    wide = SimpleNamespace(id="E001", criteria=CRITERIA[:5])
    narrow = SimpleNamespace(id="E002", criteria=["A1"])
    found = over_mapping(unit, [wide, narrow])  # type: ignore[list-item]
    assert list(found.items) == ["E001"]
    assert list(found.criteria) == ["A2", "A3", "A4", "A5"]  # A1 also rests on E002
    assert "rests only on E001" in found.criteria["A2"]
