"""The assessor's pages: one function per page kind of :data:`.workspace.PAGES`.

Every generated page of the workspace calls :func:`assessor_page` with its kind, the
caseload folder and the key file given to the command. Which learner and criterion it shows
come from the page's address (Voilà hands it to the kernel as ``QUERY_STRING``) and are
looked up in the caseload, never used as a path. Every view reads the learner's folder as
data through the library and is escaped by the view templates.

A new page is one more function in :data:`BUILDERS` (and a title in ``PAGES``); a new part
of a learner's criterion page is one more entry in :data:`CRITERION_SECTIONS`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as w

from ..analysis.coverage_rows import CoverageRows as Coverage  # what a LivePage draws from
from ..analysis.status import portfolio_status
from ..assessor.verification import verify_portfolio
from ..errors import PortfolioError
from ..portfolio.assessment_plan import agreement_states, read_assessment_plan
from ..portfolio.kinds import REVIEW
from ..portfolio.models import Evidence, Reflection
from ..portfolio.reflection import reflection_models
from ..portfolio.responses import CriterionResponses, acknowledgement_state, read_responses
from ..portfolio.store import Portfolio, open_portfolio
from ..portfolio.witnesses import read_witnesses
from . import views
from .assessor_actions import OpenActions
from .assessor_agree import AgreeForm
from .assessor_forms import (
    ActivityForm,
    ActivityStatusForm,
    JudgementForm,
    ReviewForm,
    WitnessCheckForm,
)
from .assessor_record_forms import DiscussionForm, ObservationForm, QuestionForm
from .assessor_records_page import criterion_records_view, records_view
from .assessor_signoff import SignOffForm
from .attachment_route import attachment_href, delivery
from .caseload import caseload_summaries, waiting_for_decision
from .forms import css
from .live import LivePage
from .record_route import record_href, write_record
from .workspace import read_caseload_parameter


@dataclass(frozen=True)
class Learner:
    """The learner a page shows: their key in addresses, their name, their open portfolio."""

    key: str
    name: str
    folio: Portfolio


@dataclass(frozen=True)
class Setup:
    """What the command was given: the key file, the trust list, the records folder.

    The key file is offered for sign-off and agreements; the records folder is the
    assessor's own, where unit assessment records are written.
    """

    key: str = ""
    trust: str = ""
    records: str = ""


def query(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The page's ``learner`` and ``criterion`` from its address (nothing else is read)."""
    raw = (environ if environ is not None else os.environ).get("QUERY_STRING", "")
    parsed = parse_qs(raw, max_num_fields=10)
    return {k: parsed[k][0] for k in ("learner", "criterion") if parsed.get(k)}


def _html(text: str, *names: str) -> w.HTML:
    return css(w.HTML(text), *names)


def _nav(current: str, learner: Learner | None = None) -> w.HTML:
    return _html(views._render("assessor_nav", current=current, learner=learner), "nav")


def _message(title: str, words: str) -> w.VBox:
    body = f"<h1>{escape(title)}</h1><p>{escape(words)}</p>"
    return css(w.VBox([_nav("none"), _html(body, "view")]), "page", "page-message")


def _learner(caseload: str, key: str) -> Learner:
    folders = read_caseload_parameter(caseload)
    if key not in folders:
        raise LookupError(key)
    folio = open_portfolio(folders[key])
    return Learner(key, folio.profile.learner.name, folio)


def _page(name: str, learner: Learner) -> LivePage:
    page = LivePage(learner.folio, f"assess-{name}")
    page.children = [_nav(name, learner)]
    return page


def _finish(page: LivePage, parts: list[Any], forms: list[Any]) -> LivePage:
    page.children = [*page.children, *parts]
    page.watch(forms)
    page.refresh()
    return page


def caseload_page(caseload: str, _learner: Learner | None, _criterion: str, _ctx: Setup) -> Any:
    """Every learner of the caseload: progress, what waits for a decision, the oldest wait."""
    rows = caseload_summaries(read_caseload_parameter(caseload))
    body = views._render("assessor_caseload", rows=rows)
    return css(w.VBox([_nav("caseload"), _html(body, "view")]), "page", "page-caseload")


def _learner_view(learner: Learner) -> Callable[[Portfolio, Coverage], str]:
    def draw(folio: Portfolio, _coverage: Coverage) -> str:
        status = portfolio_status(folio)
        waiting = {x.criterion: x.why for x in waiting_for_decision(folio, status)}
        judgements = status.assessment.judgements
        rows = []
        for row in status.rows.criteria:
            j = judgements.get(row["criterion"])
            judged = f"{views.STATUS_LABELS[j.outcome]} ({j.judged_on:%d %B %Y})" if j else ""
            rows.append({**row, "judged": judged})
        profile = folio.profile
        return views._render(
            "assessor_learner",
            key=learner.key,
            learner_name=profile.learner.name,
            job=profile.learner.job_title,
            organisation=profile.learner.organisation,
            unit=folio.standard.code,
            centre=profile.centre.name,
            rows=rows,
            met=status.progress.criteria_met,
            waiting=waiting,
        )

    return draw


