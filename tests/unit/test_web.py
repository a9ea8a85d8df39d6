"""The worker's HTTP API, served in-process without a broker: exposure, validation, live streams, exports."""

import asyncio
import csv
import io
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from datetime import date

import orjson
import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from schemas.claim import Place
from schemas.event import EventUpdate, Toll
from streams.app import create_app
from streams.web import authorized, is_loopback
from tollstream.exports import COLUMNS
from tollstream.settings import Settings, SettingsError
from tollstream.view import EventView

TOKEN = "s3cret-token-of-some-length"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def update(event_id: str, revision: int, civilians: int = 11, day: date = date(2026, 1, 31)) -> EventUpdate:
    return EventUpdate(
        event_id=event_id,
        revision=revision,
        title="Attack in Quetta, Balochistan",
        incident_date=day,
        place=Place(name="Quetta", admin1="Balochistan", country="PK"),
        tolls={"killed_civilians": Toll(low=civilians, best=civilians, high=civilians, basis="latest")},
        articles=["ex-05"],
        sources=["Frontier Daily"],
    )


@pytest.fixture
async def serve() -> AsyncIterator[Callable]:
    """Starts the web layer of a worker built from the given settings; every server is closed at teardown."""
    clients: list[TestClient] = []

    async def start(**settings: object) -> tuple[TestClient, EventView]:
        app = create_app(Settings.load(**settings))
        client = TestClient(TestServer(app.web.web_app))
        clients.append(client)
        await client.start_server()
        return client, app.tollstream_view

    try:
        yield start
    finally:
        for client in clients:
            await client.close()


async def sse_events(response: ClientResponse, count: int, timeout: float = 5.0) -> list[tuple[str, bytes]]:
    """The next ``count`` named events of a Server-Sent Events response (comments and retry lines skipped)."""
    found: list[tuple[str, bytes]] = []
    while len(found) < count:
        block = await asyncio.wait_for(response.content.readuntil(b"\n\n"), timeout)
        fields = dict(line.split(b": ", 1) for line in block.strip().split(b"\n") if b": " in line)
        if b"event" in fields:
            found.append((fields[b"event"].decode(), fields.get(b"data", b"")))
    return found


def test_binding_beyond_loopback_without_a_token_refuses_to_start() -> None:
    """An API reachable from other machines must never serve events to anyone who asks."""
    with pytest.raises(SettingsError, match="TOLLSTREAM_API_TOKEN"):
        create_app(Settings.load(web_bind="0.0.0.0"))


def test_a_short_token_is_refused() -> None:
    """A guessable token is no protection; the worker says so at start-up."""
    with pytest.raises(SettingsError, match="at least"):
        create_app(Settings.load(web_bind="0.0.0.0", api_token="short"))


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        (f"Bearer {TOKEN}", True),
        (f"bearer {TOKEN}", True),
        (None, False),
        ("", False),
        (f"Basic {TOKEN}", False),
        (f"Bearer {TOKEN[:-1]}", False),
        (f"Bearer {TOKEN}x", False),
        ("Bearer ", False),
    ],
)
def test_only_the_exact_bearer_token_is_accepted(header: str | None, accepted: bool) -> None:
    """Prefixes, extensions and other schemes fail; the comparison is of digests, in constant time."""
    assert authorized(header, TOKEN) is accepted


async def test_with_a_token_the_event_endpoints_want_it(serve: Callable) -> None:
    """Every endpoint that serves events answers 401 without the token and 200 with it."""
    client, view = await serve(api_token=TOKEN, web_bind="0.0.0.0")
    view.add(update("ev-1", 1))
    for path in ("/events", "/events/ev-1", "/export.csv", "/export.geojson", "/events/stream"):
        refused = await client.get(path)
        assert refused.status == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    for path in ("/events", "/events/ev-1", "/export.csv", "/export.geojson"):
        assert (await client.get(path, headers=AUTH)).status == 200


async def test_the_desk_page_and_health_stay_open_with_a_token(serve: Callable) -> None:
    """The page carries no data (it asks for the token), and probes and scrapers come without credentials."""
    client, _ = await serve(api_token=TOKEN)
    for path in ("/", "/desk/desk.js", "/desk/desk.css", "/healthz", "/metrics"):
        assert (await client.get(path)).status == 200, path


async def test_the_desk_page_forbids_anything_but_its_own_files(serve: Callable) -> None:
    """Quotes from reports are shown on the page: a policy that allows only the page's own scripts blunts injection."""
    client, _ = await serve()
    page = await client.get("/")
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert b"<script" in await page.read() and b"http" not in (await page.read()).split(b"<body")[1]


