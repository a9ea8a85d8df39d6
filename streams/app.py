"""Build the Faust app: topics, tables, agents and the web endpoints of one worker.

Agents are thin: they decode bytes, call a stage of ``tollstream.stages`` and
send what it emits. All of them run with concurrency 1, because every stage
but extraction keeps state and Faust's offset commits are unsafe for stateful
agents with concurrency above one.
"""

from typing import Any

import faust
from faust.sensors.prometheus import FaustMetrics, PrometheusMonitor
from prometheus_client import CollectorRegistry
from pydantic import ValidationError

from schemas.article import Article
from schemas.claim import Claim
from streams.security import broker_credentials
from streams.tables import FaustEventStore, fingerprints
from streams.web import FAUST_WEB_SETTINGS, install_web
from tollstream.metrics import Metrics
from tollstream.settings import Settings
from tollstream.stages import Emit, Origin, Stages, dead_letter


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
    accepted = app.topic(t.accepted, partitions=1, internal=True, **raw)
    reports = app.topic(t.reports, partitions=1, internal=True, **raw)
    claims = app.topic(t.claims, partitions=settings.claim_partitions, internal=True, **raw)
    outputs = {
        "accepted": accepted,
        "reports": reports,
        "claims": claims,
        "events": app.topic(t.events, partitions=settings.claim_partitions, internal=True, **raw),
        "latest": app.topic(
            t.latest, partitions=settings.claim_partitions, internal=True, config={"cleanup.policy": "compact"}, **raw
        ),
        "duplicates": app.topic(t.duplicates, partitions=1, internal=True, **raw),
        "deadletter": app.topic(t.deadletter, partitions=1, internal=True, **raw),
    }
    # JSON keys and values: the changelog round trip gives back the same str / tuple
    # keys and the models' JSON dicts.
    table_schema = faust.Schema(key_serializer="json", value_serializer="json")
    fingerprint_table = app.Table("fingerprints", partitions=1, schema=table_schema)
    # Events are windowed by incident day; finalisation follows stream time in the
    # core, not Faust's wall-clock expiry, so no ``expires`` is set (see README).
    event_table = app.Table(
        "events",
        partitions=settings.claim_partitions,
        schema=table_schema,
    ).tumbling(86400)
    partition_table = app.Table("merge-partitions", partitions=settings.claim_partitions, schema=table_schema)
    stages = Stages(
        fingerprints(fingerprint_table),
        FaustEventStore(event_table, partition_table),
        metrics,
        horizon_days=settings.horizon_days,
        retention_days=settings.retention_days,
        claim_partitions=settings.claim_partitions,
        max_article_bytes=settings.max_article_bytes,
    )
    app.tollstream_stages = stages  # type: ignore[attr-defined]

    async def send(emits: list[Emit]) -> None:
        for emit in emits:
            await outputs[emit.role].send(key=emit.key.encode(), value=emit.value.to_bytes(), partition=emit.partition)

    async def undecodable(stage: str, event: Any, exc: ValidationError) -> None:
        metrics.dead_letters.labels(stage, "invalid_message").inc()
        payload = (event.value or b"")[:65536].decode("utf-8", errors="replace")
        await send([dead_letter(stage, "invalid_message", str(exc), payload, _origin(event))])

    @app.agent(articles, concurrency=1)
    async def intake(stream: Any) -> None:
        async for event in stream.events():
            await send(stages.intake(event.value, event.message.timestamp, _origin(event)))

    @app.agent(accepted, concurrency=1)
    async def dedupe(stream: Any) -> None:
        async for event in stream.events():
            try:
                article = Article.model_validate_json(event.value)
            except ValidationError as exc:
                await undecodable("dedupe", event, exc)
                continue
            await send(stages.dedupe(article))

    @app.agent(reports, concurrency=1)
    async def extract(stream: Any) -> None:
        async for event in stream.events():
            try:
                article = Article.model_validate_json(event.value)
            except ValidationError as exc:
                await undecodable("extract", event, exc)
                continue
            await send(stages.extract(article, _origin(event)))

    @app.agent(claims, concurrency=1)
    async def merge(stream: Any) -> None:
        async for event in stream.events():
            try:
                claim = Claim.model_validate_json(event.value)
            except ValidationError as exc:
                await undecodable("merge", event, exc)
                continue
            await send(stages.merge(claim, event.message.partition, _origin(event)))

    install_web(app, settings, registry, [articles, accepted, reports, claims], list(outputs.values()))
    return app
