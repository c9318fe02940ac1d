from __future__ import annotations

import inspect

import cpc306_portfolio


def test_all_is_honest():
    names = cpc306_portfolio.__all__
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(cpc306_portfolio, name), name


def test_every_public_name_imported_is_exported():
    public = {
        name
        for name, obj in vars(cpc306_portfolio).items()
        if not name.startswith("_") and not inspect.ismodule(obj)
    }
    assert public <= set(cpc306_portfolio.__all__)


def test_three_line_script(tmp_path):
    folio = cpc306_portfolio.create_portfolio(
        tmp_path / "p",
        {
            "unit": "CPC 306",
            "learner": {"name": "A"},
            "centre": {"name": "B"},
            "assessor": {"name": "C"},
        },
    )
    assert cpc306_portfolio.open_portfolio(folio.root).validate() == []


def _type_checking_imports() -> dict[str, str]:
    """Name -> module of the imports under ``if TYPE_CHECKING:`` in the package root."""
    import ast

    source = inspect.getsource(cpc306_portfolio)
    for node in ast.parse(source).body:
        test = getattr(node, "test", None)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(test):
            return {
                alias.name: "." * imp.level + (imp.module or "")
                for imp in node.body
                if isinstance(imp, ast.ImportFrom)
                for alias in imp.names
            }
    return {}


def test_the_lazy_names_and_the_type_checking_imports_agree():
    from cpc306_portfolio import _WHERE

    assert _type_checking_imports() == _WHERE
    assert set(_WHERE) <= set(cpc306_portfolio.__all__)


def test_importing_the_package_loads_nothing_heavy():
    import subprocess
    import sys

    probe = (
        "import sys, cpc306_portfolio; "
        "print(' '.join(m for m in ('pandas', 'pydantic', 'nbconvert', 'papermill', "
        "'cryptography', 'pypdf', 'ruamel.yaml') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
    assert cpc306_portfolio.open_portfolio.__name__ == "open_portfolio"  # and it still hands on


def test_every_error_a_user_can_meet_is_exported_and_derives_from_the_root():
    from cpc306_portfolio.errors import PortfolioError, error_classes

    for cls in error_classes():
        assert getattr(cpc306_portfolio, cls.__name__) is cls
        assert issubclass(cls, PortfolioError)
    for name in ("ConflictError", "FileSystemError", "UnsafeFileError", "ProblemsError"):
        assert name in cpc306_portfolio.__all__


def test_the_status_the_cli_the_cohort_and_the_notebooks_share(sample_copy):
    folio = cpc306_portfolio.open_portfolio(sample_copy)
    state = cpc306_portfolio.portfolio_status(folio)
    assert [r.id for r in state.evidence] == folio.evidence_ids()
    assert state.progress.criteria_total == len(folio.standard.criteria)
    # the pandas tables are the same rows, made on first use
    table = state.coverage.criteria
    assert list(table["criterion"]) == [row["criterion"] for row in state.rows.criteria]
    assert list(table["status"]) == [row["status"] for row in state.rows.criteria]
    direct = cpc306_portfolio.compute_coverage(
        folio.standard, state.evidence, state.reflections, state.assessment,
        assessor=state.assessor,
    )  # fmt: skip
    assert direct.progress == state.progress


def test_no_exception_a_user_can_meet_escapes_the_one_root():
    """Every public exception class in the package derives from PortfolioError.

    Private ones (``_CellTimeout``, fastyaml's ``_Bail``) steer control flow inside one
    module and never leave it.
    """
    import ast
    import importlib
    from pathlib import Path

    from cpc306_portfolio.errors import PortfolioError

    package = Path(cpc306_portfolio.__file__).parent
    escaping = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
        if not classes:
            continue
        module = ".".join(path.relative_to(package.parent).with_suffix("").parts)
        loaded = importlib.import_module(module.removesuffix(".__init__"))
        for name in classes:
            cls = getattr(loaded, name)
            if (
                isinstance(cls, type)
                and issubclass(cls, BaseException)
                and not name.startswith("_")
                and not issubclass(cls, PortfolioError)
            ):
                escaping.append(f"{module}.{name}")
    assert escaping == []