async def test_bad_query_parameters_get_reasons_not_internals(serve: Callable) -> None:
    """Every bad parameter is named with its rule, all at once, and no Python error text reaches the client."""
    client, _ = await serve()
    response = await client.get("/events?since=2024-02-30&limit=lots")
    body = await response.json()
    assert response.status == 400
    assert body == {
        "error": "invalid query",
        "problems": {"since": "must be a date as YYYY-MM-DD", "limit": "must be a whole number from 1 to 500"},
    }


async def test_an_unknown_event_is_not_found_without_echoing_the_request(serve: Callable) -> None:
    """What the client sent is never reflected back, so an error page can't carry a payload."""
    client, _ = await serve()
    response = await client.get("/events/%3Cscript%3E")
    assert response.status == 404 and await response.json() == {"error": "no such event"}


async def test_the_live_stream_sends_each_events_latest_then_ready_then_news(serve: Callable) -> None:
    """The desk subscribes once: a snapshot of the latest revisions, a marker, then every new revision."""
    client, view = await serve()
    view.add(update("ev-1", 1))
    view.add(update("ev-2", 1, day=date(2024, 10, 11)))
    response = await client.get("/events/stream?replay=latest")
    snapshot = await sse_events(response, 3)
    assert [name for name, _ in snapshot] == ["revision", "revision", "ready"]
    view.add(update("ev-1", 2, civilians=31))
    ((name, data),) = await sse_events(response, 1)
    assert name == "revision" and orjson.loads(data)["tolls"]["killed_civilians"]["best"] == 31
    response.close()


async def test_a_client_that_falls_behind_is_told_and_disconnected(serve: Callable) -> None:
    """A stalled client must not silently stop receiving: it gets an overflow event, then the stream ends."""
    client, view = await serve(sse_backlog=5)
    response = await client.get("/events/stream")
    await sse_events(response, 1)  # ready
    for revision in range(1, 20):
        view.add(update("ev-1", revision))
    ((name, data),) = await sse_events(response, 1)
    assert name == "overflow" and b"reconnect" in data
    assert await asyncio.wait_for(response.content.read(), 5) == b""


async def test_live_connections_are_bounded(serve: Callable) -> None:
    """Past the limit a new client is refused with 503 and Retry-After, instead of exhausting the worker."""
    client, _ = await serve(sse_max_clients=2)
    first, second = await client.get("/events/stream"), await client.get("/events/stream")
    third = await client.get("/events/stream")
    assert third.status == 503 and "Retry-After" in third.headers
    first.close()
    second.close()


async def test_the_csv_export_has_the_documented_header_and_one_row_per_event(serve: Callable) -> None:
    """GET /export.csv is the CLI's export of the latest state, from the API's own view."""
    client, view = await serve()
    view.add(update("ev-1", 1))
    view.add(update("ev-1", 2, civilians=31))
    response = await client.get("/export.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert tuple(rows[0]) == COLUMNS
    assert [(r["id"], r["revision"], r["deaths_civilians"]) for r in rows] == [("ev-1", "2", "31")]


async def test_the_history_export_has_every_revision(serve: Callable) -> None:
    """With history=1 the export carries how each toll moved, one feature per revision."""
    client, view = await serve()
    view.add(update("ev-1", 1))
    view.add(update("ev-1", 2, civilians=31))
    collection = await (await client.get("/export.geojson?history=1")).json(content_type=None)
    assert [f["properties"]["deaths_civilians"] for f in collection["features"]] == [11, 31]


def test_faust_table_views_are_not_served() -> None:
    """Faust's own /table views would hand out table contents, token or not: they are switched off."""
    app = create_app(Settings.load())
    assert app.conf.web_tables_enabled is False and app.conf.web_router_enabled is False


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.5", False),
        ("worker.example", False),
    ],
)
def test_only_loopback_addresses_count_as_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_api_binds_loopback_by_default() -> None:
    """Out of the box the API is reachable from this machine only."""
    assert is_loopback(Settings.model_fields["web_bind"].default)


def test_the_worker_command_refuses_an_exposed_api_without_a_token() -> None:
    """The operator gets one line naming the fix, and no worker starts."""
    env = {**os.environ, "TOLLSTREAM_WEB_BIND": "0.0.0.0"}
    env.pop("TOLLSTREAM_API_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "tollstream.cli", "worker"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert "TOLLSTREAM_API_TOKEN" in done.stderr and "Traceback" not in done.stderr
