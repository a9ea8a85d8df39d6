"""The subscriber's view of events: latest state, revision history and live listeners.

Fed with every ``EventUpdate`` from the revision stream, it answers the HTTP
API and the desk page (lists, one event with its history, exports, a live
stream). Pure Python: the worker feeds it from Kafka, tests feed it directly.

Memory is bounded three ways, because anyone who can write the event topic
decides how much it holds: a number of events, a number of revisions per event
and a budget of bytes. Revisions are kept as their JSON bytes (what the API
sends), with a small summary per event to filter and sort on; when a bound is
passed, the event revised least recently goes first, and an event over its
revision bound forgets its middle revisions but keeps the first one.
"""

import asyncio
import re
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from schemas.event import EventUpdate

MAX_EVENTS = 10_000
MAX_REVISIONS = 200
MAX_BYTES = 64 * 2**20
LISTENER_BACKLOG = 1_000
MAX_PAGE = 500
MAX_OFFSET = 1_000_000
MAX_TEXT = 200


class Revision(NamedTuple):
    """One revision as the view keeps it: its identity and its JSON."""

    event_id: str
    revision: int
    body: bytes


@dataclass(frozen=True, slots=True)
class Summary:
    """What filters and ordering read of an event's latest revision."""

    event_id: str
    status: str
    country: str | None
    incident_date: date | None
    names: frozenset[str]
    text: str

    @classmethod
    def of(cls, update: EventUpdate) -> "Summary":
        place = update.place
        names = [place.name, place.admin1 or "", *place.mentions] if place else []
        country = place.country.upper() if place and place.country else None
        words = [update.event_id, update.title, update.perpetrator or "", update.incident_type or "", *names]
        return cls(
            event_id=update.event_id,
            status=update.status,
            country=country,
            incident_date=update.incident_date,
            names=frozenset(n.lower() for n in names if n),
            text=" ".join(words).lower(),
        )

    @property
    def order(self) -> tuple[date, str]:
        return (self.incident_date or date.min, self.event_id)


@dataclass(frozen=True)
class EventFilter:
    """What the event list and the exports may filter on; every given field must match."""

    country: str | None = None
    place: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None
    text: str | None = None

    def accepts(self, event: Summary) -> bool:
        day = event.incident_date
        return (
            (self.country is None or event.country == self.country.upper())
            and (self.place is None or self.place.lower() in event.names)
            and (self.status is None or event.status == self.status)
            and (self.since is None or (day is not None and day >= self.since))
            and (self.until is None or (day is not None and day <= self.until))
            and (self.text is None or self.text.lower() in event.text)
        )


