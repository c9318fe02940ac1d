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
    assert evidence["properties"]["schema"]["const"] == "cpc306-portfolio/1"
    assert evidence["additionalProperties"] is False
