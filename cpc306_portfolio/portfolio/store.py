"""Opening and creating portfolios: the way in to a :class:`~.folio.Portfolio`.

Nothing here prints.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import FileSystemError, NotFoundError, RecordError, UsageError
from ..files.atomic import TEMP_SUFFIX, atomic_write_text, clean_temp_files
from ..files.walk import Walk
from ..files.yamlio import dump_yaml, validation_problems
from ..standard import Standard, load_standard
from .folio import Portfolio
from .journal import leftovers, settle_all
from .keepout import for_disk, with_names
from .kinds import KINDS, RecordKind
from .layout import LOCK_FILE, PENDING_SUFFIX, PROFILE_FILE
from .models import Profile
from .profile_file import load_profile
from .unit_checks import check_profile
from .unitcopy import choose_unit, write_unit_copy

__all__ = ["Portfolio", "create_portfolio", "open_portfolio"]


def open_portfolio(
    path: str | os.PathLike[str],
    standard: Standard | None = None,
    *,
    readonly: bool = False,
    kinds: Sequence[RecordKind] = KINDS,
    keep_listing: bool = False,
) -> Portfolio:
    """Open a portfolio folder with its own copy of its unit (``unit.yaml``), unless given.

    A portfolio made before schema 2 has no copy: its unit is looked up by code. A unit
    given here wins; ``portfolio.unit_note`` then says if it differs from the copy.
    ``readonly=True`` promises to change nothing in the folder, not even the leftovers of a
    killed write (renderers and the cohort batch read learners' folders this way).
    ``kinds`` are the kinds of record it holds (:mod:`.kinds`). ``keep_listing``: the
    caller validates next, so the walk that looks for the leftovers of killed writes keeps
    each folder's stamp, and :meth:`~.folio.Portfolio.validate` uses it while they hold.
    """
    root = Path(path).expanduser().resolve()
    if not (root / PROFILE_FILE).is_file():
        raise NotFoundError(
            f"{root}: not a portfolio (no {PROFILE_FILE})",
            hint="create one with: cpc306 init FOLDER",
        )
    profile, problems = load_profile(root)
    if profile is None:
        raise RecordError(problems, hint=f"fix {PROFILE_FILE} by hand; nothing was changed")
    choice = choose_unit(root, profile, standard)
    problems = check_profile(profile, choice.standard, str(root / PROFILE_FILE))
    if problems:
        raise RecordError(problems)
    portfolio = Portfolio(
        root, choice.standard, with_names(profile), readonly=readonly, kinds=kinds
    )
    portfolio.unit_note = choice.note
    if readonly:
        return portfolio
    walk = Walk(root, stamped=keep_listing)
    if walk.temp_files(TEMP_SUFFIX) or leftovers(portfolio.records):
        # Only a killed write leaves these; take the lock so no live write loses its file.
        with portfolio.locked():
            clean_temp_files(root)
            settle_all(portfolio.records)
    elif keep_listing:
        portfolio.keep_walk(walk)  # for validate, while the folders stay as they are
    return portfolio


def create_portfolio(
    path: str | os.PathLike[str],
    profile: Profile | Mapping[str, Any],
    standard: Standard | None = None,
) -> Portfolio:
    """Create a new portfolio folder with its profile and a copy of its unit.

    Refuses to overwrite one. The unit is ``standard`` if given, else looked up by the
    profile's unit code; ``unit.yaml`` gets its file byte for byte.
    """
    root = Path(path).expanduser().resolve()
    if (root / PROFILE_FILE).exists():
        raise UsageError(
            f"{root} is already a portfolio",
            hint="open it instead, or choose an empty folder",
        )
    if not isinstance(profile, Profile):
        try:
            profile = Profile.model_validate(dict(profile))
        except ValidationError as exc:
            raise RecordError(
                validation_problems(exc, None, root / PROFILE_FILE),
                hint="nothing was written; correct it",
            ) from None
    if standard is None:
        standard = load_standard(profile.unit)
    problems = check_profile(profile, standard, str(root / PROFILE_FILE))
    if problems:
        raise RecordError(problems, hint="nothing was written")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileSystemError.of(exc, "create the portfolio folder", root) from None
    portfolio = Portfolio(root, standard, profile)
    with portfolio.locked():
        for folder in (portfolio.evidence_dir, portfolio.reflections_dir):
            folder.mkdir(exist_ok=True)
        ignore = root / ".gitignore"
        if not ignore.exists():
            atomic_write_text(ignore, f"{LOCK_FILE}\n*{TEMP_SUFFIX}\n.*{PENDING_SUFFIX}\n")
        # The copy first: a profile never records a unit copy that is not there.
        digest = write_unit_copy(root, standard)
        profile = profile.model_copy(update={"unit_sha256": digest})
        disk = for_disk(profile, None, root)
        atomic_write_text(portfolio.profile_path, dump_yaml(disk.to_data()))
        portfolio.profile = with_names(disk)
    return portfolio
