"""The topology as plain functions: each stage takes one message and says what to emit where.

Two stages, as the design card draws them: extraction reads an article and emits
its claims to the claims partition of their region; merge folds claims into
events, and runs the copy check where an article's claims meet those of its
original. The Faust agents and the offline replay both drive these functions,
so every rule has one implementation; the agents only move bytes between topics
and tables. Extraction is a pure function of the message (it runs in a worker
process); merge owns the state.

One error policy: a stage sets bad input aside as a dead letter with a reason,
and whoever calls a stage turns any exception into a dead letter with
``failed`` (stage, reason, traceback, origin), so no message can stop a stage.
"""

import time
import traceback
import zlib
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from enum import Enum

from pydantic import ValidationError

from schemas.base import Message
from schemas.claim import Claim
from schemas.deadletter import DeadLetter
from schemas.state import Fingerprint
from tollstream import logs
from tollstream.core import clock, places
from tollstream.core.dedupe import Deduper, fingerprint_of, text_print
from tollstream.core.events import EventStore, Merger
from tollstream.core.extract import extract_claims
from tollstream.core.intake import MAX_ARTICLE_BYTES, Rejected, echo, parse_article
from tollstream.metrics import Metrics

_log = logs.get(__name__)


class Role(Enum):
    """The topic a stage's output goes to."""

    CLAIMS = "claims"
    EVENTS = "events"
    LATEST = "latest"
    DUPLICATES = "duplicates"
    DEADLETTER = "deadletter"


@dataclass(frozen=True)
class Emit:
    """One message a stage wants sent: to which topic role, with which key and partition."""

    role: Role
    key: str
    value: Message
    partition: int | None = None


@dataclass(frozen=True)
class Origin:
    """Where a message was read from, for dead letters."""

    topic: str | None = None
    partition: int | None = None
    offset: int | None = None


@dataclass(frozen=True)
class Limits:
    """What extraction needs to know besides the message; plain values, so it crosses to a worker process."""

    claim_partitions: int = 4
    max_article_bytes: int = MAX_ARTICLE_BYTES
    future_allowance: float = 86400.0


def claim_partition(claim: Claim, partitions: int) -> int:
    """Claims that may describe one incident share a region, so they meet on one partition.

    A stable hash (CRC-32) rather than Python's salted ``hash`` keeps the choice
    identical across processes, restarts and replay.
    """
    return zlib.crc32(places.region_key(claim.place).encode()) % partitions


def dead_letter(
    stage: str, reason: str, detail: str, payload: str, origin: Origin, exc: BaseException | None = None
) -> Emit:
    """A message set aside: logged at WARNING (with the traceback of ``exc``) and emitted to the dead-letter topic."""
    trace = "".join(traceback.format_exception(exc))[-8000:] if exc is not None else None
    letter = DeadLetter(
        stage=stage,
        reason=reason,
        detail=detail[:2000],
        traceback=trace,
        topic=origin.topic,
        partition=origin.partition,
        offset=origin.offset,
        payload=payload,
    )
    fields = {
        "stage": stage,
        "reason": reason,
        "topic": origin.topic,
        "partition": origin.partition,
        "offset": origin.offset,
    }
    _log.warning("dead letter: %s", detail[:300], extra=fields, exc_info=exc)
    return Emit(Role.DEADLETTER, f"{stage}:{reason}", letter)


def extract_article(
    value: bytes | None, produced_at: float | None, received_at: float, origin: Origin, limits: Limits
) -> list[Emit]:
    """The extraction stage: a raw message value in, its claims (or one dead letter) out.

    Its first steps are intake's: the size limit, parsing, the date check; what they
    refuse is dead-lettered by stage ``intake``.
    ``produced_at`` is the Kafka timestamp (the latency clock starts there; None in
    replay); ``received_at`` is the moment a publication date may not pass.
    """
    parsed = parse_article(value, produced_at, limits.max_article_bytes)
    if isinstance(parsed, Rejected):
        return [dead_letter("intake", parsed.reason, parsed.detail, echo(value), origin)]
    if clock.is_future(parsed.published_at, received_at, limits.future_allowance):
        detail = f"published {parsed.published_at}, after the report entered the stream"
        return [dead_letter("intake", "future_date", detail, echo(value), origin)]
    article_id = parsed.id or ""
    printed = text_print(parsed.text)
    out = []
    for claim in extract_claims(parsed, article_id):
        claim = claim.model_copy(update={"produced_at": parsed.produced_at, "text_print": printed})
        partition = claim_partition(claim, limits.claim_partitions)
        out.append(Emit(Role.CLAIMS, places.region_key(claim.place), claim, partition))
    return out


