"""The portfolio's own copy of its unit (``unit.yaml``): which unit a portfolio opens with.

Since schema 2 a portfolio keeps the unit file its learner worked to, byte for byte, with
the copy's SHA-256 in ``portfolio.yaml``, so it renders and verifies against that unit even
after the package's copy changes. A portfolio without a recorded copy (schema 1) has its
unit looked up by code. A unit given by the caller (``--standard``) always wins, and the
note says when it differs from the copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import NotFoundError, PortfolioError, Problem, RecordError
from ..files.atomic import atomic_write_text, sha256_file
from ..standard import Standard, load_standard, same_code, unit_sha256, unit_text
from .layout import PROFILE_FILE, UNIT_FILE
from .models import Profile


@dataclass(frozen=True)
class UnitChoice:
    """The unit a portfolio opens with, and a note for the user when it is not the copy."""

    standard: Standard
    from_copy: bool
    note: str = ""


def _same_unit(a: Standard, b: Standard) -> bool:
    # Model equality would also compare where each was loaded from.
    return a.model_dump() == b.model_dump()


def load_unit_copy(root: Path, profile: Profile) -> Standard | None:
    """The unit copy a profile records, checked against its hash; None if none is recorded."""
    if profile.unit_sha256 is None:
        return None
    path = root / UNIT_FILE
    if not path.is_file():
        raise NotFoundError(
            f"{path}: missing, but {PROFILE_FILE} records a copy of the unit here",
            hint=f"restore {UNIT_FILE} from a backup, or put a copy of the unit file for "
            f"{profile.unit} there and run: cpc306 upgrade {root} --adopt-unit",
        )
    digest, _ = sha256_file(path)
    if digest != profile.unit_sha256:
        raise RecordError(
            [
                Problem(
                    str(path),
                    f"changed since the portfolio recorded it: its SHA-256 is {digest[:12]}…, "
                    f"{PROFILE_FILE} records {profile.unit_sha256[:12]}…",
                    field="unit_sha256",
                )
            ],
            hint=f"restore the original {UNIT_FILE}; if the change was meant, record it with: "
            f"cpc306 upgrade {root} --adopt-unit",
        )
    standard = load_standard(path)
    if not same_code(standard.code, profile.unit):
        raise RecordError(
            [
                Problem(
                    str(path),
                    f"is unit {standard.code!r} but the portfolio is for {profile.unit!r}",
                    field="code",
                )
            ],
            hint=f"restore the copy of {profile.unit} in {UNIT_FILE}",
        )
    return standard


def choose_unit(root: Path, profile: Profile, override: Standard | None = None) -> UnitChoice:
    """The unit to open a portfolio with: the caller's, else its copy, else by code."""
    if override is None:
        copy = load_unit_copy(root, profile)
        if copy is not None:
            return UnitChoice(copy, from_copy=True)
        return UnitChoice(load_standard(profile.unit), from_copy=False)
    where = str(override.source_path) if override.source_path else "the unit given"
    try:
        copy = load_unit_copy(root, profile)
    except PortfolioError as exc:
        return UnitChoice(
            override,
            from_copy=False,
            note=f"using {where}; the portfolio's own {UNIT_FILE} could not be used: {exc.message}",
        )
    if copy is not None and not _same_unit(copy, override):
        return UnitChoice(
            override,
            from_copy=False,
            note=f"using {where}, which differs from the portfolio's own copy of "
            f"{copy.code} ({root / UNIT_FILE})",
        )
    return UnitChoice(override, from_copy=copy is not None)


def write_unit_copy(root: Path, standard: Standard) -> str:
    """Write ``unit.yaml`` into a portfolio folder; return its SHA-256 for the profile."""
    atomic_write_text(root / UNIT_FILE, unit_text(standard))
    return unit_sha256(standard)
