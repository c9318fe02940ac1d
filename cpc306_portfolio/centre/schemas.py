"""JSON Schemas of the centre folder's files, generated from the models and shipped.

Regenerate after changing a model with ``python -m cpc306_portfolio.centre.schemas``; a test
fails while a shipped schema differs from what the models generate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..portfolio.schemas import SCHEMA_DIR, model_schema, write_schema_files
from .models import CENTRE_MODELS, CENTRE_SCHEMA

#: Beside the portfolio's schemas, in a folder of their own (a centre is not a portfolio).
CENTRE_SCHEMA_DIR = SCHEMA_DIR / "centre"


def centre_schemas() -> dict[str, dict[str, Any]]:
    """Every centre file's JSON Schema by file name (``assessors.schema.json`` ...)."""
    return {
        f"{name}.schema.json": model_schema(model, CENTRE_SCHEMA, name)
        for name, model in CENTRE_MODELS.items()
    }


def write_centre_schemas(folder: Path = CENTRE_SCHEMA_DIR) -> list[Path]:
    """Write every centre schema into ``folder``; return the paths written."""
    return write_schema_files(centre_schemas(), folder)


if __name__ == "__main__":  # pragma: no cover
    for written_path in write_centre_schemas():
        print(written_path)
