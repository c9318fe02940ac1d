"""Find, load and check unit standard files.

A unit is one YAML file, found by the ``code`` written inside it (never by the file's
name). The units shipped with the package sit beside this module; a centre adds more with
no code change by naming folders in ``CPC306_STANDARD_PATH`` (``os.pathsep``-separated) or
by passing a file's path.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import NotFoundError, Problem, StandardError
from ..files.yamlio import parse_model, parse_yaml
from .checks import check_standard
from .model import Standard

BUNDLED_DIR = Path(__file__).parent
DEFAULT_UNIT = "CPC 306"
STANDARD_PATH_ENV = "CPC306_STANDARD_PATH"

__all__ = [
    "BUNDLED_DIR",
    "DEFAULT_UNIT",
    "STANDARD_PATH_ENV",
    "UnitFile",
    "available_standards",
    "check_standard",
    "find_units",
    "load_standard",
    "same_code",
    "standard_dirs",
    "unit_sha256",
    "unit_text",
]


def _slug(code: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", code.lower())


def same_code(a: str, b: str) -> bool:
    """Whether two unit codes name one unit (``CPC 306`` = ``cpc306``)."""
    return _slug(a) == _slug(b)


def standard_dirs() -> list[Path]:
    """Folders searched for unit files: ``CPC306_STANDARD_PATH`` first, then the bundled."""
    extra = [Path(p) for p in os.environ.get(STANDARD_PATH_ENV, "").split(os.pathsep) if p]
    return [*extra, BUNDLED_DIR]


@dataclass(frozen=True)
class UnitFile:
    """One unit file found in the search folders: its code (if readable) and where it is."""

    path: Path
    code: str | None
    title: str | None
    bundled: bool
    problem: str = ""

    @property
    def origin(self) -> str:
        if self.bundled:
            return "bundled with cpc306-portfolio"
        return f"from {STANDARD_PATH_ENV}"


def _candidate_files() -> Iterator[tuple[Path, bool]]:
    seen: set[Path] = set()
    for folder in standard_dirs():
        if not folder.is_dir():
            continue
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            real = path.resolve()
            if real in seen or not path.is_file():
                continue
            seen.add(real)
            yield real, folder.resolve() == BUNDLED_DIR.resolve()


@lru_cache(maxsize=256)
def _peek(path: Path, _mtime: int) -> tuple[str | None, str | None, str]:
    """The code and title a file declares, without validating the rest of it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, None, f"cannot be read: {exc}"
    tree, problems = parse_yaml(text, path)
    if problems:
        return None, None, str(problems[0])
    if not isinstance(tree, Mapping) or not str(tree.get("schema", "")).startswith("nos-unit/"):
        return None, None, "not a unit file (no 'schema: nos-unit/1')"
    code, title = tree.get("code"), tree.get("title")
    if not isinstance(code, str) or not code.strip():
        return None, None, "no 'code' field"
    return code.strip(), str(title or "").strip() or None, ""


def find_units() -> list[UnitFile]:
    """Every file in the search folders, with the code it declares (or why it has none)."""
    out = []
    for path, bundled in _candidate_files():
        code, title, problem = _peek(path, path.stat().st_mtime_ns)
        out.append(UnitFile(path, code, title, bundled, problem))
    return out


def _by_code(code: str) -> Path:
    matches = [u for u in find_units() if u.code is not None and same_code(u.code, code)]
    if len(matches) > 1:
        names = " and ".join(str(u.path) for u in matches)
        raise StandardError(
            [
                Problem(str(u.path), f"declares the unit code {u.code!r}", field="code")
                for u in matches
            ],
            hint=f"two files declare unit {code!r}: {names}; remove one of them or give it "
            "its own code",
        )
    if not matches:
        known = ", ".join(sorted({u.code for u in find_units() if u.code})) or "none"
        raise NotFoundError(
            f"no unit standard called {code!r}",
            hint=f"known units: {known}; or pass the path of a unit YAML file, or add its "
            f"folder to {STANDARD_PATH_ENV}",
        )
    return matches[0].path


def load_standard(source: str | os.PathLike[str] | None = None) -> Standard:
    """Load a unit from a YAML file path or by its code (``"CPC 306"``, ``"cpc306"``).

    With no argument, the default unit (CPC 306) is loaded.
    """
    if source is None:
        source = DEFAULT_UNIT
    path = Path(source)
    if path.suffix in {".yaml", ".yml"} or path.exists():
        if not path.is_file():
            raise NotFoundError(
                f"{path}: no such unit file", hint="check the path to the unit's YAML file"
            )
        path = path.resolve()
    else:
        path = _by_code(str(source))
    return _load_file(path, path.stat().st_mtime_ns)


def available_standards() -> list[Path]:
    """Every file that ``load_standard`` can find by the code inside it."""
    return [u.path for u in find_units() if u.code is not None]


def unit_text(standard: Standard) -> str:
    """The unit's YAML text: the file it was loaded from, byte for byte, when there is one."""
    if standard._source_text is not None:
        return standard._source_text
    from ..files.yamlio import dump_yaml

    return dump_yaml(standard.model_dump(mode="json", by_alias=True, exclude_defaults=True))


def unit_sha256(standard: Standard) -> str:
    """SHA-256 of :func:`unit_text` as UTF-8: what a portfolio's copy is checked against."""
    return hashlib.sha256(unit_text(standard).encode("utf-8")).hexdigest()


@lru_cache(maxsize=32)
def _load_file(path: Path, _mtime: int) -> Standard:
    hint = f"fix the unit file {path}; nothing else was loaded"
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise StandardError([Problem(str(path), "not UTF-8 text")], hint=hint) from None
    except OSError as exc:
        raise StandardError(
            [Problem(str(path), f"cannot be read: {exc.strerror}")], hint=hint
        ) from None
    known = _CHECKED.get(text)
    if known is not None:
        standard = known.model_copy()
    else:
        checked, tree, problems = parse_model(Standard, text, path)
        if checked is None:
            raise StandardError(problems, hint=hint)
        problems = check_standard(checked, tree, path)
        if problems:
            raise StandardError(problems, hint=hint)
        _remember(text, checked)
        standard = checked
    standard._source_path = path
    standard._source_text = text
    return standard


#: Units that loaded cleanly, by their text (the path only ever names a file in messages).
#: Every portfolio keeps its own copy of its unit, byte for byte: a batch worker opening a
#: cohort's portfolios parses, validates and checks the same text once, not per learner.
_CHECKED: dict[str, Standard] = {}
_CHECKED_MAX = 8


def _remember(text: str, standard: Standard) -> None:
    if len(_CHECKED) >= _CHECKED_MAX:
        _CHECKED.pop(next(iter(_CHECKED)))
    _CHECKED[text] = standard
