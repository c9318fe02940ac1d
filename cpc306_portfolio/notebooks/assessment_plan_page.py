"""The learner's "Assessment plan and reviews" page: the plan, the reviews, the witnesses.

Read the plan and agree it; read each progress review, comment on it and agree it; see
the witness register.

Every action calls the function the command line calls: agreeing the plan is
``cpc306 plan agree --as learner`` (:func:`~..portfolio.assessment_plan.agree_plan`),
agreeing a review ``cpc306 review agree --as learner``
(:func:`~..portfolio.reviews.agree_review`), and the comments are written by
:func:`~..portfolio.reviews.comment_on_review` (scanned for identifiers first, atomic,
refused if the review changed since it was shown). Nothing a learner typed is lost on a
failed save. The plan is written with the assessor: the learner's page only reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from html import escape
from typing import Any

import ipywidgets as w

from ..errors import PortfolioError
from ..files.templates import template_path
from ..portfolio.assessment_plan import (
    agree_plan,
    agreement_states,
    plan_digest,
    read_assessment_plan,
)
from ..portfolio.kinds import REVIEW
from ..portfolio.planning import Review
from ..portfolio.reviews import agree_review, comment_on_review, review_digest, review_states
from ..portfolio.store import Portfolio
from . import views
from .assessment_plan_views import plan_html, read_review, review_html, reviews_intro_html
from .assessment_plan_views import witnesses_html as _witnesses_html
from .forms import FieldErrors, Form, css
from .generate import open_for_notebook
from .live import LivePage

PAGE = "assessment_plan"


@cache
def _style() -> str:
    path = template_path("app", "voila", "templates", "cpc306", "static", "cpc306-app.css")
    return f"<style>{path.read_text(encoding='utf-8')}</style>"


class Agree(w.VBox):
    """One "I agree" button with what it did, or why it could not."""

    def __init__(self, name: str, label: str, act: Callable[[], str]) -> None:
        self.button = css(w.Button(description=label, button_style="primary"), f"agree-{name}")
        self.status = css(w.HTML(), "status", f"agree-{name}-status")
        self.act = act
        #: Called after every agreement recorded (the page redraws).
        self.listeners: list[Callable[[Any], None]] = []
        self.button.on_click(lambda _b: self.agree())
        super().__init__([self.button, self.status])
        css(self, "agree", f"agree-{name}-box")

    def agree(self) -> bool:
        """Record the agreement; say what happened, in words, either way."""
        try:
            done = self.act()
        except PortfolioError as exc:
            hint = f": {exc.hint}" if exc.hint else ""
            self.status.value = (
                f'<p class="cpc306-not-saved" role="alert">Not agreed: {escape(exc.message)}'
                f"{escape(hint)}.</p>"
            )
            return False
        self.status.value = f'<p class="cpc306-saved">✔ {escape(done)}</p>'
        for listener in self.listeners:
            listener(done)
        return True


class ReviewCommentForm(Form):
    """The learner's comments on one progress review (saved without agreeing it)."""

    def __init__(self, portfolio: Portfolio, review: Review) -> None:
        self.folio = portfolio
        self.review_id = review.id
        err = FieldErrors()
        self.comments = css(
            w.Textarea(description="Your comments", layout=w.Layout(width="95%", height="6em")),
            "review-comments",
        )
        self.comments.placeholder = "How you see your progress, and anything to add or change"
        rows = [err.row("learner_comments", self.comments)]
        super().__init__(f"review-{review.id}", f"Your comments on review {review.id}", rows, err)
        css(self, "review-comment-form")
        self.save_button.description = "Save comments"
        self._show(review)

    def _show(self, review: Review) -> None:
        #: The review as the page last showed it (its digest): what the learner agrees.
        self.shown_digest = review_digest(review)
        self.revision = review.revision
        self.saved_text = review.learner_comments
        self.comments.value = review.learner_comments

    @property
    def unsaved(self) -> bool:
        """Whether the box holds comments that are not saved yet."""
        return self.comments.value != self.saved_text

    def collect(self) -> dict[str, Any]:
        return {"learner_comments": self.comments.value}

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Review:
        from ..errors import ConflictError, UsageError

        try:
            return comment_on_review(
                self.folio,
                self.review_id,
                fields["learner_comments"],
                acknowledge=acknowledge,
                unknown="ignore",
                revision=self.revision,
            )
        except ConflictError:
            raise UsageError(
                f"review {self.review_id} changed since this page showed it (your assessor may "
                "have edited it), so your comments were not saved over it",
                hint="copy your comments, reload the page, read the review again and save them",
            ) from None

    def reset(self) -> None:
        self._show(read_review(self.folio, self.review_id))

    def describe(self, saved: Any) -> str:
        return f"Saved your comments on {saved.id}. Agree the review below when you are ready."

    def free_text(self) -> dict[str, str]:
        return {"learner_comments": self.comments.value}

    def names_to_keep_out(self) -> list[str]:
        return list(self.folio.profile.keep_out)

    def contacts(self) -> tuple[str, ...]:
        return self.folio.checks.contacts()


#: Said when the plan or a review changed on disk since the page showed it.
CHANGED = "changed since this page showed it (your assessor may have edited it)"
RELOAD = "reload the page, read it again, then agree it"


