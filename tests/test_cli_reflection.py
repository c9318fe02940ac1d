"""``cpc306 reflection add|list|show``: stages from options and files, drafts, listings."""

from __future__ import annotations

import json

from cpc306_portfolio import create_portfolio, open_portfolio

from .conftest import profile_fields, run_cli

LONG = "I checked the provider's records against the contract and wrote down each gap I found."


def _add(folio, *extra: str, code: int = 0) -> str:
    return run_cli(
        "reflection",
        "add",
        folio.root,
        "--model",
        "driscoll",
        "--title",
        "After the improvement notice",
        "--date",
        "2026-06-10",
        *extra,
        code=code,
    )


def test_every_stage_written_is_saved_as_a_finished_account(portfolio):
    out = _add(
        portfolio,
        "--stage",
        f"what={LONG}",
        "--stage",
        f"so_what={LONG}",
        "--stage",
        f"now_what={LONG}",
        "--criteria",
        "B7",
    )
    assert out.splitlines()[0] == "Added R001: After the improvement notice"
    assert "draft" not in out
    record = open_portfolio(portfolio.root).read_reflection("R001")
    assert not record.draft and record.criteria == ["B7"]
    assert record.stages == {"what": LONG, "so_what": LONG, "now_what": LONG}


def test_a_stage_left_short_or_empty_keeps_the_account_a_draft_and_says_why(portfolio):
    out = _add(portfolio, "--stage", f"what={LONG}", "--stage", "so_what=Too short.")
    assert "Added R001" in out
    assert (
        "saved as a draft: So what? is very short (2 words); Now what? is empty "
        "(cpc306 status lists it)" in " ".join(out.split())
    )
    assert open_portfolio(portfolio.root).read_reflection("R001").draft


def test_a_stage_can_be_read_from_a_file(portfolio, tmp_path):
    text = tmp_path / "so-what.txt"
    text.write_text(LONG + "\nA second line.\n", encoding="utf-8")
    _add(portfolio, "--stage", f"what={LONG}", "--stage-file", f"so_what={text}")
    stages = open_portfolio(portfolio.root).read_reflection("R001").stages
    assert stages["so_what"].startswith(LONG) and "A second line." in stages["so_what"]


def test_a_stage_without_equals_names_the_flag_and_the_models_stages(portfolio):
    for flag in ("--stage", "--stage-file"):
        out = _add(portfolio, flag, "what", code=2)
        assert f"{flag} 'what' needs the form STAGE=TEXT" in out
        assert "what, so_what, now_what" in out
    assert open_portfolio(portfolio.root).reflection_ids() == []


def test_an_unknown_model_lists_the_choices(portfolio):
    out = run_cli(
        "reflection",
        "add",
        portfolio.root,
        "--model",
        "proust",
        "--title",
        "x",
        "--date",
        "2026-06-10",
        code=2,
    )
    assert "'proust' is not one of" in out and "'driscoll'" in out and "'gibbs'" in out


def test_add_json_prints_the_new_record(portfolio):
    data = json.loads(_add(portfolio, "--stage", f"what={LONG}", "--json"))
    assert data["id"] == "R001" and data["model"] == "driscoll" and data["draft"] is True
    assert data["stages"]["what"] == LONG


def test_a_listed_name_in_a_stage_is_refused_until_acknowledged(tmp_path):
    folio = create_portfolio(tmp_path / "p", profile_fields(keep_out=["Edith Marlowe"]))
    out = _add(folio, "--stage", f"what=I visited Edith Marlowe at home. {LONG}", code=5)
    assert "not saved" in out and "Marlowe" not in out
    assert open_portfolio(folio.root).reflection_ids() == []
    fingerprint = out.split("[")[-1].split("]")[0]
    out = _add(
        folio,
        "--stage",
        f"what=I visited Edith Marlowe at home. {LONG}",
        "--acknowledge",
        f"{fingerprint}=she agreed to be named in my portfolio",
    )
    assert "Added R001" in out


def test_list_shows_a_table_and_json(portfolio):
    _add(portfolio, "--stage", f"what={LONG}", "--criteria", "B7")
    table = run_cli("reflection", "list", portfolio.root)
    assert "Reflective accounts (1)" in table
    assert "R001" in table and "2026-06-10" in table and "driscoll" in table and "B7" in table
    (data,) = json.loads(run_cli("reflection", "list", portfolio.root, "--json"))
    assert data["id"] == "R001" and data["criteria"] == ["B7"]


def test_an_empty_portfolio_lists_no_accounts(portfolio):
    assert "Reflective accounts (0)" in run_cli("reflection", "list", portfolio.root)
    assert json.loads(run_cli("reflection", "list", portfolio.root, "--json")) == []


def test_show_finds_an_account_by_id_in_any_case(portfolio):
    _add(portfolio, "--stage", f"what={LONG}")
    out = run_cli("reflection", "show", portfolio.root, "r001")
    assert "R001" in out and "After the improvement notice" in out
    data = json.loads(run_cli("reflection", "show", portfolio.root, "R001", "--json"))
    assert data["stages"]["what"] == LONG


def test_show_an_unknown_id_lists_the_ones_there_are(portfolio):
    _add(portfolio, "--stage", f"what={LONG}")
    out = run_cli("reflection", "show", portfolio.root, "R009", code=3)
    assert "no such record R009" in out and "R001" in out


def test_a_stage_file_that_is_not_there_is_named_with_its_option(portfolio, tmp_path):
    missing = tmp_path / "nowhere.txt"
    out = _add(portfolio, "--stage-file", f"so_what={missing}", code=2)
    assert f"{missing}: no such file" in out
    assert "check the path given to --stage-file" in out
    assert open_portfolio(portfolio.root).reflection_ids() == []
