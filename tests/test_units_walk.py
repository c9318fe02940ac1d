"""Two more units, unlike CPC 306 and unlike each other, walked through every command.

Each portfolio is made with ``init --unit FILE`` from a file whose name says nothing about
its code; the file is then renamed and moved away, so every later command (without
``--standard``) must use the portfolio's own ``unit.yaml``. Nothing any of them prints or
writes may say "CPC 306", or carry CPC 306's sector words.
"""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil
from pathlib import Path

import pytest

from cpc306_portfolio import load_standard

from .conftest import MET_FLAGS, html_of
from .conftest import run_cli as run

UNITS = Path(__file__).parent / "data" / "units"
WALKED = {"HVM 112": UNITS / "hvm112.yaml", "TDW 407": UNITS / "tdw407.yaml"}
#: Words that belong to CPC 306 (or its sector), never to these units.
FOREIGN = re.compile(r"(?-i:CPC ?306)|who uses? services|NHS number|health and social care", re.I)


def assert_own_words(text: str, where: str) -> None:
    found = FOREIGN.search(text)
    assert found is None, (
        f"{where} says {found.group(0)!r}: {text[max(0, found.start() - 80) : found.end() + 80]!r}"
    )


@pytest.fixture(autouse=True)
def _no_unit_from_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CPC306_STANDARD", "CPC306_STANDARD_PATH", "CPC306_PORTFOLIO"):
        monkeypatch.delenv(name, raising=False)


def build(tmp_path: Path, code: str, folder: Path | None = None) -> Path:
    """init -> evidence -> reflection for one unit, the unit file renamed and moved after init."""
    unit = load_standard(WALKED[code])
    given = tmp_path / "downloads" / "centre-unit-v3.yaml"
    given.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(WALKED[code], given)
    portfolio = folder or tmp_path / code.replace(" ", "-").lower()
    out = run(
        "init", str(portfolio), "--unit", str(given), "--name", "Rowan Field",
        "--centre", "Fictional Training Centre", "--assessor", "Alex Assessor",
        "--keep-out", "Wanda Private",
    )  # fmt: skip
    assert f"Created a {code} portfolio" in out
    given.rename(tmp_path / "downloads" / "renamed-and-then-gone.yaml")
    (tmp_path / "downloads" / "renamed-and-then-gone.yaml").unlink()
    assert (portfolio / "unit.yaml").read_bytes() == WALKED[code].read_bytes()

    for element in unit.elements:
        ids = ",".join(c.id for c in element.criteria)
        out = run(
            "evidence", "add", str(portfolio), "--title", f"Work for {element.title}",
            "--date", "2026-05-04", "--method", "product",
            "--description", f"What I did for {element.title.lower()}.",
            "--criteria", ids, "--knowledge", ",".join(unit.knowledge_ids),
        )  # fmt: skip
        assert_own_words(out, "evidence add")
    for crit in unit.assessment_strategy.reflective_account_required:
        run(
            "reflection", "add", str(portfolio), "--model", "free", "--title", "Looking back",
            "--date", "2026-05-05", "--stage", "reflection=What I would change next time.",
            "--criteria", crit,
        )  # fmt: skip
    return portfolio


@pytest.mark.parametrize("code", list(WALKED))
def test_a_unit_walks_from_init_to_verify_without_standard(tmp_path: Path, code: str) -> None:
    unit = load_standard(WALKED[code])
    portfolio = build(tmp_path, code)

    status = run("status", str(portfolio))
    assert f"{unit.code} {unit.title}" in status
    for crit in unit.criteria:
        assert crit in status
    assert_own_words(status, "status")
    assert f"unit {unit.code}" in run("validate", str(portfolio))
    assert_own_words(run("scan", str(portfolio)), "scan")
    assert_own_words(run("standard", "show", str(portfolio / "unit.yaml")), "standard show")

    out = run("declare", str(portfolio), "--yes")
    assert_own_words(out, "declare")
    declared = (portfolio / "portfolio.yaml").read_text(encoding="utf-8")
    assert_own_words(declared, "the declaration")
    if unit.terms.declaration:
        assert " ".join(unit.terms.declaration.split()) in " ".join(declared.split())

    for crit in unit.criteria:
        run("assess", str(portfolio), crit, "--outcome", "met", *MET_FLAGS)
    key = tmp_path / "keys" / "alex.key"
    run("keys", "new", str(key), "--name", "Alex Assessor")
    assert_own_words(run("sign", str(portfolio), "--key", str(key)), "sign")
    verified = run("verify", str(portfolio), "--trust", str(key.with_suffix(".key.pub")))
    assert_own_words(verified, "verify")
    # The copy is part of what was signed: changing it is named.
    copy = portfolio / "unit.yaml"
    copy.write_text(copy.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    out = run("upgrade", str(portfolio), "--adopt-unit")
    assert "unit.yaml" in out
    assert "unit.yaml" in run("verify", str(portfolio), code=7)


@pytest.mark.kernel
@pytest.mark.parametrize("code", list(WALKED))
def test_a_units_notebooks_run_and_render_in_its_own_words(tmp_path: Path, code: str) -> None:
    import papermill

    unit = load_standard(WALKED[code])
    portfolio = build(tmp_path, code)
    out = run("notebooks", str(portfolio))
    assert_own_words(out, "notebooks")
    folder = portfolio / "notebooks"
    first = next(iter(unit.criteria))
    for name in ("00_start_here", first, "knowledge"):
        path = folder / f"{name}.ipynb"
        assert_own_words(path.read_text(encoding="utf-8"), f"{name}.ipynb as written")
        done = papermill.execute_notebook(
            str(path), None, cwd=str(folder), progress_bar=False, kernel_name="python3"
        )
        shown = json.dumps([c.get("outputs", []) for c in done.cells])
        assert "Traceback" not in shown and "Error" not in shown, name
        assert_own_words(shown, f"{name}.ipynb run")
    from cpc306_portfolio.notebooks import pages

    page = pages.criterion_page(str(portfolio), "", first)
    words = " ".join(html_of(page))
    assert htmllib.escape(unit.terms.protected_people) in " ".join(words.split())
    assert_own_words(htmllib.unescape(words), f"{first} page")

    html_path = tmp_path / "out" / f"{code}.html"
    printed = run("render", str(portfolio), "-o", str(html_path))
    assert_own_words(printed, "render")
    html = htmllib.unescape(html_path.read_text(encoding="utf-8"))
    assert unit.title in html and unit.code in html
    assert_own_words(html, "the rendered portfolio")


@pytest.mark.kernel
def test_a_mixed_cohort_batch_renders_both_units_in_their_own_words(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    for code in WALKED:
        build(tmp_path / code.replace(" ", ""), code, cohort / code.replace(" ", "-").lower())
    out_dir = tmp_path / "batch"
    run("batch", str(cohort), "-o", str(out_dir), "--workers", "1")
    status = json.loads((out_dir / "status.json").read_text(encoding="utf-8"))
    assert status["counts"]["rendered"] == 2 and status["counts"]["failed"] == 0
    for code in WALKED:
        key = code.replace(" ", "-").lower()
        html = htmllib.unescape((out_dir / f"{key}.html").read_text(encoding="utf-8"))
        assert load_standard(WALKED[code]).title in html
        assert_own_words(html, f"{key}.html")
    assert_own_words((out_dir / "index.html").read_text(encoding="utf-8"), "the dashboard")
