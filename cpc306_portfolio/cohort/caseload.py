"""An assessor's caseload: one portfolio, or a folder of them (found as a batch finds a cohort).

Each learner gets a key made from their folder's path, so no learner's code or folder name
is needed in an address of the assessor's workspace.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import NotFoundError
from ..portfolio.layout import PROFILE_FILE
from .folders import find_portfolios


def learner_key(path: Path) -> str:
    """A learner's key in the workspace's addresses: 12 hex digits of their folder's path."""
    return hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:12]


def caseload_folders(folder: str | os.PathLike[str]) -> dict[str, Path]:
    """Learner key -> portfolio folder, for one portfolio or a folder of portfolios.

    A folder that looks like a broken portfolio is kept: its page says what is wrong.
    """
    root = Path(folder).expanduser().resolve()
    if (root / PROFILE_FILE).is_file():
        return {learner_key(root): root}
    if not root.is_dir():
        raise NotFoundError(
            f"{root}: no such folder", hint="give a portfolio, or a folder of portfolios"
        )
    found = {learner_key(e.path): e.path.resolve() for e in find_portfolios(root)}
    if not found:
        raise NotFoundError(
            f"{root}: no portfolio here",
            hint=f"give a folder with a {PROFILE_FILE}, or a folder of such folders",
        )
    return found
