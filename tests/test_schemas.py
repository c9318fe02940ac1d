from __future__ import annotations

import json

from cpc306_portfolio.portfolio.schemas import SCHEMA_DIR, json_schemas, schema_text


def test_shipped_schemas_match_the_models():
    generated = json_schemas()
    shipped = {p.name for p in SCHEMA_DIR.glob("*.schema.json")}
    assert shipped == set(generated), "run: python -m cpc306_portfolio.portfolio.schemas"
    for name, schema in generated.items():
        on_disk = (SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert on_disk == schema_text(schema), (
            f"{name} drifted: python -m cpc306_portfolio.portfolio.schemas"
        )


def test_schemas_describe_the_contract_fields():
    evidence = json.loads((SCHEMA_DIR / "evidence.schema.json").read_text())
    for field in ("id", "title", "date", "method", "criteria", "scope", "knowledge"):
        assert field in evidence["properties"]
    # Schema 4 is written; older files still read.
    assert evidence["properties"]["schema"]["default"] == "cpc306-portfolio/4"
    assert evidence["properties"]["schema"]["enum"] == [
        "cpc306-portfolio/1",
        "cpc306-portfolio/2",
        "cpc306-portfolio/3",
        "cpc306-portfolio/4",
    ]
    assert "observation" in evidence["properties"]
    for name in ("observation", "discussion", "questioning"):
        schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text())
        for field in ("id", "date", "assessor", "criteria", "scope", "knowledge"):
            assert field in schema["properties"], (name, field)
    bank = json.loads((SCHEMA_DIR / "bank.schema.json").read_text())
    assert bank["$id"] == "cpc306-bank/1/bank.schema.json"
    profile = json.loads((SCHEMA_DIR / "portfolio.schema.json").read_text())
    assert "unit_sha256" in profile["properties"]
    assert evidence["additionalProperties"] is False
