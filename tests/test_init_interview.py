"""``cpc306 init`` with no flags interviews the learner line by line, keep-out names included."""

from __future__ import annotations

from cpc306_portfolio import open_portfolio

from .conftest import run_cli

ANSWERS = [
    "Robin Testperson",  # name
    "Contracts Officer",  # job title
    "Fictional Borough Council",  # organisation
    "Fictional Centre",  # centre
    "",  # centre number: none
    "Alex Assessor",  # assessor
    "",  # assessor's email: skipped
    "Edith Marlowe",  # keep-out names, one a line ...
    "Tomasz Wren",
    "",  # ... blank to finish
]


def test_init_answered_line_by_line_asks_for_everything_and_keeps_names_out(tmp_path):
    folder = tmp_path / "mine"
    out = run_cli("init", folder, input="\n".join(ANSWERS) + "\n")
    for question in (
        "Your full name",
        "Your job title",
        "Where you work",
        "Your centre",
        "Your assessor",
        "Name to keep out 1",
        "Name to keep out 3",
    ):
        assert question in out, out
    assert "must never be identifiable" in out  # one sentence on why
    folio = open_portfolio(folder)
    profile = folio.profile
    assert profile.learner.job_title == "Contracts Officer"
    assert profile.learner.organisation == "Fictional Borough Council"
    assert profile.centre.number == "" and profile.assessor.email == ""
    assert sorted(folio.keep_out_names()) == ["Edith Marlowe", "Tomasz Wren"]
    on_disk = (folder / "portfolio.yaml").read_text(encoding="utf-8")
    assert "Marlowe" not in on_disk and "Wren" not in on_disk  # hashed, never in clear


def test_init_with_no_names_to_keep_out_says_where_to_add_them(tmp_path):
    answers = [*ANSWERS[:7], ""]
    out = run_cli("init", tmp_path / "p", input="\n".join(answers) + "\n")
    assert "No names yet" in out and "Start here" in out
    assert open_portfolio(tmp_path / "p").keep_out_names() == []


def test_init_with_every_flag_asks_nothing(tmp_path):
    out = run_cli(
        "init", tmp_path / "p", "--name", "N", "--centre", "C", "--assessor", "A", input=""
    )
    assert "keep out" not in out.lower() and "job title" not in out.lower()
