"""The topology as plain functions: each stage takes one message and says what to emit where.

The Faust agents and the offline replay both drive these stages, so every
rule has one implementation; the agents only move bytes between topics and
tables. A stage never raises on bad input: it emits a dead letter instead.
"""

import time
import traceback
import zlib
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from schemas.article import Article
from schemas.base import Message
from schemas.claim import Claim
from schemas.deadletter import DeadLetter
from schemas.state import Fingerprint
from tollstream import logs
from tollstream.core import places
from tollstream.core.dedupe import Deduper
from tollstream.core.events import EventStore, Merger, epoch
from tollstream.core.extract import extract_claims
from tollstream.core.intake import MAX_ARTICLE_BYTES, Rejected, echo, parse_article
from tollstream.metrics import Metrics

_log = logs.get(__name__)


@dataclass(frozen=True)
class Emit:
    """One message a stage wants sent: to which topic role, with which key and partition."""

    role: str  # accepted, reports, claims, events, latest, duplicates, deadletter
    key: str
    value: Message
    partition: int | None = None


@dataclass(frozen=True)
class Origin:
    """Where a message was read from, for dead letters."""

    topic: str | None = None
    partition: int | None = None
    offset: int | None = None


def claim_partition(claim: Claim, partitions: int) -> int:
    """Claims that may describe one incident share a region, so they meet on one partition.

    A stable hash (CRC-32) rather than Python's salted ``hash`` keeps the choice
    identical across processes, restarts and replay.
    """
    return zlib.crc32(places.region_key(claim.place).encode()) % partitions


def stream_time(article: Article) -> float:
    """Event time of an article: publication date, else when it was produced, else now."""
    published = article.published_at
    if isinstance(published, datetime):
        return published.timestamp() if published.tzinfo else published.replace(tzinfo=UTC).timestamp()
    if isinstance(published, date):
        return epoch(published)
    return article.produced_at or time.time()


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
    return Emit("deadletter", f"{stage}:{reason}", letter)


class Stages:
    """The four stages with the state they need and the metrics they feed."""

    def __init__(
        self,
        fingerprints: MutableMapping[str, Fingerprint],
        events: EventStore,
        metrics: Metrics | None,
        *,
        horizon_days: float = 14.0,
        retention_days: float = 180.0,
        claim_partitions: int = 4,
        max_article_bytes: int = MAX_ARTICLE_BYTES,
    ) -> None:
        self.deduper = Deduper(fingerprints, horizon_seconds=horizon_days * 86400)
        self.merger = Merger(events, horizon_days=horizon_days, retention_days=retention_days)
        self.metrics = metrics
        self.claim_partitions = claim_partitions
        self.max_article_bytes = max_article_bytes

    def _timed(self, stage: str) -> "_Timer":
        return _Timer(self.metrics, stage)

    def intake(self, value: bytes | None, produced_at: float | None, origin: Origin = Origin()) -> list[Emit]:
        with self._timed("intake"):
            if self.metrics:
                self.metrics.articles_received.inc()
                self.metrics.last_article_timestamp.set(time.time())
            parsed = parse_article(value, produced_at, self.max_article_bytes)
            if isinstance(parsed, Rejected):
                self._count_dead("intake", parsed.reason)
                return [dead_letter("intake", parsed.reason, parsed.detail, echo(value), origin)]
            # One key for every article: dedupe must see all of them in one place.
            return [Emit("accepted", "articles", parsed)]

    def dedupe(self, article: Article) -> list[Emit]:
        with self._timed("dedupe"):
            article_id = article.id or ""
            now = stream_time(article)
            self.deduper.evict(now)
            verdict = self.deduper.check(article_id, article.text, article.source, now)
            out = []
            if verdict.duplicate is not None:
                if self.metrics:
                    self.metrics.duplicates_dropped.labels(verdict.duplicate.match).inc()
                out.append(Emit("duplicates", verdict.duplicate.article_id, verdict.duplicate))
                if not verdict.forward:
                    # The copy travels on so its event can count the outlet, never its figures.
                    copy = article.model_copy(update={"duplicate_of": verdict.duplicate.duplicate_of})
                    out.append(Emit("reports", article_id, copy))
            if verdict.forward:
                out.append(Emit("reports", article_id, article))
            return out

    def extract(self, article: Article, origin: Origin = Origin()) -> list[Emit]:
        with self._timed("extract"):
            try:
                claims = extract_claims(article, article.id or "")
            except Exception as exc:  # an extractor bug must not stop the stream
                self._count_dead("extract", "extractor_error")
                return [dead_letter("extract", "extractor_error", repr(exc), article.text[:65536], origin, exc)]
            out = []
            for claim in claims:
                # The latency clock starts when the article entered the input topic.
                claim = claim.model_copy(update={"produced_at": article.produced_at, "copy_of": article.duplicate_of})
                if self.metrics:
                    self.metrics.claims_extracted.labels(str(claim.background).lower()).inc()
                    for figure in claim.figures:
                        self.metrics.figures_extracted.labels(figure.kind, figure.group).inc()
                partition = claim_partition(claim, self.claim_partitions)
                out.append(Emit("claims", places.region_key(claim.place), claim, partition))
            return out

    def merge(self, claim: Claim, partition: int, origin: Origin = Origin()) -> list[Emit]:
        with self._timed("merge"):
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
            out = []
            for update in result.updates:
                out.append(Emit("events", update.event_id, update))
                out.append(Emit("latest", update.event_id, update))
            if result.too_late:
                self._count_dead("merge", "too_late")
                detail = (
                    f"claim {claim.claim_id} is about an incident older than the event table's memory "
                    f"(two horizons behind stream time on claims partition {partition})"
                )
                out.append(dead_letter("merge", "too_late", detail, claim.to_bytes().decode(), origin))
            return out

    def _count_dead(self, stage: str, reason: str) -> None:
        if self.metrics:
            self.metrics.dead_letters.labels(stage, reason).inc()


class _Timer:
    """Observes a stage's wall time into its histogram."""

    def __init__(self, metrics: Metrics | None, stage: str) -> None:
        self.metrics, self.stage = metrics, stage

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        if self.metrics:
            self.metrics.stage_seconds.labels(self.stage).observe(time.perf_counter() - self.start)
