"""The assessor's forms: each saves through the same function as its ``cpc306`` command.

The judgement form calls :func:`~cpc306_portfolio.assessor.assessment.assess` (as ``cpc306
assess judge`` does); the plan, review and witness forms call ``add_activity``,
``set_activity_status``, ``add_review`` and ``check_witness`` (``cpc306 plan add / done /
move``, ``review add``, ``witness check``). Each write is atomic and locked in the library;
a refusal is shown in words beside the form, and the typing stays (see :class:`.forms.Form`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import ipywidgets as w

from ..assessor.assessment import assess
from ..errors import RecordError
from ..portfolio.assessment_plan import add_activity, read_assessment_plan, set_activity_status
from ..portfolio.evidence_rules import RULES_OF_EVIDENCE, RuleCheck
from ..portfolio.models import Judgement
from ..portfolio.reviews import add_review
from ..portfolio.store import Portfolio
from ..portfolio.witnesses import check_witness, read_witnesses
from ..standard.methods import AssessmentMethod
from .assessor_actions import ActionPointRows
from .datebox import DateBox, read_date
from .forms import FieldErrors, Form, css, problem
from .relied_on import relied_on_choices
from .text_boxes import text_box, wide

OUTCOME_CHOICES = [("Met", "met"), ("Not yet met", "not_yet_met")]
RULE_QUESTIONS = {
    "valid": "Valid: relevant to the criterion",
    "authentic": "Authentic: the learner's own work",
    "current": "Current: recent enough",
    "sufficient": "Sufficient: enough of it",
    "reliable": "Reliable: consistent; another assessor would agree",
}


def _ids(text: str) -> list[str]:
    return [p.upper() for p in re.split(r"[\s,;]+", text) if p]


def _tick(label: str, value: bool, *names: str) -> w.Checkbox:
    return css(w.Checkbox(value=value, description=label, indent=False, layout=wide()), *names)


class JudgementForm(Form):
    """Outcome, the five rules of evidence with notes, items relied on, methods, feedback."""

    def __init__(self, folio: Portfolio, criterion: str) -> None:
        self.folio, self.criterion = folio, criterion
        err = FieldErrors()
        before: Judgement | None = folio.read_assessment().judgements.get(criterion)
        self.outcome = css(
            w.RadioButtons(
                options=OUTCOME_CHOICES,
                value=before.outcome if before else None,
                description="Outcome",
            ),
            "judge-outcome",
        )
        rules: dict[str, RuleCheck] = {str(k): v for k, v in before.rules.items()} if before else {}
        self.rules = {
            r: _tick(RULE_QUESTIONS[r], bool(rules.get(r) and rules[r].met), f"judge-rule-{r}")
            for r in RULES_OF_EVIDENCE
        }
        self.notes = {
            r: css(
                w.Text(
                    value=rules[r].note if r in rules else "",
                    placeholder=f"Note on {r} (optional)",
                    description=f"{r.capitalize()} note",
                    layout=wide(),
                ),
                f"judge-note-{r}",
            )
            for r in RULES_OF_EVIDENCE
        }
        relied = set(before.evidence) if before else set()
        self.evidence = {
            rid: _tick(label, rid in relied, "judge-evidence", f"relied-{rid}")
            for rid, label in relied_on_choices(folio, criterion, relied)
        }
        sampled = set(before.methods_sampled) if before else set()
        self.methods = {
            m.value: _tick(m.label, m in sampled, "judge-method", f"method-{m.value}")
            for m in AssessmentMethod
        }
        self.feedback = text_box(
            "judge-feedback",
            "Feedback",
            "What the learner showed, and what is still needed",
            "8em",
            before.feedback if before else "",
        )
        self.actions = ActionPointRows()
        rules_box = [w.HTML("<h4>The rules of evidence</h4>")]
        for r in RULES_OF_EVIDENCE:
            rules_box += [self.rules[r], self.notes[r]]
        rows = [
            err.row("outcome", self.outcome),
            css(w.VBox(rules_box), "judge-rules"),
            w.HTML("<h4>Evidence relied on</h4>"),
            err.row("evidence", w.VBox(list(self.evidence.values()) or [w.HTML("<p>None.</p>")])),
            w.HTML("<h4>Methods sampled</h4>"),
            err.row("methods_sampled", w.VBox(list(self.methods.values()))),
            err.row("feedback", self.feedback),
            err.row("actions", self.actions),
        ]
        super().__init__("judgement", f"Your judgement of {criterion}", rows, err)
        self.save_button.description = "Save judgement"

    def collect(self) -> dict[str, Any]:
        if self.outcome.value is None:
            raise RecordError([problem("outcome", "choose met or not yet met")])
        return {
            "actions": self.actions.collect(self.outcome.value),
            "outcome": self.outcome.value,
            "feedback": self.feedback.value,
            "evidence": [i for i, box in self.evidence.items() if box.value],
            "methods_sampled": [m for m, box in self.methods.items() if box.value],
            "rules": {
                r: RuleCheck(met=self.rules[r].value, note=self.notes[r].value.strip())
                for r in RULES_OF_EVIDENCE
                if self.rules[r].value or self.notes[r].value.strip()
            },
        }

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Judgement:
        # What `cpc306 assess judge` calls: it refuses a "met" the strategy would not allow.
        saved = assess(self.folio, [self.criterion], **fields)
        return saved.judgements[self.criterion]

    def reset(self) -> None:
        self.actions.reset()

    def describe(self, saved: Any) -> str:
        outcome = dict((v, k) for k, v in OUTCOME_CHOICES)[saved.outcome]
        return f"Saved: {self.criterion} {outcome.lower()} ({saved.judged_on:%d %B %Y})"


class ActivityForm(Form):
    """Plan an assessment activity (``cpc306 plan add``)."""

    def __init__(self, folio: Portfolio) -> None:
        self.folio = folio
        err = FieldErrors()
        self.activity = css(w.Text(description="Activity", layout=wide()), "plan-activity")
        self.method = css(
            w.Dropdown(
                options=[(m.label, m.value) for m in AssessmentMethod],
                value=None,
                description="Method",
            ),
            "plan-method",
        )
        self.criteria = css(
            w.Text(description="Criteria", placeholder="e.g. C3, B4", layout=wide()),
            "plan-criteria",
        )
        self.knowledge = css(
            w.Text(description="Knowledge", placeholder="e.g. K1, K8a", layout=wide()),
            "plan-knowledge",
        )
        self.when = DateBox("Planned for", "plan-date", future=True)
        self.with_ = css(
            w.Text(description="With", placeholder="who assesses or witnesses"), "plan-with"
        )
        rows = [
            err.row("activity", self.activity),
            err.row("method", self.method),
            err.row("criteria", self.criteria),
            err.row("knowledge", self.knowledge),
            err.row("planned_date", self.when),
            err.row("with", self.with_),
        ]
        super().__init__("activity", "Plan an activity", rows, err)

    def collect(self) -> dict[str, Any]:
        planned = self.when.checked("planned_date", required=False)
        return {
            "activity": self.activity.value,
            "method": self.method.value,
            "criteria": _ids(self.criteria.value),
            "knowledge": _ids(self.knowledge.value),
            "scope": [],
            "planned_date": planned,
            "with": self.with_.value.strip(),
        }

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Any:
        return add_activity(self.folio, fields)

    def reset(self) -> None:
        self.activity.value = self.criteria.value = self.knowledge.value = self.with_.value = ""

    def describe(self, saved: Any) -> str:
        return f"Planned {saved.id}: {saved.activity}; the plan needs agreeing again by both"


class ActivityStatusForm(Form):
    """Mark a planned activity done (with its record) or moved (``cpc306 plan done / move``)."""

    def __init__(self, folio: Portfolio) -> None:
        self.folio = folio
        err = FieldErrors()
        self.which = css(w.Dropdown(options=[], description="Activity"), "status-activity")
        self.refresh()
        self.state = css(
            w.RadioButtons(
                options=[("Done", "done"), ("Moved", "moved")], value=None, description="It was"
            ),
            "status-status",
        )
        self.record = css(
            w.Text(description="Record", placeholder="done: e.g. E014"), "status-record"
        )
        self.reason = css(
            w.Text(description="Reason", placeholder="moved: why", layout=wide()), "status-reason"
        )
        self.moved_to = DateBox("Moved to", "status-moved-to", future=True)
        rows = [
            err.row("activity", self.which),
            err.row("status", self.state),
            err.row("record", self.record),
            err.row("reason", self.reason),
            err.row("moved_to", self.moved_to),
        ]
        super().__init__("activity-status", "Mark an activity done or moved", rows, err)

    def refresh(self) -> None:
        """Offer the activities the plan holds now (one was just planned on the page)."""
        plan = read_assessment_plan(self.folio)
        activities = plan.activities if plan else []
        self.which.options = [(f"{a.id}: {a.activity}", a.id) for a in activities]
        self.which.value = None

    def collect(self) -> dict[str, Any]:
        problems = []
        if self.which.value is None:
            problems.append(problem("activity", "choose the activity"))
        if self.state.value is None:
            problems.append(problem("status", "choose done or moved"))
        if found := self.moved_to.problem("moved_to", required=False):
            problems.append(found)
        if problems:
            raise RecordError(problems)
        return {
            "activity_id": self.which.value,
            "status": self.state.value,
            "record": self.record.value.strip().upper(),
            "reason": self.reason.value.strip(),
            "moved_to": self.moved_to.value or None,
        }

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Any:
        return set_activity_status(self.folio, **fields)

    def describe(self, saved: Any) -> str:
        return f"{saved.id} marked {saved.status}"


def _targets(text: str) -> list[tuple[str, date | str]]:
    """``target = date`` lines, the date as a UK reader writes it (01/03/2027 or 2027-03-01)."""
    out: list[tuple[str, date | str]] = []
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        what, sep, when = line.rpartition("=")
        if not sep or not what.strip():
            problems.append(
                problem("targets", f"line {number} has no date: write it as 'target = dd/mm/yyyy'")
            )
            continue
        day, why = read_date(when, future=True)
        if day is None:
            problems.append(problem("targets", f"line {number}: {why}"))
            continue
        out.append((what.strip(), day))
    if problems:
        raise RecordError(problems)
    return out


class ReviewForm(Form):
    """Record a progress review (``cpc306 review add``); both then agree it."""

    def __init__(self, folio: Portfolio) -> None:
        self.folio = folio
        err = FieldErrors()
        self.on = DateBox("Date", "review-date", value=date.today())
        self.progress = text_box(
            "review-progress", "Progress", "Progress since the last review, against the plan", "7em"
        )
        self.targets = text_box(
            "review-targets", "Targets", "One a line: Chair the B4 meeting = 01/03/2027", "4em"
        )
        self.next_review = DateBox("Next review", "review-next", future=True)
        rows = [
            err.row("date", self.on),
            err.row("progress", self.progress),
            err.row("targets", self.targets),
            err.row("next_review", self.next_review),
        ]
        super().__init__("review", "Record a progress review", rows, err)

    def collect(self) -> dict[str, Any]:
        dates = [self.on.problem("date"), self.next_review.problem("next_review", required=False)]
        if problems := [p for p in dates if p]:
            raise RecordError(problems)
        return {
            "on": self.on.value,
            "progress": self.progress.value,
            "targets": _targets(self.targets.value),
            "next_review": self.next_review.value,
        }

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Any:
        return add_review(self.folio, **fields, acknowledge=acknowledge)

    def reset(self) -> None:
        self.progress.value = self.targets.value = ""

    def describe(self, saved: Any) -> str:
        return f"Recorded review {saved.id} of {saved.date:%d %B %Y}; both now agree it"


class WitnessCheckForm(Form):
    """Record your check that a witness is real and stands by their statement."""

    def __init__(self, folio: Portfolio) -> None:
        self.folio = folio
        err = FieldErrors()
        options = [(f"{x.id}: {x.name}, {x.role}", x.id) for x in read_witnesses(folio)]
        self.which = css(
            w.Dropdown(options=options, value=None, description="Witness"), "check-witness"
        )
        self.how = css(
            w.Dropdown(
                options=[("By phone", "phone"), ("By email", "email"), ("In person", "in_person")],
                value=None,
                description="How",
            ),
            "check-how",
        )
        self.on = DateBox("When", "check-date", value=date.today())
        self.notes = css(
            w.Text(description="Notes", placeholder="what the witness confirmed", layout=wide()),
            "check-notes",
        )
        rows = [
            err.row("witness", self.which),
            err.row("how", self.how),
            err.row("on", self.on),
            err.row("notes", self.notes),
        ]
        super().__init__("witness-check", "Record a witness check", rows, err)

    def collect(self) -> dict[str, Any]:
        problems = []
        if self.which.value is None:
            problems.append(problem("witness", "choose the witness"))
        if self.how.value is None:
            problems.append(problem("how", "choose how you checked"))
        if found := self.on.problem("on"):
            problems.append(found)
        if problems:
            raise RecordError(problems)
        return {
            "witness_id": self.which.value,
            "how": self.how.value,
            "on": self.on.value,
            "notes": self.notes.value.strip(),
        }

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Any:
        return check_witness(self.folio, **fields)

    def describe(self, saved: Any) -> str:
        last = saved.checks[-1]
        return f"{saved.id} checked by {last.by} ({last.how.replace('_', ' ')}, {last.on:%d %B %Y})"
