"""Offline replay: the streaming topology run over a file, without a broker.

Messages flow through the same ``Stages`` as in the worker, in the same order a
single-partition input topic would deliver them; stores are dicts instead of
Faust tables. Output is one JSONL file per output topic.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from schemas.article import Article
from schemas.claim import Claim
from schemas.deadletter import DeadLetter
from schemas.duplicate import DuplicateRecord
from schemas.event import EventUpdate
from tollstream.core.events import MemoryEventStore
from tollstream.settings import Settings
from tollstream.stages import Emit, Origin, Stages

Tracker = Callable[[Iterable[bytes]], Iterable[bytes]]
OUTPUT_FILES = {
    "claims": "claims.jsonl",
    "events": "events.jsonl",
    "duplicates": "duplicates.jsonl",
    "deadletter": "deadletters.jsonl",
}


@dataclass
class ReplayResult:
    """Everything the topology emitted, per output topic, in emission order."""

    claims: list[Claim] = field(default_factory=list)
    events: list[EventUpdate] = field(default_factory=list)
    duplicates: list[DuplicateRecord] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)

    def final_events(self) -> dict[str, EventUpdate]:
        """The last revision of every event."""
        latest: dict[str, EventUpdate] = {}
        for update in self.events:
            latest[update.event_id] = update
        return latest

    def write(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        rows = {
            "claims": self.claims,
            "events": self.events,
            "duplicates": self.duplicates,
            "deadletter": self.dead_letters,
        }
        for role, name in OUTPUT_FILES.items():
            with (out_dir / name).open("wb") as handle:
                for message in rows[role]:
                    handle.write(message.to_bytes() + b"\n")


def read_lines(path: Path) -> Iterator[bytes]:
    """Raw message values, one per non-blank line, exactly as a producer would send them."""
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                yield line.rstrip(b"\r\n")


def replay(values: Iterable[bytes], settings: Settings | None = None) -> ReplayResult:
    settings = settings or Settings.load()
    stages = Stages(
        {},
        MemoryEventStore(),
        None,
        horizon_days=settings.horizon_days,
        retention_days=settings.retention_days,
        claim_partitions=settings.claim_partitions,
        max_article_bytes=settings.max_article_bytes,
    )
    result = ReplayResult()
    for offset, value in enumerate(values):
        for emit in stages.intake(value, None, Origin("replay", 0, offset)):
            _route(stages, emit, result)
    return result


def _route(stages: Stages, emit: Emit, result: ReplayResult) -> None:
    """Deliver one emitted message the way the topics would, depth first."""
    value = emit.value
    if emit.role == "accepted" and isinstance(value, Article):
        for out in stages.dedupe(value):
            _route(stages, out, result)
    elif emit.role == "reports" and isinstance(value, Article):
        for out in stages.extract(value):
            _route(stages, out, result)
    elif emit.role == "claims" and isinstance(value, Claim):
        result.claims.append(value)
        for out in stages.merge(value, emit.partition or 0):
            _route(stages, out, result)
    elif emit.role == "events" and isinstance(value, EventUpdate):
        result.events.append(value)
    elif emit.role == "duplicates" and isinstance(value, DuplicateRecord):
        result.duplicates.append(value)
    elif emit.role == "deadletter" and isinstance(value, DeadLetter):
        result.dead_letters.append(value)


def replay_file(
    path: Path, out_dir: Path | None = None, settings: Settings | None = None, track: Tracker | None = None
) -> ReplayResult:
    """Replay a file; ``track`` sees the values on their way in (a progress display)."""
    values = read_lines(path)
    result = replay(track(values) if track else values, settings)
    if out_dir is not None:
        result.write(out_dir)
    return result


def load_jsonl(path: Path) -> list[dict]:
    with path.open("rb") as handle:
        return [orjson.loads(line) for line in handle if line.strip()]
