"""The learner's pages: one call per notebook builds everything it shows, as live widgets.

Each generated notebook has one code cell that calls one of these with its parameters, so
the page looks the same in Voilà (``cpc306 app``) and in JupyterLab, shows no code, and
redraws its progress, gaps, mapped evidence, warnings and plan after every save.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import ipywidgets as w

from ..errors import NotFoundError
from ..files.templates import template_path
from ..portfolio.plan import plan_suggestions, read_plan
from ..portfolio.store import Portfolio
from ..standard import load_standard
from . import views
from .action_points import decision_panel
from .assessment_plan_views import plan_summary_html
from .assessor_records_view import assessor_records_panel
from .deferred import DeferredForm
from .evidence_form import evidence_form
from .evidence_remove import with_removal
from .forms import css
from .generate import open_for_notebook, portfolio_location
from .keepout_box import keep_out_box
from .lean import lean_page, plain_html
from .live import LivePage
from .panels import export_panel, plan_form, reply_form
from .reflection_edit import AccountList, ReflectionEditor
from .widgets import profile_form
from .witness_form import witness_form


def _html(html: str, *names: str) -> w.HTML:
    return css(plain_html(html), *names)


@cache
def _style() -> str:
    # JupyterLab does not load the app's stylesheet: the page carries it itself.
    path = template_path("app", "voila", "templates", "cpc306", "static", "cpc306-app.css")
    return f"<style>{path.read_text(encoding='utf-8')}</style>"


def _page(portfolio: Portfolio, name: str) -> LivePage:
    page = LivePage(portfolio, name)
    nav = page.view(lambda f, cov: views.nav_html(f, f.standard, name, cov), "nav")
    page.children = [plain_html(_style()), nav]
    return page


def _finish(page: LivePage, parts: list[Any], forms: list[Any]) -> LivePage:
    page.children = [*page.children, *parts, page.refresher]
    page.watch(forms)
    page.refresh()
    return page


@lean_page  # default styles shared: far fewer models, the same look
def start_page(portfolio: str, unit: str = "") -> LivePage:
    """Home: your details, your progress per element and criterion, warnings, where next."""
    path = portfolio_location(portfolio)
    details = profile_form(path, unit)
    try:
        folio: Portfolio | None = open_for_notebook(portfolio, unit)
    except NotFoundError:
        folio = None
    if folio is None:
        # No portfolio yet: the details form creates it; then the page shows progress.
        page = LivePage(None, "start")
        standard = load_standard(unit or None)
        intro = _html(
            views.nav_html(None, standard, "00_start_here")
            + "<p>Fill in your details and save them to create your portfolio.</p>",
            "nav",
        )
        page.children = [w.HTML(_style()), intro, details]

        def created(_saved: Any) -> None:
            page.portfolio = open_for_notebook(portfolio, unit)
            progress = page.view(lambda f, cov: views.progress_html(f, cov, links=True), "progress")
            page.children = [*page.children, progress]
            page.refresh()

        details.listeners.append(created)
        return page
    page = _page(folio, "00_start_here")
    keep_out = keep_out_box(folio)
    keep_out.listeners.append(lambda listed: setattr(details.keep_out, "value", "\n".join(listed)))
    details.listeners.append(lambda _saved: keep_out.update())
    progress = page.view(lambda f, cov: views.progress_html(f, cov, links=True), "progress")
    warnings = page.view(lambda f, _cov: views.warnings_html(f), "warnings")
    plan = page.view(lambda f, _cov: _plan_view(f), "plan-view")
    assessment = page.view(lambda f, _cov: plan_summary_html(f), "assessment-plan-summary")
    parts = [keep_out, progress, warnings, assessment, plan, details]
    return _finish(page, parts, [details, keep_out])


def _plan_view(folio: Portfolio) -> str:
    plan = read_plan(folio)
    return views.plan_html(plan.actions, len(plan_suggestions(plan, folio.reflections())))


@lean_page  # default styles shared: far fewer models, the same look
def criterion_page(portfolio: str, unit: str, criterion: str) -> LivePage:
    """One criterion: the assessor's word first, what it asks, what you have, the forms."""
    folio = open_for_notebook(portfolio, unit)
    page = _page(folio, criterion)
    parts: list[Any] = []
    forms: list[Any] = []
    judged = folio.read_assessment().judgements.get(criterion)
    if judged is not None:
        parts.append(page.view(lambda f, _cov: views.assessor_html(f, criterion), "assessor-word"))
        decision = decision_panel(folio, criterion)
        reply = reply_form(folio, criterion)
        parts += [decision, reply]
        forms += [decision, reply]
    gaps = page.view(lambda f, cov: views.gaps_html(f, criterion, cov), "gaps")
    mapped = page.view(lambda f, _cov: views.mapped_html(f, criterion), "mapped")
    theirs = assessor_records_panel(page, folio, criterion)
    warnings = page.view(lambda f, _cov: views.warnings_html(f, criterion), "warnings")
    if judged is not None and judged.outcome == "not_yet_met":
        parts.append(gaps)  # the assessor's feedback heads the next steps
    parts.append(_html(views.criterion_html(folio.standard, criterion), "criterion"))
    if judged is None or judged.outcome != "not_yet_met":
        parts.append(gaps)
    evidence = evidence_form(folio, criterion)
    removal = with_removal(evidence)
    parts += [mapped, theirs, warnings, _html(_before_you_write(folio), "before-you-write")]
    # Built when asked for: half the page's widgets, for forms most visits never touch.
    witness = DeferredForm(
        "witness",
        "Register a witness",
        "Someone who saw your work and agreed to vouch for it: register them once, then "
        "choose them in the evidence form above when you add their testimony.",
        "Register a witness",
        lambda: witness_form(folio, evidence),
    )
    reflection = DeferredForm(
        "reflection",
        "Write a reflective account",
        f"An account of what happened, what you learned and what you will do next, mapped "
        f"to {criterion}; you can also open and finish an account you saved as a draft.",
        "Write or open a reflective account",
        lambda: ReflectionEditor(folio, criterion),  # opens an account to finish it, too
    )
    parts += [evidence, witness, reflection]
    forms += [evidence, witness, reflection, removal]
    return _finish(page, parts, forms)


