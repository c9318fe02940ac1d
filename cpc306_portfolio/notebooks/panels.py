"""The export panel, the development plan form and the reply to the assessor's feedback.

Each saves through package calls at once, like every form (widget values are not kept).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..analysis.status import portfolio_status
from ..errors import PortfolioError, RecordError
from ..portfolio.layout import EXPORTS_DIR
from ..portfolio.models import Reply
from ..portfolio.plan import PlanAction, plan_suggestions, read_plan, save_plan
from ..portfolio.store import Portfolio
from .datebox import DateBox
from .export_state import declaration_html, open_link_html
from .forms import FieldErrors, Form, css, problem
from .wording import when


def _wide() -> w.Layout:
    return w.Layout(width="95%")


def _button(label: str, name: str) -> w.Button:
    # Width follows the label: a fixed ipywidgets width cuts long labels off.
    return css(
        w.Button(description=label, button_style="primary", layout=w.Layout(width="auto")), name
    )


def _action(label: str, name: str, run: Callable[[], str]) -> tuple[w.Button, w.HTML]:
    """A button that runs one package call and shows its result or its error."""
    button = _button(label, name)
    status = css(w.HTML(), "status", f"{name}-status")

    def click(_button: w.Button) -> None:
        try:
            status.value = f'<p class="cpc306-saved" role="status">✔ {run()}</p>'
        except PortfolioError as exc:
            status.value = f'<p class="cpc306-error-text" role="alert">⚠ {escape(str(exc))}</p>'

    button.on_click(click)
    return button, status


def export_href(target: Path, portfolio: Portfolio) -> str:
    """Where the browser opens a built file: Voilà's file route in the app, else relative."""
    base = os.environ.get("VOILA_BASE_URL")
    rel = target.relative_to(portfolio.root).as_posix()
    if base is not None:
        return f"{base.rstrip('/')}/voila/files/{rel}"
    return f"../{rel}"


def _readiness(portfolio: Portfolio) -> str:
    """Warnings before a build: unacknowledged findings, criteria not yet ready."""
    rows = portfolio_status(portfolio).rows.criteria  # rows, not pandas: the page starts faster
    waiting = sum(1 for _f, ack in portfolio.scan() if ack is None)
    not_ready = [r["criterion"] for r in rows if r["status"] not in {"ready", "met"}]
    lines = []
    if waiting:
        lines.append(
            f"{waiting} possible identifier(s) of a person are not yet edited out or "
            "acknowledged: see the confidentiality warnings above before you send anything."
        )
    if not_ready:
        lines.append(
            f"{len(not_ready)} criteria are not ready for assessment yet ({', '.join(not_ready)}). "
            "You can still build the file to show your assessor your progress."
        )
    if not lines:
        return '<p class="cpc306-saved">✔ Every criterion is ready and no warning waits.</p>'
    return "".join(f'<p class="cpc306-warning-text">⚠ {escape(line)}</p>' for line in lines)


def export_panel(portfolio: Portfolio, output: str | os.PathLike[str] = "") -> w.VBox:
    """Declare first (and why), see what still needs attention, then build and open the HTML.

    The HTML goes in the portfolio's ``exports/`` folder (in no manifest) unless ``output``
    says otherwise.
    """
    from ..portfolio.declaration import declare

    default = portfolio.root / EXPORTS_DIR / f"{portfolio.root.name}-portfolio.html"
    target = Path(output) if output else default
    confirm = css(
        w.Checkbox(description="I confirm this statement", indent=False), "declare-confirm"
    )
    state = css(w.HTML(declaration_html(portfolio)), "declaration-state")
    readiness = css(w.HTML(_readiness(portfolio)), "readiness")
    link = css(w.HTML(), "export-link")
    if target.is_file() and target.resolve().is_relative_to(portfolio.root):
        # Built before: open it again without building.
        link.value = open_link_html(export_href(target.resolve(), portfolio), target.name)

    def sign() -> str:
        if not confirm.value:
            raise PortfolioError("tick the box to confirm the statement first")
        done = declare(portfolio)
        state.value = declaration_html(portfolio)
        return escape(f"Declaration signed by {done.signed_by} on {when(done.signed_at)}")

    def build_html() -> str:
        from ..render import render_portfolio

        if portfolio.profile.declaration is None and not output:
            raise PortfolioError("sign your declaration first (step 1), then build")
        target.parent.mkdir(parents=True, exist_ok=True)
        written = Path(render_portfolio(portfolio, target) or target)
        readiness.value = _readiness(portfolio)
        state.value = declaration_html(portfolio)
        try:
            href = export_href(written.resolve(), portfolio)
        except ValueError:  # built outside the portfolio: no link the app can serve
            return escape(f"Your portfolio is ready: {written}")
        link.value = open_link_html(href, written.name)
        return escape(
            f"Your portfolio is ready: {written.name}, in your portfolio's exports folder"
        )

    sign_button, sign_status = _action("Sign my declaration", "declare", sign)
    build = _action("Build my portfolio", "render", build_html)
    intro = (
        "<h3>1. Declare the work your own</h3>"
        "<p>Your assessor can accept only work you declare your own. Your declaration "
        "records a fingerprint of every file as it is now, so anyone can later see whether "
        "anything changed.</p>"
        f"<blockquote>{escape(portfolio.standard.terms.declaration_statement)}</blockquote>"
    )
    step2 = "<h3>2. Check what still needs attention</h3>"
    step3 = (
        "<h3>3. Build the file for your assessor</h3>"
        "<p>One HTML file that opens in any browser with no internet connection. It is "
        + (
            "saved in your portfolio folder, in <strong>exports</strong>, as "
            f"<strong>{escape(target.name)}</strong>.</p>"
            if target == default
            else f"saved as <code>{escape(str(target))}</code>.</p>"
        )
    )
    return css(
        w.VBox(
            [
                w.HTML(intro),
                state,
                confirm,
                sign_button,
                sign_status,
                w.HTML(step2),
                readiness,
                w.HTML(step3),
                *build,
                link,
            ]
        ),
        "export",
    )


