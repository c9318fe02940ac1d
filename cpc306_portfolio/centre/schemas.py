"""JSON Schemas of the centre folder's files, generated from the models and shipped.

Regenerate after changing a model with ``python -m cpc306_portfolio.centre.schemas``; a test
fails while a shipped schema differs from what the models generate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..files.atomic import atomic_write_text
from ..portfolio.schemas import SCHEMA_DIR, schema_text
from .models import CENTRE_MODELS, CENTRE_SCHEMA

#: Beside the portfolio's schemas, in a folder of their own (a centre is not a portfolio).
CENTRE_SCHEMA_DIR = SCHEMA_DIR / "centre"


def centre_schemas() -> dict[str, dict[str, Any]]:
    """Every centre file's JSON Schema by file name (``assessors.schema.json`` ...)."""
    out: dict[str, dict[str, Any]] = {}
    for name, model in CENTRE_MODELS.items():
        schema = model.model_json_schema(by_alias=True, mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{CENTRE_SCHEMA}/{name}.schema.json"
        out[f"{name}.schema.json"] = schema
    return out


def write_centre_schemas(folder: Path = CENTRE_SCHEMA_DIR) -> list[Path]:
    """Write every centre schema into ``folder``; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in centre_schemas().items():
        path = folder / name
        atomic_write_text(path, schema_text(schema))
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for written_path in write_centre_schemas():
        print(written_path)
