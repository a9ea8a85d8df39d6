"""HTTP endpoints on the worker's Faust web server.

- ``GET /``: the desk, a live page of events for analysts (``streams/desk``; no external assets).
- ``GET /events``: events newest first, filtered by country, place, status, date range and text; paginated.
- ``GET /events/{event_id}``: one event with its revision history and per-figure provenance.
- ``GET /events/stream``: Server-Sent Events, one ``revision`` event per published revision.
- ``GET /export.csv``, ``/export.geojson``: the events (or, with ``history=1``, every revision) as files.
- ``GET /metrics``, ``/healthz``, ``/readyz``: Prometheus metrics, liveness and readiness.

Exposure: the server binds loopback unless ``TOLLSTREAM_WEB_BIND`` says otherwise, and
bound beyond it the worker refuses to start without ``TOLLSTREAM_API_TOKEN``. With a token
set, every event endpoint wants ``Authorization: Bearer <token>`` (compared in constant
time); the desk's static files, metrics and health stay open, as they carry no event data
and scrapers and probes come without credentials. Query parameters are checked one by one
and refused with reasons in words. Live streams are bounded in number, and a client more
than ``TOLLSTREAM_SSE_BACKLOG`` revisions behind is sent an ``overflow`` event and
disconnected (it may reconnect and resync).

Responses are the topics' own JSON. The view is fed by a task that reads the whole
revision topic, so every worker answers for every event, whichever partitions it processes.
"""

import asyncio
import hashlib
import hmac
import ipaddress
import re
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

import faust
import orjson
from aiohttp import web as aioweb
from aiokafka.errors import KafkaError
from faust.web import Request, Response, View
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from pydantic import ValidationError

from schemas.event import EventUpdate
from tollstream import exports
from tollstream.kafka_io import read_topic
from tollstream.metrics import Metrics
from tollstream.settings import Settings, SettingsError
from tollstream.view import (
    FILTER_PARAMETERS,
    PAGE_PARAMETERS,
    EventView,
    FellBehind,
    QueryError,
    Revision,
    event_filter,
    listing,
    parameters,
)

LAG_INTERVAL_SECONDS = 5.0
SSE_KEEPALIVE_SECONDS = 15.0
# A live client whose socket takes longer than this to accept one write is gone or stuck.
SSE_WRITE_TIMEOUT_SECONDS = 10.0
SSE_RETRY_MS = 3000
MIN_TOKEN_LENGTH = 16
EXPORT_CHUNK = 500
DESK_DIR = Path(__file__).resolve().parent / "desk"
DESK_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}
# Faust's own table and router views would serve table contents to anyone: the API is the way in.
FAUST_WEB_SETTINGS = {"web_tables_enabled": False, "web_router_enabled": False}
OPEN_PATHS = frozenset({"/", "/healthz", "/readyz", "/metrics"})
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_EVENT_ID = re.compile(r"[A-Za-z0-9._:#-]{1,200}")
_FLAGS = {"1": True, "true": True, "0": False, "false": False}


