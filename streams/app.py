"""Build the Faust app: topics, tables, agents and the web endpoints of one worker.

Two agents, as on the design card. ``extract`` reads the articles topic; it keeps
no state, so it runs on every worker, each reading its share of the partitions,
and hands each article to a worker process (``streams.extraction``) so the event
loop stays free. ``merge`` reads the claims topic: the copy check, resolution and
tolls, with changelog-backed tables partitioned like the claims. Both run with
concurrency 1: merge keeps state, and Faust's offset commits are unsafe for
stateful agents above one; extraction has one process to feed.

Every agent follows one error policy: whatever its stage raises becomes a dead
letter (stage, reason, traceback, origin), and so does anything the worker
cannot send; the agent carries on with the next message.
"""

import asyncio
import socket
from typing import Any

import faust
from aiokafka.errors import KafkaError
from faust.sensors.prometheus import FaustMetrics, PrometheusMonitor
from prometheus_client import CollectorRegistry

from streams.extraction import Extractor, ExtractTimeout
from streams.rereading import MergeProgress
from streams.security import broker_credentials
from streams.tables import FaustEventStore, PartitionFingerprints
from streams.web import FAUST_WEB_SETTINGS, install_web
from tollstream import logs
from tollstream.metrics import Metrics
from tollstream.replay import limits_of
from tollstream.settings import Settings
from tollstream.stages import Emit, Origin, Role, Stages

_log = logs.get(__name__)
# How often the worker looks for claims read past without being merged, and how long merge must have
# been idle first (while it works through queued claims, the consumer legitimately reads ahead).
REREAD_INTERVAL_SECONDS = 1.0
REREAD_IDLE_SECONDS = 2.0
# How long merge waits, at most, for the consumer's metadata to list the tables' changelogs.
CHANGELOG_WAIT_SECONDS = 30.0


def instance_id(settings: Settings) -> str:
    """Static group membership: a restarted worker takes its partitions back without waiting for a rebalance."""
    return settings.instance_id or f"{settings.app_id}-{socket.gethostname()}-{settings.web_port}"


def _origin(event: Any) -> Origin:
    message = event.message
    return Origin(message.topic, message.partition, message.offset)


