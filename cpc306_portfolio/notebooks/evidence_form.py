"""The evidence form: add an item of evidence, or edit one, through the same store as the CLI.

Built from the loaded unit (criteria, scope options, knowledge items, evidence kinds) and
the models (methods, witness, people directing their own support). Uploaded files are
written to a temporary folder and attached with ``Portfolio.add_evidence(attach=...)``,
which copies them in and records their hashes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any, cast

import ipywidgets as w

from ..errors import ConflictError, PortfolioError, RecordError
from ..portfolio.models import Evidence
from ..portfolio.store import Portfolio
from ..standard.methods import AssessmentMethod
from .choices import SEARCH_FROM, ChoiceList
from .conflict import ConflictPanel
from .datebox import DateBox
from .export_state import declaration_reminder
from .forms import MULTI_HINT_HTML, FieldErrors, Form, css, problem
from .lean import shared_layout
from .testimony import RegisteredTestimony
from .upload_limits import MAX_CHOICE_BYTES, MAX_FILE_BYTES, MAX_FILE_MB
from .wording import scope_label

NEW = ""


def _mb(size: int) -> str:
    return f"{size / 1e6:.0f}" if size >= 10e6 else f"{size / 1e6:.1f}"


def upload_problems(items: Sequence[Any]) -> list[str]:
    """What is wrong with the chosen files, in the learner's words (empty: nothing).

    ``size`` is what the browser says a file is. The app's page sends no bytes of a file
    over the limit, nor of a choice of files over its limit (see the ``cpc306`` template),
    so the form still learns each file's name and size and says why it cannot keep it; a
    file whose bytes fell short of its size never becomes a "saved" attachment either.
    """
    out = []
    sizes = [int(item.get("size") or 0) for item in items]
    got = [len(bytes(item.get("content", b""))) for item in items]
    for item, size, arrived in zip(items, sizes, got, strict=True):
        if max(size, arrived) > MAX_FILE_BYTES:
            name = Path(str(item.get("name", "file"))).name
            out.append(
                f"{name}: this file is {_mb(max(size, arrived))} MB; the limit is "
                f"{MAX_FILE_MB} MB. Press Remove files, then attach a smaller copy or save "
                "without it"
            )
    if sum(sizes) > MAX_CHOICE_BYTES:
        out.append(
            f"these files come to {_mb(sum(sizes))} MB together; the limit is "
            f"{_mb(MAX_CHOICE_BYTES)} MB at once. Press Remove files, then attach fewer and "
            "save the rest in another go"
        )
    elif not out:
        out += [
            f"{Path(str(item.get('name', 'file'))).name}: only part of it arrived. Press "
            "Remove files, then attach it again"
            for item, size, arrived in zip(items, sizes, got, strict=True)
            if arrived < size
        ]
    return out


def _wide() -> w.Layout:
    return shared_layout(width="95%")  # one model for every field that never hides


def _select(options: Sequence[tuple[str, str]], name: str, label: str) -> ChoiceList:
    return css(ChoiceList(options, description=label, layout=_wide()), name)


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class EvidenceForm(Form):
    """Add (or edit) an item of evidence mapped to criteria, scope and knowledge."""

    def __init__(self, portfolio: Portfolio, criterion: str | None = None) -> None:
        self.folio = portfolio
        self.criterion = criterion
        unit = portfolio.standard
        err = FieldErrors()
        self.record = css(w.Dropdown(description="Record", layout=_wide()), "record")
        self.title = css(w.Text(description="Title", layout=_wide()), "title")
        self.date = DateBox("Date")
        self.method = css(
            w.Dropdown(
                description="Method",
                options=[(m.learner_label, m.value) for m in AssessmentMethod],
                value=None,
            ),
            "method",
        )
        kinds = [(o.label, k) for k, o in unit.evidence_kinds.items()]
        self.kind = _select(kinds, "kind", "Kind")
        self.description = css(
            w.Textarea(description="Description", layout=w.Layout(width="95%", height="8em")),
            "description",
        )
        self.description.placeholder = "What happened, what you did, and what it shows"
        crits = [(f"{c.id} {_short(c.text)}", c.id) for c in unit.criteria.values()]
        self.criteria = _select(crits, "criteria", "Criteria")
        scope = [(scope_label(unit, k), k) for k in unit.scope_options]  # as the unit words it
        self.scope = _select(scope, "scope", "Scope")
        know = [(f"{k} {_short(t)}", k) for k, t in unit.knowledge_ids.items()]
        self.knowledge = _select(know, "knowledge", "Knowledge")
        self.upload = css(w.FileUpload(multiple=True, description="Attach files"), "upload")
        self.remove_files = css(w.Button(description="Remove files"), "remove-files")
        self.remove_files.on_click(lambda _b: setattr(self.upload, "value", ()))
        self.upload.observe(lambda _c: self._check_files(), names="value")
        self.witness_name = css(w.Text(description="Witness"), "witness-name")
        self.witness_role = css(w.Text(description="Their role"), "witness-role")
        self.witness_plain = w.VBox([self.witness_name, self.witness_role])
        self.testimony = RegisteredTestimony(portfolio, err)
        self.witness = css(w.VBox([self.testimony, self.witness_plain]), "witness")
        # Observed work is the assessor's record: the learner only links to it (schema 4).
        self.observation = css(
            w.Dropdown(description="Their record", layout=w.Layout(width="95%")), "observation"
        )
        self.simulated = css(
            w.Checkbox(description="Simulated, not from real work", indent=False), "simulated"
        )
        self.sds_directing = css(
            w.RadioButtons(options=["Yes", "No"], value=None, description="Direct own support?"),
            "sds-directing",
        )
        self.sds_agreed = css(
            w.Checkbox(description="They agreed to the further actions", indent=False),
            "sds-agreed",
        )
        self.sds_date = DateBox("Agreed on", "sds-date")
        self.sds_notes = css(w.Textarea(description="Notes", layout=_wide()), "sds-notes")
        self.sds = css(
            w.VBox(
                [
                    w.HTML(
                        "<p>Do the people concerned direct their own support (for example with "
                        "a direct payment)? If so, record whether they agreed and when.</p>"
                    ),
                    self.sds_directing,
                    self.sds_agreed,
                    err.row("self_directed_support.agreed_on", self.sds_date),
                    self.sds_notes,
                ]
            ),
            "sds",
        )
        rows: list[w.Widget] = [
            self.record,
            err.row("title", self.title),
            err.row("date", self.date),
            err.row("method", self.method),
            err.row("witness", self.witness),
            err.row("observation", self.observation),
        ]
        if kinds:
            rows.append(
                err.row(
                    "evidence_kind",
                    w.VBox([MULTI_HINT_HTML(search=len(kinds) >= SEARCH_FROM), self.kind]),
                )
            )
        rows += [
            err.row("description", self.description),
            err.row("criteria", w.VBox([MULTI_HINT_HTML(), self.criteria])),
            err.row("self_directed_support", self.sds),
            err.row("scope", w.VBox([MULTI_HINT_HTML(), self.scope])),
        ]
        if unit.has_knowledge:  # a unit with no knowledge specification asks nothing of it
            rows.append(err.row("knowledge", w.VBox([MULTI_HINT_HTML(), self.knowledge])))
        rows += [
            err.row("attachments", w.HBox([self.upload, self.remove_files])),
            self.simulated,
        ]
        super().__init__("evidence", "Add an item of evidence", rows, err)
        self.conflict = ConflictPanel(unit, self._keep_mine, lambda e: self.load(e.theirs.id))
        parts: list[Any] = list(cast(Any, self).children)
        self.children = [*parts[: parts.index(err.general)], self.conflict, *parts[-4:]]
        self.method.observe(lambda _c: self._toggle(), names="value")
        self.criteria.observe(lambda _c: self._toggle(), names="value")
        self.record.observe(lambda change: self.load(change["new"]), names="value")
        self.reset()

    def _check_files(self) -> None:
        """Say at once, beside the button, what is wrong with a chosen file (before Save)."""
        self.errors.slot("attachments").value = "".join(
            f'<p class="cpc306-error-text cpc306-file-refused" role="alert">⚠ {escape(text)}</p>'
            for text in upload_problems(self.upload.value)
        )

    def _toggle(self) -> None:
        method = self.method.value
        observed = method == AssessmentMethod.OBSERVATION.value
        needs = method is not None and AssessmentMethod(method).needs_witness and not observed
        self.witness.layout.display = "" if needs else "none"
        self.testimony.show_for(method, self.witness_plain)
        self.observation.layout.display = "" if observed else "none"
        self.sds.layout.display = "" if self.asks_self_directed_support else "none"

    @property
    def asks_self_directed_support(self) -> bool:
        """True when a chosen criterion is about people directing their own support."""
        crits = self.folio.standard.criteria
        return any(crits[c].self_directed_support for c in self.criteria.value if c in crits)

    def _refresh_records(self) -> None:
        options = [("A new item of evidence", NEW)]
        try:
            options += [
                (f"Edit {r.id}: {_short(r.title, 60)}", r.id) for r in self.folio.evidence()
            ]
        except PortfolioError:  # a file broken by hand: still offer every record by id
            options += [(f"Edit {r}", r) for r in self.folio.evidence_ids()]
        self.record.options = options
        from ..portfolio.assessor_evidence import read_assessor_records

        try:
            found = read_assessor_records(self.folio).observations
        except PortfolioError:
            found = []
        self.observation.options = [("Choose your assessor's observation", "")] + [
            (f"{o.id}, {o.date:%d %B %Y}: {', '.join(o.criteria)}", o.id) for o in found
        ]

    def reset(self) -> None:
        self._refresh_records()
        self.record.value = NEW
        self._fill(None)

    def _fill(self, record: Evidence | None) -> None:
        default = (self.criterion,) if self.criterion else ()
        self.title.value = record.title if record else ""
        self.date.value = record.date if record else None
        self.method.value = record.method.value if record else None
        self.kind.value = tuple(record.evidence_kind) if record else ()
        self.description.value = record.description if record else ""
        self.criteria.value = tuple(record.criteria) if record else default
        self.scope.value = tuple(record.scope) if record else ()
        self.knowledge.value = tuple(record.knowledge) if record else ()
        self.upload.value = ()
        witness = record.witness if record else None
        self.witness_name.value = witness.name if witness else ""
        self.witness_role.value = witness.role if witness else ""
        self.testimony.fill(witness)
        linked = record.observation if record else None
        self.observation.value = linked if linked in dict(self.observation.options).values() else ""
        self.simulated.value = record.simulated if record else False
        sds = record.self_directed_support if record else None
        self.sds_directing.value = (
            None if sds is None else ("Yes" if sds.directing_own_support else "No")
        )
        self.sds_agreed.value = sds.agreed if sds else False
        self.sds_date.value = sds.agreed_on if sds else None
        self.sds_notes.value = sds.notes if sds else ""
        self._toggle()

    def load(self, record_id: str) -> None:
        """Show an existing record for editing (``""`` for a new one)."""
        self.errors.clear()
        self.findings.clear()
        record = self.folio.read_evidence(record_id) if record_id else None
        # The revision shown: a save over a record changed since then is refused, not lost.
        self._loaded_revision = (record_id, record.revision) if record else None
        self._fill(record)

    def collect(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "title": self.title.value,
            "date": self.date.value,
            "method": self.method.value,
            "evidence_kind": list(self.kind.value),
            "description": self.description.value,
            "criteria": list(self.criteria.value),
            "scope": list(self.scope.value),
            "knowledge": list(self.knowledge.value),
            "simulated": bool(self.simulated.value),
        }
        if self.witness.layout.display != "none" and (
            self.witness_name.value.strip() or self.witness_role.value.strip()
        ):
            fields["witness"] = {"name": self.witness_name.value, "role": self.witness_role.value}
        if self.observation.layout.display != "none" and self.observation.value:
            fields["observation"] = self.observation.value
        problems = [problem("attachments", text) for text in upload_problems(self.upload.value)]
        if self.testimony.chosen:
            problems += self.testimony.problems(self.method.value)
            if not problems:
                fields["witness"] = self.testimony.witness_field()
        if found := self.date.problem("date"):
            problems.append(found)
        if self.asks_self_directed_support:
            if self.sds_directing.value is None:
                problems.append(
                    problem(
                        "self_directed_support",
                        "say whether the people concerned direct their own support",
                    )
                )
            elif self.sds_agreed.value and self.sds_date.value is None:
                problems.append(
                    problem("self_directed_support.agreed_on", "give the date they agreed")
                )
            elif found := self.sds_date.problem("self_directed_support.agreed_on", required=False):
                problems.append(found)
            else:
                fields["self_directed_support"] = {
                    "directing_own_support": self.sds_directing.value == "Yes",
                    "agreed": bool(self.sds_agreed.value),
                    "agreed_on": self.sds_date.value,
                    "notes": self.sds_notes.value,
                }
        if problems:
            said = {p.field for p in problems}
            try:
                self.folio.draft("evidence", fields)
            except RecordError as exc:  # said once, in words, for a field already marked
                problems += [p for p in exc.problems if p.field not in said]
            raise RecordError(problems)
        return fields

    def free_text(self) -> dict[str, str]:
        texts = {"title": self.title.value, "description": self.description.value}
        texts.update(self.testimony.free_text())
        if self.sds.layout.display != "none":
            texts["self_directed_support.notes"] = self.sds_notes.value
        return texts

    def names_to_keep_out(self) -> list[str]:
        return list(self.folio.profile.keep_out)

    def contacts(self) -> tuple[str, ...]:
        return self.folio.checks.contacts()

    def _uploads(self, folder: Path) -> list[Path]:
        paths = []
        for i, item in enumerate(self.upload.value):
            target = folder / str(i) / Path(str(item["name"])).name
            target.parent.mkdir()
            target.write_bytes(bytes(item["content"]))
            paths.append(target)
        return paths

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Evidence:
        with tempfile.TemporaryDirectory(prefix="cpc306-upload-") as tmp:
            files = self._uploads(Path(tmp))
            if self.record.value:
                try:
                    return self._update(self.record.value, fields, acknowledge, files)
                except ConflictError as exc:
                    raise self.conflict.show(exc) from None
            return self.folio.add_evidence(
                fields, attach=files, acknowledge=acknowledge, unknown="ignore"
            )

    def _update(
        self, record_id: str, fields: dict[str, Any], acknowledge: dict[str, str], files: list[Path]
    ) -> Evidence:
        current = self.folio.read_evidence(record_id)
        data = {
            **current.to_data(),
            "witness": None,
            "self_directed_support": None,
            "observation": None,
            **fields,
        }
        if fields.get("method") == AssessmentMethod.OBSERVATION.value and current.witness:
            # The form hides the witness for observed work; what was recorded is kept.
            data["witness"] = current.witness.model_dump(mode="json")
        loaded = getattr(self, "_loaded_revision", None)
        if loaded is not None and loaded[0] == record_id:
            data["revision"] = loaded[1]
        self.folio.draft("evidence", {**data, "attachments": []})  # located problems, if any
        # One save: the edited text and the new files land together, or nothing does.
        return self.folio.update_evidence(
            Evidence.model_validate(data), attach=files, acknowledge=acknowledge, unknown="ignore"
        )

    def _keep_mine(self, error: ConflictError) -> None:
        """Save the form's version over the one another window saved."""
        self._loaded_revision = (error.theirs.id, error.theirs.revision)
        self.save()

    def describe(self, saved: Any) -> str:
        files = f", {len(saved.attachments)} file(s)" if saved.attachments else ""
        later = declaration_reminder(self.folio)
        return f"Saved {saved.id}: {saved.title}{files}. Your progress above is up to date.{later}"


def evidence_form(portfolio: Portfolio, criterion: str | None = None) -> EvidenceForm:
    """The evidence form for a notebook, with ``criterion`` chosen in advance."""
    return EvidenceForm(portfolio, criterion)
