"""Events in the formats conflict researchers load: CSV with UCDP-GED-like columns, GeoJSON, JSON lines.

One row (or feature, or line) per event, from its latest revision; with history, one per revision.
The CSV header is ``COLUMNS``, documented column by column in the README. Conventions:

- An empty cell means no report gave that figure; ``0`` means a report said none.
- An empty ``*_high`` cell next to a figure means the wording left the upper bound open ("more than 60").
- ``date_start`` and ``date_end`` are the incident date less and plus its tolerance: the span the reports allow.
- ``where_prec`` uses UCDP's codes for what the coordinates stand for: 1 the place itself, 3 its district,
  4 its province, 6 its country.
- Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``) get a
  leading apostrophe: outlet names come from the reports, and a report must not be able to run code.

GeoJSON follows RFC 7946: a FeatureCollection of Point features, ``[longitude, latitude]`` in WGS 84,
with the CSV columns as properties; an event without coordinates has a null geometry.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from pydantic import ValidationError

from schemas.event import EventUpdate, Toll
from tollstream.core.places import country_name
from tollstream.kafka_io import client_options
from tollstream.settings import Settings

Format = Literal["csv", "geojson", "jsonl"]
FORMATS: tuple[Format, ...] = ("csv", "geojson", "jsonl")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json", "jsonl": "application/jsonl"}
WHERE_PREC = {"place": 1, "district": 3, "province": 4, "country": 6}
# Column prefix -> toll category; each gives the best figure, then its low and high bounds.
FIGURES = {
    "deaths_civilians": "killed_civilians",
    "deaths_security": "killed_security",
    "deaths_militants": "killed_militants",
    "deaths_total": "killed_total",
    "injured": "injured_total",
    "abducted": "abducted_total",
}
COLUMNS: tuple[str, ...] = (
    "id",
    "revision",
    "status",
    "title",
    "incident_type",
    "perpetrator",
    "date_start",
    "date_end",
    "incident_date",
    "country",
    "country_code",
    "adm_1",
    "where_coordinates",
    "latitude",
    "longitude",
    "where_prec",
    "where_precision",
    *(f"{prefix}{bound}" for prefix in FIGURES for bound in ("", "_low", "_high")),
    "number_of_sources",
    "number_of_outlets",
    "number_of_copies",
    "source_first",
    "source_latest",
    "source_outlets",
    "late",
    "revised_at",
)
_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def latest_per_event(updates: Iterable[EventUpdate]) -> list[EventUpdate]:
    """The highest revision of each event, newest incident first (as the API lists them)."""
    latest: dict[str, EventUpdate] = {}
    for update in updates:
        if update.event_id not in latest or update.revision > latest[update.event_id].revision:
            latest[update.event_id] = update
    return ordered(latest.values())


def ordered(updates: Iterable[EventUpdate]) -> list[EventUpdate]:
    """Newest incident first; an event's revisions in order."""
    by_event = sorted(updates, key=lambda u: u.revision)
    return sorted(by_event, key=lambda u: (u.incident_date or datetime.min.date(), u.event_id), reverse=True)


def _figures(prefix: str, toll: Toll | None) -> dict[str, Any]:
    if toll is None:
        return {prefix: None, f"{prefix}_low": None, f"{prefix}_high": None}
    return {prefix: toll.best, f"{prefix}_low": toll.low, f"{prefix}_high": toll.high}


def _revised_at(update: EventUpdate) -> str | None:
    """When the revision was made: the causing report's arrival in Kafka, else the stream time that closed it."""
    moment = update.produced_at if update.produced_at is not None else update.stream_time
    if moment is None:
        return None
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def row(update: EventUpdate) -> dict[str, Any]:
    """One event revision as a flat record with the ``COLUMNS`` keys."""
    place, where = update.place, update.location
    day, tolerance = update.incident_date, timedelta(days=update.date_tolerance_days)
    record: dict[str, Any] = {
        "id": update.event_id,
        "revision": update.revision,
        "status": update.status,
        "title": update.title,
        "incident_type": update.incident_type,
        "perpetrator": update.perpetrator,
        "date_start": (day - tolerance).isoformat() if day else None,
        "date_end": (day + tolerance).isoformat() if day else None,
        "incident_date": day.isoformat() if day else None,
        "country": country_name(place.country) if place and place.country else None,
        "country_code": place.country if place else None,
        "adm_1": place.admin1 if place else None,
        "where_coordinates": place.name if place else None,
        "latitude": where.latitude if where else None,
        "longitude": where.longitude if where else None,
        "where_prec": WHERE_PREC[where.precision] if where else None,
        "where_precision": where.precision if where else None,
    }
    for prefix, category in FIGURES.items():
        record |= _figures(prefix, update.tolls.get(category))
    record |= {
        "number_of_sources": len(update.articles),
        "number_of_outlets": len(update.sources),
        "number_of_copies": len(update.copies),
        "source_first": update.articles[0] if update.articles else None,
        "source_latest": update.articles[-1] if update.articles else None,
        "source_outlets": "; ".join(update.sources) or None,
        "late": update.late,
        "revised_at": _revised_at(update),
    }
    return record


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_LEADS):
        return "'" + value
    return value


