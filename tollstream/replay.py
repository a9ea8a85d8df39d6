"""Offline replay: the streaming topology run over a file, without a broker.

Messages flow through the same stages as in the worker, in the order one
article partition would deliver them: each article's claims are merged on
their claims partition before the next article is read, which is the order
every claims partition sees in the stream when the articles come through one
article partition. Stores are dicts instead of Faust tables. Output is one
JSONL file per output topic.
"""

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from schemas.claim import Claim
from schemas.deadletter import DeadLetter
from schemas.duplicate import DuplicateRecord
from schemas.event import EventUpdate
from schemas.state import Fingerprint
from tollstream.core.events import MemoryEventStore
from tollstream.settings import Settings
from tollstream.stages import Emit, Limits, Origin, Role, Stages

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


def stages_for(settings: Settings) -> Stages:
    """The stages over dicts: one fingerprint store per claims partition, as the worker's table keeps them."""
    stores: dict[int, dict[str, Fingerprint]] = {}
    return Stages(
        lambda partition: stores.setdefault(partition, {}),
        MemoryEventStore(),
        None,
        horizon_days=settings.horizon_days,
        retention_days=settings.retention_days,
        limits=limits_of(settings),
    )


def limits_of(settings: Settings) -> Limits:
    return Limits(
        claim_partitions=settings.claim_partitions,
        max_article_bytes=settings.max_article_bytes,
        future_allowance=settings.future_date_allowance_seconds,
    )


def replay(values: Iterable[bytes], settings: Settings | None = None) -> ReplayResult:
    settings = settings or Settings.load()
    stages = stages_for(settings)
    result = ReplayResult()
    # Archives are read now: a publication date may not lie after this moment.
    received_at = time.time()
    for offset, value in enumerate(values):
        origin = Origin("replay", 0, offset)
        try:
            emits = stages.extract(value, None, received_at, origin)
        except Exception as exc:  # the worker's policy: a failing stage dead-letters its message
            emits = stages.failed("extract", exc, value, origin)
        for emit in emits:
            _route(stages, emit, result)
    return result


def _route(stages: Stages, emit: Emit, result: ReplayResult) -> None:
    """Deliver one emitted message the way the topics would, depth first; an unknown role is a bug."""
    value = emit.value
    match emit.role, value:
        case Role.CLAIMS, Claim():
            result.claims.append(value)
            try:
                merged = stages.merge(value, emit.partition or 0)
            except Exception as exc:
                merged = stages.failed("merge", exc, value.to_bytes(), Origin())
            for out in merged:
                _route(stages, out, result)
        case Role.EVENTS, EventUpdate():
            result.events.append(value)
        case Role.LATEST, EventUpdate():
            pass  # the compacted view of the same revisions
        case Role.DUPLICATES, DuplicateRecord():
            result.duplicates.append(value)
        case Role.DEADLETTER, DeadLetter():
            result.dead_letters.append(value)
        case _:
            raise ValueError(f"no route for a {type(value).__name__} to role {emit.role!r}")


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
