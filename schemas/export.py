"""Which model describes which topic, and how its JSON Schema is written."""

import orjson
from pydantic import BaseModel

from schemas.article import Article
from schemas.claim import Claim
from schemas.deadletter import DeadLetter
from schemas.duplicate import DuplicateRecord
from schemas.event import EventUpdate
from schemas.state import EventState, Fingerprint, PartitionState

# File stem -> model. Topics: articles (and articles-accepted, reports), claims,
# events and events-latest, duplicates, deadletter; then the table changelogs.
TOPIC_MODELS: dict[str, type[BaseModel]] = {
    "article": Article,
    "claim": Claim,
    "event_update": EventUpdate,
    "duplicate": DuplicateRecord,
    "dead_letter": DeadLetter,
    "fingerprint": Fingerprint,
    "event_state": EventState,
    "partition_state": PartitionState,
}


def schema_bytes(model: type[BaseModel]) -> bytes:
    schema = model.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
