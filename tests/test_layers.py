"""The parts of the package import one way: from the command line down to the files.

The layers are written once, here, top first. A module may import its own part and any
part in a lower layer; parts that share a layer are peers and never import each other.
The package root (``cpc306_portfolio/__init__.py``, the public API) sits above them all.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cpc306_portfolio"

LAYERS: list[tuple[str, ...]] = [
    ("cli",),
    ("notebooks", "cohort"),
    ("centre",),
    ("render",),
    ("assessor",),
    ("analysis",),
    ("portfolio",),
    ("standard", "confidentiality", "execute"),
    ("files",),
    ("errors", "version", "deferred"),
]
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}


def _part_of(module: str) -> str | None:
    """The part a dotted module path inside the package belongs to (None for the root)."""
    first = module.split(".")[0] if module else ""
    return first or None


def _module_name(path: Path, root: Path) -> tuple[str, bool]:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def imports_of(path: Path, root: Path) -> list[tuple[int, str]]:
    """Every in-package module this file imports (relative or absolute), with its line."""
    module, is_package = _module_name(path, root)
    here = module.split(".") if module else []
    if not is_package:
        here = here[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module and node.module.split(".")[0] == "cpc306_portfolio":
                target = node.module.removeprefix("cpc306_portfolio").lstrip(".")
            else:
                continue
            if not target:  # "from . import x" at the root: x names a part
                found += [(node.lineno, alias.name) for alias in node.names]
            else:
                found.append((node.lineno, target))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "cpc306_portfolio":
                    found.append(
                        (node.lineno, alias.name.removeprefix("cpc306_portfolio").lstrip("."))
                    )
    return found


def wrong_way_imports(root: Path = PACKAGE) -> list[str]:
    """Each import that runs upwards or sideways between parts, as ``file:line: a -> b``."""
    out = []
    for path in sorted(root.rglob("*.py")):
        module, _ = _module_name(path, root)
        part = _part_of(module)
        if part is None:
            continue  # the public API may import everything
        for line, target in imports_of(path, root):
            other = _part_of(target)
            if other is None or other not in RANK:
                out.append(f"{path.relative_to(root)}:{line}: {part} -> the package root")
            elif other != part and RANK[other] <= RANK[part]:
                out.append(f"{path.relative_to(root)}:{line}: {part} -> {other}")
    return out


def test_every_part_has_a_layer():
    parts = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()}
    parts = {p for p in parts if not p.startswith("_") and (PACKAGE / p).is_dir()}
    parts |= {p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("_")}
    parts -= {"schemas"}  # shipped JSON, no code
    assert parts == set(RANK), "give each sub-package a layer in LAYERS (tests/test_layers.py)"


def test_imports_run_one_way():
    assert wrong_way_imports() == []


@pytest.mark.parametrize(
    ("where", "line", "expected"),
    [
        ("files/atomic.py", "from ..portfolio.store import Portfolio", "files -> portfolio"),
        ("cohort/batch.py", "from ..notebooks import views", "cohort -> notebooks"),
        ("portfolio/store.py", "from .. import __version__", "the package root"),
        ("render/report.py", "import cpc306_portfolio.cli", "render -> cli"),
    ],
)
def test_a_wrong_way_import_is_caught(tmp_path, where, line, expected):
    import shutil

    copy = tmp_path / "cpc306_portfolio"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / where
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    found = wrong_way_imports(copy)
    assert len(found) == 1 and expected in found[0], found


def test_no_module_is_much_over_400_lines():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420
    }
    assert long == {}, "split these along their seams"


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Each module of the package and the modules of the package it imports (any import)."""
    modules = {_module_name(p, root)[0]: p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = set()
        for _, target in imports_of(path, root):
            while target and target not in modules:  # "pkg.mod.name" -> "pkg.mod"
                target = target.rpartition(".")[0]
            if target != module:
                targets.add(target)
        graph[module] = targets
    return graph


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every set of modules that import each other, however indirectly (Tarjan's SCCs)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph.get(module, ()):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            circle = []
            while True:
                popped = stack.pop()
                circle.append(popped)
                if popped == module:
                    break
            if len(circle) > 1:
                circles.append(sorted(circle))

    for module in graph:
        if module not in index:
            visit(module)
    return circles


def test_no_module_imports_itself_back_through_others():
    # Imports inside functions and under TYPE_CHECKING count too: a circle is a circle.
    assert import_circles(import_graph()) == []


def test_a_circle_is_caught(tmp_path):
    import shutil

    copy = tmp_path / "cpc306_portfolio"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / "portfolio" / "layout.py"
    target.write_text(
        target.read_text(encoding="utf-8") + "\ndef f():\n    from .folio import Portfolio\n",
        encoding="utf-8",
    )
    circles = import_circles(import_graph(copy))
    assert len(circles) == 1 and {"portfolio.layout", "portfolio.folio"} <= set(circles[0])


def test_the_portfolio_holds_its_parts_rather_than_inherits_them():
    from cpc306_portfolio import Portfolio

    own = [c for c in Portfolio.__mro__ if c.__module__.startswith("cpc306_portfolio")]
    assert len(own) <= 2, own
