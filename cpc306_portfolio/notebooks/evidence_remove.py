"""Remove an item of evidence, or one of its files, from the evidence form (after asking).

Shown inside the evidence form while an existing item is open: each attached file with
"Remove file…", and "Remove this item of evidence…". Each asks first; each is one journalled
write (``Portfolio.detach``, ``Portfolio.remove_evidence``). Removing a file keeps whatever
the learner has typed in the form meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as w

from ..errors import PortfolioError
from .confirm import ConfirmRemove
from .evidence_form import EvidenceForm
from .forms import css


def _size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1e6:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


class EvidenceRemoval(w.VBox):
    """The remove buttons for the item open in ``form`` (hidden for a new item)."""

    def __init__(self, form: EvidenceForm) -> None:
        super().__init__([])
        css(self, "evidence-removal")
        self.form = form
        self.confirm = ConfirmRemove(self._remove)
        #: Called after a removal (the page redraws).
        self.listeners: list[Callable[[Any], None]] = []
        form.record.observe(lambda _c: self.update(), names="value")
        form.listeners.append(lambda _saved: self.update())
        self.update()

    def update(self) -> None:
        record_id = self.form.record.value
        if not record_id:
            self.children = [self.confirm]  # empty, or saying what was just removed
            return
        try:
            record = self.form.folio.read_evidence(record_id)
        except PortfolioError as exc:
            self.children = [w.HTML(f'<p class="cpc306-error-text">⚠ {escape(str(exc))}</p>')]
            return
        rows: list[w.Widget] = []
        if record.attachments:
            rows.append(w.HTML("<p><strong>Files attached to this item</strong></p>"))
        for attachment in record.attachments:
            name = attachment.path.split("/", 1)[1]
            button = css(w.Button(description="Remove file…"), "remove-file")
            button.on_click(
                lambda _b, n=name: self.confirm.ask(f"file:{n}", f"the file “{n}” of {record_id}")
            )
            label = w.HTML(f"{escape(name)} ({_size(attachment.size)})")
            rows.append(w.HBox([label, button], layout=w.Layout(flex_flow="row wrap")))
        whole = css(w.Button(description="Remove this item of evidence…"), "remove-record")
        whole.on_click(
            lambda _b: self.confirm.ask(
                f"item:{record_id}", f"{record_id} “{record.title}” and its files"
            )
        )
        rows.append(whole)
        self.children = [*rows, self.confirm]

    def _remove(self, key: str) -> str:
        kind, _, name = key.partition(":")
        form = self.form
        record_id = form.record.value
        if kind == "file":
            form.folio.detach(record_id, name)
            # The typing stays; the form now saves over the record as it is after the removal.
            form._loaded_revision = (record_id, form.folio.read_evidence(record_id).revision)
            done = f"Removed the file {name} from {record_id}."
        else:
            form.folio.remove_evidence(name)
            form.reset()
            done = f"Removed {name} and its files."
        self.update()
        for listener in self.listeners:
            listener(key)
        return done


def with_removal(form: EvidenceForm) -> EvidenceRemoval:
    """Place the remove buttons in ``form``, just above its Save button; return them."""
    removal = EvidenceRemoval(form)
    children = list(form.children)
    children.insert(children.index(form.errors.general), removal)
    form.children = children
    return removal
