"""The keep-out list: keyed hashes in the portfolio, the key and the names with the learner.

The portfolio folder travels (to the assessor, to the centre), so ``portfolio.yaml`` holds
the names of the people to keep out only as keyed hashes (:class:`HashedKeepOut`). The key,
and the names themselves for ``cpc306 keep-out list`` and the Start-here form, live in the
learner's own config folder (``$CPC306_CONFIG_DIR``, else ``~/.config/cpc306``), in
``keep-out/<key id>.yaml``, readable by the learner alone. On a machine without that file
listed names cannot be checked, and everything else works as before.

In memory, ``Profile.keep_out`` is the list of names as the learner sees it; on disk it is
empty once the list is hashed (schema 1 portfolios kept names there in clear, until
``cpc306 upgrade``).
"""

from __future__ import annotations

import base64
import hashlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..confidentiality.names import (
    KeepOutMatcher,
    canonical_name,
    hashed_forms,
    keyed_digest,
    name_forms,
)
from ..errors import NotFoundError, Problem, RecordError, UsageError
from ..files.atomic import atomic_write_text
from ..files.yamlio import dump_yaml, read_yaml
from .hashed import HashedKeepOut, HashedName
from .models import Profile, now
from .profile_file import load_profile
from .records import RecordStore, same
from .unit_checks import check_profile

CONFIG_ENV = "CPC306_CONFIG_DIR"
_KEY_ID_CONTEXT = b"cpc306 keep-out key id\x00"
#: Windows of text the hashed matcher tries: enough for "Mrs Anne Marie Smith Jones".
HASHED_WINDOW = 6


def config_dir() -> Path:
    """The learner's own config folder for cpc306 (never inside a portfolio)."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    if os.name == "nt":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "cpc306"


@dataclass
class LocalKeepOut:
    """What stays on the learner's machine: the key, and the names in clear."""

    key_id: str
    key: bytes
    names: list[str] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return key_path(self.key_id)


def key_path(key_id: str) -> Path:
    return config_dir() / "keep-out" / f"{key_id}.yaml"


def new_local() -> LocalKeepOut:
    key = os.urandom(32)
    key_id = hashlib.sha256(_KEY_ID_CONTEXT + key).hexdigest()[:16]
    return LocalKeepOut(key_id, key)


def load_local(key_id: str) -> LocalKeepOut | None:
    """The key (and names) for ``key_id`` from the config folder, or None if not here."""
    path = key_path(key_id)
    if not path.exists():
        return None
    tree, problems = read_yaml(path)
    if problems:
        raise RecordError(problems, hint="restore the file from a backup; it was not changed")
    try:
        key = base64.b64decode(str(tree["key"]), validate=True)
        names = [str(n) for n in tree.get("names") or []]
    except (KeyError, TypeError, ValueError):
        raise RecordError(
            [Problem(str(path), "is not a cpc306 keep-out key file", field="key")],
            hint="restore the file from a backup; it was not changed",
        ) from None
    if len(key) < 16:
        raise RecordError([Problem(str(path), "the key is too short", field="key")])
    return LocalKeepOut(key_id, key, names)


def save_local(local: LocalKeepOut, portfolio: Path | None = None) -> None:
    path = local.path
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {
        "about": "cpc306 keep-out key: keep this file private; it never goes in a portfolio",
        "portfolio": str(portfolio or ""),
        "key": base64.b64encode(local.key).decode("ascii"),
        "names": list(local.names),
    }
    if not path.exists():
        # The first write sets the mode the atomic replace keeps from then on.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    atomic_write_text(path, dump_yaml(data))


def hashed_list(local: LocalKeepOut, names: list[str]) -> HashedKeepOut:
    """The names as keyed hashes: one entry per distinct name, every form hashed."""
    entries, seen = [], set()
    for name in names:
        canonical = canonical_name(name)
        if not name_forms(name) or canonical in seen:
            continue
        seen.add(canonical)
        entries.append(
            HashedName(
                id=keyed_digest(local.key, "name:" + canonical),
                forms=hashed_forms(local.key, name),
            )
        )
    return HashedKeepOut(key_id=local.key_id, names=entries)


