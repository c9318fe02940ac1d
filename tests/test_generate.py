"""Writing the learner's notebooks (notebooks/generate.py): parameters, titles, the unit's
own words, what is left alone, relative paths, and how JupyterLab is started."""

from __future__ import annotations

import json
import os
import sys

import nbformat
import pytest

from cpc306_portfolio import NotFoundError, load_standard
from cpc306_portfolio.notebooks import generate
from cpc306_portfolio.notebooks.generate import (
    ASSESSOR_TEMPLATE,
    META_KEY,
    START_NOTEBOOK,
    content_hash,
    generate_notebook,
    lab_command,
    launch_lab,
    learner_changed,
    notebook_names,
    relative_portfolio_path,
    template_names,
    unit_words,
    write_notebooks,
)

from .conftest import DATA

SECOND_UNIT = DATA / "units" / "sgx035.yaml"


def _nb(text: str) -> nbformat.NotebookNode:
    return nbformat.reads(text, as_version=4)


def _parameters(nb: nbformat.NotebookNode) -> str:
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    return cell.source


def test_a_criterion_page_carries_its_parameters_title_and_a_hash_of_its_cells():
    nb = _nb(
        generate_notebook(
            "criterion", {"portfolio": "..", "unit": "CPC 306", "criterion": "B2"}, title="B2: x"
        )
    )
    assert _parameters(nb).splitlines() == [
        'portfolio = ".."',
        'unit = "CPC 306"',
        'criterion = "B2"',
    ]
    assert nb.metadata.title == "B2: x" and nb.cells[0].source == "# B2: x"
    meta = nb.metadata[META_KEY]
    assert (meta.template, meta.criterion, meta.unit) == ("criterion", "B2", "CPC 306")
    assert meta.generated_sha256 == content_hash(nb)
    assert "papermill" not in nb.metadata
    assert not [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert all(c.get("id") for c in nb.cells)


def test_parameters_a_template_does_not_declare_are_left_out():
    nb = _nb(generate_notebook("knowledge", {"portfolio": "..", "unit": "U", "criterion": "A1"}))
    assert "criterion" not in _parameters(nb)
    assert "criterion" not in nb.metadata[META_KEY]


def test_an_unknown_template_says_where_it_was_looked_for_and_how_to_mend_the_install():
    with pytest.raises(NotFoundError, match=r"template missing: .*nope\.ipynb") as caught:
        generate_notebook("nope", {})
    assert "reinstall it" in caught.value.hint


def test_the_units_own_words_fill_the_templates_marks():
    unit = load_standard(SECOND_UNIT)
    words = unit_words(unit)
    assert set(words) == {"protected_people", "keep_out_hint", "identifier_examples"}
    text = generate_notebook("00_start_here", {"portfolio": "..", "unit": unit.code}, words)
    assert "{{ " not in text
    markdown = " ".join(c.source for c in _nb(text).cells if c.cell_type == "markdown")
    assert "CPC 306" not in markdown


def test_a_second_unit_gets_a_page_per_criterion_and_the_same_fixed_pages():
    unit = load_standard(SECOND_UNIT)
    names = notebook_names(unit)
    assert names[0] == START_NOTEBOOK
    assert names[1 : 1 + len(unit.criteria)] == [f"{c}.ipynb" for c in unit.criteria]
    assert names[1 + len(unit.criteria) :] == [
        "knowledge.ipynb",
        "reflection.ipynb",
        "plan.ipynb",
        "assessment_plan.ipynb",
        "export.ipynb",
    ]


def test_writing_leaves_no_temporary_file_and_titles_each_fixed_page(tmp_path, cpc306):
    written = write_notebooks(tmp_path, cpc306, portfolio_path="..")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)
    titles = {p.name: json.loads(p.read_text())["metadata"]["title"] for p in written}
    assert titles["plan.ipynb"] == "Your development plan"
    assert titles["assessment_plan.ipynb"] == "Assessment plan and reviews"
    assert titles["export.ipynb"] == "Sign your declaration and build your portfolio"
    assert titles["A1.ipynb"].startswith("A1: ")


