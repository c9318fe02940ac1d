"""JSON Schemas of the portfolio files, generated from the models and shipped.

Regenerate after changing a model with
``python -m cpc306_portfolio.portfolio.schemas``; a test fails
while a shipped schema differs from what the models generate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..files.atomic import atomic_write_text
from ..standard.bank import BANK_SCHEMA, BankFile
from ..standard.model import STANDARD_SCHEMA, Standard
from .assessor_models import Discussion, Observation, Questioning
from .models import RECORD_MODELS, SCHEMA
from .planning import AssessmentPlan, RegisteredWitness, Review
from .responses_file import Responses

SCHEMA_DIR = Path(__file__).parent.parent / "schemas"


def json_schemas() -> dict[str, dict[str, Any]]:
    """Every file's JSON Schema by file name (``evidence.schema.json`` ...)."""
    out: dict[str, dict[str, Any]] = {}
    models: dict[str, type[BaseModel]] = {
        **RECORD_MODELS,
        "assessment-plan": AssessmentPlan,
        "review": Review,
        "witness": RegisteredWitness,
        "responses": Responses,
        "observation": Observation,
        "discussion": Discussion,
        "questioning": Questioning,
        "unit": Standard,
        "bank": BankFile,
    }
    versions = {Standard: STANDARD_SCHEMA, BankFile: BANK_SCHEMA}
    for name, model in models.items():
        version = versions.get(model, SCHEMA)
        out[f"{name}.schema.json"] = model_schema(model, version, name)
    return out


def model_schema(model: type[BaseModel], version: str, name: str) -> dict[str, Any]:
    """One file's JSON Schema from its model, identified by its format version and name."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{version}/{name}.schema.json"
    return schema


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    """Write every schema into ``folder``; return the paths written."""
    return write_schema_files(json_schemas(), folder)


def write_schema_files(schemas: dict[str, dict[str, Any]], folder: Path) -> list[Path]:
    """Write schemas (by file name) into ``folder``, each atomically; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas.items():
        path = folder / name
        atomic_write_text(path, schema_text(schema))
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for written_path in write_schemas():
        print(written_path)