def _merge(first: list[str], second: list[str]) -> list[str]:
    out, seen = [], set()
    for name in [*first, *second]:
        canonical = canonical_name(name)
        if canonical and canonical not in seen:
            seen.add(canonical)
            out.append(name)
    return out


def local_for(profile: Profile) -> LocalKeepOut | None:
    hashed = profile.keep_out_hashed
    return load_local(hashed.key_id) if hashed is not None else None


def with_names(disk: Profile) -> Profile:
    """The profile as the learner sees it: ``keep_out`` holds every name known here."""
    local = local_for(disk)
    view = disk.model_copy(
        update={"keep_out": _merge(local.names, list(disk.keep_out))} if local else {}
    )
    view._keep_out_view = True
    return view


def for_disk(profile: Profile, disk: Profile | None, root: Path) -> Profile:
    """The profile as written: names as keyed hashes, never in clear.

    An unchanged list is written as it already is on disk (so declaring or editing the
    profile does not rewrite a list it did not touch); a changed list is hashed with the
    portfolio's key, made here if the portfolio has none yet.
    """
    names = list(profile.keep_out)
    # A profile read straight from disk (not through with_names) carries the list as it is
    # stored: an empty keep_out there means "hashed", never "remove every name".
    unchanged = disk is not None and (
        names == list(with_names(disk).keep_out)
        or (not profile._keep_out_view and names == list(disk.keep_out))
    )
    if disk is not None and unchanged:
        return profile.model_copy(
            update={"keep_out": list(disk.keep_out), "keep_out_hashed": disk.keep_out_hashed}
        )
    return profile.model_copy(
        update={"keep_out": [], "keep_out_hashed": hash_names(names, disk, root)}
    )


def hash_names(names: list[str], disk: Profile | None, root: Path) -> HashedKeepOut | None:
    """Store ``names`` with the learner (making the key if needed) and return their hashes."""
    current = disk.keep_out_hashed if disk is not None else None
    local = local_for(disk) if disk is not None else None
    if local is None and current is not None and current.names:
        raise UsageError(
            f"{root}: this portfolio's keep-out list was made on another machine, and its "
            f"key ({current.key_id}) is not in {config_dir() / 'keep-out'}",
            hint="change the list on the learner's own machine, or copy the key file there",
        )
    if local is None:
        if not names:
            return current
        local = new_local()
    local.names = _merge(names, [])
    save_local(local, root)
    return hashed_list(local, local.names)


def hash_clear_names(
    root: Path, clear: list[str], hashed: dict[str, Any] | None
) -> tuple[dict[str, Any], Path]:
    """Plain data of the keep-out list with ``clear`` names added as hashes (for upgrade).

    The names join any list already hashed with this portfolio's key; the key is made
    here if the portfolio has none. Returns the data and where the key is kept.
    """
    local = load_local(str(hashed["key_id"])) if hashed else None
    if local is None and hashed and hashed.get("names"):
        raise UsageError(
            f"{root}: this portfolio's keep-out list was made on another machine, and its "
            f"key ({hashed['key_id']}) is not in {config_dir() / 'keep-out'}",
            hint="run the upgrade on the learner's own machine, or copy the key file there",
        )
    local = local or new_local()
    local.names = _merge(local.names, clear)
    save_local(local, root)
    return hashed_list(local, local.names).model_dump(mode="json"), local.path


def matcher_for(disk_or_memory: Profile) -> tuple[KeepOutMatcher, bool]:
    """The matcher for a portfolio's listed names, and whether every listed name is checked.

    With the key here, the text is matched against the hashes (and any names still in clear);
    without it, only clear names can be matched, and the second value is False.
    """
    hashed = disk_or_memory.keep_out_hashed
    clear = [n for n in disk_or_memory.keep_out if name_forms(n)]
    if hashed is None or not hashed.names:
        return KeepOutMatcher.from_names(clear), True
    local = load_local(hashed.key_id)
    if local is None:
        return KeepOutMatcher.from_names(clear), False
    keys = {form for entry in hashed.names for form in entry.forms}
    for name in clear:
        keys.update(hashed_forms(local.key, name))
    return KeepOutMatcher.from_hashes(local.key, keys, HASHED_WINDOW), True


