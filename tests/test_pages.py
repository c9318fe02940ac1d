"""The learner's pages without a browser: live views redraw after a save; plan, replies, drafts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.analysis.status import coverage_of
from cpc306_portfolio.assessor.assessment import judge
from cpc306_portfolio.notebooks import pages
from cpc306_portfolio.notebooks.app import app_url, template_root, voila_command
from cpc306_portfolio.notebooks.views import nav_html, progress_html
from cpc306_portfolio.portfolio.plan import read_plan

from .conftest import only_widget, snapshot

LONG = "I checked the provider's records against the contract and wrote down each gap I found."


def test_a_save_redraws_the_criterion_page_without_a_rerun(sample_copy: Path):
    page = pages.criterion_page(str(sample_copy), "CPC 306", "A2")
    mapped = only_widget(page, "cpc306-live-mapped")
    form = only_widget(page, "cpc306-evidence-form")
    before = open_portfolio(sample_copy).evidence_ids()
    assert "Risk log for the Brightwater contract" not in mapped.value
    form.title.value = "Risk log for the Brightwater contract"
    form.date.value = date(2026, 3, 4)
    form.method.value = "product"
    form.description.value = LONG
    form.save_button.click()
    (new_id,) = [i for i in open_portfolio(sample_copy).evidence_ids() if i not in before]
    assert f"<code>{new_id}</code>" in only_widget(page, "cpc306-live-mapped").value
    assert page.refreshes == 2  # once when built, once after the save
    assert "up to date" in form.status.value


def test_a_postcode_is_shown_beside_the_field_with_the_field_errors(sample_copy: Path):
    page = pages.criterion_page(str(sample_copy), "CPC 306", "A2")
    form = only_widget(page, "cpc306-evidence-form")
    before = snapshot(sample_copy)
    form.title.value = "Visit"
    form.description.value = "I visited the home at SW1A 1AA to check the rota."
    form.save_button.click()  # no date and no method either: all in one pass
    assert snapshot(sample_copy) == before
    shown = form.errors.shown()
    assert "Choose how you gathered this evidence" in shown["method"]
    assert "might identify a person" in shown["description"]
    assert "'observation'" not in "".join(shown.values())  # no internal ids
    assert [r.finding.field for r in form.findings.rows.values()] == ["description"]


def test_the_start_page_progress_has_a_bar_per_element(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    html = progress_html(folio)
    for element in folio.standard.elements:
        assert f"Element {element.id}" in html
    assert "All criteria" in html and "Scope options" in html and "Knowledge" in html
    assert "every rule of the assessment strategy" not in html


def test_navigation_names_every_criterion_with_its_status(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    html = nav_html(folio, folio.standard, "A2", coverage_of(folio))
    for crit in folio.standard.criteria:
        assert f'href="{crit}.ipynb"' in html
    assert 'aria-current="page"' in html
    for href in ("00_start_here.ipynb", "knowledge.ipynb", "plan.ipynb", "export.ipynb"):
        assert f'href="{href}"' in html


def test_a_draft_reflection_is_a_gap_until_finished(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    record = folio.add_reflection(
        {
            "title": "After the notice",
            "date": "2026-06-10",
            "model": "driscoll",
            "stages": {"what": LONG},
            "criteria": ["B7"],
            "draft": True,
        }
    )
    (gap,) = [g for g in coverage_of(folio).gaps if g.target == record.id]
    # Each unwritten stage is named by the title the learner sees on the form; the written
    # one ("What?") is not.
    assert gap.message == (
        f"{record.id} 'After the notice' (saved as a draft): "
        '"So what?" is empty; "Now what?" is empty'
    )


def test_the_plan_gathers_action_stages_and_saves_edits(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    folio.add_reflection(
        {
            "title": "After the notice",
            "date": "2026-06-10",
            "model": "driscoll",
            "stages": {"what": LONG, "so_what": LONG, "now_what": "Learn the default clauses."},
        }
    )
    page = pages.plan_page(str(sample_copy), "CPC 306")
    form = only_widget(page, "cpc306-plan-form")
    whats = [row["what"].value for row in form.rows]
    assert "Learn the default clauses." in whats
    row = form.rows[whats.index("Learn the default clauses.")]
    row["how"].value = "Read the council's contract standing orders"
    row["when"].value = date(2026, 9, 30)
    form.save_button.click()
    plan = read_plan(folio)
    saved = [a for a in plan.actions if a.what == "Learn the default clauses."]
    assert saved and saved[0].by_when == date(2026, 9, 30) and saved[0].source
    assert "Read the council" in only_widget(page, "cpc306-live-plan-view").value


def test_not_yet_met_feedback_comes_first_and_the_learner_can_reply(sample_copy: Path):
    folio = open_portfolio(sample_copy)
    judge(folio, "B4", "not_yet_met", feedback="Show how you confirmed the decision.")
    page = pages.criterion_page(str(sample_copy), "CPC 306", "B4")
    names = [c._dom_classes for c in page.children]
    order = [
        i
        for i, n in enumerate(names)
        if "cpc306-live-assessor-word" in n or "cpc306-live-gaps" in n
    ]
    criterion = next(i for i, n in enumerate(names) if "cpc306-criterion" in n)
    assert order and max(order) < criterion  # feedback and next steps before the unit's words
    assert "Show how you confirmed" in only_widget(page, "cpc306-live-gaps").value.split("<li>")[1]
    reply = only_widget(page, "cpc306-reply-form")
    reply.text.value = "I added the minutes where the decision was confirmed (E020)."
    reply.save_button.click()
    assert "E020" in open_portfolio(sample_copy).read_assessment().replies["B4"].text
    assert "Your reply" in only_widget(page, "cpc306-live-assessor-word").value


def test_the_start_page_creates_a_portfolio_then_shows_progress(tmp_path: Path):
    page = pages.start_page(str(tmp_path / "new"), "CPC 306")
    form = only_widget(page, "cpc306-profile-form")
    form.inputs["learner.name"].value = "Robin Testperson"
    form.inputs["centre.name"].value = "Example Centre"
    form.inputs["assessor.name"].value = "Alex Assessor"
    form.save_button.click()
    assert "Robin Testperson" in only_widget(page, "cpc306-live-progress").value


def test_the_voila_command_listens_on_localhost_with_our_template(tmp_path: Path):
    command = voila_command(tmp_path, 8123)
    assert "--Voila.ip=127.0.0.1" in command and "--template=cpc306" in command
    assert "--port=8123" in command and "--no-browser" in command
    assert app_url(8123).startswith("http://127.0.0.1:8123/voila/render/notebooks/00_start")
    index = (template_root() / "voila/templates/cpc306/index.html.j2").read_text()
    assert "cdn." not in index and "https://" not in index


def test_the_assessors_html_shows_the_plan_and_the_reply_escaped(sample_copy: Path):
    from cpc306_portfolio.portfolio.plan import save_plan
    from cpc306_portfolio.render.sections import report_sections

    folio = open_portfolio(sample_copy)
    save_plan(folio, [{"what": "Learn <b>default</b> clauses", "by_when": "2026-09-30"}])
    judge(folio, "B4", "not_yet_met", feedback="Show it.")
    reply = pages.reply_form(folio, "B4")
    reply.text.value = "I added <i>minutes</i>."
    reply.save_button.click()
    sections = dict(report_sections(folio))
    assert "Learn &lt;b&gt;default&lt;/b&gt; clauses" in sections["reflections"]
    assert "2026-09-30" in sections["reflections"]
    assert "I added &lt;i&gt;minutes&lt;/i&gt;." in sections["criteria"]
