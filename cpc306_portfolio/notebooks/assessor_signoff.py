"""Sign-off in the assessor's workspace: their key from their own disk, its passphrase typed.

The workspace is the assessor's own server (their install, 127.0.0.1, this run's token), so
the passphrase may be typed in its page: it goes over the page's websocket to the kernel,
is handed to :func:`~cpc306_portfolio.assessor.assessment.sign_off` (what ``cpc306 sign``
calls) and is cleared from the form after every attempt, signed or not. It is never written
to a file, a log or a message. The key itself never leaves the kernel: the page sees only
its path, chosen from the assessor's own files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..assessor.assessment import sign_off
from ..assessor.signing import PUBLIC_SUFFIX, short_fingerprint
from ..errors import RecordError
from ..portfolio.store import Portfolio
from .forms import FieldErrors, Form, css, problem

#: Where ``cpc306 keys new`` users usually keep a key (the hint it prints).
USUAL_KEY_FOLDERS = ("~/.cpc306",)


def key_fields(key: str, name: str) -> tuple[w.Combobox, w.Password]:
    """The key file (offered from the assessor's own files) and its passphrase boxes."""
    box = w.Combobox(
        value=str(Path(key).expanduser()) if key else "",
        options=key_choices(key),
        description="Your key",
        placeholder="the private key file made by cpc306 keys new",
        ensure_option=False,
        layout=w.Layout(width="95%"),
    )
    passphrase = w.Password(description="Passphrase", placeholder="leave empty if it has none")
    return css(box, f"{name}-key"), css(passphrase, f"{name}-passphrase")


def key_choices(given: str = "") -> list[str]:
    """Private key files the assessor may mean: the one given, and others with a ``.pub``."""
    folders = [Path(given).expanduser().parent] if given else []
    folders += [Path(f).expanduser() for f in USUAL_KEY_FOLDERS]
    found = [str(Path(given).expanduser())] if given else []
    for folder in folders:
        try:
            pubs = sorted(folder.glob(f"*{PUBLIC_SUFFIX}"))
        except OSError:
            continue
        for pub in pubs:
            private = pub.with_name(pub.name.removesuffix(PUBLIC_SUFFIX))
            if private.is_file() and str(private) not in found:
                found.append(str(private))
    return found


class SignOffForm(Form):
    """Choose the key, type its passphrase, sign off: the same call as ``cpc306 sign``."""

    def __init__(self, folio: Portfolio, key: str = "") -> None:
        self.folio = folio
        err = FieldErrors()
        self.key, self.passphrase = key_fields(key, "signoff")
        self.name = css(
            w.Text(description="Your name", placeholder="default: the name in your key's .pub"),
            "signoff-name",
        )
        rows = [
            err.row("key", self.key),
            err.row("passphrase", self.passphrase),
            err.row("name", self.name),
        ]
        super().__init__("signoff", "Sign off with your key", rows, err)
        self.save_button.description = "Sign off"

    def collect(self) -> dict[str, Any]:
        if not self.key.value.strip():
            raise RecordError([problem("key", "give the path of your private key file")])
        return {"key": self.key.value.strip(), "name": self.name.value.strip()}

    def write(self, fields: dict[str, Any], acknowledge: dict[str, str]) -> Any:
        passphrase = self.passphrase.value or None
        self.passphrase.value = ""  # out of the form before the key is even read
        return sign_off(
            self.folio,
            os.path.expanduser(fields["key"]),
            signed_by=fields["name"] or None,
            passphrase=passphrase,
        )

    def save(self) -> Any | None:
        try:
            return super().save()
        finally:
            self.passphrase.value = ""  # never kept, whether it signed or not

    def describe(self, saved: Any) -> str:
        kind = "Interim sign-off" if saved.interim else "Signed off"
        return (
            f"{kind} by {saved.signed_by} with key {short_fingerprint(saved.key_fingerprint)}…: "
            f"{len(saved.manifest.files)} entries"
        )
