"""``cpc306 app``: the portfolio is opened, then one call serves it (patched here).

As papermill's CLI tests do, the command's one library call (``serve_app``) is replaced,
so what the command passes it is checked without starting Voilà.
"""

from __future__ import annotations

import io
from pathlib import Path

import nbformat
import pytest

from cpc306_portfolio import create_portfolio, load_standard
from cpc306_portfolio.notebooks.generate import STANDARD_ENV

from .conftest import DATA, profile_fields, run_cli

SECOND_UNIT = DATA / "units" / "sgx035.yaml"


@pytest.fixture
def served(monkeypatch) -> list[dict]:
    """What each ``serve_app`` call was given; it says what a served app would, returns 0."""
    calls: list[dict] = []

    def serve_app(folio, **kwargs):
        calls.append({"folio": folio, **kwargs})
        kwargs["echo"]("http://127.0.0.1:1234/voila/render/notebooks/00_start_here.ipynb")
        return 0

    monkeypatch.setattr("cpc306_portfolio.notebooks.app.serve_app", serve_app)
    return calls


def test_app_serves_the_portfolio_and_writes_nothing_into_it(portfolio, served):
    out = run_cli("app", portfolio.root)
    (call,) = served
    assert call["folio"].root == portfolio.root
    assert call["port"] is None and call["open_browser"] is True
    # The app's pages are generated elsewhere (serve_app does it): never in the portfolio.
    assert not (portfolio.root / "notebooks").exists()
    lines = out.splitlines()
    assert lines[0].startswith("http://127.0.0.1:")  # the address first, as scripts read it
    # A clean stop leaves nothing in the temporary folder, Voilà's log included.
    assert isinstance(call["log"], io.BufferedWriter)
    assert not Path(call["log"].name).parent.exists()
    assert "Voilà's log" not in out
    assert STANDARD_ENV not in call["env"]


def test_app_passes_the_port_and_no_browser(portfolio, served):
    run_cli("app", portfolio.root, "--port", "8999", "--no-browser")
    (call,) = served
    assert call["port"] == 8999 and call["open_browser"] is False


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_app_refuses_a_port_outside_1_to_65535(portfolio, served, port):
    out = run_cli("app", portfolio.root, "--port", port, code=2)
    assert "--port" in out
    assert served == []


def test_app_passes_its_exit_code_on_and_keeps_the_log_of_a_failed_run(portfolio, monkeypatch):
    monkeypatch.setattr("cpc306_portfolio.notebooks.app.serve_app", lambda folio, **kwargs: 3)
    out = run_cli("app", portfolio.root, code=3)
    log = Path(out.strip().splitlines()[-1].removeprefix("Voilà's log: "))
    assert log.name == "voila.log" and log.is_file()
    log.unlink()
    log.parent.rmdir()


def test_app_leaves_a_notebook_the_learner_changed_alone(portfolio, served):
    run_cli("notebooks", portfolio.root)
    mine = portfolio.root / "notebooks" / "B3.ipynb"
    nb = nbformat.read(mine, as_version=4)
    nb.cells[0].source = "# My own notes on B3"
    nbformat.write(nb, mine)
    run_cli("app", portfolio.root)
    assert nbformat.read(mine, as_version=4).cells[0].source == "# My own notes on B3"
    # The app serves its own pages, never this folder's: it has nothing to overwrite.
    assert "--overwrite" in run_cli("app", portfolio.root, "--overwrite", code=2)


def test_app_hands_a_unit_file_to_the_kernels_by_its_full_path(tmp_path, served, monkeypatch):
    unit = load_standard(SECOND_UNIT)
    folio = create_portfolio(tmp_path / "sgx", profile_fields(unit="SGX 035"), standard=unit)
    monkeypatch.chdir(SECOND_UNIT.parent)
    run_cli("--standard", SECOND_UNIT.name, "app", folio.root)
    (call,) = served
    assert call["env"][STANDARD_ENV] == str(SECOND_UNIT.resolve())


def test_app_hands_a_unit_code_to_the_kernels_as_given(portfolio, served):
    run_cli("--standard", "CPC 306", "app", portfolio.root)
    (call,) = served
    assert call["env"][STANDARD_ENV] == "CPC 306"


def test_app_on_a_folder_with_no_portfolio_says_how_to_make_one(tmp_path, served):
    out = run_cli("app", tmp_path / "nowhere", code=3)
    assert "not a portfolio" in out and "cpc306 init" in out
    assert served == []
    assert not (tmp_path / "nowhere").exists()


def test_notebooks_overwrite_replaces_a_changed_notebook(portfolio):
    run_cli("notebooks", portfolio.root)
    mine = portfolio.root / "notebooks" / "export.ipynb"
    nb = nbformat.read(mine, as_version=4)
    nb.cells[0].source = "mine"
    nbformat.write(nb, mine)
    out = run_cli("notebooks", portfolio.root, "--overwrite")
    assert out.startswith("1 notebook(s) written, 26 already up to date") and "kept" not in out
    assert nbformat.read(mine, as_version=4).cells[0].source != "mine"
    assert run_cli("notebooks", portfolio.root).startswith("0 notebook(s) written, 27 already")


def test_lab_hands_a_unit_code_to_the_kernels_as_given(portfolio, monkeypatch):
    calls = []
    monkeypatch.setattr(
        "cpc306_portfolio.notebooks.generate.launch_lab",
        lambda folder, *, env=None, extra=(): calls.append((folder, env, extra)) or 0,
    )
    run_cli("--standard", "CPC 306", "lab", portfolio.root, "-o", portfolio.root / "mine")
    ((folder, env, extra),) = calls
    assert folder == portfolio.root / "mine"
    assert env[STANDARD_ENV] == "CPC 306"
    assert "--no-browser" not in extra and "--LabApp.news_url=None" in extra
    assert (folder / "00_start_here.ipynb").is_file()


def test_lab_opens_without_a_browser_or_news_when_asked(portfolio, monkeypatch):
    import json
    import os

    calls = []
    monkeypatch.setattr(
        "cpc306_portfolio.notebooks.generate.launch_lab",
        lambda folder, *, env=None, extra=(): calls.append((env, extra)) or 0,
    )
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "/theirs")
    run_cli("lab", portfolio.root, "--no-browser")
    ((env, extra),) = calls
    assert "--no-browser" in extra
    # The news toast's plugin is off through a config folder of ours, first on the path.
    ours, theirs = env["JUPYTER_CONFIG_PATH"].split(os.pathsep)
    assert theirs == "/theirs"
    config = json.loads((Path(ours) / "labconfig" / "page_config.json").read_text())
    assert config["disabledExtensions"] == {"@jupyterlab/apputils-extension:announcements": True}