def _record_button(learner: Learner, ctx: Setup) -> w.VBox:
    """Write the unit assessment record into your own folder, then a link to view it."""
    button = css(
        w.Button(description="Write the unit assessment record", icon="file-text"), "write-record"
    )
    said = css(w.HTML(), "record-status")

    def write(_button: Any) -> None:
        try:
            path = write_record(learner.folio, ctx.records, learner.key, ctx.trust)
        except PortfolioError as exc:
            said.value = f'<p class="cpc306-error-text" role="alert">⚠ {escape(str(exc))}</p>'
            return
        said.value = (
            f'<p class="cpc306-saved">✔ Written to {escape(str(path))} (your own folder, not '
            f'the learner\'s). <a href="{record_href(learner.key)}" target="_blank" '
            'rel="noopener">View or print it</a></p>'
        )

    button.on_click(write)
    where = escape(ctx.records or "no folder: start the workspace with --output-dir")
    note = w.HTML(
        "<h2>Unit assessment record</h2><p>One printable page of your decisions, written to "
        f"your own folder ({where}), never into the learner's portfolio.</p>"
    )
    return css(w.VBox([note, button, said]), "record-writer")


def learner_page(caseload: str, learner: Learner | None, _criterion: str, ctx: Setup) -> Any:
    """One learner: each criterion's state and your decision, with links to judge it."""
    assert learner is not None
    page = _page("learner", learner)
    view = page.view(_learner_view(learner), "assess-learner")
    return _finish(page, [view, _record_button(learner, ctx)], [])


def _evidence_view(learner: Learner, criterion: str) -> Callable[[Portfolio, Coverage], str]:
    models = reflection_models()

    def draw(folio: Portfolio, _coverage: Coverage) -> str:
        judgement = folio.read_assessment().judgements.get(criterion)
        evidence = [e for e in folio.evidence() if criterion in e.criteria]
        reflections = [r for r in folio.reflections() if criterion in r.criteria]
        records: list[Evidence | Reflection] = [*evidence, *reflections]
        changed = {r.id for r in records if judgement and r.modified.date() > judgement.judged_on}
        return views._render(
            "assessor_evidence",
            criterion=criterion,
            evidence=evidence,
            reflections=reflections,
            changed=changed,
            model_names={m.id: m.name for m in models.values()},
            stage_names={m.id: {s.id: s.title for s in m.stages} for m in models.values()},
            viewable=lambda name: delivery(name).inline,
            href=lambda record, index, download=False: attachment_href(
                learner.key, record, index, download
            ),
        )

    return draw


def _decision_view(criterion: str) -> Callable[[Portfolio, Coverage], str]:
    def draw(folio: Portfolio, _coverage: Coverage) -> str:
        assessment = folio.read_assessment()
        judgement = assessment.judgements.get(criterion)
        said = read_responses(folio).criteria.get(criterion) or CriterionResponses()
        return views._render(
            "assessor_decision",
            criterion=criterion,
            judgement=judgement,
            reply=assessment.replies.get(criterion),
            answers=said.actions,
            seen=said.acknowledged,
            seen_state=acknowledgement_state(judgement, said) if judgement else "",
        )

    return draw


#: The parts of a criterion page, in order: (name, what draws it). Action points, the
#: assessor's own records under the criterion, and acknowledgements join here.
CRITERION_SECTIONS: list[
    tuple[str, Callable[[Learner, str], Callable[[Portfolio, Coverage], str]]]
] = [
    ("assess-evidence", _evidence_view),
    ("assess-decision", lambda _learner, criterion: _decision_view(criterion)),
    (
        "assess-own-records",
        lambda learner, criterion: criterion_records_view(learner.key, criterion),
    ),
]


def criterion_page(caseload: str, learner: Learner | None, criterion: str, _ctx: Setup) -> Any:
    """One criterion of one learner: its words, the evidence as it renders, your judgement."""
    assert learner is not None
    unit = learner.folio.standard
    found = criterion.strip().upper()
    if found not in unit.criteria:
        return _message("No such criterion", f"{unit.code} has no criterion {criterion!r}.")
    page = _page("criterion", learner)
    title = _html(
        f"<h1>{escape(found)}: {escape(unit.criteria[found].text)}</h1>"
        f"<p>{escape(learner.name)}</p>",
        "view",
    )
    parts: list[Any] = [title]
    parts += [page.view(make(learner, found), name) for name, make in CRITERION_SECTIONS]
    form = JudgementForm(learner.folio, found)
    closing = OpenActions(learner.folio, found)
    form.listeners.append(lambda _saved: closing.refresh())
    return _finish(page, [*parts, closing, form], [form, closing])