def create_app(settings: Settings, registry: CollectorRegistry | None = None) -> faust.App:
    registry = registry or CollectorRegistry()
    metrics = Metrics.create(registry)
    app = faust.App(
        settings.app_id,
        broker=[f"kafka://{server}" for server in settings.broker.split(",")],
        broker_credentials=broker_credentials(settings),
        # The worker declares its topics while its consumer joins the group; a topic the broker
        # lists only after the first assignment is picked up at the next metadata refresh.
        consumer_metadata_max_age_ms=5000,
        store="memory://",
        processing_guarantee="at_least_once",
        topic_partitions=settings.claim_partitions,
        topic_replication_factor=settings.replicas,
        topic_disable_leader=True,
        table_standby_replicas=0,
        datadir=str(settings.state_dir / "worker"),
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_bind=settings.web_bind,
        key_serializer="raw",
        value_serializer="raw",
        broker_commit_every=100,
        broker_commit_interval=1.0,
        consumer_group_instance_id=instance_id(settings),
        broker_session_timeout=settings.session_timeout_seconds,
        broker_heartbeat_interval=settings.session_timeout_seconds / 4,
        **FAUST_WEB_SETTINGS,
    )
    # Faust's own sensors (messages in and out per topic, commit and send latency,
    # rebalances, table operations) on the same registry, under tollstream_faust_*.
    app.monitor = PrometheusMonitor(metrics=FaustMetrics.create(registry, "tollstream_faust"))
    app.tollstream_metrics = metrics  # type: ignore[attr-defined]
    app.tollstream_registry = registry  # type: ignore[attr-defined]
    t = settings.topics
    raw = dict(key_type=bytes, value_type=bytes)
    # internal=True: the worker creates the input topic too, so it exists before any producer.
    articles = app.topic(t.articles, partitions=settings.article_partitions, internal=True, **raw)
    claims = app.topic(t.claims, partitions=settings.claim_partitions, internal=True, **raw)
    outputs = {
        Role.CLAIMS: claims,
        Role.EVENTS: app.topic(t.events, partitions=settings.claim_partitions, internal=True, **raw),
        Role.LATEST: app.topic(
            t.latest, partitions=settings.claim_partitions, internal=True, config={"cleanup.policy": "compact"}, **raw
        ),
        Role.DUPLICATES: app.topic(t.duplicates, partitions=1, internal=True, **raw),
        Role.DEADLETTER: app.topic(t.deadletter, partitions=1, internal=True, **raw),
    }
    # JSON keys and values: the changelog round trip gives back the same str / tuple
    # keys and the models' JSON dicts.
    table_schema = faust.Schema(key_serializer="json", value_serializer="json")
    # Written by merge, so each entry lives on the changelog partition of its claims partition.
    fingerprint_table = app.Table("fingerprints", partitions=settings.claim_partitions, schema=table_schema)
    # Events are windowed by incident day; finalisation follows stream time in the
    # core, not Faust's wall-clock expiry, so no ``expires`` is set (see README).
    event_table = app.Table(
        "events",
        partitions=settings.claim_partitions,
        schema=table_schema,
    ).tumbling(86400)
    partition_table = app.Table("merge-partitions", partitions=settings.claim_partitions, schema=table_schema)
    limits = limits_of(settings)
    stages = Stages(
        lambda partition: PartitionFingerprints(fingerprint_table, partition),
        FaustEventStore(event_table, partition_table),
        metrics,
        horizon_days=settings.horizon_days,
        retention_days=settings.retention_days,
        limits=limits,
    )
    app.tollstream_stages = stages  # type: ignore[attr-defined]
    extractor = Extractor(limits, settings.extract_timeout_seconds)
    progress = MergeProgress(REREAD_IDLE_SECONDS)

    @app.on_partitions_revoked.connect
    async def on_revoked(sender: Any, revoked: Any, **kwargs: Any) -> None:
        # The copy indexes mirror their partitions' tables: rebuilt from them once recovered.
        stages.forget_indexes()
        progress.forget()

    @app.on_partitions_assigned.connect
    async def on_assigned(sender: Any, assigned: Any, **kwargs: Any) -> None:
        stages.forget_indexes()
        progress.forget()

    @app.on_before_shutdown.connect
    async def on_shutdown(sender: Any, **kwargs: Any) -> None:
        extractor.stop()

    async def unsendable(emit: Emit, exc: BaseException, origin: Origin) -> None:
        if emit.role is Role.DEADLETTER:
            # Nothing is left to set it aside on: stop, so the message is read again after a restart.
            _log.error("dead letter could not be sent", extra={"offset": origin.offset}, exc_info=exc)
            raise exc
        letter = stages.failed("send", exc, emit.value.to_bytes(), origin, reason="send_failed")
        await send(letter, origin)

    async def send(emits: list[Emit], origin: Origin) -> None:
        """Send what a stage emitted and wait for the broker: a message it refuses becomes a dead letter."""
        pending = []
        for emit in emits:
            try:
                sent = await outputs[emit.role].send(
                    key=emit.key.encode(), value=emit.value.to_bytes(), partition=emit.partition
                )
            except Exception as exc:
                await unsendable(emit, exc, origin)
                continue
            pending.append((emit, sent))
        for emit, sent in pending:
            try:
                await sent
            except Exception as exc:
                await unsendable(emit, exc, origin)

    @app.agent(articles, concurrency=1)
    async def extract(stream: Any) -> None:
        extractor.start()
        async for event in stream.events():
            origin = _origin(event)
            with stages.timed("extract"):
                try:
                    emits = stages.extracted(await extractor.run(event.value, event.message.timestamp, origin))
                except ExtractTimeout as exc:
                    emits = stages.failed("extract", exc, event.value, origin, reason="extract_timeout")
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    emits = stages.failed("extract", exc, event.value, origin)
            await send(emits, origin)

    tables = (fingerprint_table, event_table.table, partition_table)

    def changelogs_agree() -> bool:
        """Faust's own test before a table write: a changelog the consumer knows has the claims' partitions."""
        source = app.consumer.topic_partitions(settings.topics.claims)
        counts = (app.consumer.topic_partitions(table.changelog_topic_name) for table in tables)
        return source is None or all(count is None or count == source for count in counts)

    async def changelogs_known() -> None:
        """Wait until the consumer's metadata shows every table's changelog with the claims' partitions.

        Faust checks each table write against its changelog's partitions as the consumer last
        saw them; a changelog created just after that look reads as having none, and every claim
        merged before the next metadata refresh would fail with PartitionsMismatch: the worker's
        state, not the claim's fault, so merge waits for the refresh instead (once, bounded).
        """
        deadline = asyncio.get_running_loop().time() + CHANGELOG_WAIT_SECONDS
        while not changelogs_agree() and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.2)

    @app.agent(claims, concurrency=1)
    async def merge(stream: Any) -> None:
        waited = False
        async for event in stream.events():
            origin = _origin(event)
            if not waited:
                await changelogs_known()
                waited = True
            progress.taking()
            try:
                emits = stages.merge_value(event.value, event.message.partition, origin)
            except Exception as exc:
                emits = stages.failed("merge", exc, event.value, origin)
            await send(emits, origin)
            progress.took(event.message.tp, event.message.offset)

    @app.timer(REREAD_INTERVAL_SECONDS)
    async def reread_skipped_claims() -> None:
        if app.rebalancing or not app.tables.recovery.completed.is_set():
            return
        consumer = app.consumer
        positions = {}
        for tp in list(consumer.assignment()):
            if tp.topic != settings.topics.claims:
                continue
            try:
                position = await consumer.position(tp)
            except (AssertionError, KafkaError):
                continue  # taken away by a rebalance since the listing
            if position is not None:
                positions[tp] = position
        for tp, offset in progress.behind(positions).items():
            _log.warning("claims partition %d was read past offset %d unmerged: reading it again", tp.partition, offset)
            metrics.claims_reread.labels(str(tp.partition)).inc()
            await consumer.seek(tp, offset)

    install_web(app, settings, registry, [articles, claims], list(outputs.values()))
    return app