class Stages:
    """The stages with the state merge needs and the metrics every stage feeds."""

    def __init__(
        self,
        fingerprints: Callable[[int], MutableMapping[str, Fingerprint]],
        events: EventStore,
        metrics: Metrics | None,
        *,
        horizon_days: float = 14.0,
        retention_days: float = 180.0,
        limits: Limits = Limits(),
    ) -> None:
        self.fingerprints = fingerprints
        self.horizon = horizon_days * clock.DAY
        self.merger = Merger(events, horizon_days=horizon_days, retention_days=retention_days)
        self.metrics = metrics
        self.limits = limits
        self._dedupers: dict[int, Deduper] = {}

    def timed(self, stage: str) -> "_Timer":
        return _Timer(self.metrics, stage)

    def forget_indexes(self) -> None:
        """Drop the in-memory copy indexes: after a rebalance each is rebuilt from its partition's table."""
        self._dedupers.clear()

    def _deduper(self, partition: int) -> Deduper:
        if partition not in self._dedupers:
            self._dedupers[partition] = Deduper(self.fingerprints(partition), horizon_seconds=self.horizon)
        return self._dedupers[partition]

    def extract(self, value: bytes | None, produced_at: float | None, received_at: float, origin: Origin) -> list[Emit]:
        """Extraction in this process (replay, tests); the worker runs ``extract_article`` in a worker process."""
        with self.timed("extract"):
            return self.extracted(extract_article(value, produced_at, received_at, origin, self.limits))

    def extracted(self, emits: list[Emit]) -> list[Emit]:
        """Count what extraction emitted."""
        if self.metrics:
            self.metrics.articles_received.inc()
            self.metrics.last_article_timestamp.set(time.time())
            for emit in emits:
                if isinstance(emit.value, Claim):
                    self.metrics.claims_extracted.labels(str(emit.value.background).lower()).inc()
                    for figure in emit.value.figures:
                        self.metrics.figures_extracted.labels(figure.kind, figure.group).inc()
        return self._counted(emits)

    def merge_value(self, value: bytes | None, partition: int, origin: Origin) -> list[Emit]:
        """Merge a claim as read from the claims topic."""
        try:
            claim = Claim.model_validate_json(value or b"")
        except ValidationError as exc:
            return self._counted([dead_letter("merge", "invalid_message", str(exc), echo(value), origin)])
        return self.merge(claim, partition, origin)

    def merge(self, claim: Claim, partition: int, origin: Origin = Origin()) -> list[Emit]:
        with self.timed("merge"):
            out: list[Emit] = []
            repeat = False
            if claim.text_print is not None:
                deduper = self._deduper(partition)
                now = self.merger.stream_time(partition)
                deduper.evict(now)
                seen_at = clock.publication_time(claim.published_at) or now
                new = fingerprint_of(claim.article_id, claim.text_print, claim.source, seen_at)
                verdict = deduper.check(new, claim.claim_id)
                repeat = verdict.repeat
                if verdict.duplicate is not None:
                    if self.metrics:
                        self.metrics.duplicates_dropped.labels(verdict.duplicate.match).inc()
                    out.append(Emit(Role.DUPLICATES, verdict.duplicate.article_id, verdict.duplicate))
                if verdict.copy_of is not None:
                    # The copy adds its outlet to its original's event, never its figures.
                    claim = claim.model_copy(update={"copy_of": verdict.copy_of})
            result = self.merger.apply(claim, partition)
            if self.metrics:
                self.metrics.events_opened.inc(result.opened)
                self.metrics.events_revised.inc(result.revised)
                self.metrics.events_finalised.inc(result.finalised)
                self.metrics.late_reports.inc(result.late)
                self.metrics.open_events.set(result.open_events)
                for update in result.updates:
                    if update.produced_at:
                        self.metrics.end_to_end_latency.observe(max(0.0, time.time() - update.produced_at))
            for update in result.updates:
                out.append(Emit(Role.EVENTS, update.event_id, update))
                out.append(Emit(Role.LATEST, update.event_id, update))
            # A repeat was set aside the first time already: one dead letter per claim.
            if result.too_late and not (repeat or result.repeat):
                detail = (
                    f"claim {claim.claim_id} is about an incident older than the event table's memory "
                    f"(two horizons behind stream time on claims partition {partition})"
                )
                out.append(dead_letter("merge", "too_late", detail, claim.to_bytes().decode(), origin))
            return self._counted(out)

    def failed(
        self, stage: str, exc: BaseException, value: bytes | None, origin: Origin, reason: str = "internal_error"
    ) -> list[Emit]:
        """The dead letter for a message whose stage raised (or ran out of time): the stream goes on."""
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return self._counted([dead_letter(stage, reason, detail, echo(value), origin, exc)])

    def _counted(self, emits: list[Emit]) -> list[Emit]:
        if self.metrics:
            for emit in emits:
                if isinstance(emit.value, DeadLetter):
                    self.metrics.dead_letters.labels(emit.value.stage, emit.value.reason).inc()
        return emits


class _Timer:
    """Observes a stage's wall time into its histogram."""

    def __init__(self, metrics: Metrics | None, stage: str) -> None:
        self.metrics, self.stage = metrics, stage

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        if self.metrics:
            self.metrics.stage_seconds.labels(self.stage).observe(time.perf_counter() - self.start)
