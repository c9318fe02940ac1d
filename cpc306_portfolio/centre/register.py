"""The assessor register, and the centre's trust list made from it.

A key is trusted while its holder is active on the register: the trust list
(``trust-list.txt``) is made again, under the lock, whenever the register changes, and it
records the register's SHA-256, so ``--trust CENTRE`` refuses a list older than the register
(an edit by hand) instead of trusting a key that was meant to go.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path

from ..assessor.signing import (
    REGISTER_DIGEST,
    key_fingerprint,
    parse_public_key_line,
    public_key_line,
)
from ..errors import NotFoundError, UsageError
from ..files.atomic import atomic_write_text
from ..files.regular import read_bytes
from .folder import REGISTER_FILE, TRUST_FILE, Centre, open_centre
from .models import CpdEntry, Register, RegisteredAssessor, Role, Status

#: Bytes read from a public key file at most (a line is about 100).
KEY_FILE_LIMIT = 64 * 1024


def read_public_key(path: str | os.PathLike[str]) -> str:
    """The base64 key in a ``.pub`` file (its first line that is not a comment)."""
    key_path = Path(path).expanduser()
    if not key_path.is_file():
        raise NotFoundError(
            f"{key_path}: no such public key file",
            hint="give the assessor's .pub file (made with `cpc306 keys new FILE`)",
        )
    text = read_bytes(key_path, limit=KEY_FILE_LIMIT).decode("utf-8", "replace")
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            return parse_public_key_line(line.strip(), str(key_path), number)
    raise UsageError(
        f"{key_path}: no public key line in the file",
        hint="give the assessor's .pub file (made with `cpc306 keys new FILE`)",
    )


def find_person(register: Register, name: str, where: str) -> RegisteredAssessor:
    """The person called ``name`` (case and spacing ignored), or an error listing who is."""
    wanted = " ".join(name.split()).casefold()
    for person in register.assessors:
        if " ".join(person.name.split()).casefold() == wanted:
            return person
    names = ", ".join(p.name for p in register.assessors) or "nobody yet"
    raise NotFoundError(
        f"{where}: {name!r} is not on the centre's assessor register",
        hint=f"the register holds: {names}; add them with `cpc306 centre assessor add`",
    )


def trust_text(register: Register, digest: str) -> str:
    """The trust list's text: one line per active person's key, named as on the register."""
    lines = [
        "# The centre's trust list, made from assessors.yaml by `cpc306 centre`: do not edit.",
        "# It holds the key of every active assessor and IQA; make it again with",
        "# `cpc306 centre trust CENTRE` after editing the register by hand.",
        f"{REGISTER_DIGEST}{digest}",
    ]
    for person in register.assessors:
        if person.active:
            lines.append(public_key_line(person.public_key, person.name))
    return "\n".join(lines) + "\n"


def write_trust(centre: Centre) -> Path:
    """Make the trust list again from the register as it is on disk (inside the lock)."""
    register_path = centre.path(REGISTER_FILE)
    register = centre.register
    data = register_path.read_bytes() if register_path.is_file() else b""
    path = centre.path(TRUST_FILE)
    atomic_write_text(path, trust_text(register, hashlib.sha256(data).hexdigest()))
    return path


def _save(centre: Centre, register: Register) -> None:
    centre.write(REGISTER_FILE, register)
    write_trust(centre)


def add_assessor(
    centre_path: str | os.PathLike[str],
    *,
    name: str,
    role: str,
    status: str,
    key_file: str | os.PathLike[str],
    qualifications: list[str] | None = None,
    countersigner: str = "",
    today: date | None = None,
) -> RegisteredAssessor:
    """Put an assessor or IQA on the register (making the centre folder if new).

    A trainee needs a qualified, active countersigner already on the register; a name or a
    key already registered is refused, so one key never speaks for two people.
    """
    where = f"{Path(centre_path)}/{REGISTER_FILE}"
    if role not in {r.value for r in Role} or status not in {s.value for s in Status}:
        raise UsageError(
            f"{where}: role {role!r} or status {status!r} is not known",
            hint="role is assessor or iqa; status is qualified or trainee",
        )
    if status == Status.TRAINEE and not countersigner.strip():
        raise UsageError(
            f"{where}: countersigner: a trainee's decisions count only once countersigned",
            hint="name the qualified assessor who countersigns them with --countersigner",
        )
    key = read_public_key(key_file)
    centre = open_centre(centre_path, create=True)
    with centre.locked():
        register = centre.register
        clash = [p for p in register.assessors if p.public_key == key]
        if clash:
            raise UsageError(
                f"{where}: the key in {key_file} is already {clash[0].name}'s",
                hint="each person signs with their own key: give this person's .pub file",
            )
        if any(
            " ".join(p.name.split()).casefold() == " ".join(name.split()).casefold()
            for p in register.assessors
        ):
            raise UsageError(
                f"{where}: {name!r} is already on the register",
                hint="record changes with `cpc306 centre assessor set` or `... cpd`",
            )
        if countersigner:
            signer = find_person(register, countersigner, f"{where}: countersigner")
            if signer.status != Status.QUALIFIED or not signer.active:
                raise UsageError(
                    f"{where}: countersigner: {signer.name} is not a qualified, active assessor",
                    hint="name a qualified assessor on the register to countersign",
                )
        person = RegisteredAssessor(
            name=" ".join(name.split()),
            role=Role(role),
            status=Status(status),
            countersigner=countersigner.strip(),
            qualifications=[q for q in (qualifications or []) if q.strip()],
            public_key=key,
            fingerprint=key_fingerprint(key),
            added=today or date.today(),
        )
        register.assessors.append(person)
        _save(centre, register)
    return person


def add_cpd(
    centre_path: str | os.PathLike[str], name: str, *, day: date, activity: str, hours: float
) -> RegisteredAssessor:
    """Record one piece of CPD for someone on the register."""
    centre = open_centre(centre_path)
    with centre.locked():
        register = centre.register
        person = find_person(register, name, str(centre.path(REGISTER_FILE)))
        person.cpd = [*person.cpd, CpdEntry(date=day, activity=activity, hours=hours)]
        _save(centre, register)
    return person


def set_person(
    centre_path: str | os.PathLike[str],
    name: str,
    *,
    active: bool | None = None,
    status: str | None = None,
    countersigner: str | None = None,
) -> RegisteredAssessor:
    """Change someone's standing: leaving (their key stops being trusted), qualifying."""
    centre = open_centre(centre_path)
    where = str(centre.path(REGISTER_FILE))
    with centre.locked():
        register = centre.register
        person = find_person(register, name, where)
        if active is not None:
            person.active = active
        if status is not None:
            person.status = Status(status)
        if countersigner is not None:
            person.countersigner = countersigner
        if person.status == Status.TRAINEE and not person.countersigner:
            raise UsageError(
                f"{where}: countersigner: {person.name} is a trainee with no countersigner",
                hint="name one with --countersigner",
            )
        _save(centre, register)
    return person


def remake_trust(centre_path: str | os.PathLike[str]) -> Path:
    """Make the trust list again from the register (after the register was edited by hand)."""
    centre = open_centre(centre_path)
    with centre.locked():
        return write_trust(centre)
