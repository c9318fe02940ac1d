"""The assessor's portfolio: content, links, safety and the papermill/nbconvert pipeline.

Most tests build the page from ``report_sections`` and ``export_html`` without a kernel;
the tests marked ``kernel`` run the report notebook through papermill end to end.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from cpc306_portfolio import (
    Acknowledgement,
    RenderError,
    UsageError,
    create_portfolio,
    declare,
    judge,
    load_standard,
    new_key,
    open_portfolio,
    reflection_model,
    render_portfolio,
    set_feedback,
    sign_off,
)
from cpc306_portfolio.render import SECTIONS, export_html, report_sections
from cpc306_portfolio.render.attachments import image_type
from cpc306_portfolio.render.panel import DATA_ID, panel_script

from .conftest import (
    ROOT,
    before_assessment,
    cli_result,
    evidence_fields,
    profile_fields,
    reflection_fields,
    run_cli,
    snapshot,
)

# Payloads the report must show as text and never run.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "</textarea><script>alert(2)</script>",
    "<svg onload=alert(1)>",
    "{{7*7}}",
    "[click me](javascript:alert(1))",
    '"><iframe src="https://evil.example/"></iframe>',
    "<style>@import url(https://evil.example/x.css);</style>",
    "![x](https://evil.example/pixel.png)",
]
PAYLOAD = " ".join(PAYLOADS)


class _Page(HTMLParser):
    """Every tag with its attributes, the text of <style>, and the ids on the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)

    @property
    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if "id" in a}


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def page_of(portfolio: Path | str, trust: Path | None = None) -> str:
    """The page ``render_portfolio`` writes, built without a kernel (same sections, template)."""
    outputs = [
        new_output("display_data", data={"text/html": html, "text/plain": "<HTML>"})
        for _, html in report_sections(portfolio, trust=trust)
    ]
    notebook = new_notebook(cells=[new_code_cell("", outputs=outputs)])
    notebook.metadata["title"] = "Portfolio"
    return export_html(notebook)


def external_urls(page: _Page) -> list[str]:
    """Every URL that would reach outside the file: anything but #anchors and data: URIs."""
    found = []
    for tag, attrs in page.tags:
        for name in (
            "src",
            "href",
            "srcset",
            "action",
            "formaction",
            "poster",
            "data",
            "xlink:href",
        ):
            value = attrs.get(name, "").strip()
            if name in attrs and not (value.startswith("#") or value.startswith("data:")):
                found.append(f"<{tag} {name}={value!r}>")
        if "style" in attrs:
            found += _css_urls(attrs["style"])
    for css in page.styles:
        found += _css_urls(css)
    return found


