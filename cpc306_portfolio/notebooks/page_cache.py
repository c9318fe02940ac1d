"""The app's pages are generated again only when what they are made from has changed.

Generating a unit's 27 pages (papermill, nbformat) took about 0.4 s of the command's 0.75 s
before the server could start, at every start, to write the same bytes. Now the pages folder
keeps a stamp: a key over everything the pages are made from (the toolkit's version and its
generator, the notebook templates, nbformat's and papermill's versions, the unit's text, the
portfolio's path) and the SHA-256 of each page written. A start whose key matches, in a
folder that holds exactly the stamped pages with exactly those hashes, serves them as they
are; anything else (an edited or added file, an upgrade, another unit) generates them all
afresh, as before. The folder is in the user's own cache, private to them (mode 0700).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..files.atomic import atomic_write_text
from ..files.templates import template_path
from ..standard import Standard
from ..standard.loader import unit_sha256

#: The stamp, in the pages folder beside the pages (never served: not a page of the list).
STAMP = ".cpc306-pages.json"


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return ""


def generation_key(standard: Standard, portfolio_path: str, templates: Iterable[str]) -> str:
    """SHA-256 over what the generated pages depend on (see the module's docstring)."""
    from . import generate

    digest = hashlib.sha256()
    parts = [
        _version("cpc306-portfolio"),
        _version("nbformat"),
        _version("papermill"),
        unit_sha256(standard),
        portfolio_path,
    ]
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(Path(generate.__file__).read_bytes())
    for name in sorted(set(templates)):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(template_path("notebooks", f"{name}.ipynb").read_bytes())
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stamped_pages(pages: Path, key: str) -> list[str] | None:
    """The pages' names if ``pages`` holds exactly what the stamp for ``key`` lists; else None."""
    try:
        stamp = json.loads((pages / STAMP).read_text(encoding="utf-8"))
        if stamp.get("key") != key:
            return None
        hashes = dict(stamp["pages"])
        present = {p.name for p in pages.iterdir()} - {STAMP}
        if present != set(hashes):
            return None
        for name, expected in hashes.items():
            path = pages / name
            if path.is_symlink() or not path.is_file() or _sha256(path) != expected:
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return sorted(hashes)


def write_stamp(pages: Path, key: str, names: Iterable[str]) -> None:
    """Record the pages just generated into ``pages`` under ``key``."""
    stamp = {"key": key, "pages": {name: _sha256(pages / name) for name in sorted(names)}}
    atomic_write_text(pages / STAMP, json.dumps(stamp, indent=1))
