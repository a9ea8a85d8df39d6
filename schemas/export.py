"""Which model describes which topic, and how its JSON Schema is written."""

from dataclasses import dataclass
from typing import Literal

import orjson
from pydantic import BaseModel

from schemas.article import Article
from schemas.claim import Claim
from schemas.deadletter import DeadLetter
from schemas.duplicate import DuplicateRecord
from schemas.event import EventUpdate
from schemas.state import EventState, Fingerprint, PartitionState

# File stem -> model. Topics: articles, claims,
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


@dataclass(frozen=True)
class TopicContract:
    """What flows on one topic: its message model (a ``TOPIC_MODELS`` stem), its key, and who writes it."""

    model: str
    key: str
    description: str
    # From the worker's side: "receive" (users write, the worker reads), "send" (the worker
    # writes, users read) or "both" (internal: the worker writes and reads it back).
    worker: Literal["receive", "send", "both"]
    compacted: bool = False


# One entry per topic ``tollstream.settings.Topics`` names, keyed by its property name; a test
# fails when the two disagree, and ``python -m schemas`` writes the AsyncAPI document from both.
TOPICS: dict[str, TopicContract] = {
    "articles": TopicContract(
        "article",
        "The feed: articles of one key stay in order on one partition; feeds spread over the partitions.",
        "Raw articles from any producer: JSON, or plain text taken as the article's text.",
        "receive",
    ),
    "claims": TopicContract(
        "claim",
        "The incident's country (ISO 3166-1 alpha-2), or 'unknown': claims that may meet share a partition.",
        "Claims: what one article says about one incident, with the article's text print for the copy check.",
        "both",
    ),
    "events": TopicContract(
        "event_update",
        "The event id.",
        "Every revision of every event; (event_id, revision) identifies a revision, and a repeat is identical.",
        "send",
    ),
    "latest": TopicContract(
        "event_update",
        "The event id.",
        "The latest revision of each event (compacted): the current state without replaying history.",
        "send",
        compacted=True,
    ),
    "duplicates": TopicContract(
        "duplicate",
        "The article id of the copy.",
        "Copies folded into their original report, one record per claim; 'resent' marks a re-delivered claim.",
        "send",
    ),
    "deadletter": TopicContract(
        "dead_letter",
        "'stage:reason', e.g. 'intake:invalid_json'.",
        "Messages set aside, with the stage, the reason and where they came from.",
        "send",
    ),
}