def _json(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> aioweb.Response:
    return aioweb.Response(body=orjson.dumps(payload), status=status, content_type="application/json", headers=headers)


def _refused(error: QueryError) -> aioweb.Response:
    return _json({"error": "invalid query", "problems": error.problems}, status=400)


def _flag(query: dict[str, str], name: str) -> bool:
    value = query.get(name, "0")
    if value not in _FLAGS:
        raise QueryError({name: "must be 1, true, 0 or false"})
    return _FLAGS[value]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def api_token(settings: Settings) -> str | None:
    """The token the API requires, or None; refuses settings that would expose the API without one."""
    token = settings.api_token.get_secret_value() if settings.api_token else ""
    if token and len(token) < MIN_TOKEN_LENGTH:
        raise SettingsError(f"TOLLSTREAM_API_TOKEN: must be at least {MIN_TOKEN_LENGTH} characters")
    if not token and not is_loopback(settings.web_bind):
        raise SettingsError(
            f"TOLLSTREAM_WEB_BIND={settings.web_bind} serves the API beyond this machine: "
            "set TOLLSTREAM_API_TOKEN (a long random string) or bind 127.0.0.1"
        )
    return token or None


def authorized(header: str | None, token: str) -> bool:
    """True when an Authorization header carries the token; constant time, whatever the input."""
    scheme, _, given = (header or "").partition(" ")
    presented = given.strip().encode() if scheme.lower() == "bearer" else b""
    return hmac.compare_digest(hashlib.sha256(presented).digest(), hashlib.sha256(token.encode()).digest())


Handler = Callable[[aioweb.Request], Awaitable[aioweb.StreamResponse]]


def _guard(token: str | None) -> Callable[[aioweb.Request, Handler], Awaitable[aioweb.StreamResponse]]:
    @aioweb.middleware
    async def guard(request: aioweb.Request, handler: Handler) -> aioweb.StreamResponse:
        guarded = token is not None and request.path not in OPEN_PATHS and not request.path.startswith("/desk/")
        if guarded and not authorized(request.headers.get("Authorization"), token or ""):
            return _json(
                {"error": "this API needs an Authorization: Bearer token"},
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="tollstream"'},
            )
        return await handler(request)

    return guard


async def _security_headers(request: aioweb.Request, response: aioweb.StreamResponse) -> None:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)


def _sse(revision: Revision) -> bytes:
    return b"id: %s:%d\nevent: revision\ndata: %s\n\n" % (
        revision.event_id.encode(),
        revision.revision,
        revision.body,
    )


class _Desk:
    """The desk's files, read once; each answered with an ETag so a reload costs a 304."""

    def __init__(self, folder: Path) -> None:
        self.files = {
            path.name: (path.read_bytes(), DESK_TYPES[path.suffix])
            for path in sorted(folder.iterdir())
            if path.suffix in DESK_TYPES
        }

    def response(self, request: aioweb.Request, name: str) -> aioweb.Response:
        if name not in self.files:
            return _json({"error": "no such file"}, status=404)
        body, kind = self.files[name]
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if request.headers.get("If-None-Match") == etag:
            return aioweb.Response(status=304, headers=headers)
        return aioweb.Response(body=body, content_type=kind, charset="utf-8", headers=headers)


async def _updates(revisions: Iterable[Revision]) -> list[EventUpdate]:
    """Parsed revisions, yielding to the loop between chunks so a large export never stalls the worker."""
    updates = []
    for i, revision in enumerate(revisions, start=1):
        updates.append(EventUpdate.model_validate_json(revision.body))
        if i % EXPORT_CHUNK == 0:
            await asyncio.sleep(0)
    return updates


