"""The subscriber's view of events: latest state, revision history and live listeners.

Fed with every ``EventUpdate`` from the revision stream, it answers the HTTP
API (list, one event with its history, a live stream). Pure Python: the
worker feeds it from Kafka, tests feed it directly.
"""

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from schemas.event import EventUpdate

MAX_EVENTS = 10_000
LISTENER_QUEUE = 1_000


@dataclass(frozen=True)
class EventFilter:
    """What ``GET /events`` may filter on; every given field must match."""

    country: str | None = None
    place: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None

    def accepts(self, update: EventUpdate) -> bool:
        place = update.place
        names = {n.lower() for n in ([place.name, place.admin1 or "", *place.mentions] if place else [])}
        return (
            (self.country is None or (place is not None and (place.country or "").upper() == self.country.upper()))
            and (self.place is None or self.place.lower() in names)
            and (self.status is None or update.status == self.status)
            and (self.since is None or (update.incident_date is not None and update.incident_date >= self.since))
            and (self.until is None or (update.incident_date is not None and update.incident_date <= self.until))
        )


class EventView:
    """Latest revision and full history of the most recent events, and queues of live listeners."""

    def __init__(self, max_events: int = MAX_EVENTS) -> None:
        self.max_events = max_events
        self.history: OrderedDict[str, list[EventUpdate]] = OrderedDict()
        self.listeners: set[asyncio.Queue[EventUpdate]] = set()

    def add(self, update: EventUpdate) -> None:
        revisions = self.history.setdefault(update.event_id, [])
        # A revision re-published after a crash is identical: keep one copy.
        if any(r.revision == update.revision for r in revisions):
            return
        revisions.append(update)
        revisions.sort(key=lambda r: r.revision)
        self.history.move_to_end(update.event_id)
        while len(self.history) > self.max_events:
            self.history.popitem(last=False)
        for queue in list(self.listeners):
            if queue.full():
                self.listeners.discard(queue)  # a stalled client is dropped, not waited for
            else:
                queue.put_nowait(update)

    def latest(self, event_id: str) -> EventUpdate | None:
        revisions = self.history.get(event_id)
        return revisions[-1] if revisions else None

    def revisions(self, event_id: str) -> list[EventUpdate]:
        return list(self.history.get(event_id, []))

    def list(self, where: EventFilter, offset: int = 0, limit: int = 50) -> tuple[int, list[EventUpdate]]:
        """Matching events, newest incident first; returns the total count and one page."""
        matching = [r[-1] for r in self.history.values() if r and where.accepts(r[-1])]
        matching.sort(key=lambda u: (u.incident_date or date.min, u.event_id), reverse=True)
        return len(matching), matching[offset : offset + limit]

    def subscribe(self) -> "asyncio.Queue[EventUpdate]":
        queue: asyncio.Queue[EventUpdate] = asyncio.Queue(maxsize=LISTENER_QUEUE)
        self.listeners.add(queue)
        return queue

    def unsubscribe(self, queue: "asyncio.Queue[EventUpdate]") -> None:
        self.listeners.discard(queue)
