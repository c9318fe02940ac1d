"""The keep-out list as ``portfolio.yaml`` stores it: keyed hashes, never the names."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Hex32 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]


class HashedName(BaseModel):
    """One listed name: the keyed hash of its spelling and of every form it is written in."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    id: Hex32
    forms: list[Hex32]


class HashedKeepOut(BaseModel):
    """The keep-out list as keyed hashes (HMAC-SHA256); the key is named, never stored."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    algorithm: Literal["hmac-sha256"] = "hmac-sha256"
    key_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]
    names: list[HashedName] = Field(default_factory=list)
