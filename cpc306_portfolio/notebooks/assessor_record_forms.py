"""The assessor's own records, written from their workspace: observe, discuss, question.

Each form saves through the function its command calls (:mod:`cpc306_portfolio.assessor.records`:
``cpc306 assess observe``, ``discuss`` and ``question``), so the record is the same file with
the same checks whichever way it was made. A refusal is shown in words beside the field, and
nothing is written.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

import ipywidgets as w

from ..assessor.records import discuss, observe, question
from ..errors import RecordError
from ..portfolio.store import Portfolio
from ..standard.bank import Banked, question_bank
from .datebox import DateBox
from .forms import FieldErrors, Form, css, problem
from .text_boxes import text_box, wide


class CheckList(w.VBox):
    """A list of checkboxes, one per option; ``value`` is the ticked options' values."""

    def __init__(self, options: list[tuple[str, str]], name: str, height: str = "12em") -> None:
        self.boxes = {
            value: css(
                w.Checkbox(description=label, indent=False, layout=wide()),
                f"{name}-option",
                f"{name}-{value.replace('/', '-')}",
            )
            for label, value in options
        }
        layout = w.Layout(max_height=height, overflow="auto", width="95%")
        super().__init__(list(self.boxes.values()), layout=layout)
        css(self, f"{name}-list")

    @property
    def value(self) -> list[str]:
        return [v for v, box in self.boxes.items() if box.value]

    def clear(self) -> None:
        for box in self.boxes.values():
            box.value = False


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def criteria_options(folio: Portfolio) -> list[tuple[str, str]]:
    return [(f"{c}: {_short(x.text)}", c) for c, x in folio.standard.criteria.items()]


def knowledge_options(folio: Portfolio) -> list[tuple[str, str]]:
    return [(f"{k}: {_short(t)}", k) for k, t in folio.standard.knowledge_ids.items()]


def scope_options(folio: Portfolio) -> list[tuple[str, str]]:
    unit = folio.standard
    return [
        (f"{unit.scope_categories[k.split('/')[0]].label}: {_short(o.label, 60)}", k)
        for k, o in unit.scope_options.items()
    ]


def _required(value: Any, field: str, words: str) -> list[Any]:
    return [] if value else [problem(field, words)]


def _dated(box: DateBox, field: str, words: str) -> list[Any]:
    """``words`` when the date is empty, else what is wrong with it (nothing when fine)."""
    if box.value is None:
        return [problem(field, words)]
    return [found] if (found := box.problem(field)) else []


class ObservationForm(Form):
    """Your own account of what you saw (``cpc306 assess observe``)."""

    def __init__(self, folio: Portfolio) -> None:
        self.folio = folio
        err = FieldErrors()
        self.on = DateBox("Date", "observe-date", value=date.today())
        self.criteria = CheckList(criteria_options(folio), "observe-criteria")
        self.scope = CheckList(scope_options(folio), "observe-scope")
        self.knowledge = CheckList(knowledge_options(folio), "observe-knowledge")
        self.narrative = text_box(
            "observe-narrative",
            "What you saw",
            "Your own account of what the learner did, in your words",
            "9em",
        )
        self.location = css(
            w.Text(
                description="Location",
                placeholder="e.g. the council's commissioning office (no one's address)",
                layout=wide(),
            ),
            "observe-location",
        )
        rows = [
            err.row("date", self.on),
            w.HTML("<h4>Criteria shown (performance evidence)</h4>"),
            err.row("criteria", self.criteria),
            w.HTML("<h4>Scope shown</h4>"),
            err.row("scope", self.scope),
            w.HTML("<h4>Knowledge shown</h4>"),
            err.row("knowledge", self.knowledge),
            err.row("narrative", self.narrative),
            err.row("location", self.location),
        ]
        super().__init__("observe", "Record an observation", rows, err)
        self.save_button.description = "Save observation"

    def collect(self) -> dict[str, Any]:
        problems = _dated(self.on, "date", "give the date you observed")
        problems += _required(self.criteria.value, "criteria", "tick the criteria you saw shown")
        problems += _required(
            self.narrative.value.strip(), "narrative", "say what you saw, in your own words"
        )
        if problems:
            raise RecordError(problems)
        return {
            "on": self.on.value,
            "criteria": self.criteria.value,
            "scope": self.scope.value,
            "knowledge": self.knowledge.value,
            "narrative": self.narrative.value,
            "location": self.location.value,
        }

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Any:
        return observe(self.folio, **fields, acknowledge=acknowledge)

    def free_text(self) -> dict[str, str]:
        return {"narrative": self.narrative.value, "location": self.location.value}

    def reset(self) -> None:
        self.narrative.value = self.location.value = ""
        for box in (self.criteria, self.scope, self.knowledge):
            box.clear()

    def describe(self, saved: Any) -> str:
        return (
            f"Recorded observation {saved.id} of {saved.date:%d %B %Y}: performance evidence "
            f"for {', '.join(saved.criteria)}"
        )