class KeepOutGuard:
    """The profile and its keep-out list: names in, keyed hashes out, and the matcher.

    One part of a :class:`~.folio.Portfolio`. It holds the profile as the learner sees it
    (``profile.keep_out`` in clear where the key is on this machine) and writes it only
    with the names as keyed hashes. The privacy checks ask it for the matcher of listed
    names.
    """

    def __init__(self, store: RecordStore, profile: Profile) -> None:
        self.store = store
        self.profile = profile
        self._matcher: tuple[Profile, KeepOutMatcher, bool] | None = None

    def matcher(self) -> tuple[KeepOutMatcher, bool]:
        """The matcher for listed names, and whether every listed name can be checked here.

        False on a machine without the learner's key: the list travels only as keyed
        hashes, so names cannot be matched there (the scan says so; nothing else stops).
        """
        cached = self._matcher
        if cached is not None and cached[0] is self.profile:
            return cached[1], cached[2]
        matcher, checked = matcher_for(self.profile)
        self._matcher = (self.profile, matcher, checked)
        return matcher, checked

    def save_profile(self, profile: Profile) -> Profile:
        """Write ``portfolio.yaml`` (only when something changed).

        ``profile.keep_out`` is the list of names as the learner sees it; it is written only
        as keyed hashes (see :mod:`.keepout`), and an unchanged list is left as it is.
        """
        problems = check_profile(profile, self.store.standard, str(self.store.layout.profile_path))
        if problems:
            raise RecordError(problems, hint="nothing was written")
        with self.store.locked():
            current, _ = load_profile(self.store.layout.root)
            if current is not None and same(with_names(current), profile):
                self.profile = with_names(current)
                return self.profile
            disk = for_disk(
                profile.model_copy(update={"modified": now()}), current, self.store.layout.root
            )
            self.store.write(self.store.layout.profile_path, disk.to_data())
            self.profile = with_names(disk)
        return self.profile

    def add(self, names: Sequence[str]) -> list[str]:
        """Add names to the keep-out list (stored as keyed hashes); return the whole list."""
        blank = [n for n in names if not name_forms(n)]
        if blank:
            raise UsageError(
                f"{blank[0]!r} is too short to be a name to keep out",
                hint="give a full name, e.g. 'Edith Marlowe' or 'Mrs Edith Marlowe'",
            )
        self.names()  # on a machine without the key, say so before anything
        saved = self.save_profile(
            self.profile.model_copy(update={"keep_out": [*self.profile.keep_out, *names]})
        )
        return list(saved.keep_out)

    def remove(self, names: Sequence[str]) -> list[str]:
        """Remove names (matched however they are spaced or capitalised); return the list."""
        current = self.names()
        drop = {canonical_name(n) for n in names}
        missing = [
            n for n in names if canonical_name(n) not in {canonical_name(c) for c in current}
        ]
        if missing:
            raise NotFoundError(
                f"{missing[0]!r} is not on the keep-out list",
                hint="see the list with: cpc306 keep-out PORTFOLIO list",
            )
        kept = [n for n in current if canonical_name(n) not in drop]
        saved = self.save_profile(self.profile.model_copy(update={"keep_out": kept}))
        return list(saved.keep_out)

    def names(self) -> list[str]:
        """The names to keep out, in clear: only on the machine that holds the key."""
        hashed = self.profile.keep_out_hashed
        if hashed is not None and hashed.names and local_for(self.profile) is None:
            raise NotFoundError(
                f"{self.store.layout.root}: the keep-out list is stored only as keyed hashes, "
                f"and its key ({hashed.key_id}) is not on this machine",
                hint="the names can be listed and changed only on the learner's own machine",
            )
        return list(self.profile.keep_out)