def _css_urls(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out = [f"@import {m}" for m in re.findall(r"@import[^;]*", css)]
    out += [f"import({m})" for m in re.findall(r"import\(([^)]*)\)", css)]
    out += [
        f"url({m})"
        for m in re.findall(r"url\(\s*['\"]?([^'\")]*)", css)
        if not m.startswith("data:")
    ]
    return out


def article(html: str, anchor: str) -> str:
    """The HTML of the <article> with this id (articles are never nested)."""
    match = re.search(rf'<article [^>]*id="{re.escape(anchor)}".*?</article>', html, re.S)
    assert match, f"no article {anchor}"
    return match.group(0)


@pytest.fixture(scope="module")
def sample_page() -> str:
    return page_of(ROOT / "evidence")


# The page itself ----------------------------------------------------------------------


def scripts(html: str) -> list[tuple[str, str]]:
    """Every <script> element as (its type attribute, its exact text)."""
    return [
        (m.group(1) or "", m.group(2))
        for m in re.finditer(r'<script(?: type="([^"]*)")?[^>]*>(.*?)</script>', html, re.S)
    ]


def test_the_page_loads_nothing_from_anywhere(sample_page):
    page = parse(sample_page)
    assert external_urls(page) == []
    # Our one script, and the inert data block it reads; nothing else.
    assert [t for t, _ in scripts(sample_page)] == ["application/json", ""]
    assert scripts(sample_page)[1][1] == panel_script()
    assert sample_page.lower().count("<script") == 2
    assert not any(tag in {"iframe", "object", "embed", "link", "base"} for tag, _ in page.tags)


def test_the_content_security_policy_comes_first_in_head(sample_page):
    page = parse(sample_page)
    tags = [t for t, _ in page.tags]
    first = page.tags[tags.index("head") + 1]
    assert first[0] == "meta"
    assert first[1]["http-equiv"] == "Content-Security-Policy"
    policy = {d.split()[0]: d.split()[1:] for d in first[1]["content"].split(";") if d.strip()}
    assert policy["default-src"] == ["'none'"]
    assert policy["img-src"] == ["data:"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'none'"]
    # Exactly one script is allowed, by the hash of its exact text; nothing unsafe.
    (only,) = policy["script-src"]
    digest = hashlib.sha256(scripts(sample_page)[1][1].encode("utf-8")).digest()
    assert only == "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
    assert "unsafe" not in first[1]["content"].replace("style-src 'unsafe-inline'", "")


def test_external_url_check_can_fail():
    page = parse(
        '<img src="https://x.example/a.png"><a href="//cdn.example/">x</a>'
        '<style>@import "y.css"; body{background:url(z.png)}</style><a href="#ok">ok</a>'
    )
    assert len(external_urls(page)) == 4


def test_every_criterion_scope_option_and_knowledge_item_is_shown(sample_page):
    unit = load_standard("CPC 306")
    ids = parse(sample_page).ids
    assert len(unit.criteria) == 21
    for crit in unit.criteria:
        assert f"crit-{crit}" in ids
    for option in unit.scope_options:
        assert "scope-" + option.replace("/", "-") in ids
    for item in unit.knowledge_ids:
        assert f"know-{item}" in ids
    for section, _ in SECTIONS:
        assert f"section-{section}" in ids


def test_undefined_knowledge_items_are_never_gaps(sample_page):
    ids = parse(sample_page).ids
    assert "know-K3" not in ids and "know-K9" not in ids
    assert "does not define K3 or K9" in sample_page


def test_every_item_of_evidence_and_every_reflection_stage_is_shown(sample_page):
    folio = open_portfolio(ROOT / "evidence")
    for record in folio.evidence():
        body = article(sample_page, f"rec-{record.id}")
        assert record.title.replace("'", "&#39;") in body
    for record in folio.reflections():
        body = article(sample_page, f"rec-{record.id}")
        for stage in reflection_model(record.model).stages:
            assert f"<h4>{stage.title}</h4>" in body


def test_links_go_both_ways_between_criteria_and_evidence(sample_page):
    folio = open_portfolio(ROOT / "evidence")
    records = [*folio.evidence(), *folio.reflections()]
    assert records
    for record in records:
        body = article(sample_page, f"rec-{record.id}")
        for crit in record.criteria:
            assert f'href="#crit-{crit}"' in body
            assert f'href="#rec-{record.id}"' in article(sample_page, f"crit-{crit}")
    # and no link points at nothing
    page = parse(sample_page)
    targets = {a["href"][1:] for _, a in page.tags if a.get("href", "").startswith("#")}
    assert targets <= page.ids


def test_status_is_shown_in_words_and_symbols(sample_page):
    glance = sample_page[sample_page.index('id="section-glance"') :]
    glance = glance[: glance.index("</section>")]
    assert "Ready for assessment" in glance
    assert "●" in glance
    assert 'class="status status-ready"' in glance


def test_attachments_are_inline_text_or_downloadable(sample_page):
    page = parse(sample_page)
    images = [a for t, a in page.tags if t == "img"]
    assert images and all(a["src"].startswith("data:image/png;base64,") for a in images)
    assert all(a.get("alt") for a in images)
    downloads = {a["download"]: a["href"] for t, a in page.tags if t == "a" and "download" in a}
    pdf = downloads["improvement-notice-NBC-ASC-HC-07.pdf"]
    assert pdf.startswith("data:application/pdf;base64,")
    assert downloads["monthly-figures.csv"].startswith("data:application/octet-stream;base64,")
    evidence = article(sample_page, "rec-E012")
    assert "attached-text" in evidence  # the PDF's text, extracted
    assert "attached-table" in article(sample_page, "rec-E018")  # the CSV as a table


def test_the_names_to_keep_out_are_never_shown(sample_page, tmp_path):
    names = open_portfolio(ROOT / "evidence").profile.keep_out
    assert names
    for name in names:
        assert name.lower() not in sample_page.lower()
        assert name.split()[-1].lower() not in sample_page.lower()
    # Even when the learner acknowledged a finding and kept a listed name in the text.
    folio = create_portfolio(tmp_path / "p", profile_fields(keep_out=["Mrs Ivy Example"]))
    fields = evidence_fields(description="I met Mrs Ivy Example, and Ivy Example agreed.")
    draft = folio.draft("evidence", fields)
    acks = [
        Acknowledgement.of(f, "the provider's director").model_dump() for f in folio.findings(draft)
    ]
    assert acks
    folio.add_evidence({**fields, "confidentiality": acks})
    html = page_of(folio.root)
    assert "Ivy Example" not in html
    assert "[name withheld]" in html


# Learner text is never run ---------------------------------------------------------------


def _hostile(tmp_path: Path) -> Path:
    """A portfolio whose every text field holds the payloads (no identifiers in them)."""
    profile = profile_fields(
        learner={"name": PAYLOAD, "job_title": PAYLOAD, "organisation": PAYLOAD},
        centre={"name": PAYLOAD, "number": PAYLOAD},
        assessor={"name": PAYLOAD},
        keep_out=[],
    )
    folio = create_portfolio(tmp_path / "hostile", profile)
    files = tmp_path / "files"
    files.mkdir()
    svg = files / "photo.png"  # an SVG that says it is a PNG
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
    )
    (files / "notes.txt").write_text(PAYLOAD)
    (files / "page.html").write_text(f"<html><body>{PAYLOAD}</body></html>")
    (files / "table.csv").write_text(f'a,b\n"{PAYLOAD}",x\n')
    record = folio.add_evidence(
        evidence_fields(
            title=PAYLOAD,
            description=PAYLOAD,
            method="observation",
            witness={
                "name": PAYLOAD,
                "role": PAYLOAD,
                "organisation": PAYLOAD,
                "contact": PAYLOAD,
                "statement": PAYLOAD,
            },
            self_directed_support={
                "directing_own_support": True,
                "agreed": True,
                "notes": PAYLOAD,
            },
            criteria=["A1", "B2", "C6"],
        ),
        attach=[svg, files / "notes.txt", files / "page.html", files / "table.csv"],
    )
    folio.attach(record.id, files / "notes.txt", description=PAYLOAD)
    folio.add_reflection(
        reflection_fields(
            title=PAYLOAD,
            stages={s.id: PAYLOAD for s in reflection_model("gibbs").stages},
        )
    )
    judge(folio, "A1", "not_yet_met", feedback=PAYLOAD)
    set_feedback(folio, PAYLOAD)
    # An attachment whose very name is a payload, as a hand-edited file could hold it.
    name = "<img src=x onerror=alert(1)>.txt"
    (folio.evidence_dir / record.id / name).write_text(PAYLOAD)
    path = folio.record_path(record.id)
    text = path.read_text()
    digest = hashlib.sha256(PAYLOAD.encode()).hexdigest()
    entry = (
        f"  - path: {json.dumps(record.id + '/' + name)}\n"
        f"    sha256: {digest}\n    size: {len(PAYLOAD.encode())}\n"
        f"    media_type: image/svg+xml\n    description: {json.dumps(PAYLOAD)}\n"
    )
    path.write_text(text.replace("attachments:\n", "attachments:\n" + entry, 1))
    assert open_portfolio(folio.root).validate() == []
    return folio.root


def _ours(tag: str, attrs: dict[str, str]) -> bool:
    """The assessment panel's own elements: its script, data block and text boxes."""
    if tag == "script":
        return attrs == {} or attrs == {"type": "application/json", "id": DATA_ID}
    if tag == "textarea":
        return attrs.get("id", "").startswith(("feedback-", "overall-feedback"))
    return False


def _learner_markup(page: _Page) -> list[str]:
    """Anything on the page that could run or load: script, handlers, foreign tags."""
    bad = []
    for tag, attrs in page.tags:
        if _ours(tag, attrs):
            continue
        if tag in {
            "script",
            "iframe",
            "svg",
            "textarea",
            "object",
            "embed",
            "link",
            "base",
            "form",
        }:
            bad.append(tag)
        bad += [f"{tag} {k}" for k in attrs if k.startswith("on")]
        bad += [f"{tag} {k}={v}" for k, v in attrs.items() if "javascript:" in v.lower()]
        if tag == "img" and not re.match(
            r"data:image/(png|jpeg|gif|webp);base64,", attrs.get("src", "")
        ):
            bad.append(f"img {attrs.get('src')}")
    return bad


def test_payloads_in_every_field_are_shown_as_text(tmp_path):
    html = page_of(_hostile(tmp_path))
    page = parse(html)
    assert _learner_markup(page) == []
    assert external_urls(page) == []
    assert html.lower().count("<script") == 2
    assert scripts(html)[1][1] == panel_script()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{7*7}}" in html
    assert "[click me](javascript:alert(1))" in html  # the learner's text, not a link
    # the SVG that claims to be a PNG is only a download, typed as bytes
    downloads = [a for t, a in page.tags if t == "a" and a.get("download") == "photo.png"]
    assert downloads and downloads[0]["href"].startswith("data:application/octet-stream;")


