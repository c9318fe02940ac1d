"""One object knows where a centre folder keeps its files, reads them and writes them.

Writes are atomic (a reader sees the old file or the new one) and happen under the
centre's lock, so two commands run at once never lose each other's change. Every file read
is bounded (size, aliases, depth) and validated against its model: a file broken by hand is
reported with its path, line and field, never half-believed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from filelock import FileLock, Timeout

from ..assessor.signing import CENTRE_MARKER, CENTRE_REGISTER, CENTRE_TRUST_FILE
from ..errors import FileSystemError, LockError, NotFoundError, RecordError, UsageError
from ..files.atomic import atomic_write_text, clean_temp_files, temp_files
from ..files.yamlio import dump_yaml, load_model
from ..portfolio.layout import PROFILE_FILE
from .models import CentreInfo, Register, _File

M = TypeVar("M", bound=_File)

# The three names --trust reads too (assessor.signing), so they are defined there.
CENTRE_FILE, REGISTER_FILE, TRUST_FILE = CENTRE_MARKER, CENTRE_REGISTER, CENTRE_TRUST_FILE
PLAN_FILE = "iqa/plan.yaml"
PLANS_DIR = "iqa/plans"
REPORTS_DIR = "iqa/reports"
MEETINGS_DIR = "standardisation"
OBSERVATIONS_DIR = "observations"
COUNTERSIGN_DIR = "countersignatures"
LOCK_FILE = ".cpc306-centre.lock"
LOCK_TIMEOUT = 30.0
#: The folder a cohort's centre records live in unless ``--centre`` says otherwise.
DEFAULT_CENTRE = "centre"


def default_centre(cohort: str | os.PathLike[str]) -> Path:
    """``centre/`` beside the cohort folder (never inside it: it is no learner's)."""
    return Path(cohort).expanduser().resolve().parent / DEFAULT_CENTRE


class Centre:
    """A centre folder: paths, the lock, and typed reads and writes of its files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = FileLock(str(root / LOCK_FILE), timeout=LOCK_TIMEOUT)

    def path(self, relative: str) -> Path:
        return self.root / relative

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the centre's lock while a change is read, checked and written."""
        try:
            self._lock.acquire()
        except Timeout:
            raise LockError(
                f"{self.root}: another program has held the centre's lock for {LOCK_TIMEOUT:.0f} s",
                hint="wait for the other cpc306 command to finish, then try again",
            ) from None
        except OSError as exc:
            raise FileSystemError.of(exc, "take the centre's lock", self.root / LOCK_FILE) from None
        try:
            yield
        finally:
            self._lock.release()

    def read(self, model: type[M], relative: str) -> M | None:
        """The file as its model, ``None`` if it does not exist; a broken one raises."""
        path = self.path(relative)
        if not path.exists() and not path.is_symlink():
            return None
        record, problems = load_model(model, path, self.root)
        if problems or record is None:
            raise RecordError(problems, hint="fix the file as shown, or restore it from a backup")
        return record

    def write(self, relative: str, record: _File) -> Path:
        """Write ``record`` atomically (call inside :meth:`locked`)."""
        path = self.path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, dump_yaml(record.to_data()))
        return path

    def records(self, model: type[M], folder: str) -> list[M]:
        """Every record in ``folder`` (``Q001.yaml``, ``S001.yaml`` ...), in id order."""
        where = self.path(folder)
        if not where.is_dir():
            return []
        out = []
        for path in sorted(where.glob("*.yaml")):
            record = self.read(model, f"{folder}/{path.name}")
            if record is not None:
                out.append(record)
        return out

    @property
    def register(self) -> Register:
        return self.read(Register, REGISTER_FILE) or Register()


def _inside_portfolio(folder: Path) -> Path | None:
    for parent in (folder, *folder.parents):
        if (parent / PROFILE_FILE).is_file():
            return parent
    return None


def open_centre(path: str | os.PathLike[str], *, create: bool = False) -> Centre:
    """The centre folder at ``path``; ``create`` makes it (and its ``centre.yaml``) if new.

    A folder that exists but is not a centre folder is refused unless it is empty, so a
    typo never scatters centre files through a cohort or a learner's portfolio.
    """
    root = Path(path).expanduser().resolve()
    portfolio = _inside_portfolio(root)
    if portfolio is not None:
        raise UsageError(
            f"{root} is inside the learner's portfolio {portfolio}",
            hint="keep the centre folder beside the cohort, e.g. COHORT/../centre",
        )
    marker = root / CENTRE_FILE
    if marker.is_file():
        centre = Centre(root)
        if any(temp_files(root)):
            # Only a killed write leaves these; take the lock so a live write (another
            # process) never loses the temporary file it is about to rename into place.
            with centre.locked():
                clean_temp_files(root)
        centre.read(CentreInfo, CENTRE_FILE)  # a broken marker is reported now
        return centre
    if not create:
        raise NotFoundError(
            f"{root}: not a centre folder (no {CENTRE_FILE})",
            hint="make it with `cpc306 centre assessor add` (which creates the folder), or "
            "give the folder that holds centre.yaml with --centre",
        )
    if root.exists() and any(p.name != LOCK_FILE for p in root.iterdir()):
        raise UsageError(
            f"{root} already holds other files and is not a centre folder",
            hint="give a new or empty folder for the centre's records",
        )
    root.mkdir(parents=True, exist_ok=True)
    centre = Centre(root)
    with centre.locked():
        if not marker.is_file():
            centre.write(CENTRE_FILE, CentreInfo())
    return centre
