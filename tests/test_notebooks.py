"""Generating the learner's notebooks, keeping notebooks/ honest, and the lab command."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from cpc306_portfolio import create_portfolio, load_standard, open_portfolio
from cpc306_portfolio.errors import NotFoundError, UsageError
from cpc306_portfolio.notebooks.generate import (
    PORTFOLIO_ENV,
    STANDARD_ENV,
    content_hash,
    lab_command,
    learner_changed,
    notebook_names,
    open_for_notebook,
    template_names,
    write_notebooks,
)

from .conftest import DATA, ROOT, SAMPLE, html_of, profile_fields, run_cli

SECOND_UNIT = DATA / "units" / "sgx035.yaml"
COMMITTED = ROOT / "notebooks"
TEMPLATES = ROOT / "templates" / "notebooks"


def _nb(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _parameters(nb: nbformat.NotebookNode) -> str:
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert not [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    return cell.source


def _any_python(text: bytes) -> bytes:
    """A notebook's bytes with the Python version it names (the generating one's) left out."""
    return re.sub(rb'("pygments_lexer": "ipython3"),\n\s*"version": "[^"]*"', rb"\1", text)


def test_committed_notebooks_are_what_the_templates_generate(tmp_path):
    """Fails when notebooks/ drifts: regenerate with `cpc306 notebooks evidence -o notebooks`."""
    # The sample's own copy of its unit, as `cpc306 notebooks evidence` uses.
    sample_unit = open_portfolio(ROOT / "evidence", readonly=True).standard
    written = write_notebooks(tmp_path, sample_unit, portfolio_path="../evidence")
    assert len(written) == 27
    generated = {p.name: _any_python(p.read_bytes()) for p in tmp_path.glob("*.ipynb")}
    committed = {p.name: _any_python(p.read_bytes()) for p in COMMITTED.glob("*.ipynb")}
    assert sorted(committed) == sorted(generated)
    stale = [name for name in generated if generated[name] != committed[name]]
    assert not stale, f"notebooks/ is stale: {stale}; regenerate it"


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.ipynb")), ids=lambda p: p.name)
def test_templates_are_committed_clean(path):
    nb = _nb(path)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    assert nb.metadata.language_info.name == "python"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_every_template_has_a_parameters_cell():
    for name in template_names():
        nb = _nb(TEMPLATES / f"{name}.ipynb")
        (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert 'portfolio = "../evidence"' in cell.source
        # No unit's code or criterion is a default a learner could see: generation fills them.
        assert 'unit = ""' in cell.source
        assert "CPC" not in cell.source and "A1" not in cell.source
        if name == "criterion":
            assert 'criterion = ""' in cell.source


def test_cpc306_notebooks(tmp_path):
    standard = load_standard()
    written = write_notebooks(tmp_path, standard, portfolio_path="..")
    names = [p.name for p in written]
    assert names == notebook_names(standard)
    assert names[0] == "00_start_here.ipynb"
    assert [n[:-6] for n in names[1:22]] == list(standard.criteria)
    assert names[22:] == [
        "knowledge.ipynb",
        "reflection.ipynb",
        "plan.ipynb",
        "assessment_plan.ipynb",
        "export.ipynb",
    ]
    assert not (tmp_path / "assess.ipynb").exists()  # the assessor's, never a learner's
    c2 = _nb(tmp_path / "C2.ipynb")
    assert 'criterion = "C2"' in _parameters(c2)
    assert 'portfolio = ".."' in _parameters(c2)
    assert c2.metadata.cpc306.criterion == "C2"
    for path in written:
        nb = _nb(path)
        nbformat.validate(nb)
        assert "papermill" not in nb.metadata
        assert all(c.get("outputs", []) == [] for c in nb.cells)
        assert all(c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")


def test_a_second_unit_gets_its_own_notebooks(tmp_path):
    unit = load_standard(SECOND_UNIT)
    written = write_notebooks(tmp_path, unit, portfolio_path="..")
    criteria = [p.stem for p in written if p.stem in unit.criteria]
    assert criteria == list(unit.criteria)
    assert not (tmp_path / "A1.ipynb").exists()
    first = _nb(tmp_path / f"{criteria[0]}.ipynb")
    assert f'criterion = "{criteria[0]}"' in _parameters(first)
    assert 'unit = "SGX 035"' in _parameters(first)


def test_writing_again_changes_nothing(tmp_path):
    write_notebooks(tmp_path, load_standard(), portfolio_path="..")
    before = {p: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    again = write_notebooks(tmp_path, load_standard(), portfolio_path="..")
    assert list(again) == [] and len(again.unchanged) == 27
    assert {p: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before


def test_a_notebook_the_learner_changed_is_never_overwritten(tmp_path):
    write_notebooks(tmp_path, load_standard(), portfolio_path="..")
    a1 = tmp_path / "A1.ipynb"
    nb = _nb(a1)
    nb.cells.append(nbformat.v4.new_markdown_cell("My own notes about A1."))
    nbformat.write(nb, a1)
    mine = a1.read_bytes()
    assert learner_changed(a1)
    # a new portfolio path means every other notebook is regenerated
    report = write_notebooks(tmp_path, load_standard(), portfolio_path="../elsewhere")
    assert report.skipped == [a1]
    assert a1.read_bytes() == mine
    assert len(report) == 26
    assert 'portfolio = "../elsewhere"' in _parameters(_nb(tmp_path / "A2.ipynb"))
    forced = write_notebooks(
        tmp_path, load_standard(), portfolio_path="../elsewhere", overwrite_changed=True
    )
    assert list(forced) == [a1]
    assert not learner_changed(a1)


def test_a_notebook_that_was_only_run_is_updated(tmp_path):
    write_notebooks(tmp_path, load_standard(), portfolio_path="..")
    a1 = tmp_path / "A1.ipynb"
    nb = _nb(a1)
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = i + 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
    nbformat.write(nb, a1)
    assert not learner_changed(a1)
    report = write_notebooks(tmp_path, load_standard(), portfolio_path="..")
    assert list(report) == [a1] and report.skipped == []


def test_a_notebook_without_our_hash_is_left_alone(tmp_path):
    (tmp_path / "A1.ipynb").write_text(json.dumps({"cells": []}), encoding="utf-8")
    report = write_notebooks(tmp_path, load_standard(), portfolio_path="..")
    assert report.skipped == [tmp_path / "A1.ipynb"]


def test_content_hash_ignores_outputs_but_not_sources():
    nb = _nb(COMMITTED / "A1.ipynb")
    stored = nb.metadata.cpc306.generated_sha256
    assert content_hash(nb) == stored
    nb.cells[0].source += " "
    assert content_hash(nb) != stored


def test_open_for_notebook_honours_the_environment(monkeypatch, sample_copy):
    monkeypatch.setenv(PORTFOLIO_ENV, str(sample_copy))
    folio = open_for_notebook("../evidence", "CPC 306")
    assert folio.root == sample_copy.resolve()
    with pytest.raises(UsageError, match="written for SGX 035"):
        open_for_notebook("../evidence", "SGX 035")
    monkeypatch.setenv(PORTFOLIO_ENV, str(sample_copy / "nowhere"))
    with pytest.raises(NotFoundError, match="00_start_here"):
        open_for_notebook("../evidence", "CPC 306")


def test_open_for_notebook_loads_the_unit_file_it_is_given(monkeypatch, tmp_path):
    unit = load_standard(SECOND_UNIT)
    create_portfolio(tmp_path / "sgx", profile_fields(unit="SGX 035"), standard=unit)
    monkeypatch.delenv(PORTFOLIO_ENV, raising=False)
    monkeypatch.setenv(STANDARD_ENV, str(SECOND_UNIT))
    folio = open_for_notebook(str(tmp_path / "sgx"), "SGX 035")
    assert folio.standard.code == "SGX 035"


def test_cli_notebooks_writes_into_the_portfolio(portfolio):
    out = run_cli("notebooks", portfolio.root)
    folder = portfolio.root / "notebooks"
    assert "27 notebook(s) written" in out
    assert 'portfolio = ".."' in _parameters(_nb(folder / "B3.ipynb"))
    assert portfolio.validate() == []  # notebooks/ is not part of the records
    nb = _nb(folder / "B3.ipynb")
    nb.cells[0].source = "mine"
    nbformat.write(nb, folder / "B3.ipynb")
    again = run_cli("notebooks", portfolio.root)
    assert "kept B3.ipynb: you changed it" in again


def test_cli_notebooks_to_another_folder(portfolio, tmp_path):
    out = tmp_path / "elsewhere" / "nbs"
    run_cli("notebooks", portfolio.root, "-o", out)
    assert 'portfolio = "../../folio"' in _parameters(_nb(out / "A1.ipynb"))


def test_cli_lab_writes_then_launches(monkeypatch, portfolio):
    calls = []

    def fake_launch(folder, *, env=None, extra=()):
        calls.append((folder, env))
        return 0

    monkeypatch.setattr("cpc306_portfolio.notebooks.generate.launch_lab", fake_launch)
    run_cli("lab", portfolio.root)
    ((folder, env),) = calls
    assert folder == portfolio.root / "notebooks"
    assert (folder / "00_start_here.ipynb").is_file()
    assert set(env) == {"JUPYTER_CONFIG_PATH"}  # only cpc306 lab's own page config


def test_cli_lab_passes_a_unit_file_to_the_kernels(monkeypatch, tmp_path):
    unit = load_standard(SECOND_UNIT)
    folio = create_portfolio(tmp_path / "sgx", profile_fields(unit="SGX 035"), standard=unit)
    calls = []
    monkeypatch.setattr(
        "cpc306_portfolio.notebooks.generate.launch_lab",
        lambda folder, *, env=None, extra=(): calls.append(env[STANDARD_ENV]) or 3,
    )
    # JupyterLab's own exit code is passed on
    run_cli("--standard", SECOND_UNIT, "lab", folio.root, code=3)
    assert calls == [str(SECOND_UNIT.resolve())]


def test_lab_command_starts_jupyterlab_on_the_folder(tmp_path):
    command = lab_command(tmp_path)
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path}" in command
    assert command[-1] == "00_start_here.ipynb"


@pytest.mark.kernel
def test_a_second_unit_notebook_runs(tmp_path, monkeypatch):
    import papermill

    unit = load_standard(SECOND_UNIT)
    folio = create_portfolio(tmp_path / "sgx", profile_fields(unit="SGX 035"), standard=unit)
    folder = folio.root / "notebooks"
    write_notebooks(folder, unit, portfolio_path="..")
    monkeypatch.setenv(STANDARD_ENV, str(SECOND_UNIT))
    monkeypatch.delenv(PORTFOLIO_ENV, raising=False)
    first = next(iter(unit.criteria))
    done = papermill.execute_notebook(
        str(folder / f"{first}.ipynb"), None, cwd=str(folder), progress_bar=False
    )
    text = json.dumps(done.cells[-1].outputs)  # the page (a widget) was displayed
    assert "application/vnd.jupyter.widget-view+json" in text
    # The page's words live in its widgets, not in the notebook's outputs: build the same
    # page here and read them, to see it speaks of the second unit.
    from cpc306_portfolio.notebooks import pages

    html = " ".join(html_of(pages.criterion_page(str(folio.root), "", first)))
    assert unit.element_of[first].title in html
    assert unit.criteria[first].prompts[0].replace("'", "&#x27;") in html
    assert "CPC 306" not in html


@pytest.mark.kernel
def test_nbval_runs_against_a_copy_of_the_sample(tmp_path):
    """The notebooks/ conftest hook: kernels see a temporary copy, evidence/ is untouched."""
    folder = tmp_path / "nbs"
    folder.mkdir()
    shutil.copy(COMMITTED / "conftest.py", folder / "conftest.py")
    (tmp_path / "evidence").symlink_to(SAMPLE)  # what the hook copies, as in the repository
    probe = nbformat.v4.new_notebook(
        metadata=_nb(COMMITTED / "knowledge.ipynb").metadata,
        cells=[
            nbformat.v4.new_code_cell(
                "import os\n"
                "from pathlib import Path\n"
                "from cpc306_portfolio.notebooks.generate import open_for_notebook\n"
                "folio = open_for_notebook('../evidence', 'CPC 306')\n"
                f"assert folio.root != Path({str(SAMPLE)!r})\n"
                "assert folio.root.parent.name.startswith('cpc306-nbval-')\n"
                "assert (folio.root / 'evidence' / 'E001.yaml').is_file()"
            )
        ],
    )
    nbformat.write(probe, folder / "probe.ipynb")
    env = {k: v for k, v in os.environ.items() if k != PORTFOLIO_ENV}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", str(folder)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_code_is_folded_away_but_the_parameters_and_the_title_name_the_page(tmp_path):
    standard = load_standard()
    write_notebooks(tmp_path, standard, portfolio_path="..")
    for name in notebook_names(standard):
        nb = _nb(tmp_path / name)
        code = [c for c in nb.cells if c.cell_type == "code"]
        shown = [c for c in code if not c.metadata.get("jupyter", {}).get("source_hidden")]
        assert shown == [], name  # the parameters cell too: JupyterLab opens with no code
        assert next(c.metadata.get("tags") for c in code) == ["parameters"], name
        first = nb.cells[0].source.splitlines()[0]
        hint = nb.cells[1]
        assert "lab-only" in hint.metadata.get("tags", []) and "Run All Cells" in hint.source
        if name[:-6] in standard.criteria:
            crit = standard.criteria[name[:-6]]
            assert first == f"# {crit.id}: {crit.text}"
            assert nb.metadata.title == f"{crit.id}: {crit.text}"
            assert f'criterion = "{crit.id}"' in _parameters(nb)
        else:
            assert "$TITLE" not in first and first.startswith("# ")
