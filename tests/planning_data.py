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


def add_testimony(folder: Path, statement: Path, title: str = "Testimony") -> str:
    """Record a registered witness's (W001) testimony of C3 through the command line."""
    from .conftest import run_cli

    return run_cli(
        "evidence",
        "add",
        folder,
        "--title",
        title,
        "--date",
        "2026-01-10",
        "--method",
        "witness_testimony",
        "--description",
        "Her statement",
        "--criteria",
        "C3",
        "--witness",
        "W001",
        "--testimony-file",
        statement,
    )


def as_options(fields):
    out = []
    for name, value in fields.items():
        out += [f"--{name}", value]
    return out


def review_kind(portfolio):
    return portfolio.records.kind("review")
