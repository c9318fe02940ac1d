"""What the plan, review and witness tests share: fields and a look at a folder's files."""

from __future__ import annotations

from pathlib import Path

ACTIVITY = {
    "activity": "Observe the contract review meeting",
    "method": "observation",
    "criteria": ["C3", "B4"],
    "planned_date": "2026-02-01",
    "with": "The assessor",
}

WITNESS_FIELDS = {
    "name": "Priya Example",
    "role": "Contracts manager",
    "organisation": "Fictional Borough Council",
    "relationship": "line manager",
    "email": "priya.example@example.org",
    "phone": "07700 900123",
    "status": "occupationally_competent",
}


def folder_files(root: Path) -> dict[str, bytes]:
    # The lock file is the lock, not a record: taking it is not writing.
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name != ".cpc306.lock"
    }


def as_options(fields):
    out = []
    for name, value in fields.items():
        out += [f"--{name}", value]
    return out


def review_kind(portfolio):
    return portfolio.records.kind("review")