def test_the_payload_check_can_fail():
    page = parse(
        '<p onclick="x"><img src="x"><svg></svg><a href="JavaScript:1">a</a></p>'
        '<script type="application/json" id="other"></script><textarea id="x"></textarea>'
    )
    assert len(_learner_markup(page)) == 6


def test_images_are_recognised_by_their_bytes():
    assert image_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert image_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert image_type(b"<svg onload=alert(1)>") is None
    assert image_type(b"%PDF-1.7") is None


# Declaration, sign-off and tampering ------------------------------------------------------


def test_a_changed_attachment_after_sign_off_is_named(sample_copy, tmp_path):
    folio = open_portfolio(sample_copy)
    declare(folio)
    for crit in folio.standard.criteria:
        judge(folio, crit, "met")
    key = tmp_path / "keys" / "assessor"
    key.parent.mkdir()
    info = new_key(key)
    sign_off(folio, key)
    trust = tmp_path / "keys" / "assessor.pub"
    html = page_of(sample_copy, trust=trust)
    assert "the portfolio still matches what was signed" in html
    assert info.fingerprint in html
    assert "CHANGED" not in html

    target = sample_copy / "evidence" / "E001" / "escalation-briefing.md"
    data = bytearray(target.read_bytes())
    data[10] ^= 1
    target.write_bytes(bytes(data))
    html = page_of(sample_copy, trust=trust)
    assert "has CHANGED since" in html
    assert "<code>evidence/E001/escalation-briefing.md</code>" in html
    assert "Changed since it was signed" in html