def test_a_notebook_that_is_not_ours_or_not_json_counts_as_changed(tmp_path):
    foreign = tmp_path / "mine.ipynb"
    foreign.write_text(json.dumps({"cells": [], "metadata": {}}), encoding="utf-8")
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ not json", encoding="utf-8")
    assert learner_changed(foreign) and learner_changed(broken)
    assert learner_changed(tmp_path / "missing.ipynb")


def test_a_broken_notebook_in_the_folder_is_kept_not_overwritten(tmp_path, cpc306):
    page = tmp_path / "plan.ipynb"
    page.write_text("{ half-saved", encoding="utf-8")
    report = write_notebooks(tmp_path, cpc306, portfolio_path="..")
    assert page in report.skipped and page.read_text(encoding="utf-8") == "{ half-saved"
    again = write_notebooks(tmp_path, cpc306, portfolio_path="..", overwrite_changed=True)
    assert page in again and json.loads(page.read_text(encoding="utf-8"))["cells"]


def test_the_portfolio_is_named_relative_to_the_notebooks_folder(tmp_path):
    folio = tmp_path / "folio"
    (folio / "notebooks").mkdir(parents=True)
    assert relative_portfolio_path(folio / "notebooks", folio) == ".."
    elsewhere = tmp_path / "shared" / "nbs"
    elsewhere.mkdir(parents=True)
    assert relative_portfolio_path(elsewhere, folio) == "../../folio"
    assert relative_portfolio_path(folio, folio) == "."


def test_jupyterlab_runs_as_root_only_where_the_process_is_root(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    command = lab_command(tmp_path)
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert "--allow-root" in command and command[-1] == START_NOTEBOOK
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert "--allow-root" not in lab_command(tmp_path, "A1.ipynb")
    assert lab_command(tmp_path, "A1.ipynb")[-1] == "A1.ipynb"


def test_launch_lab_runs_in_the_folder_with_the_environment_added(tmp_path, monkeypatch):
    calls = []

    def run(command, **kwargs):
        calls.append((command, kwargs))
        return 5

    monkeypatch.setenv("KEEP_ME", "yes")
    code = launch_lab(tmp_path, env={generate.STANDARD_ENV: "/u.yaml"}, run=run, extra=["--x"])
    assert code == 5
    ((command, kwargs),) = calls
    assert command == [*lab_command(tmp_path), "--x"]
    assert kwargs["cwd"] == str(tmp_path)
    assert kwargs["env"][generate.STANDARD_ENV] == "/u.yaml" and kwargs["env"]["KEEP_ME"] == "yes"


def test_content_hash_sees_tags_but_not_ids_or_outputs(cpc306, tmp_path):
    (path,) = [
        p for p in write_notebooks(tmp_path, cpc306, portfolio_path="..") if p.name == "B1.ipynb"
    ]
    nb = json.loads(path.read_text(encoding="utf-8"))
    before = content_hash(nb)
    for cell in nb["cells"]:
        cell["id"] = "other"
        if cell["cell_type"] == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    assert content_hash(nb) == before
    nb["cells"][0].setdefault("metadata", {})["tags"] = ["mine"]
    assert content_hash(nb) != before


def test_each_notebooks_parameters_name_its_own_page(tmp_path, cpc306):
    seen = set()
    for path in write_notebooks(tmp_path, cpc306, portfolio_path="../folio"):
        nb = nbformat.read(path, as_version=4)
        template = nb.metadata[META_KEY].template
        seen.add(template)
        own = [f'criterion = "{path.stem}"'] if template == "criterion" else []
        expected = ['portfolio = "../folio"', 'unit = "CPC 306"', *own]
        assert _parameters(nb).splitlines() == expected, path.name
        assert path.stem in {template, *cpc306.criteria}
    # the assessor's notebook is kept for their own workspace, never written for a learner
    assert seen == set(template_names()) - {ASSESSOR_TEMPLATE}


def test_the_parameters_cell_is_folded_in_jupyterlab(cpc306):
    nb = nbformat.reads(generate_notebook("criterion", {"portfolio": "..", "criterion": "A2"}), 4)
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert cell.metadata["jupyter"]["source_hidden"] is True
