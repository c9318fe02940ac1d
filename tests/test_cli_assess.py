"""``cpc306 declare``, ``assess`` and ``render``: what each refuses, says and passes on."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from cpc306_portfolio import open_portfolio

from .conftest import MET_FLAGS, before_assessment, run_cli


@pytest.fixture
def learner(sample_copy: Path) -> Path:
    """The sample before its learner declared it and the assessor judged it."""
    return before_assessment(sample_copy)


def test_declare_shows_the_statement_and_asks_first(learner):
    statement = open_portfolio(learner).standard.terms.declaration_statement
    out = run_cli("declare", learner, input="n\n", code=2)
    assert out.startswith(statement)
    assert "Declare this as Jordan Ashby?" in out
    assert "nothing was declared" in out and "pass --yes to declare without asking" in out
    assert open_portfolio(learner).profile.declaration is None


def test_declare_on_yes_records_the_files_and_the_fingerprint(learner):
    out = run_cli("declare", learner, input="y\n")
    declared = open_portfolio(learner).profile.declaration
    assert declared is not None
    assert out.splitlines()[-1] == (
        f"Declared by {declared.signed_by}: {len(declared.manifest.files)} files, "
        f"fingerprint {declared.manifest.fingerprint}"
    )


def test_declare_in_the_learners_own_words(learner):
    words = "All of this is my own work, written in my own words."
    out = run_cli("declare", learner, "--statement", words, "--yes")
    assert out.splitlines()[0] == words
    assert open_portfolio(learner).profile.declaration.statement == words


def test_assess_criteria_without_an_outcome_says_which_to_pass(learner):
    out = run_cli("assess", learner, "A1", code=2)
    assert "--outcome is needed" in out and "pass --outcome met or not_yet_met" in out


def test_assess_rules_of_evidence_need_criteria(learner):
    out = run_cli("assess", learner, "--valid", "--overall-feedback", "Good.", code=2)
    assert "the rules of evidence belong to criteria" in out and "name CRITERIA too" in out
    assert not (learner / "assessment.yaml").exists()  # nothing recorded


def test_assess_with_nothing_to_record_lists_what_could_be(learner):
    out = run_cli("assess", learner, code=2)
    assert "nothing to record" in out
    assert "--overall-feedback, --unit-outcome or --iqa-by" in out
    assert not (learner / "assessment.yaml").exists()


def test_assess_refuses_a_date_that_is_not_one(learner):
    out = run_cli("assess", learner, "A1", "--outcome", "met", "--date", "yesterday", code=2)
    assert "--date 'yesterday' is not a date" in out and "YYYY-MM-DD" in out


@pytest.mark.parametrize("note", ["current", "timely=soon"])
def test_assess_refuses_a_rule_note_that_is_not_rule_equals_note(learner, note):
    out = run_cli("assess", learner, "A1", "--outcome", "met", "--rule-note", note, code=2)
    assert f"--rule-note {note!r} is not RULE=NOTE" in out
    assert "valid, authentic, current, sufficient, reliable" in out


def test_assess_records_ticked_rules_and_notes_on_the_criterion(learner):
    out = run_cli(
        "assess",
        learner,
        "b2",
        "--outcome",
        "not_yet_met",
        "--valid",
        "--authentic",
        "--rule-note",
        "Sufficient=one example only",
        "--date",
        "2026-05-01",
    )
    assert out.splitlines()[0] == "B2: not yet met (2026-05-01)"
    rules = open_portfolio(learner).read_assessment().judgements["B2"].rules
    assert {r: c.met for r, c in rules.items()} == {
        "valid": True,
        "authentic": True,
        "sufficient": False,
    }
    assert rules["sufficient"].note == "one example only"


def test_assess_the_unit_outcome_only_when_every_criterion_is_met(learner):
    out = run_cli("assess", learner, "--unit-outcome", "not_yet_met")
    assert "Recorded the unit outcome: not yet met." in out


def test_assess_an_unknown_criterion_lists_the_units_criteria(learner):
    out = run_cli("assess", learner, "Z9", "--outcome", "met", code=2)
    assert "Z9" in out and "A1" in out
    assert not (learner / "assessment.yaml").exists()


def test_render_makes_one_library_call_with_what_it_was_given(learner, tmp_path, monkeypatch):
    calls = []

    def render_portfolio(folio, output, **kwargs):
        calls.append((folio, output, kwargs))
        return Path(output).resolve()

    monkeypatch.setattr("cpc306_portfolio.render.render_portfolio", render_portfolio)
    out_file = tmp_path / "out" / "portfolio.html"
    trust = tmp_path / "centre-keys.txt"
    trust.write_text("", encoding="utf-8")
    shown = run_cli("render", learner, "-o", out_file, "--trust", trust, "--timeout", "90")
    assert shown.strip().splitlines()[-1] == str(out_file.resolve())
    ((folio, output, kwargs),) = calls
    assert folio.root == learner.resolve() and output == str(out_file)
    assert kwargs["trust"] == str(trust) and kwargs["execution_timeout"] == 90
    assert kwargs["progress"] is False  # no bar where no one watches a terminal
    run_cli("render", learner, "-o", out_file)
    assert "execution_timeout" not in calls[-1][2] and calls[-1][2]["trust"] is None


def test_render_refuses_a_timeout_below_one_second(learner, tmp_path):
    out = run_cli("render", learner, "-o", tmp_path / "x.html", "--timeout", "0", code=2)
    assert "--timeout" in out
    assert not (tmp_path / "x.html").exists()


def test_a_judgement_is_dated_today_unless_a_date_is_given(learner):
    out = run_cli("assess", learner, "A1", "--outcome", "met", *MET_FLAGS)
    assert out.splitlines()[0] == f"A1: met ({date.today()})"


def test_a_bare_met_is_refused_naming_what_it_lacks(learner):
    out = run_cli("assess", learner, "B1", "--outcome", "met", "--feedback", "ok", code=2)
    assert "B1 is judged met without the rules of evidence valid" in out
    assert "item(s) of evidence relied on" in out and "method(s) sampled" in out
    assert "--valid" in out  # the hint names the flags
    assert open_portfolio(learner).read_assessment().judgements == {}


def test_a_judgement_dated_in_the_future_is_refused(learner):
    out = run_cli(
        "assess", learner, "A1", "--outcome", "not_yet_met", "--date", "9999-12-31", code=2
    )
    assert "after today" in out


def test_keys_new_says_where_each_half_goes(tmp_path):
    key = tmp_path / "keys" / "priya.key"
    out = run_cli("keys", "new", key, "--name", "Priya Castellan")
    lines = out.splitlines()
    assert lines[0].startswith("Made a signing key, fingerprint ")
    assert lines[1] == f"  private key: {key}  (yours alone: never put it in a portfolio)"
    assert lines[2] == f"  public key:  {key}.pub  (send it to your centre for its trust list)"
    assert "Priya Castellan" in Path(f"{key}.pub").read_text(encoding="utf-8")


def test_keys_new_will_not_overwrite_a_key(tmp_path):
    key = tmp_path / "a.key"
    run_cli("keys", "new", key)
    before = key.read_bytes()
    run_cli("keys", "new", key, code=2)
    assert key.read_bytes() == before


def test_keys_new_will_not_put_a_key_inside_a_portfolio(sample_copy):
    out = run_cli("keys", "new", sample_copy / "evidence" / "my.key", code=2)
    assert "portfolio" in out
    assert not (sample_copy / "evidence" / "my.key").exists()


def test_keys_new_asks_for_the_passphrase_twice(tmp_path):
    key = tmp_path / "a.key"
    out = run_cli("keys", "new", key, "--passphrase-prompt", input="one\ntwo\n", code=1)
    assert "Error: The two entered values do not match." in out
    assert not key.exists()


def _signable(folder: Path, tmp_path: Path) -> Path:
    run_cli("declare", folder, "--yes")
    run_cli("assess", folder, "A1", "--outcome", "met", *MET_FLAGS)
    key = tmp_path / "assessor.key"
    run_cli("keys", "new", key, "--name", "Priya Castellan")
    return key


def test_an_interim_sign_off_says_how_many_criteria_are_judged(learner, tmp_path):
    key = _signable(learner, tmp_path)
    out = run_cli("sign", learner, "--key", key)
    signoff = open_portfolio(learner).read_assessment().signoff
    assert out.splitlines()[0].startswith("Signed off by Priya Castellan with key ")
    assert f"fingerprint {signoff.manifest.fingerprint}" in out.splitlines()[0]
    assert (
        "This is an INTERIM sign-off: 1 of 21 criteria judged. Sign again once every "
        "criterion is judged." in " ".join(out.split())
    )
    assert out.splitlines()[-1] == f"Check it with: cpc306 verify {learner} --trust CENTRE_KEYS"


def test_the_signers_name_can_be_given(learner, tmp_path):
    key = _signable(learner, tmp_path)
    assert run_cli("sign", learner, "--key", key, "--name", "P. Castellan").startswith(
        "Signed off by P. Castellan "
    )


def test_verify_without_a_trust_list_cannot_say_who_signed(learner, tmp_path):
    key = _signable(learner, tmp_path)
    run_cli("sign", learner, "--key", key)
    out = run_cli("verify", learner, code=7)
    assert "NOT VERIFIED: without the centre's list of its assessors' keys" in out
    assert "Run again with --trust CENTRE_KEYS." in out
    out = run_cli("verify", learner, "--trust", f"{key}.pub")
    assert "OK: everything declared and signed still matches." in out


def test_verify_json_is_the_whole_result(learner, tmp_path):
    key = _signable(learner, tmp_path)
    run_cli("sign", learner, "--key", key)
    data = json.loads(run_cli("verify", learner, "--trust", f"{key}.pub", "--json"))
    assert data["ok"] is True
    assert data["signoff"]["changed"] == [] and data["declaration"]["changed"] == []


def test_a_unit_file_can_relax_what_a_met_needs(learner):
    import hashlib

    from cpc306_portfolio.files.yamlio import dump_yaml, read_yaml

    unit_path = learner / "unit.yaml"
    tree, _ = read_yaml(unit_path)
    tree["assessment_strategy"]["met_requires"] = {
        "rules": ["valid"], "evidence": 0, "feedback": True, "methods": 0
    }  # fmt: skip
    unit_path.write_text(dump_yaml(tree), encoding="utf-8")
    profile_path = learner / "portfolio.yaml"
    profile, _ = read_yaml(profile_path)
    profile["unit_sha256"] = hashlib.sha256(unit_path.read_bytes()).hexdigest()
    profile_path.write_text(dump_yaml(profile), encoding="utf-8")
    out = run_cli("assess", learner, "B1", "--outcome", "met", "--feedback", "ok", code=2)
    assert "without the rules of evidence valid confirmed" in out
    assert "item(s)" not in out and "method(s)" not in out
    run_cli("assess", learner, "B1", "--outcome", "met", "--feedback", "ok", "--valid")


def test_a_not_yet_met_after_the_unit_was_met_says_the_unit_outcome_is_cleared(sample_copy):
    out = run_cli(
        "assess", sample_copy, "B4", "--outcome", "not_yet_met", "--feedback", "Add the risks."
    )
    assert "B4: not yet met" in out
    assert "The unit outcome 'met' no longer holds and is cleared" in out
    assessment = open_portfolio(sample_copy).read_assessment()
    assert assessment.outcome is None and assessment.judgements["B4"].outcome == "not_yet_met"
