"""HTTP endpoints on the worker's Faust web server.

- ``GET /events``: events newest first, filtered by country, place, status, date range; paginated.
- ``GET /events/{event_id}``: one event with its full revision history and per-figure provenance.
- ``GET /events/stream``: Server-Sent Events, one ``revision`` event per published revision.
- ``GET /metrics``, ``/healthz``, ``/readyz``: Prometheus metrics, liveness and readiness.

Responses are the topics' own JSON (the pydantic models through orjson). The
view is fed by a task that reads the whole revision topic, so every worker
answers for every event, whichever partitions it processes.
"""

import asyncio
from datetime import date
from typing import Any

import faust
import orjson
from aiohttp import web as aioweb
from faust.web import Request, Response, View
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from pydantic import ValidationError

from schemas.event import EventUpdate
from tollstream.kafka_io import read_topic
from tollstream.metrics import Metrics
from tollstream.settings import Settings
from tollstream.view import EventFilter, EventView

LAG_INTERVAL_SECONDS = 5.0
SSE_KEEPALIVE_SECONDS = 15.0
MAX_PAGE = 500


def _json(payload: Any, status: int = 200) -> aioweb.Response:
    return aioweb.Response(body=orjson.dumps(payload), status=status, content_type="application/json")


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _filter(query: Any) -> EventFilter:
    return EventFilter(
        country=query.get("country"),
        place=query.get("place"),
        status=query.get("status"),
        since=_day(query.get("since")),
        until=_day(query.get("until")),
    )


def _sse(update: EventUpdate) -> bytes:
    return b"id: %s:%d\nevent: revision\ndata: %s\n\n" % (update.event_id.encode(), update.revision, update.to_bytes())


def install_web(
    app: faust.App, settings: Settings, registry: CollectorRegistry, inputs: list[Any], outputs: list[Any]
) -> None:
    metrics: Metrics = app.tollstream_metrics  # type: ignore[attr-defined]
    view = EventView()
    app.tollstream_view = view  # type: ignore[attr-defined]
    input_names = {topic.get_topic_name() for topic in inputs}
    declared = asyncio.Event()

    @app.task
    async def follow_revisions() -> None:
        # Output topics are created here with their partitions and configs (the
        # latest-state topic is compacted) before anyone reads them; otherwise a
        # reader could make the broker auto-create them with defaults.
        for topic in outputs:
            await topic.maybe_declare()
        declared.set()
        async for value in read_topic(settings.broker, settings.topics.events, from_beginning=True, idle_timeout=None):
            try:
                view.add(EventUpdate.model_validate_json(value))
            except ValidationError:
                metrics.dead_letters.labels("view", "invalid_message").inc()

    @app.page("/events/stream")
    class EventStream(View):
        async def get(self, request: Request) -> Response:
            response = aioweb.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
            await response.prepare(request)
            queue = view.subscribe()
            try:
                if request.query.get("replay") in ("1", "true"):
                    for event_id in list(view.history):
                        for update in view.revisions(event_id):
                            await response.write(_sse(update))
                while True:
                    try:
                        update = await asyncio.wait_for(queue.get(), SSE_KEEPALIVE_SECONDS)
                    except TimeoutError:
                        await response.write(b": keep-alive\n\n")
                        continue
                    await response.write(_sse(update))
            except (ConnectionResetError, asyncio.CancelledError):
                pass
            finally:
                view.unsubscribe(queue)
            return response

    @app.page("/events")
    class EventList(View):
        async def get(self, request: Request) -> Response:
            try:
                where = _filter(request.query)
                offset = max(0, int(request.query.get("offset", 0)))
                limit = min(MAX_PAGE, max(1, int(request.query.get("limit", 50))))
            except ValueError as exc:
                return _json({"error": str(exc)}, status=400)
            total, page = view.list(where, offset, limit)
            return _json({"total": total, "offset": offset, "limit": limit, "events": [u.to_dict() for u in page]})

    @app.page("/events/{event_id}")
    class EventDetail(View):
        async def get(self, request: Request, event_id: str) -> Response:
            revisions = view.revisions(event_id)
            if not revisions:
                return _json({"error": f"no event {event_id}"}, status=404)
            return _json({"event": revisions[-1].to_dict(), "revisions": [r.to_dict() for r in revisions]})

    @app.page("/metrics")
    class MetricsView(View):
        async def get(self, request: Request) -> Response:
            return aioweb.Response(body=generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    @app.page("/healthz")
    class Health(View):
        async def get(self, request: Request) -> Response:
            agents = {name: not agent.should_stop for name, agent in app.agents.items()}
            producer_ok = app.producer is not None and not app.producer.should_stop
            healthy = producer_ok and all(agents.values())
            return _json(
                {"healthy": healthy, "broker": settings.broker, "agents": agents}, status=200 if healthy else 503
            )

    @app.page("/readyz")
    class Ready(View):
        async def get(self, request: Request) -> Response:
            assigned = bool(app.consumer and app.consumer.assignment())
            ready = declared.is_set() and assigned and not app.rebalancing and app.tables.recovery.completed.is_set()
            return _json({"ready": ready}, status=200 if ready else 503)

    @app.timer(LAG_INTERVAL_SECONDS)
    async def measure_lag() -> None:
        consumer = app.consumer
        for tp in consumer.assignment():
            if tp.topic not in input_names:
                continue
            end = consumer.highwater(tp)
            position = await consumer.position(tp)
            if end is not None and position is not None:
                metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(max(0, end - position))