class PlanForm(Form):
    """The development plan: one row per action (what, how, by when, done)."""

    def __init__(self, portfolio: Portfolio, spare: int = 2) -> None:
        self.folio = portfolio
        self.spare = spare
        err = FieldErrors()
        self.rows_box = css(w.VBox([]), "plan-rows")
        self.rows: list[dict[str, Any]] = []
        super().__init__(
            "plan", "Edit your development plan", [err.row("actions", self.rows_box)], err
        )
        self.save_button.description = "Save my plan"
        self.save_button.layout = w.Layout(width="auto")
        self.reset()

    def _row(self, action: PlanAction | None, index: int) -> dict[str, Any]:
        what = css(
            w.Textarea(
                description="What to develop",
                value=action.what if action else "",
                layout=w.Layout(width="95%", height="4em"),
                style={"description_width": "initial"},
            ),
            "plan-what",
        )
        how = css(
            w.Text(
                description="How",
                value=action.how if action else "",
                layout=_wide(),
                style={"description_width": "initial"},
            ),
            "plan-how",
        )
        when = DateBox(
            "By when",
            "plan-when",
            future=True,
            value=action.by_when if action else None,
            style={"description_width": "initial"},
        )
        done = css(w.Checkbox(description="Done", value=bool(action and action.done)), "plan-done")
        source = action.source if action else ""
        heading = f"Action {index + 1}" + (f" (from {source})" if source else "")
        box = css(
            w.VBox(
                [
                    w.HTML(f"<h4>{escape(heading)}</h4>"),
                    what,
                    how,
                    when,
                    done,
                    self.errors.slot(f"actions[{index}]"),
                ]
            ),
            "plan-row",
        )
        return {"what": what, "how": how, "when": when, "done": done, "source": source, "box": box}

    def reset(self) -> None:
        plan = read_plan(self.folio)
        actions = [*plan.actions, *plan_suggestions(plan, self.folio.reflections())]
        self.rows = [self._row(a, i) for i, a in enumerate(actions)]
        n = len(self.rows)
        self.rows += [self._row(None, n + i) for i in range(self.spare)]
        self.rows_box.children = [r["box"] for r in self.rows]

    def collect(self) -> dict[str, Any]:
        actions = []
        problems = []
        for i, row in enumerate(self.rows):
            what = row["what"].value.strip()
            if not what:
                if row["how"].value.strip() or row["when"].value is not None:
                    problems.append(problem(f"actions[{i}]", "say what you will develop"))
                continue
            if found := row["when"].problem(f"actions[{i}]", required=False):
                problems.append(problem(found.field, f"By when: {found.message}"))
                continue
            actions.append(
                {
                    "what": what,
                    "how": row["how"].value.strip(),
                    "by_when": row["when"].value,
                    "source": row["source"],
                    "done": bool(row["done"].value),
                }
            )
        if problems:
            raise RecordError(problems)
        return {"actions": actions}

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Any:
        return save_plan(self.folio, fields["actions"])

    def describe(self, saved: Any) -> str:
        count = len(saved.actions)
        return f"Saved your plan: {count} action{'' if count == 1 else 's'}"


def plan_form(portfolio: Portfolio) -> PlanForm:
    """The development plan form, filled from the plan and the reflective accounts."""
    return PlanForm(portfolio)


class ReplyForm(Form):
    """The learner's reply to the assessor's feedback on one criterion."""

    def __init__(self, portfolio: Portfolio, criterion: str) -> None:
        self.folio = portfolio
        self.criterion = criterion
        err = FieldErrors()
        current = portfolio.read_assessment().replies.get(criterion)
        self.text = css(
            w.Textarea(
                description="Your reply",
                value=current.text if current else "",
                placeholder="What you did about the feedback, for the next round",
                layout=w.Layout(width="95%", height="5em"),
            ),
            "reply-text",
        )
        super().__init__("reply", "Reply to your assessor", [err.row("text", self.text)], err)
        self.save_button.description = "Save my reply"
        self.save_button.layout = w.Layout(width="auto")

    def collect(self) -> dict[str, Any]:
        if not self.text.value.strip():
            raise RecordError([problem("text", "write your reply first")])
        return {"text": self.text.value}

    def free_text(self) -> dict[str, str]:
        return {"text": self.text.value}

    def names_to_keep_out(self) -> list[str]:
        return list(self.folio.profile.keep_out)

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Any:
        found = self.text_findings()
        if found:
            from ..errors import ConfidentialityError

            raise ConfidentialityError("the reply might identify a person", found)
        assessment = self.folio.read_assessment()
        reply = Reply(text=fields["text"])
        updated = assessment.model_copy(
            update={"replies": {**assessment.replies, self.criterion: reply}}
        )
        self.folio.save_assessment(updated)
        return reply

    def reset(self) -> None:
        """Keep the reply showing after a save."""

    def describe(self, saved: Any) -> str:
        return f"Saved your reply on {self.criterion}; your assessor sees it with the criterion"


def reply_form(portfolio: Portfolio, criterion: str) -> ReplyForm:
    """A reply to the assessor's feedback on ``criterion``."""
    return ReplyForm(portfolio, criterion)