def _planning_view(folio: Portfolio, _coverage: Coverage) -> str:
    plan = read_assessment_plan(folio)
    today = date.today()
    activities = plan.activities if plan else []
    due = sum(
        1 for a in activities if a.status == "planned" and (a.planned_date - today).days <= 14
    )
    reviews = folio.records.all(REVIEW)
    return views._render(
        "assessor_planning",
        plan=plan,
        today=today,
        due=due,
        done=sum(1 for a in activities if a.status == "done"),
        states=agreement_states(plan) if plan else {},
        reviews=reviews,
        witnesses=read_witnesses(folio),
    )


def plan_page(caseload: str, learner: Learner | None, _criterion: str, ctx: Setup) -> Any:
    """The assessment plan (due and done), reviews and witnesses, with their forms."""
    assert learner is not None
    page = _page("plan", learner)
    head = _html(
        f"<h1>Assessment plan, reviews and witnesses</h1><p>{escape(learner.name)}</p>", "view"
    )
    planned, status = ActivityForm(learner.folio), ActivityStatusForm(learner.folio)
    planned.listeners.append(lambda _saved: status.refresh())
    review, agree = ReviewForm(learner.folio), AgreeForm(learner.folio, ctx.key)
    planned.listeners.append(lambda _saved: agree.refresh())
    review.listeners.append(lambda _saved: agree.refresh())
    forms = [planned, status, review, agree, WitnessCheckForm(learner.folio)]
    return _finish(page, [head, page.view(_planning_view, "assess-planning"), *forms], forms)


def _signoff_view(trust: str) -> Callable[[Portfolio, Coverage], str]:
    def draw(folio: Portfolio, _coverage: Coverage) -> str:
        assessment = folio.read_assessment()
        declaration = folio.profile.declaration
        result = verify_portfolio(folio, trust or None)
        return views._render(
            "assessor_signoff",
            judged=len(assessment.judgements),
            total=len(folio.standard.criteria),
            declared=declaration.signed_at if declaration else None,
            signoff=assessment.signoff,
            verify_ok=result.ok,
            verify_summary=result.summary,
            trust=trust,
        )

    return draw


def signoff_page(caseload: str, learner: Learner | None, _criterion: str, ctx: Setup) -> Any:
    """Sign off with your key from disk (passphrase typed here), then the verify state."""
    assert learner is not None
    page = _page("signoff", learner)
    head = _html(f"<h1>Sign-off</h1><p>{escape(learner.name)}</p>", "view")
    form = SignOffForm(learner.folio, ctx.key)
    view = page.view(_signoff_view(ctx.trust), "assess-signoff")
    return _finish(page, [head, view, form], [form])


def records_page(caseload: str, learner: Learner | None, _criterion: str, _ctx: Setup) -> Any:
    """Your own observations, discussions and questioning of one learner, with their forms."""
    assert learner is not None
    page = _page("records", learner)
    head = _html(f"<h1>Your own records</h1><p>{escape(learner.name)}</p>", "view")
    view = page.view(records_view(learner.key), "assess-own-records")
    forms = [ObservationForm(learner.folio), DiscussionForm(learner.folio)]
    forms.append(QuestionForm(learner.folio))
    return _finish(page, [head, view, *forms], forms)


Builder = Callable[[str, Learner | None, str, Setup], Any]
#: Page kind -> its builder (the kinds of :data:`.workspace.PAGES`).
BUILDERS: dict[str, Builder] = {
    "caseload": caseload_page,
    "learner": learner_page,
    "criterion": criterion_page,
    "plan": plan_page,
    "signoff": signoff_page,
    "records": records_page,
}


def assessor_page(
    page: str,
    caseload: str,
    key: str = "",
    trust: str = "",
    environ: dict[str, str] | None = None,
    records: str = "",
) -> Any:
    """The widget of one page of the workspace (what each generated notebook shows)."""
    asked = query(environ)
    learner = None
    try:
        if page != "caseload":
            learner = _learner(caseload, asked.get("learner", ""))
        setup = Setup(key, trust, records)
        return BUILDERS[page](caseload, learner, asked.get("criterion", ""), setup)
    except LookupError:
        return _message(
            "Not in your caseload",
            "This address names no learner of your caseload: go back to the caseload.",
        )
    except PortfolioError as exc:
        return _message("This portfolio could not be read", str(exc))