class DiscussionForm(Form):
    """A professional discussion (``cpc306 assess discuss``)."""

    def __init__(self, folio: Portfolio) -> None:
        self.folio = folio
        err = FieldErrors()
        methods = {str(m) for m in folio.standard.assessment_strategy.performance_methods}
        self.counts = "professional_discussion" in methods  # as performance_counts says
        self.on = DateBox("Date", "discuss-date", value=date.today())
        self.knowledge = CheckList(knowledge_options(folio), "discuss-knowledge")
        self.criteria = CheckList(criteria_options(folio), "discuss-criteria")
        self.topics = text_box("discuss-topics", "Topics", "One topic a line", "4em")
        self.notes = text_box("discuss-notes", "Key points", "What was said, in your words", "8em")
        self.showed = text_box(
            "discuss-showed",
            "It showed",
            "What the discussion showed of the learner's knowledge",
            "4em",
        )
        rows: list[Any] = [
            err.row("date", self.on),
            w.HTML("<h4>Knowledge covered</h4>"),
            err.row("knowledge", self.knowledge),
        ]
        if self.counts:
            rows += [w.HTML("<h4>Criteria it shows</h4>"), err.row("criteria", self.criteria)]
        else:
            rows.append(
                w.HTML(
                    f"<p class='cpc306-note'>{escape(folio.standard.code)}'s assessment "
                    "strategy does not count professional discussion as performance evidence: "
                    "it is knowledge evidence here.</p>"
                )
            )
        rows += [
            err.row("topics", self.topics),
            err.row("key_points", self.notes),
            err.row("showed", self.showed),
        ]
        super().__init__("discuss", "Record a professional discussion", rows, err)
        self.save_button.description = "Save discussion"

    def collect(self) -> dict[str, Any]:
        problems = _dated(self.on, "date", "give the date of the discussion")
        problems += _required(
            self.knowledge.value, "knowledge", "tick the knowledge items it covered"
        )
        problems += _required(self.notes.value.strip(), "key_points", "write the key points")
        if problems:
            raise RecordError(problems)
        return {
            "on": self.on.value,
            "knowledge": self.knowledge.value,
            "criteria": self.criteria.value if self.counts else [],
            "topics": self.topics.value.splitlines(),
            "key_points": self.notes.value,
            "showed": self.showed.value,
        }

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Any:
        return discuss(self.folio, **fields, acknowledge=acknowledge)

    def free_text(self) -> dict[str, str]:
        return {"key_points": self.notes.value, "showed": self.showed.value}

    def reset(self) -> None:
        self.topics.value = self.notes.value = self.showed.value = ""
        self.knowledge.clear()
        self.criteria.clear()

    def describe(self, saved: Any) -> str:
        covers = ", ".join(saved.knowledge)
        on = f"{saved.date:%d %B %Y}"
        return f"Recorded discussion {saved.id} of {on}: knowledge evidence for {covers}"