class QueryError(ValueError):
    """Query parameters the API refuses, each with a reason in words (never the parser's own message)."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {why}" for name, why in problems.items()))
        self.problems = problems


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNTRY = re.compile(r"[A-Za-z]{2}")
_NUMBER = re.compile(r"\d{1,7}")
FILTER_PARAMETERS = ("country", "place", "status", "since", "until", "q")
PAGE_PARAMETERS = ("offset", "limit")


def _day(value: str) -> date | None:
    if not _DAY.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parameters(pairs: Iterable[tuple[str, str]], allowed: tuple[str, ...]) -> dict[str, str]:
    """Query parameters as a dict, refused when a name is unknown or given more than once."""
    found: dict[str, str] = {}
    problems = {}
    for name, value in pairs:
        if name not in allowed:
            problems[name[:40]] = "unknown parameter; known: " + ", ".join(allowed)
        elif name in found:
            problems[name] = "given more than once"
        found[name] = value
    if problems:
        raise QueryError(problems)
    return found


def event_filter(query: Mapping[str, str]) -> EventFilter:
    """An ``EventFilter`` from query parameters, checked one by one."""
    problems: dict[str, str] = {}
    country, status = query.get("country"), query.get("status")
    if country is not None and not _COUNTRY.fullmatch(country):
        problems["country"] = "must be a two-letter ISO 3166-1 code, such as PK"
    if status is not None and status not in ("open", "final"):
        problems["status"] = "must be open or final"
    days = {}
    for name in ("since", "until"):
        value = query.get(name)
        if value is not None and (days.setdefault(name, _day(value)) is None):
            problems[name] = "must be a date as YYYY-MM-DD"
    for name in ("place", "q"):
        value = query.get(name)
        if value is not None and not 0 < len(value) <= MAX_TEXT:
            problems[name] = f"must be 1 to {MAX_TEXT} characters"
    if problems:
        raise QueryError(problems)
    return EventFilter(
        country=country,
        place=query.get("place"),
        status=status,
        since=days.get("since"),
        until=days.get("until"),
        text=query.get("q"),
    )


def page(query: Mapping[str, str], default_limit: int = 50) -> tuple[int, int]:
    """``offset`` and ``limit`` from query parameters, within their bounds."""
    problems = {}
    offset, limit = query.get("offset", "0"), query.get("limit", str(default_limit))
    if not _NUMBER.fullmatch(offset) or int(offset) > MAX_OFFSET:
        problems["offset"] = f"must be a whole number from 0 to {MAX_OFFSET}"
    if not _NUMBER.fullmatch(limit) or not 1 <= int(limit) <= MAX_PAGE:
        problems["limit"] = f"must be a whole number from 1 to {MAX_PAGE}"
    if problems:
        raise QueryError(problems)
    return int(offset), int(limit)


def listing(query: Mapping[str, str]) -> tuple[EventFilter, int, int]:
    """Filter, offset and limit of an event list; every bad parameter is reported at once."""
    problems: dict[str, str] = {}
    where, offset, limit = EventFilter(), 0, 0
    try:
        where = event_filter(query)
    except QueryError as exc:
        problems |= exc.problems
    try:
        offset, limit = page(query)
    except QueryError as exc:
        problems |= exc.problems
    if problems:
        raise QueryError(problems)
    return where, offset, limit


class FellBehind(Exception):
    """A listener did not keep up: more revisions waited for it than its backlog holds."""


class Listener:
    """One live subscriber: revisions waiting for it, up to a backlog; past it, it is told it fell behind."""

    def __init__(self, backlog: int = LISTENER_BACKLOG) -> None:
        self.backlog = backlog
        self.pending: deque[Revision] = deque()
        self.fell_behind = False
        self._wake = asyncio.Event()

    def offer(self, revision: Revision) -> None:
        if self.fell_behind:
            return
        if len(self.pending) >= self.backlog:
            # Nothing more is queued for it: it will be told and disconnected, and can resync.
            self.fell_behind = True
            self.pending.clear()
        else:
            self.pending.append(revision)
        self._wake.set()

    async def next(self, timeout: float) -> Revision | None:
        """The next revision, or None after ``timeout`` seconds without one; raises ``FellBehind``."""
        if not self.pending and not self.fell_behind:
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout)
            except TimeoutError:
                return None
        if self.fell_behind:
            raise FellBehind
        return self.pending.popleft()


@dataclass
class _Event:
    summary: Summary
    revisions: list[Revision] = field(default_factory=list)
    size: int = 0
    forgotten: int = 0  # middle revisions dropped for the per-event bound

    @property
    def latest(self) -> Revision:
        return self.revisions[-1]


class EventView:
    """Latest revision and history of the most recently revised events, and the live listeners."""

    def __init__(
        self, max_events: int = MAX_EVENTS, max_revisions: int = MAX_REVISIONS, max_bytes: int = MAX_BYTES
    ) -> None:
        self.max_events, self.max_revisions, self.max_bytes = max_events, max(2, max_revisions), max_bytes
        self.events: OrderedDict[str, _Event] = OrderedDict()
        self.size = 0
        self.listeners: set[Listener] = set()

    def __len__(self) -> int:
        return len(self.events)

    def add(self, update: EventUpdate) -> bool:
        """Take one revision in; False when it is a repeat (a revision re-published after a crash is identical)."""
        event = self.events.get(update.event_id)
        if event is not None and any(r.revision == update.revision for r in event.revisions):
            return False
        revision = Revision(update.event_id, update.revision, update.to_bytes())
        if event is None:
            event = self.events[update.event_id] = _Event(Summary.of(update))
        if update.revision > (event.latest.revision if event.revisions else 0):
            event.summary = Summary.of(update)
            event.revisions.append(revision)
        else:
            event.revisions.append(revision)
            event.revisions.sort(key=lambda r: r.revision)
        self._grew(event, len(revision.body))
        while len(event.revisions) > self.max_revisions:
            dropped = event.revisions.pop(1)
            event.forgotten += 1
            self._grew(event, -len(dropped.body))
        self.events.move_to_end(update.event_id)
        while len(self.events) > 1 and (len(self.events) > self.max_events or self.size > self.max_bytes):
            _, evicted = self.events.popitem(last=False)
            self.size -= evicted.size
        for listener in list(self.listeners):
            listener.offer(revision)
        return True

    def _grew(self, event: _Event, delta: int) -> None:
        event.size += delta
        self.size += delta

    def latest(self, event_id: str) -> EventUpdate | None:
        event = self.events.get(event_id)
        return EventUpdate.model_validate_json(event.latest.body) if event else None

    def revisions(self, event_id: str) -> list[EventUpdate]:
        return [EventUpdate.model_validate_json(r.body) for r in self.history(event_id)]

    def history(self, event_id: str) -> list[Revision]:
        event = self.events.get(event_id)
        return list(event.revisions) if event else []

    def forgotten(self, event_id: str) -> int:
        """How many middle revisions of the event the per-event bound made the view forget."""
        event = self.events.get(event_id)
        return event.forgotten if event else 0

    def matching(self, where: EventFilter) -> list[str]:
        """Ids of the matching events, newest incident first."""
        found = [e.summary for e in self.events.values() if where.accepts(e.summary)]
        found.sort(key=lambda s: s.order, reverse=True)
        return [s.event_id for s in found]

    def list(self, where: EventFilter, offset: int = 0, limit: int = 50) -> tuple[int, list[EventUpdate]]:
        """Matching events, newest incident first; returns the total count and one page."""
        ids = self.matching(where)
        return len(ids), [
            EventUpdate.model_validate_json(self.events[i].latest.body) for i in ids[offset : offset + limit]
        ]

    def latest_revisions(self, where: EventFilter | None = None) -> Iterator[Revision]:
        """The latest revision of every (matching) event, newest incident first."""
        for event_id in self.matching(where or EventFilter()):
            event = self.events.get(event_id)
            if event is not None:
                yield event.latest

    def subscribe(self, backlog: int = LISTENER_BACKLOG) -> Listener:
        listener = Listener(backlog)
        self.listeners.add(listener)
        return listener

    def unsubscribe(self, listener: Listener) -> None:
        self.listeners.discard(listener)
