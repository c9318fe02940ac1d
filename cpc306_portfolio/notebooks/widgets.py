"""The ipywidgets forms the learner's and the assessor's notebooks show.

Each form saves through the same store functions as the ``cpc306`` command, at once
(widget values are not kept in a notebook). See :mod:`.forms` for the save flow shared
by every form, and :mod:`.forms_evidence` for the evidence form.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w
from pydantic import ValidationError

from ..analysis.reflections import MIN_STAGE_WORDS, stage_problem
from ..errors import PortfolioError, RecordError
from ..files.yamlio import validation_problems
from ..portfolio.layout import PROFILE_FILE
from ..portfolio.models import Profile, Reflection
from ..portfolio.reflection import reflection_model, reflection_models
from ..portfolio.store import Portfolio, create_portfolio, open_portfolio
from ..standard import load_standard
from .choices import ChoiceList
from .datebox import DateBox
from .evidence_form import EvidenceForm, evidence_form
from .forms import MULTI_HINT_HTML, FieldErrors, Form, css, problem
from .lean import plain_html, plain_vbox, shared_layout
from .panels import export_panel
from .wording import scope_label

__all__ = [
    "EvidenceForm",
    "ProfileForm",
    "ReflectionForm",
    "assessor_panel",
    "declaration_panel",
    "evidence_form",
    "profile_form",
    "reflection_form",
]


def _wide() -> w.Layout:
    return shared_layout(width="95%")  # one model for every field that never hides


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _multi(options: list[tuple[str, str]], name: str, label: str, value: tuple[str, ...] = ()):
    return css(ChoiceList(options, value, description=label, layout=_wide()), name)


class ReflectionForm(Form):
    """A reflective account: choose a model, then one text box per stage with its prompt."""

    def __init__(self, portfolio: Portfolio, criterion: str | None = None) -> None:
        self.folio = portfolio
        self.criterion = criterion
        unit = portfolio.standard
        err = FieldErrors()
        self.texts: dict[str, str] = {}  # kept across a change of model: no typing is lost
        self.boxes: dict[str, w.Textarea] = {}
        self.title = css(w.Text(description="Title", layout=_wide()), "title")
        self.date = DateBox("Date")
        models = reflection_models()
        self.model = css(
            w.Dropdown(
                description="Model", options=[(m.name, m.id) for m in models.values()], value=None
            ),
            "reflection-model",
        )
        self.summary = w.HTML()
        self.stages = css(w.VBox([]), "stages")
        crits = [(f"{c.id} {_short(c.text)}", c.id) for c in unit.criteria.values()]
        self.criteria = _multi(crits, "criteria", "Criteria")
        know = [(f"{k} {_short(t)}", k) for k, t in unit.knowledge_ids.items()]
        self.knowledge = _multi(know, "knowledge", "Knowledge")
        scope = [(scope_label(unit, k), k) for k in unit.scope_options]  # as the unit words it
        self.scope = _multi(scope, "scope", "Scope")
        self.draft = css(
            w.Checkbox(
                description="Save as a draft: I will finish the empty or short stages later",
                indent=False,
                layout=w.Layout(width="auto"),
            ),
            "draft",
        )
        rows = [
            err.row("title", self.title),
            err.row("date", self.date),
            err.row("model", self.model),
            self.summary,
            err.row("stages", self.stages),
            err.row("criteria", w.VBox([MULTI_HINT_HTML(), self.criteria])),
            err.row("scope", w.VBox([MULTI_HINT_HTML(), self.scope])),
        ]
        if unit.has_knowledge:  # a unit with no knowledge specification asks nothing of it
            rows.append(err.row("knowledge", w.VBox([MULTI_HINT_HTML(), self.knowledge])))
        rows.append(self.draft)
        super().__init__("reflection", "Write a reflective account", rows, err)
        self.model.observe(lambda change: self._show_stages(change["new"]), names="value")
        self.reset()

    def _show_stages(self, model_id: str | None) -> None:
        self.texts.update({k: box.value for k, box in self.boxes.items()})
        self.boxes = {}
        if model_id is None:
            self.summary.value, self.stages.children = "", ()
            return
        model = reflection_model(model_id)
        self.summary.value = f"<p>{escape(model.summary)}</p>"
        rows = []
        for stage in model.stages:
            box = css(
                w.Textarea(
                    value=self.texts.get(stage.id, ""),
                    placeholder=stage.prompt,
                    layout=shared_layout(width="95%", height="6em"),
                ),
                "stage",
                f"stage-{stage.id}",
            )
            self.boxes[stage.id] = box
            label = plain_html(f"<strong>{escape(stage.title)}</strong>: {escape(stage.prompt)}")
            rows.append(self.errors.row(f"stages.{stage.id}", plain_vbox([label, box])))
        self.stages.children = rows

    def reset(self) -> None:
        self.texts = {}
        self.boxes = {}
        self.title.value = ""
        self.date.value = None
        if self.model.value == "gibbs":
            self._show_stages("gibbs")
        else:
            self.model.value = "gibbs"  # its observer shows the stages (built once, not twice)
        self.criteria.value = (self.criterion,) if self.criterion else ()
        self.knowledge.value = ()
        self.scope.value = ()
        self.draft.value = False

    def incomplete(self) -> dict[str, str]:
        """Each stage still empty or very short, with why (before any save)."""
        return {k: why for k, box in self.boxes.items() if (why := stage_problem(box.value))}

    def collect(self) -> dict[str, Any]:
        fields = {
            "title": self.title.value,
            "date": self.date.value,
            "model": self.model.value,
            "stages": {k: box.value for k, box in self.boxes.items() if box.value.strip()},
            "criteria": list(self.criteria.value),
            "scope": list(self.scope.value),
            "knowledge": list(self.knowledge.value),
        }
        incomplete = self.incomplete()
        fields["draft"] = bool(incomplete)
        if dated := self.date.problem("date"):
            try:
                self.folio.draft("reflection", {**fields, "date": None})
            except RecordError as exc:
                raise RecordError(
                    [dated, *(p for p in exc.problems if p.field != "date")]
                ) from None
            raise RecordError([dated])
        if incomplete and not self.draft.value and fields["stages"]:
            model = reflection_model(self.model.value) if self.model.value else None
            titles = {s.id: s.title for s in model.stages} if model else {}
            problems = [
                problem(
                    f"stages.{k}",
                    f"{titles.get(k, k)} {why}: write a few sentences (at least "
                    f"{MIN_STAGE_WORDS} words), or tick 'Save as a draft' below",
                )
                for k, why in incomplete.items()
            ]
            try:
                self.folio.draft("reflection", fields)
            except RecordError as exc:
                problems += exc.problems
            raise RecordError(problems)
        return fields

    def free_text(self) -> dict[str, str]:
        return {
            "title": self.title.value,
            **{f"stages.{k}": b.value for k, b in self.boxes.items()},
        }

    def names_to_keep_out(self) -> list[str]:
        return list(self.folio.profile.keep_out)

    def describe(self, saved: Any) -> str:
        draft = " as a draft (finish it later in the reflection page)" if saved.draft else ""
        return f"Saved {saved.id}: {saved.title}{draft}"

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Reflection:
        return self.folio.add_reflection(fields, acknowledge=acknowledge, unknown="ignore")


def reflection_form(portfolio: Portfolio, criterion: str | None = None) -> ReflectionForm:
    """The reflective account form, with ``criterion`` chosen in advance."""
    return ReflectionForm(portfolio, criterion)


_PROFILE_FIELDS = [
    ("learner.name", "Your name"),
    ("learner.job_title", "Job title"),
    ("learner.organisation", "Organisation"),
    ("centre.name", "Centre"),
    ("centre.number", "Centre no."),
    ("assessor.name", "Assessor"),
    ("assessor.email", "Their email"),
]


class ProfileForm(Form):
    """Your details, your centre and assessor, and the people to keep out of your text.

    Creates the portfolio when the folder holds none yet.
    """

    def __init__(self, path: str | os.PathLike[str], unit: str = "") -> None:
        self.path = Path(path)
        self.unit = unit
        err = FieldErrors()
        self.inputs = {
            name: css(w.Text(description=label, layout=_wide()), name.replace(".", "-"))
            for name, label in _PROFILE_FIELDS
        }
        self.keep_out = css(
            w.Textarea(
                description="Keep out",
                placeholder="One name a line: people who use services, their families",
                layout=w.Layout(width="95%", height="6em"),
            ),
            "keep-out",
        )
        rows = [err.row(name, box) for name, box in self.inputs.items()]
        rows.append(err.row("keep_out", self.keep_out))
        super().__init__("profile", "Your details", rows, err)
        self.save_button.description = "Save my details"
        if self.exists:
            self._fill(open_portfolio(self.path).profile)

    @property
    def exists(self) -> bool:
        """True once the folder holds a portfolio."""
        return (self.path / PROFILE_FILE).is_file()

    def _fill(self, profile: Profile) -> None:
        data = profile.model_dump()
        for name, box in self.inputs.items():
            group, key = name.split(".")
            box.value = data[group][key]
        self.keep_out.value = "\n".join(profile.keep_out)

    def collect(self) -> dict[str, Any]:
        data: dict[str, Any] = {"learner": {}, "centre": {}, "assessor": {}}
        for name, box in self.inputs.items():
            group, key = name.split(".")
            data[group][key] = box.value.strip()
        data["keep_out"] = [n.strip() for n in self.keep_out.value.splitlines() if n.strip()]
        return data

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Profile:
        if not self.exists:
            standard = load_standard(self.unit or None)
            return create_portfolio(self.path, {"unit": standard.code, **fields}, standard).profile
        folio = open_portfolio(self.path)
        data = folio.profile.model_dump()
        for group in ("learner", "centre", "assessor"):
            data[group] = {**data[group], **fields[group]}
        data["keep_out"] = fields["keep_out"]
        try:
            profile = Profile.model_validate(data)
        except ValidationError as exc:
            raise RecordError(validation_problems(exc, None, folio.profile_path)) from None
        return folio.save_profile(profile)

    def reset(self) -> None:
        """Keep the details showing after a save."""

    def describe(self, saved: Any) -> str:
        return "Saved your details."  # no file path on a learner's page


def profile_form(path: str | os.PathLike[str], unit: str = "") -> ProfileForm:
    """The start notebook's set-up form for the portfolio at ``path``."""
    return ProfileForm(path, unit)


