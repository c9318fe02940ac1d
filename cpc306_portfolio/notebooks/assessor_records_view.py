"""The learner's view of their assessor's records on a criterion page, and their comments.

Kept apart from :mod:`.views` (same templates, same escaping): the learner reads the
assessor's observations and discussions here and never edits them. Under them, a "Your
comment" box for each observation: the one thing a learner writes in an assessor's record.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..errors import PortfolioError
from ..portfolio.assessor_models import Observation
from ..portfolio.kinds import OBSERVATION
from ..portfolio.store import Portfolio
from .datebox import long_date
from .forms import FieldErrors, Form, css
from .live import LivePage
from .views import _render


def assessor_records_html(portfolio: Portfolio, criterion_id: str) -> str:
    """The assessor's observations and discussions for a criterion, read-only ('' if none)."""
    from ..portfolio.assessor_evidence import read_assessor_records
    from ..portfolio.assessor_models import performance_counts

    found = read_assessor_records(portfolio).for_criterion(criterion_id)
    if not found:
        return ""
    records = [
        {
            "id": r.id,
            "kind": "Observation" if isinstance(r, Observation) else "Professional discussion",
            "assessor": r.assessor,
            "date": long_date(r.date),  # in words on a learner's page
            "performance": performance_counts(r, portfolio.standard),
            "migrated": r.migrated if isinstance(r, Observation) else "",
            "text": r.narrative if isinstance(r, Observation) else r.key_points,
            "comment": r.learner_comment if isinstance(r, Observation) else "",
        }
        for r in found
    ]
    return _render("assessor_records", criterion=criterion_id, records=records)


class ObservationCommentForm(Form):
    """The learner's comment on one of their assessor's observations (the one thing they write).

    Saved by :func:`~..assessor.records.comment_on_observation`, the call ``cpc306 respond
    observation`` makes: scanned for identifiers first, and on a refusal the text stays in
    the box with what was found.
    """

    def __init__(self, portfolio: Portfolio, observation: Observation) -> None:
        self.folio = portfolio
        self.observation_id = observation.id
        err = FieldErrors()
        self.comment = css(
            w.Textarea(description="Your comment", layout=w.Layout(width="95%", height="5em")),
            "observation-comment",
        )
        self.comment.placeholder = "Anything to add to what your assessor saw, or to correct"
        rows = [err.row("learner_comment", self.comment)]
        title = f"Your comment on {observation.id} ({observation.date:%d %B %Y})"
        super().__init__(f"observation-{observation.id}", title, rows, err)
        css(self, "observation-comment-form")
        self.save_button.description = "Save comment"
        self.comment.value = observation.learner_comment

    def collect(self) -> dict[str, Any]:
        return {"learner_comment": self.comment.value}

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Observation:
        from ..assessor.records import comment_on_observation

        return comment_on_observation(
            self.folio,
            self.observation_id,
            fields["learner_comment"],
            acknowledge=acknowledge,
            unknown="ignore",  # a ticked finding the learner has since edited away
        )

    def reset(self) -> None:
        # The box keeps what is now saved (the store trims it), not an empty form.
        saved: Observation = self.folio.records.get(OBSERVATION, self.observation_id)
        self.comment.value = saved.learner_comment

    def describe(self, saved: Any) -> str:
        if not saved.learner_comment:
            return f"Removed your comment on {saved.id}."
        said = f"Saved your comment on {saved.id}; your assessor sees it with their record."
        signoff = self.folio.read_assessment().signoff
        path = self.folio.relative(self.folio.record_path(saved.id))
        if signoff is not None and path in signoff.manifest.files:
            said += " They signed off before it, so their sign-off shows this record as changed."
        return said

    def free_text(self) -> dict[str, str]:
        return {"learner_comment": self.comment.value}

    def names_to_keep_out(self) -> list[str]:
        return list(self.folio.profile.keep_out)

    def contacts(self) -> tuple[str, ...]:
        return self.folio.checks.contacts()


def assessor_records_panel(page: LivePage, portfolio: Portfolio, criterion_id: str) -> w.VBox:
    """The read-only view, then a "Your comment" box for each observation (saves redraw)."""
    from ..portfolio.assessor_evidence import read_assessor_records

    view = page.view(lambda f, _cov: assessor_records_html(f, criterion_id), "assessor-records")
    try:
        found = read_assessor_records(portfolio).for_criterion(criterion_id)
    except PortfolioError:
        found = []  # a record broken by hand: the view says so, from its own read
    forms = [ObservationCommentForm(portfolio, r) for r in found if isinstance(r, Observation)]
    page.watch(forms)
    return css(w.VBox([view, *forms]), "assessor-records-panel")