def _before_you_write(folio: Portfolio) -> str:
    """What to keep out of the text, in the unit's own words, before the learner types."""
    from html import escape

    terms = folio.standard.terms
    return (
        '<p class="cpc306-before-you-write">Write in your own words; attachments are copied '
        f"into your portfolio. Never identify {escape(terms.protected_people)}: if something "
        f"looks like a name on your keep-out list, {escape(terms.identifiers_text)} or similar, "
        "nothing is saved until you edit it or say why it identifies no one.</p>"
    )


@lean_page  # default styles shared: far fewer models, the same look
def knowledge_page(portfolio: str, unit: str = "") -> LivePage:
    """Every knowledge item against your evidence."""
    folio = open_for_notebook(portfolio, unit)
    page = _page(folio, "knowledge")
    return _finish(page, [page.view(views.knowledge_html, "knowledge")], [])


@lean_page  # default styles shared: far fewer models, the same look
def reflection_page(portfolio: str, unit: str = "") -> LivePage:
    """Your reflective accounts (with stages still to write) and the form for a new one."""
    folio = open_for_notebook(portfolio, unit)
    page = _page(folio, "reflection")
    form = ReflectionEditor(folio)
    accounts = AccountList(folio, form)  # the one list of accounts, each with Open and Remove
    page.followers.append(accounts.update)  # redrawn with the page (a save here or elsewhere)
    return _finish(page, [accounts, form], [form, accounts])


@lean_page  # default styles shared: far fewer models, the same look
def plan_page(portfolio: str, unit: str = "") -> LivePage:
    """Your development plan: gathered from your reflective accounts, yours to edit."""
    folio = open_for_notebook(portfolio, unit)
    page = _page(folio, "plan")
    view = page.view(lambda f, _cov: _plan_view(f), "plan-view")
    form = plan_form(folio)
    return _finish(page, [view, form], [form])


@lean_page  # default styles shared: far fewer models, the same look
def export_page(portfolio: str, unit: str = "") -> LivePage:
    """Declare, check the warnings, build the file for your assessor and open it."""
    folio = open_for_notebook(portfolio, unit)
    page = _page(folio, "export")
    progress = page.view(lambda f, cov: views.progress_html(f, cov), "progress")
    warnings = page.view(lambda f, _cov: views.warnings_html(f), "warnings")
    return _finish(page, [warnings, export_panel(folio), progress], [])