def declaration_panel(portfolio: Portfolio, output: str | os.PathLike[str] = "") -> w.VBox:
    """Declare, check and build: the export page's panel (see :func:`.panels.export_panel`)."""
    return export_panel(portfolio, output)


def _action(label: str, name: str, run: Callable[[], str]) -> tuple[w.Button, w.HTML]:
    """A button that runs one package call and shows its result or its error."""
    button = css(w.Button(description=label, button_style="primary"), name)
    status = css(w.HTML(), "status", f"{name}-status")

    def click(_button: w.Button) -> None:
        try:
            status.value = f'<p class="cpc306-saved">✔ {escape(run())}</p>'
        except PortfolioError as exc:
            status.value = f'<p class="cpc306-error-text">⚠ {escape(str(exc))}</p>'

    button.on_click(click)
    return button, status


def assessor_panel(portfolio: Portfolio) -> w.VBox:
    """Judge criteria, give feedback and sign off, through the same calls as ``cpc306 assess``."""
    from ..assessor.assessment import OUTCOMES, judge, set_feedback, sign_off
    from ..portfolio.evidence_rules import RULES_OF_EVIDENCE as RULES
    from ..portfolio.evidence_rules import RuleCheck

    unit = portfolio.standard
    criterion = css(
        w.Dropdown(options=list(unit.criteria), description="Criterion"), "judge-criterion"
    )
    outcome = css(
        w.RadioButtons(options=[(o.replace("_", " "), o) for o in OUTCOMES], value=None),
        "judge-outcome",
    )
    feedback = css(w.Textarea(description="Feedback", layout=_wide()), "judge-feedback")
    # The five rules of evidence (VACSR), each ticked with an optional note.
    ticks = {r: css(w.Checkbox(description=r.capitalize()), f"judge-rule-{r}") for r in RULES}
    notes = {r: css(w.Text(placeholder="note (optional)"), f"judge-note-{r}") for r in RULES}
    rules_box = w.VBox([w.HBox([ticks[r], notes[r]]) for r in RULES])
    evidence = _multi([(i, i) for i in portfolio.evidence_ids()], "judge-evidence", "Relied on")
    overall = css(w.Textarea(description="Overall", layout=_wide()), "overall-feedback")
    key = css(w.Text(description="Key file", layout=_wide()), "signoff-key")
    passphrase = css(w.Password(description="Passphrase"), "signoff-passphrase")

    def record() -> str:
        if outcome.value is None:
            raise PortfolioError("choose met or not yet met")
        judge(
            portfolio,
            criterion.value,
            outcome.value,
            feedback=feedback.value,
            evidence=list(evidence.value),
            rules={
                r: RuleCheck(met=ticks[r].value, note=notes[r].value.strip())
                for r in RULES
                if ticks[r].value or notes[r].value.strip()
            },
        )
        return f"{criterion.value} judged {outcome.value.replace('_', ' ')}"

    def give_feedback() -> str:
        set_feedback(portfolio, overall.value)
        return "Feedback saved"

    def sign() -> str:
        done = sign_off(portfolio, key.value.strip(), passphrase=passphrase.value or None)
        kind = "Interim sign-off" if done.interim else "Signed off"
        return f"{kind} by {done.signed_by}, key {done.key_fingerprint[:16]}"

    judging_rows = [
        criterion,
        outcome,
        rules_box,
        feedback,
        evidence,
        *_action("Record", "judge", record),
    ]
    feedback_row = _action("Save feedback", "feedback", give_feedback)
    signing = _action("Sign off", "signoff", sign)
    return css(
        w.VBox([*judging_rows, overall, *feedback_row, key, passphrase, *signing]),
        "assess",
    )
