"""The command line at a real terminal (a pseudo-terminal): what it asks for when an option
is missing, and the editor it opens for each stage of a reflective account.

CliRunner's input is never a terminal, so these run ``python -m cpc306_portfolio.cli`` as
a learner would, with the answers typed ahead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cpc306_portfolio import open_portfolio

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")


def _at_terminal(*args: str | Path, typed: str = "", env: dict[str, str] | None = None):
    """Run ``cpc306 ARGS`` on a pseudo-terminal with ``typed`` waiting; (exit code, screen)."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "cpc306_portfolio.cli", *map(str, args)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "TERM": "dumb", **(env or {})},
        close_fds=True,
    )
    os.close(slave)
    if typed:
        os.write(master, typed.encode())
    screen = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed: the command has ended
            break
        if not chunk:
            break
        screen += chunk
    os.close(master)
    return process.wait(timeout=60), screen.decode(errors="replace").replace("\r\n", "\n")


def test_init_at_a_terminal_asks_for_each_missing_detail(tmp_path):
    folder = tmp_path / "mine"
    code, screen = _at_terminal(
        "init", folder, typed="Robin Testperson\n\n\nFictional Centre\n\nAlex Assessor\n\n\n"
    )
    assert code == 0, screen
    for question in ("Your full name: ", "Your centre: ", "Your assessor: "):
        assert question in screen
    assert "Created a CPC 306 portfolio for Robin Testperson" in screen
    profile = open_portfolio(folder).profile
    assert (profile.learner.name, profile.centre.name, profile.assessor.name) == (
        "Robin Testperson",
        "Fictional Centre",
        "Alex Assessor",
    )


def test_init_at_a_terminal_asks_only_for_what_was_not_given(tmp_path):
    folder = tmp_path / "mine"
    code, screen = _at_terminal(
        "init",
        folder,
        "--name",
        "Robin Testperson",
        "--centre",
        "C",
        typed="\n\n\nAlex Assessor\n\n\n",
    )
    assert code == 0, screen
    assert "Your full name" not in screen and "Your centre" not in screen
    assert "Your assessor: " in screen
    assert open_portfolio(folder).profile.assessor.name == "Alex Assessor"


def _reflection_typed_in_the_editor(tmp_path: Path):
    run = _at_terminal("init", tmp_path / "p", "--name", "R T", "--centre", "C", "--assessor", "A")
    assert run[0] == 0, run[1]
    # The "editor" appends the stage's text under the prompt click wrote in the file.
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\n"
        "path = sys.argv[1]\n"
        "head = open(path, encoding='utf-8').read()\n"
        "stage = head.split(':')[0].lstrip('# ')\n"
        "with open(path, 'a', encoding='utf-8') as f:\n"
        "    f.write(f'Typed in the editor for {stage}.\\n')\n",
        encoding="utf-8",
    )
    command = f"{sys.executable} {editor}"
    code, screen = _at_terminal(
        "reflection",
        "add",
        tmp_path / "p",
        "--model",
        "driscoll",
        "--title",
        "After the notice",
        "--date",
        "2026-06-10",
        env={"EDITOR": command, "VISUAL": command},
    )
    assert code == 0, screen
    return open_portfolio(tmp_path / "p").read_reflection("R001"), screen


def test_a_reflection_without_stages_at_a_terminal_opens_the_editor_for_each(tmp_path):
    record, screen = _reflection_typed_in_the_editor(tmp_path)
    assert screen.startswith("Added R001: After the notice")
    assert set(record.stages) == {"what", "so_what", "now_what"}
    for title in ("What?", "So what?", "Now what?"):
        stage = {"What?": "what", "So what?": "so_what", "Now what?": "now_what"}[title]
        assert f"Typed in the editor for {title}." in record.stages[stage]


def test_the_prompt_shown_in_the_editor_is_not_saved_as_the_learners_words(tmp_path):
    record, _screen = _reflection_typed_in_the_editor(tmp_path)
    assert record.stages["what"] == "Typed in the editor for What?."