def test_an_unsigned_portfolio_says_so(sample_copy):
    page = page_of(before_assessment(sample_copy))
    cover = page[: page.index('id="section-glance"')]
    assert "Not yet declared" in cover and "Not yet signed off" in cover
    assert "✔" not in cover


# The report notebook, papermill and the CLI ----------------------------------------------------


def test_the_report_notebook_is_parameterised_and_committed_clean():
    import papermill

    path = ROOT / "templates" / "render" / "report.ipynb"
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    assert notebook.metadata.language_info.name == "python"
    assert set(papermill.inspect_notebook(str(path))) == {"portfolio", "trust", "standard"}
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert "parameters" in code[0].metadata.tags
    shown = "\n".join(c.source for c in code)
    for section, _ in SECTIONS:
        assert f'render_section("{section}"' in shown


def test_render_refuses_to_write_inside_the_portfolio(sample_copy):
    before = snapshot(sample_copy)
    with pytest.raises(UsageError, match="inside the portfolio"):
        render_portfolio(sample_copy, sample_copy / "portfolio.html")
    assert snapshot(sample_copy) == before


@pytest.mark.kernel
def test_cli_render_uses_the_portfolios_own_unit_and_honours_standard(tmp_path):
    # A centre's own wording of the unit, in a file named after nothing in particular.
    wording = tmp_path / "centre-wording.yaml"
    bundled = (ROOT / "cpc306_portfolio" / "standard" / "cpc306.yaml").read_text()
    wording.write_text(
        bundled.replace("title: Take action", "title: Centre wording, take action", 1)
    )
    folder = tmp_path / "folio"
    create_portfolio(folder, profile_fields(), standard=load_standard(wording))
    wording.unlink()  # the unit travels with the portfolio

    own = tmp_path / "own.html"
    result = cli_result("render", folder, "-o", own)
    assert result.stdout.strip().splitlines()[-1] == str(own.resolve())
    assert "Centre wording, take action" in own.read_text(encoding="utf-8")

    given = tmp_path / "given.html"
    out = run_cli("--standard", "CPC 306", "render", folder, "-o", given)
    assert "differs from the portfolio's own copy" in out
    html = given.read_text(encoding="utf-8")
    assert "Centre wording" not in html and "Take action to secure contract compliance" in html


@pytest.mark.kernel
def test_render_portfolio_runs_the_notebook_and_writes_the_page(sample_copy, tmp_path):
    before = snapshot(sample_copy)
    out = render_portfolio(sample_copy, tmp_path / "out" / "portfolio.html")
    assert out == (tmp_path / "out" / "portfolio.html").resolve()
    html = out.read_text(encoding="utf-8")
    assert snapshot(sample_copy) == before  # nothing written into the portfolio
    assert sorted(p.name for p in sample_copy.iterdir()) == sorted(
        p.name for p in (ROOT / "evidence").iterdir()
    )
    page = parse(html)
    assert external_urls(page) == []
    assert html.lower().count("<script") == 2
    assert {f"crit-{c}" for c in load_standard("CPC 306").criteria} <= page.ids
    assert "<title>CPC 306 portfolio: Jordan Ashby</title>" in html
    assert "jp-InputArea" not in html and "In&nbsp;[" not in html  # no code shown


@pytest.mark.kernel
def test_a_failing_report_is_a_render_error(portfolio, tmp_path):
    folio = portfolio
    folio.add_evidence(evidence_fields())
    bad = folio.record_path("E001")
    bad.write_text(bad.read_text().replace("criteria:\n  - A3", "criteria:\n  - Z9"))
    with pytest.raises(RenderError, match="the report could not be built") as info:
        render_portfolio(folio.root, tmp_path / "x.html")
    assert info.value.__cause__ is not None
    assert not (tmp_path / "x.html").exists()