def install_web(
    app: faust.App, settings: Settings, registry: CollectorRegistry, inputs: list[Any], outputs: list[Any]
) -> None:
    metrics: Metrics = app.tollstream_metrics  # type: ignore[attr-defined]
    token = api_token(settings)
    view = EventView(settings.view_max_events, settings.view_max_revisions, settings.view_max_bytes)
    app.tollstream_view = view  # type: ignore[attr-defined]
    app.web.web_app.middlewares.append(_guard(token))
    app.web.web_app.on_response_prepare.append(_security_headers)
    desk = _Desk(DESK_DIR)
    streams: set[object] = set()
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
        async for value in read_topic(settings, settings.topics.events, from_beginning=True, idle_timeout=None):
            try:
                view.add(EventUpdate.model_validate_json(value))
            except ValidationError:
                metrics.dead_letters.labels("view", "invalid_message").inc()

    @app.page("/")
    class DeskPage(View):
        async def get(self, request: Request) -> Response:
            return desk.response(request, "index.html")

    @app.page("/desk/{name}")
    class DeskFile(View):
        async def get(self, request: Request, name: str) -> Response:
            return desk.response(request, name)

    @app.page("/events/stream")
    class EventStream(View):
        async def get(self, request: Request) -> Response:
            try:
                query = parameters(request.query.items(), ("replay",))
                replay = query.get("replay", "0")
                if replay not in ("0", "1", "true", "latest"):
                    raise QueryError({"replay": "must be 1 or true (every revision) or latest (each event's latest)"})
            except QueryError as exc:
                return _refused(exc)
            if len(streams) >= settings.sse_max_clients:
                return _json(
                    {"error": "too many live connections", "limit": settings.sse_max_clients},
                    status=503,
                    headers={"Retry-After": "5"},
                )
            response = aioweb.StreamResponse(
                headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
            )
            # Subscribed before the replay is written: nothing published meanwhile is missed (at
            # worst sent twice; clients keep one copy per event and revision).
            listener = view.subscribe(settings.sse_backlog)
            streams.add(listener)

            async def write(data: bytes) -> None:
                await asyncio.wait_for(response.write(data), SSE_WRITE_TIMEOUT_SECONDS)

            try:
                await response.prepare(request)
                await write(b"retry: %d\n\n" % SSE_RETRY_MS)
                if replay == "latest":
                    for revision in list(view.latest_revisions()):
                        await write(_sse(revision))
                elif replay in ("1", "true"):
                    for event_id in list(view.events):
                        for revision in view.history(event_id):
                            await write(_sse(revision))
                await write(b"event: ready\ndata: {}\n\n")
                while True:
                    try:
                        revision = await listener.next(SSE_KEEPALIVE_SECONDS)
                    except FellBehind:
                        reason = {"reason": f"more than {settings.sse_backlog} revisions behind; reconnect to resync"}
                        await write(b"event: overflow\ndata: %s\n\n" % orjson.dumps(reason))
                        break
                    await write(b": keep-alive\n\n" if revision is None else _sse(revision))
            except (ConnectionResetError, TimeoutError):
                pass  # the client left, or stopped reading
            finally:
                view.unsubscribe(listener)
                streams.discard(listener)
            return response

    @app.page("/events")
    class EventList(View):
        async def get(self, request: Request) -> Response:
            try:
                query = parameters(request.query.items(), FILTER_PARAMETERS + PAGE_PARAMETERS)
                where, offset, limit = listing(query)
            except QueryError as exc:
                return _refused(exc)
            total, found = view.list(where, offset, limit)
            return _json({"total": total, "offset": offset, "limit": limit, "events": [u.to_dict() for u in found]})

    @app.page("/events/{event_id}")
    class EventDetail(View):
        async def get(self, request: Request, event_id: str) -> Response:
            revisions = view.history(event_id) if _EVENT_ID.fullmatch(event_id) else []
            if not revisions:
                return _json({"error": "no such event"}, status=404)
            body = b'{"event":%s,"revisions":[%s],"forgotten_revisions":%d}' % (
                revisions[-1].body,
                b",".join(r.body for r in revisions),
                view.forgotten(event_id),
            )
            return aioweb.Response(body=body, content_type="application/json")

    def export_page(fmt: exports.Format) -> type[View]:
        class Export(View):
            async def get(self, request: Request) -> Response:
                try:
                    query = parameters(request.query.items(), (*FILTER_PARAMETERS, "history"))
                    where, history = event_filter(query), _flag(query, "history")
                except QueryError as exc:
                    return _refused(exc)
                ids = view.matching(where)
                chosen = (r for i in ids for r in view.history(i)) if history else view.latest_revisions(where)
                updates = exports.select(await _updates(chosen), history)
                return aioweb.Response(
                    body=exports.render(updates, fmt, history),
                    headers={
                        "Content-Type": exports.MEDIA_TYPES[fmt],
                        "Content-Disposition": f'attachment; filename="tollstream-events.{fmt}"',
                    },
                )

        return Export

    app.page("/export.csv")(export_page("csv"))
    app.page("/export.geojson")(export_page("geojson"))

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
        if app.rebalancing:
            return
        for tp in list(consumer.assignment()):
            if tp.topic not in input_names:
                continue
            try:
                end = consumer.highwater(tp)
                position = await consumer.position(tp)
            except (AssertionError, KafkaError):
                # A rebalance took the partition away between the listing and the question: skip it.
                continue
            if end is not None and position is not None:
                metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(max(0, end - position))
