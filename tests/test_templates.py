"""Templates have owners: one function finds them, every one is reachable and shipped."""

from __future__ import annotations

import ast
import glob
import tomllib
from pathlib import Path

import pytest

from cpc306_portfolio.errors import NotFoundError
from cpc306_portfolio.files import templates
from cpc306_portfolio.files.templates import OWNERS, template_path, templates_root

from .conftest import ROOT

PACKAGE = ROOT / "cpc306_portfolio"
TREE = ROOT / "templates"
#: The one module allowed to know where templates are installed.
FINDER = PACKAGE / "files" / "templates.py"
#: Modules that find files inside installed packages.
RESOURCE_MODULES = ("importlib.resources", "importlib_resources", "pkg_resources")


def _tree() -> list[Path]:
    """Every template in the repository (the package's ``__init__.py`` is not one)."""
    return sorted(
        p
        for p in TREE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.name != "__init__.py"
    )


def _docstrings(tree: ast.AST) -> set[int]:
    nodes = [tree, *ast.walk(tree)]
    return {
        id(node.body[0].value)
        for node in nodes
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def own_lookups(path: Path, root: Path = ROOT) -> list[str]:
    """Each place a module finds templates by itself rather than through template_path."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in RESOURCE_MODULES:
            found.append(f"{node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Import):
            found += [
                f"{node.lineno}: import {a.name}" for a in node.names if a.name in RESOURCE_MODULES
            ]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docs
            and templates.TEMPLATES_PACKAGE in node.value
        ):
            found.append(f"{node.lineno}: {node.value!r}")
    return [f"{path.relative_to(root)}:{where}" for where in found]


def test_no_module_looks_templates_up_by_itself():
    modules = [p for p in sorted(PACKAGE.rglob("*.py")) if p != FINDER]
    assert len(modules) > 50
    assert own_lookups(FINDER)  # the check sees a lookup where there is one
    offenders = [hit for path in modules for hit in own_lookups(path)]
    assert offenders == [], "find templates with files.templates.template_path(owner, ...)"


def test_the_check_catches_a_lookup_of_its_own(tmp_path: Path):
    for source in (
        'from importlib.resources import files\nfiles("x")\n',
        "import importlib.resources\n",
        'import importlib\nimportlib.import_module("cpc306_portfolio.templates")\n',
    ):
        module = tmp_path / "module.py"
        module.write_text(source, encoding="utf-8")
        assert own_lookups(module, tmp_path), source
    module.write_text('"""Found in ``cpc306_portfolio.templates`` (a docstring may say so)."""\n')
    assert own_lookups(module, tmp_path) == []


def test_every_template_belongs_to_an_owner_and_is_found_through_the_function():
    files = _tree()
    assert len(files) > 40
    assert {p.relative_to(TREE).parts[0] for p in files} == set(OWNERS)
    for path in files:
        owner, *parts = path.relative_to(TREE).parts
        assert len(parts) >= 1, f"{path}: a template sits in its owner's folder"
        assert template_path(owner, *parts) == templates_root() / owner / Path(*parts)  # type: ignore[arg-type]
        assert template_path(owner, *parts).is_file()


def test_the_installed_templates_are_the_repositorys():
    # The editable install the tests run from: a wheel's are checked by installing it.
    assert templates_root() == TREE


def test_every_template_is_loaded_by_the_code_that_owns_it():
    from cpc306_portfolio.cli.notebooks import LAB_CONFIG
    from cpc306_portfolio.cohort import dashboard
    from cpc306_portfolio.notebooks import app, views, workspace
    from cpc306_portfolio.notebooks.generate import template_names
    from cpc306_portfolio.render import exporter, panel, sections
    from cpc306_portfolio.render.report import REPORT_NOTEBOOK

    # Jinja templates: each compiles in the environment of the code that renders it.
    environments = {
        template_path("render", "sections"): sections.environment(),
        template_path("notebooks", "views"): views.environment(),
        template_path("dashboard"): dashboard._environment(),
    }
    read = set()
    for folder, env in environments.items():
        for name in env.list_templates(extensions=["j2"]):
            env.get_template(name)
            read.add(folder / name)
    # Folders handed whole to nbconvert and Voila, and files read by name.
    folders = [
        exporter.template_basedir() / exporter.TEMPLATE_NAME,
        app.template_root() / "voila" / "templates" / app.TEMPLATE,
        template_path("notebooks", LAB_CONFIG),  # cpc306 lab's config folder
    ]
    read |= {
        template_path("render", REPORT_NOTEBOOK),
        template_path("render", *panel.SCRIPT),
        template_path("dashboard", dashboard.SCRIPT_FILE),
        *(template_path("notebooks", f"{name}.ipynb") for name in template_names()),
        template_path("notebooks", f"{workspace.TEMPLATE}.ipynb"),
    }
    unused = [
        str(p.relative_to(TREE))
        for p in _tree()
        if p not in read and not any(p.is_relative_to(f) for f in folders)
    ]
    assert unused == [], "a template no code loads: remove it, or load it through its owner"


def test_every_template_ships_in_the_wheel():
    # setuptools copies package-data by these globs (recursive), and only them
    # (include-package-data is off): a template matching none would be missing when installed.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert setuptools["package-dir"][templates.TEMPLATES_PACKAGE] == "templates"
    assert setuptools["include-package-data"] is False
    patterns = setuptools["package-data"][templates.TEMPLATES_PACKAGE]
    shipped = {
        Path(p) for pattern in patterns for p in glob.glob(str(TREE / pattern), recursive=True)
    }
    assert [str(p.relative_to(TREE)) for p in _tree() if p not in shipped] == []


def test_a_missing_template_says_which_and_what_to_do():
    with pytest.raises(NotFoundError) as caught:
        template_path("render", "no-such.ipynb")
    assert "render/no-such.ipynb" in str(caught.value)
    assert "reinstall" in caught.value.hint
    with pytest.raises(NotFoundError, match="render, notebooks, app, dashboard"):
        template_path("reports", "report.ipynb")  # type: ignore[arg-type]
