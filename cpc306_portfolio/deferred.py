"""Postpone a third-party import that costs seconds and that the toolkit never needs.

``nbformat`` (hence nbconvert, nbclient, papermill and Voilà) imports ``jsonschema``,
whose format checkers import ``rfc3987_syntax`` when it is installed (it comes with
``jsonschema[format-nongpl]``, which jupyter-events asks for). That module builds a Lark
grammar at import: about 2 s on this project's 2-core machines, in every process that
touches a notebook, for the ``iri`` string format that no notebook schema uses.

:func:`defer_rfc3987_syntax` puts a stand-in under that name whose one function,
``is_valid_syntax`` (the only name jsonschema takes from it), imports the real module on
its first call and hands over to it: nothing changes but when the grammar is built.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

_NAME = "rfc3987_syntax"


def _is_valid_syntax(*args: Any, **kwargs: Any) -> Any:
    if getattr(sys.modules.get(_NAME), "_cpc306_stand_in", False):
        del sys.modules[_NAME]
    real = importlib.import_module(_NAME)
    return real.is_valid_syntax(*args, **kwargs)


def defer_rfc3987_syntax() -> bool:
    """Install the stand-in unless the real module is loaded or absent; True if installed."""
    if _NAME in sys.modules:
        return False
    try:
        if importlib.util.find_spec(_NAME) is None:
            return False
    except (ImportError, ValueError):
        return False
    stand_in = types.ModuleType(_NAME, "Stand-in: the real module is imported on first use.")
    stand_in.is_valid_syntax = _is_valid_syntax  # type: ignore[attr-defined]
    stand_in._cpc306_stand_in = True  # type: ignore[attr-defined]
    sys.modules[_NAME] = stand_in
    return True