class QuestionForm(Form):
    """Mark the learner's answer to a question from the unit's bank (``cpc306 assess question``)."""

    def __init__(self, folio: Portfolio) -> None:
        self.folio = folio
        err = FieldErrors()
        self.bank: list[Banked] = question_bank(folio.standard)
        items = {b.question.knowledge for b in self.bank}
        self.item = css(
            w.Dropdown(
                options=[(label, k) for label, k in knowledge_options(folio) if k in items],
                value=None,
                description="Knowledge",
                layout=wide(),
            ),
            "question-item",
        )
        self.which = css(
            w.Dropdown(options=[], value=None, description="Question", layout=wide()),
            "question-id",
        )
        self.shown = css(w.HTML(), "question-shown")
        self.item.observe(lambda _c: self._offer(), names="value")
        self.which.observe(lambda _c: self._show(), names="value")
        self.on = DateBox("Asked on", "question-date", value=date.today())
        self.answer = text_box(
            "question-answer", "Their answer", "The learner's answer, as they gave it", "7em"
        )
        self.outcome = css(
            w.RadioButtons(
                options=[("Met", "met"), ("Not yet met", "not_yet_met")],
                value=None,
                description="Your mark",
            ),
            "question-outcome",
        )
        self.note = css(
            w.Text(
                description="Note", placeholder="why, or what a fuller answer needs", layout=wide()
            ),
            "question-note",
        )
        rows = [
            err.row("knowledge", self.item),
            err.row("question_id", self.which),
            self.shown,
            err.row("date", self.on),
            err.row("answer", self.answer),
            err.row("outcome", self.outcome),
            err.row("note", self.note),
        ]
        super().__init__("question", "Mark a question from the bank", rows, err)
        self.save_button.description = "Save mark"

    def _offer(self) -> None:
        found = [b for b in self.bank if b.question.knowledge == self.item.value]
        self.which.options = [
            (f"{b.question.id}: {_short(b.question.question)}", b.question.id) for b in found
        ]
        self.which.value = found[0].question.id if found else None

    def _show(self) -> None:
        found = next((b.question for b in self.bank if b.question.id == self.which.value), None)
        if found is None:
            self.shown.value = ""
            return
        points = "".join(f"<li>{escape(p)}</li>" for p in found.must_include)
        nations = f"<p><em>Nations:</em> {escape(found.nations)}</p>" if found.nations else ""
        self.shown.value = (
            "<div class='cpc306-bank-question'>"
            f"<p><strong>Ask:</strong> {escape(found.question)}</p>"
            f"<p><strong>Model answer:</strong> {escape(found.model_answer)}</p>"
            "<p><strong>A sufficient answer must include:</strong></p>"
            f"<ul>{points}</ul>{nations}</div>"
        )

    def collect(self) -> dict[str, Any]:
        problems = _required(self.item.value, "knowledge", "choose the knowledge item")
        problems += _required(self.which.value, "question_id", "choose one of its questions")
        problems += _required(self.answer.value.strip(), "answer", "write the learner's answer")
        problems += _required(self.outcome.value, "outcome", "choose met or not yet met")
        problems += _dated(self.on, "date", "give the date you asked it")
        if problems:
            raise RecordError(problems)
        return {
            "question_id": self.which.value,
            "answer": self.answer.value,
            "outcome": self.outcome.value,
            "note": self.note.value.strip(),
            "on": self.on.value,
        }

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Any:
        return question(self.folio, fields.pop("question_id"), **fields, acknowledge=acknowledge)

    def free_text(self) -> dict[str, str]:
        return {"answer": self.answer.value, "note": self.note.value}

    def reset(self) -> None:
        self.answer.value = self.note.value = ""
        self.outcome.value = None

    def describe(self, saved: Any) -> str:
        mark = "met" if saved.outcome == "met" else "not yet met"
        return f"Recorded {saved.id}: {saved.question_id} ({saved.knowledge[0]}) marked {mark}"