def _agree_plan(folio: Portfolio, shown: dict[str, str]) -> str:
    """Agree the plan, but only as the page shows it (``shown["plan"]``, its digest)."""
    from ..errors import UsageError

    with folio.locked():
        plan = read_assessment_plan(folio)
        if plan is None:
            return _refuse("there is no assessment plan to agree yet")
        if plan_digest(plan) != shown.get("plan"):
            raise UsageError(f"the assessment plan {CHANGED}", hint=RELOAD)
        agreement = agree_plan(folio, "learner")
    return f"You agreed the assessment plan as it is now ({agreement.agreed_at:%d %B %Y})."


def _refuse(why: str) -> str:
    from ..errors import UsageError

    raise UsageError(why, hint="your assessor writes the plan with you")


def _agree_review(folio: Portfolio, form: ReviewCommentForm) -> str:
    from ..errors import UsageError

    if form.unsaved:
        raise UsageError(
            "your comments in the box are not saved yet, and you agree the review as it is saved",
            hint="press Save comments first (your text is still in the box)",
        )
    with folio.locked():
        if review_digest(read_review(folio, form.review_id)) != form.shown_digest:
            raise UsageError(f"review {form.review_id} {CHANGED}", hint=RELOAD)
        agreement = agree_review(folio, form.review_id, "learner")
    form.reset()  # its revision moved on
    return f"You agreed review {form.review_id} ({agreement.agreed_at:%d %B %Y})."


def _plan_agree_state(folio: Portfolio, button: w.Button) -> str:
    """Below the plan: whether the learner's agreement is needed (and the button's state)."""
    plan = read_assessment_plan(folio)
    if plan is None:
        button.layout.display = "none"
        return ""
    button.layout.display = ""
    state = agreement_states(plan)["learner"]
    button.disabled = state == "agreed"
    if state == "agreed":
        return '<p class="cpc306-saved">✔ You agreed this plan as it stands.</p>'
    if state == "changed since agreed":
        return (
            '<p class="cpc306-warning-text">The plan changed after you agreed it: it needs '
            "agreeing again. Read it above, then agree it.</p>"
        )
    return "<p>Read the plan above; when you are happy with it, agree it.</p>"


def _review_agree_state(folio: Portfolio, review_id: str, button: w.Button) -> str:
    state = review_states(read_review(folio, review_id))["learner"]
    button.disabled = state == "agreed"
    if state == "agreed":
        return f'<p class="cpc306-saved">✔ You agreed review {review_id} as it stands.</p>'
    if state == "changed since agreed":
        return (
            f'<p class="cpc306-warning-text">Review {review_id} changed after you agreed it: '
            "it needs agreeing again.</p>"
        )
    return ""


def assessment_plan_page(portfolio: str, unit: str = "") -> LivePage:
    """Read the assessment plan and agree it; comment on and agree each progress review."""
    folio = open_for_notebook(portfolio, unit)
    page = LivePage(folio, PAGE)
    nav = page.view(lambda f, cov: views.nav_html(f, f.standard, PAGE, cov), "nav")
    parts: list[Any] = [w.HTML(_style()), nav]
    forms: list[Any] = []
    shown: dict[str, str] = {}

    def draw_plan(f: Portfolio, _cov: Any) -> str:
        plan = read_assessment_plan(f)
        shown["plan"] = plan_digest(plan) if plan is not None else ""
        return plan_html(f)

    parts.append(page.view(draw_plan, "assessment-plan"))
    plan_agree = Agree("plan", "I agree this assessment plan", lambda: _agree_plan(folio, shown))
    plan_state = page.view(
        lambda f, _cov: _plan_agree_state(f, plan_agree.button), "plan-agreement"
    )
    parts += [plan_state, plan_agree]
    forms.append(plan_agree)
    parts.append(page.view(lambda f, _cov: reviews_intro_html(f), "reviews-intro"))
    try:
        reviews: list[Review] = folio.records.all(REVIEW)
    except PortfolioError:
        reviews = []  # a review broken by hand: the intro view says so, from the same read
    for review in sorted(reviews, key=lambda r: (r.date, r.id), reverse=True):
        parts += _review_parts(page, folio, review, forms)
    parts.append(page.view(lambda f, _cov: _witnesses_html(f), "witnesses"))
    page.children = parts
    page.watch(forms)
    page.refresh()
    return page


def _review_parts(page: LivePage, folio: Portfolio, review: Review, forms: list[Any]) -> list[Any]:
    rid = review.id
    form = ReviewCommentForm(folio, review)

    def draw(f: Portfolio, _cov: Any) -> str:
        current = read_review(f, rid)
        form.shown_digest = review_digest(current)
        return review_html(current)

    shown = page.view(draw, f"review-{rid}")
    agree = Agree(f"review-{rid}", f"I agree review {rid}", lambda: _agree_review(folio, form))
    state = page.view(
        lambda f, _cov: _review_agree_state(f, rid, agree.button), f"review-{rid}-agreement"
    )
    forms += [form, agree]
    box = css(w.VBox([shown, form, state, agree]), "review-box", f"review-box-{rid}")
    return [box]
