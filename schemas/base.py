"""Shared configuration of every message model."""

from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict


class Message(BaseModel):
    """Base of all topic messages: strict about unknown fields, orjson on the wire."""

    model_config = ConfigDict(extra="forbid", frozen=False)

    def to_bytes(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json", exclude_none=True))

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    @classmethod
    def from_bytes(cls, raw: bytes | str) -> "Message":
        return cls.model_validate(orjson.loads(raw))