def csv_lines(updates: Iterable[EventUpdate]) -> Iterator[str]:
    """The CSV text, header first, one line per revision (RFC 4180: CRLF line ends, quotes where needed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for update in updates:
        record = row(update)
        writer.writerow([_cell(record[name]) for name in COLUMNS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def feature(update: EventUpdate, history: bool = False) -> dict[str, Any]:
    """One revision as a GeoJSON Feature (a Point at its location, or no geometry)."""
    where = update.location
    geometry = None if where is None else {"type": "Point", "coordinates": [where.longitude, where.latitude]}
    return {
        "type": "Feature",
        "id": f"{update.event_id}#{update.revision}" if history else update.event_id,
        "geometry": geometry,
        "properties": row(update),
    }


def geojson(updates: Iterable[EventUpdate], history: bool = False) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [feature(u, history) for u in updates]}


def render(updates: list[EventUpdate], fmt: Format, history: bool = False) -> bytes:
    """The whole export as bytes."""
    if fmt == "csv":
        return "".join(csv_lines(updates)).encode()
    if fmt == "geojson":
        return orjson.dumps(geojson(updates, history)) + b"\n"
    return b"".join(u.to_bytes() + b"\n" for u in updates)


def select(updates: Iterable[EventUpdate], history: bool) -> list[EventUpdate]:
    """Every revision (history) or the latest of each event, in export order."""
    return ordered(updates) if history else latest_per_event(updates)


def from_replay(folder: Path) -> list[EventUpdate]:
    """The revisions a ``tollstream replay --out FOLDER`` wrote."""
    path = folder / "events.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file (is {folder} a replay folder?)")
    with path.open("rb") as handle:
        return [EventUpdate.model_validate_json(line) for line in handle if line.strip()]


class NoSuchTopic(LookupError):
    """The topic to export from does not exist on the broker."""


async def _partitions(settings: Settings, topic: str) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        # Listed first: asking for the metadata of a missing topic could make the broker create it.
        if topic not in await admin.list_topics():
            raise NoSuchTopic(topic)
        (described,) = await admin.describe_topics([topic])
        return [
            TopicPartition(topic, p["partition"]) for p in sorted(described["partitions"], key=lambda p: p["partition"])
        ]
    finally:
        await admin.close()


async def read_to_end(settings: Settings, topic: str) -> list[bytes]:
    """Every value of a topic up to its end as it is now: a snapshot, with no idle wait at the end."""
    partitions = await _partitions(settings, topic)
    consumer = AIOKafkaConsumer(**client_options(settings), enable_auto_commit=False, isolation_level="read_committed")
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        values: list[bytes] = []
        remaining = {tp for tp in partitions if ends[tp] > 0}
        while remaining:
            batch = await consumer.getmany(*remaining, timeout_ms=1000)
            for records in batch.values():
                values += [r.value for r in records if r.value is not None]
            remaining = {tp for tp in remaining if await consumer.position(tp) < ends[tp]}
        return values
    finally:
        await consumer.stop()


async def from_topic(settings: Settings, history: bool) -> tuple[list[EventUpdate], int]:
    """Revisions from the broker: every one (the revision topic) or the latest state (the compacted topic).

    Returns the revisions and how many values could not be read as event updates (they are skipped).
    """
    topic = settings.topics.events if history else settings.topics.latest
    updates, unreadable = [], 0
    for value in await read_to_end(settings, topic):
        try:
            updates.append(EventUpdate.model_validate_json(value))
        except ValidationError:
            unreadable += 1
    return updates, unreadable
