"""The centre's appeals wording, shown with each decision (``appeals:`` in ``centre.yaml``).

Read here, below the centre package, because the render and the learner's app show it:
the render takes it from the centre folder given with ``--trust`` (the folder, or its
trust list), the learner's app from ``cpc306 app --centre`` (:data:`CENTRE_ENV`), and each
uses the neutral default without one.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import Problem, RecordError
from ..files.yamlio import read_yaml
from .signing import CENTRE_MARKER

#: The centre folder the learner's app takes the wording from (``cpc306 app --centre``).
CENTRE_ENV = "CPC306_CENTRE"

DEFAULT_APPEALS = (
    "If you disagree with a decision, talk to your assessor first; your centre's appeals "
    "procedure explains what to do next."
)


def _centre_file(where: Path) -> Path | None:
    for folder in (where, where.parent):
        if folder.is_dir() and (folder / CENTRE_MARKER).is_file():
            return folder / CENTRE_MARKER
    return None


def appeals_wording(centre: str | os.PathLike[str] | None = None) -> str:
    """The centre's wording from its folder (or a file in it), else :data:`DEFAULT_APPEALS`."""
    if centre is None:
        return DEFAULT_APPEALS
    path = _centre_file(Path(centre).expanduser())
    if path is None:
        return DEFAULT_APPEALS
    tree, problems = read_yaml(path)
    if problems:
        raise RecordError(problems, hint="fix centre.yaml by hand (cpc306 centre check)")
    wording = tree.get("appeals", "") if isinstance(tree, dict) else ""
    if not isinstance(wording, str):
        raise RecordError(
            [Problem(str(path), "must be text", field="appeals", hint="write it as one paragraph")]
        )
    return wording.strip() or DEFAULT_APPEALS
