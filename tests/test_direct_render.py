"""The direct engine: the report's page without papermill, IPython or nbconvert, the same bytes.

``cpc306 render`` calls the report notebook's functions itself and renders the page
template with Jinja2 (:mod:`cpc306_portfolio.render.direct`, :mod:`.page_template`). These
tests hold that page to nbconvert's, show that a notebook with a cell the direct path
does not know still renders (with papermill), and that a refused render says what is
wrong in plain words on every engine (tests/test_cli_imports.py checks what it imports).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from cpc306_portfolio.errors import RenderError
from cpc306_portfolio.execute.engines import Direct, InProcess, default_engine
from cpc306_portfolio.files.templates import template_path
from cpc306_portfolio.render import direct, render_portfolio
from cpc306_portfolio.render.exporter import export_html
from cpc306_portfolio.render.page_template import render_page
from cpc306_portfolio.render.sections import SECTIONS

from .conftest import run_cli

#: An exception's class name followed by a colon, as a traceback's last line shows it.
CLASS_NAME = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception|Failure|Interrupt)\b")


def _output(kind: str, **fields: object) -> dict[str, object]:
    return {"output_type": kind, **fields}


#: One output of every kind the page template handles, learner-like text in each.
OUTPUTS = [
    _output("display_data", data={"text/html": "<p>ok</p>", "text/plain": "x"}, metadata={}),
    _output("display_data", data={"text/plain": "<b>plain</b> & more"}, metadata={}),
    _output("display_data", data={"text/markdown": "<i>md</i>", "text/plain": "m"}, metadata={}),
    _output("display_data", data={"text/vnd.mermaid": "graph <img>"}, metadata={}),
    _output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "img"}, metadata={}),
    _output("display_data", data={"text/html": ""}, metadata={}),
    _output("execute_result", data={"text/plain": "'<tag>'"}, metadata={}, execution_count=3),
    _output("stream", name="stdout", text="printed <b>\n"),
    _output("error", ename="ValueError", evalue="bad <value>", traceback=["line"]),
]


def _notebook(title: str | None) -> dict[str, object]:
    cells: list[dict[str, object]] = [
        {"cell_type": "markdown", "metadata": {}, "source": "# not shown"},
        {
            "cell_type": "code",
            "metadata": {},
            "source": "1",
            "outputs": OUTPUTS,
            "execution_count": 1,
        },
        {"cell_type": "code", "metadata": {}, "source": "2", "outputs": [], "execution_count": 2},
        {"cell_type": "raw", "metadata": {}, "source": "<script>raw</script>"},
    ]
    for number, cell in enumerate(cells):
        cell["id"] = f"cell-{number}"
    metadata: dict[str, object] = {} if title is None else {"title": title}
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


@pytest.mark.parametrize("title", [None, 'CPC 306 portfolio: <Jo> & "Sam"'])
def test_the_page_template_renders_as_nbconvert_does(title):
    plain = _notebook(title)
    ours = render_page(plain)
    theirs = export_html(nbformat.from_dict(json.loads(json.dumps(plain))))
    assert ours == theirs
    assert "<p>ok</p>" in ours and "&lt;b&gt;plain&lt;/b&gt;" in ours and "raw</script>" not in ours


def test_the_report_notebook_is_made_of_cells_the_direct_path_knows():
    assert direct.report_sections_of_notebook() == tuple(name for name, _ in SECTIONS)


def test_a_notebook_with_another_cell_is_not_taken_directly(tmp_path):
    source = json.loads(template_path("render", "report.ipynb").read_text(encoding="utf-8"))
    source["cells"].append({"cell_type": "code", "metadata": {}, "source": "print(1)"})
    changed = tmp_path / "report.ipynb"
    changed.write_text(json.dumps(source))
    assert direct.report_sections_of_notebook(changed) is None


def test_without_the_direct_path_the_page_is_the_same(sample_copy, tmp_path, monkeypatch):
    fast = render_portfolio(sample_copy, tmp_path / "d.html", engine=Direct())
    monkeypatch.setattr(direct, "report_sections_of_notebook", lambda: None)
    slow = render_portfolio(sample_copy, tmp_path / "p.html", engine=Direct())
    stamp = re.compile(r"<dt>Rendered</dt><dd>[^<]*</dd>")
    assert stamp.sub("", fast.read_text()) == stamp.sub("", slow.read_text())


def test_outside_jupyter_the_default_engine_is_direct():
    assert isinstance(default_engine(), Direct)


@pytest.fixture
def broken(sample_copy: Path) -> Path:
    """The sample with one evidence record that is not valid YAML."""
    (sample_copy / "evidence" / "E999.yaml").write_text("id: E999\ntitle: [\n", encoding="utf-8")
    return sample_copy


@pytest.mark.parametrize("engine", [Direct(), InProcess()], ids=["direct", "in-process"])
def test_a_refused_render_says_why_in_plain_words(broken, tmp_path, engine):
    out = tmp_path / "page.html"
    with pytest.raises(RenderError) as info:
        render_portfolio(broken, out, engine=engine)
    text = str(info.value)
    assert "E999.yaml:3" in text and "not valid YAML" in text and "cpc306 validate" in text
    assert not CLASS_NAME.search(text), text
    assert "cell" not in text
    assert not out.exists()


def test_a_fault_in_a_section_is_named_without_a_class_name(sample_copy, tmp_path, monkeypatch):
    from cpc306_portfolio.render import sections

    def fail(section: str, data: object) -> str:
        raise KeyError("no such part")

    monkeypatch.setattr(sections, "render_section", fail)
    with pytest.raises(RenderError) as info:
        render_portfolio(sample_copy, tmp_path / "page.html", engine=Direct())
    text = str(info.value)
    assert "a fault in the toolkit at the cover section" in text and "no such part" in text
    assert not CLASS_NAME.search(text), text


@pytest.mark.parametrize(
    "command",
    [
        ["render", "{p}", "-o", "{out}"],
        ["validate", "{p}"],
        ["status", "{p}"],
        ["evidence", "list", "{p}"],
        ["scan", "{p}"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_no_command_shows_an_exception_class_name(broken, tmp_path, command):
    args = [a.format(p=broken, out=tmp_path / "page.html") for a in command]
    result = run_cli(*args, code=_code(args))
    assert "E999.yaml" in result
    assert not CLASS_NAME.search(result), result


def _code(args: list[str]) -> int:
    """The exit code each command gives for the broken record (read from a first run)."""
    from click.testing import CliRunner

    from cpc306_portfolio.cli import main

    return CliRunner().invoke(main, args, catch_exceptions=False).exit_code


def test_a_step_past_its_time_limit_stops_the_direct_render(sample_copy, tmp_path, monkeypatch):
    import time

    from cpc306_portfolio.render import sections

    def slow(section: str, data: object) -> str:
        time.sleep(60)
        return ""

    monkeypatch.setattr(sections, "render_section", slow)
    out = tmp_path / "page.html"
    started = time.monotonic()
    with pytest.raises(RenderError, match="timed out") as info:
        render_portfolio(sample_copy, out, engine=Direct(), execution_timeout=5)
    assert time.monotonic() - started < 50  # stopped, not slept out (a loaded machine is slow)
    assert "took longer than 5 seconds" in str(info.value)
    assert not out.exists()
