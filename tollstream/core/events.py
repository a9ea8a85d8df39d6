"""The merge stage: claims in, event revisions out.

Each claims partition has its own ``PartitionState`` (stream time and an index
of the events it may still touch) and its events live in a store keyed by
(event id, incident-day window). The worker backs the store with Faust tables;
replay backs it with dicts. Either way this module holds every rule.

Effectively exactly-once: an article's observations in an event are keyed by
the article, so applying the same claim again replaces them with themselves and
changes nothing; revisions are numbered by the event's own history, so a
revision repeated after a crash carries the same number and content.
"""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from schemas.claim import Claim, Figure, Place
from schemas.event import Change, EventUpdate, Observation, Toll
from schemas.state import EventState, OpenEvent, PartitionState
from tollstream.core import clock, incident_types
from tollstream.core.clock import DAY, epoch
from tollstream.core.event_index import DayIndex, Seal, key_of
from tollstream.core.geo import locate
from tollstream.core.resolve import agreed_place, best_match, country_of, dates_meet, incident_date, reach_days
from tollstream.core.tolls import derive_tolls


class EventStore(Protocol):
    """Where the merge stage keeps events and its partition state."""

    def get_event(self, event_id: str, window: tuple[float, float]) -> EventState | None: ...

    def put_event(self, state: EventState) -> None: ...

    def drop_event(self, event_id: str, window: tuple[float, float]) -> None: ...

    def get_partition(self, partition: int) -> PartitionState: ...

    def put_partition(self, partition: int, state: PartitionState) -> None: ...


class MemoryEventStore:
    """The merge stage's store as dicts: (event id, window) -> state, partition -> state."""

    def __init__(self) -> None:
        self.events: dict[tuple[str, tuple[float, float]], EventState] = {}
        self.partitions: dict[int, PartitionState] = {}

    def get_event(self, event_id: str, window: tuple[float, float]) -> EventState | None:
        return self.events.get((event_id, (window[0], window[1])))

    def put_event(self, state: EventState) -> None:
        self.events[(state.event_id, (state.window[0], state.window[1]))] = state

    def drop_event(self, event_id: str, window: tuple[float, float]) -> None:
        self.events.pop((event_id, (window[0], window[1])), None)

    def get_partition(self, partition: int) -> PartitionState:
        return self.partitions.get(partition) or PartitionState()

    def put_partition(self, partition: int, state: PartitionState) -> None:
        self.partitions[partition] = state


@dataclass(frozen=True)
class MergeResult:
    """What applying one claim did: the revisions to publish and counts for metrics."""

    updates: list[EventUpdate]
    opened: int = 0
    revised: int = 0
    finalised: int = 0
    late: int = 0
    too_late: bool = False  # the claim's incident is older than the table remembers
    repeat: bool = False  # the claim was already folded into an event: a re-delivery
    open_events: int = 0


def day_window(day: date | None, fallback: float) -> tuple[float, float]:
    """The tumbling one-day window of the event table that holds an incident of that day."""
    start = epoch(day) if day is not None else fallback - fallback % DAY
    return (start, start + DAY - 0.1)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:24] or "unknown"


def new_event_id(claim: Claim, day: date | None) -> str:
    where = _slug(claim.place.name) if claim.place else "unknown"
    when = day.isoformat() if day else "undated"
    return f"ev-{when}-{where}-{hashlib.sha1(claim.claim_id.encode()).hexdigest()[:6]}"


def title_of(state: EventState) -> str:
    what = (state.incident_type or "incident").capitalize()
    if state.place is None:
        return what
    where = state.place.name
    if state.place.admin1 and state.place.admin1 != state.place.name:
        where += f", {state.place.admin1}"
    return f"{what} in {where}"


def observation(claim: Claim, figure: Figure) -> Observation:
    return Observation(
        article_id=claim.article_id,
        source=claim.source,
        published_at=claim.published_at,
        low=figure.low,
        best=figure.best,
        high=figure.high,
        qualifier=figure.qualifier,
        attribution=figure.attribution,
        authority=figure.authority,
        partial=figure.partial,
        correction=figure.correction,
        standing=figure.standing,
        excludes_attackers=figure.excludes_attackers,
        quote=figure.span.text,
    )


class Merger:
    """Applies claims to the event table and decides what to publish."""

    def __init__(self, store: EventStore, horizon_days: float = 14.0, retention_days: float = 180.0) -> None:
        self.store = store
        self.horizon = horizon_days * DAY
        # Closed events stay known this long, so a trial or an anniversary report months later
        # revises its incident (late) instead of opening a stale one.
        self.retention = max(retention_days, horizon_days) * DAY
        self._indexes: dict[int, DayIndex] = {}

    def _index(self, partition: int, part: PartitionState) -> DayIndex:
        """The partition's day index, rebuilt from the tables unless it is in step with this state."""
        index = self._indexes.get(partition)
        if index is not None and index.seal == Seal.of(part):
            return index
        index = self._indexes[partition] = DayIndex(Seal.of(part))
        for entry in part.events:
            index.next_due = min(index.next_due, self._due(entry))
            index.open += not entry.final
            if (state := self.store.get_event(entry.event_id, entry.window)) is not None:
                index.place(state)
        return index

    def _due(self, entry: OpenEvent) -> float:
        """When an entry needs the closing pass: its horizon while open, the end of its retention once final."""
        return entry.closes_at + self.retention if entry.final else entry.closes_at

    def _put(self, index: DayIndex, state: EventState) -> None:
        self.store.put_event(state)
        index.place(state)

    def stream_time(self, partition: int) -> float:
        return self.store.get_partition(partition).watermark

    def apply(self, claim: Claim, partition: int) -> MergeResult:
        part = self.store.get_partition(partition)
        index = self._index(partition, part)
        moment = clock.publication_time(claim.published_at)
        recent, watermark = clock.advance(part.recent, part.watermark, moment, self.horizon)
        # An undated claim reads the partition's clock; only on an empty partition does its
        # arrival time place it (it opens an event of that day, it moves no clock).
        now = watermark or claim.produced_at or 0.0
        updates: list[EventUpdate] = []
        counts = {"opened": 0, "revised": 0, "late": 0, "too_late": 0, "repeat": 0}
        if claim.main:
            updates += self._merge(claim, part, index, now, counts)
        finals = self._close_due(part, index, now)
        part = part.model_copy(update={"watermark": watermark, "recent": recent})
        self.store.put_partition(partition, part)
        index.seal = Seal.of(part)
        return MergeResult(
            updates=updates + finals,
            opened=counts["opened"],
            revised=counts["revised"],
            finalised=len(finals),
            late=counts["late"],
            too_late=bool(counts["too_late"]),
            repeat=bool(counts["repeat"]),
            open_events=index.open,
        )

    def _states(self, keys: Iterable[tuple[str, tuple[float, float]]]) -> list[EventState]:
        found = (self.store.get_event(event_id, window) for event_id, window in keys)
        return [s for s in found if s is not None]

    def _candidates(self, claim: Claim, part: PartitionState, index: DayIndex) -> list[EventState]:
        """The events whose dates could be the claim's incident's: those within reach of its day, sieved by date."""
        reach = reach_days(claim, index.tolerance)
        day = claim.incident_date or claim.published_at
        if reach is None or day is None:
            keys: Iterable[tuple[str, tuple[float, float]]] = (key_of(e) for e in part.events)
        else:
            keys = index.near(day, reach, country_of(claim.place))
        return [e for e in self._states(keys) if dates_meet(claim, e)]

    def _merge(
        self, claim: Claim, part: PartitionState, index: DayIndex, now: float, counts: dict[str, int]
    ) -> list[EventUpdate]:
        held = index.holder(claim.claim_id, claim.article_id)
        holder = self.store.get_event(*held) if held is not None else None
        if holder is not None:
            # A re-delivered claim: folding it again gives the same event, so no revision.
            counts["repeat"] += 1
            fold = absorb_copy if claim.copy_of is not None else absorb
            return self._publish(fold(holder, claim), claim, index, now, counts)
        if claim.copy_of is not None:
            # A republished report adds an outlet to its original's event; it never opens one.
            # Copies are few: the first event in the partition's order that holds the original.
            holders = self._states(key_of(e) for e in part.events)
            holder = next((e for e in holders if claim.copy_of in e.articles), None)
            return self._publish(absorb_copy(holder, claim), claim, index, now, counts) if holder else []
        # Ties are broken by event id, so the candidates' order does not matter.
        state = best_match(claim, self._candidates(claim, part, index))
        if state is None:
            if not claim.figures and claim.incident_type is None:
                return []
            state = self._open(claim, now)
            if now >= state.closes_at + self.retention:
                # Its event, if it had one, is already forgotten: opening it again would
                # republish history (a re-sent old article) or invent a stale incident.
                counts["too_late"] += 1
                return []
            entry = OpenEvent(event_id=state.event_id, window=state.window, closes_at=state.closes_at)
            part.events.append(entry)
            index.open += 1
            index.next_due = min(index.next_due, self._due(entry))
            counts["opened"] += 1
        return self._publish(absorb(state, claim), claim, index, now, counts, late=state.status == "final")

    def _publish(
        self,
        state: EventState,
        claim: Claim,
        index: DayIndex,
        now: float,
        counts: dict[str, int],
        late: bool | None = None,
    ) -> list[EventUpdate]:
        """Store the event and publish a revision if an analyst would see a change."""
        late = state.status == "final" if late is None else late
        update = revise(state, claim.article_id, now, claim.produced_at, late=late)
        if update is None:
            self._put(index, state)
            return []
        state = state.model_copy(update={"revision": update.revision, "last": update})
        self._put(index, state)
        counts["revised"] += update.revision > 1
        counts["late"] += late
        return [update]

    def _open(self, claim: Claim, now: float) -> EventState:
        day, tolerance = incident_date(claim)
        # An incident without a date is placed on its report's day, not the partition's: a report
        # re-sent long after its event was forgotten must be refused, not open it again.
        published = clock.publication_time(claim.published_at)
        window = day_window(day, now if published is None else published)
        return EventState(
            event_id=new_event_id(claim, day),
            window=window,
            closes_at=window[1] + 0.1 + self.horizon,
            anchor=day,
            date_tolerance_days=tolerance,
        )

    def _close_due(self, part: PartitionState, index: DayIndex, now: float) -> list[EventUpdate]:
        """Publish events whose horizon has passed in stream time; forget them when their retention ends.

        Stream time moves by days, so the pass over the list runs about once a day, not per claim.
        """
        if now < index.next_due:
            return []
        finals: list[EventUpdate] = []
        keep: list[OpenEvent] = []
        for entry in part.events:
            if entry.final and now >= entry.closes_at + self.retention:
                self.store.drop_event(entry.event_id, entry.window)
                index.drop(key_of(entry))
                continue
            if not entry.final and now >= entry.closes_at:
                state = self.store.get_event(entry.event_id, entry.window)
                if state is not None:
                    finals.append(self._finalise(state, index, now))
                entry = entry.model_copy(update={"final": True})
                index.open -= 1
            keep.append(entry)
        part.events[:] = keep
        index.next_due = min((self._due(e) for e in keep), default=float("inf"))
        return finals

    def _finalise(self, state: EventState, index: DayIndex, now: float) -> EventUpdate:
        state = state.model_copy(update={"status": "final"})
        draft = snapshot(state, state.revision + 1, None, now, None, [], late=False)
        update = draft.model_copy(update={"changes": diff(state.last, draft, None, late=False)})
        self._put(index, state.model_copy(update={"revision": update.revision, "last": update}))
        return update


def absorb_copy(state: EventState, claim: Claim) -> EventState:
    """Record a copy of a contributing report: one more outlet, no new figures."""
    copies = state.copies if claim.article_id in state.copies else [*state.copies, claim.article_id]
    sources = state.sources
    if claim.source and claim.source not in sources:
        sources = [*sources, claim.source]
    return state.model_copy(update={"copies": copies, "sources": sources})


_MAX_PLACES = 24
_MAX_NAMES = 48


def absorb(state: EventState, claim: Claim) -> EventState:
    """Fold a claim into an event; the article's earlier observations are replaced, not added to."""
    observations = {
        category: [o for o in obs if o.article_id != claim.article_id] for category, obs in state.observations.items()
    }
    for figure in claim.figures:
        observations.setdefault(figure.category, []).append(observation(claim, figure))
    observations = {c: obs for c, obs in observations.items() if obs}
    articles = state.articles if claim.article_id in state.articles else [*state.articles, claim.article_id]
    claims = state.claims if claim.claim_id in state.claims else [*state.claims, claim.claim_id]
    sources = state.sources
    if claim.source and claim.source not in sources:
        sources = [*sources, claim.source]
    day, tolerance = incident_date(claim)
    anchor, date_tolerance = state.anchor, state.date_tolerance_days
    if day is not None and (anchor is None or tolerance < date_tolerance):
        anchor, date_tolerance = day, tolerance
    reported = state.reported_places
    if claim.place is not None and claim.article_id not in state.articles and len(reported) < _MAX_PLACES:
        reported = [*reported, claim.place.model_copy(update={"mentions": []})]
    first = min((d for d in (state.first_published, claim.published_at) if d is not None), default=None)
    names = list(dict.fromkeys([*state.names, *claim.names]))[:_MAX_NAMES]
    # A group's claim of responsibility outweighs a group a report merely named or blamed.
    perpetrator: str | None
    if claim.responsibility_claimed and claim.perpetrator and not state.responsibility_claimed:
        perpetrator, claimed = claim.perpetrator, True
    else:
        perpetrator, claimed = state.perpetrator or claim.perpetrator, state.responsibility_claimed
    return state.model_copy(
        update={
            "observations": observations,
            "articles": articles,
            "claims": claims,
            "sources": sources,
            "anchor": anchor,
            "date_tolerance_days": date_tolerance,
            "first_published": first,
            "reported_places": reported,
            "place": _place(reported, state.place, claim.place),
            "names": names,
            "perpetrator": perpetrator,
            "responsibility_claimed": claimed,
            "incident_type": incident_types.more_specific(state.incident_type, claim.incident_type),
        }
    )


def _place(reported: list[Place], current: Place | None, new: Place | None) -> Place | None:
    """The level the reports agree on, with every place they named among its mentions."""
    agreed = agreed_place(reported) or current or new
    if agreed is None:
        return None
    named = {n for p in (current, new) if p is not None for n in (p.name, *p.mentions)}
    mentions = sorted((named | set(agreed.mentions)) - {agreed.name})
    return agreed.model_copy(update={"mentions": mentions})


def _order(state: EventState) -> dict[str, int]:
    return {article: i for i, article in enumerate(state.articles)}


def snapshot(
    state: EventState,
    revision: int,
    caused_by: str | None,
    now: float,
    produced_at: float | None,
    changes: list[Change],
    late: bool,
) -> EventUpdate:
    return EventUpdate(
        event_id=state.event_id,
        revision=revision,
        status="final" if state.status == "final" else "open",
        title=title_of(state),
        incident_date=state.anchor,
        date_tolerance_days=state.date_tolerance_days,
        place=state.place,
        location=locate(state.place),
        perpetrator=state.perpetrator,
        responsibility_claimed=state.responsibility_claimed,
        incident_type=state.incident_type,
        tolls=derive_tolls(state.observations, _order(state)),
        articles=list(state.articles),
        copies=list(state.copies),
        sources=list(state.sources),
        caused_by=caused_by,
        changes=changes,
        late=late,
        stream_time=now,
        produced_at=produced_at,
    )


def revise(
    state: EventState, caused_by: str | None, now: float, produced_at: float | None, *, late: bool
) -> EventUpdate | None:
    """The next revision if something an analyst cares about changed, else None."""
    draft = snapshot(state, state.revision + 1, caused_by, now, produced_at, [], late)
    changes = diff(state.last, draft, caused_by, late)
    if not changes:
        return None
    return draft.model_copy(update={"changes": changes})


_FACTS = ("status", "incident_date", "place", "perpetrator", "responsibility_claimed", "incident_type")


def _toll_view(toll: Toll | None) -> dict[str, int | None] | None:
    return None if toll is None else {"low": toll.low, "best": toll.best, "high": toll.high}


def _plain(value: object) -> object:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_none=True)
    return value.isoformat() if isinstance(value, date) else value


def diff(before: EventUpdate | None, after: EventUpdate, caused_by: str | None, late: bool) -> list[Change]:
    """What changed between two revisions, in words an analyst reads."""
    why = f"report {caused_by}" if caused_by else "stream time passed the event's horizon"
    if late:
        why = f"late report {caused_by}, after the event closed"
    if before is None:
        return [Change(field="event", before=None, after=after.title, reason=f"opened by {why}")] + [
            Change(field=f"tolls.{c}", before=None, after=_toll_view(t), reason=t.basis)
            for c, t in sorted(after.tolls.items())
        ]
    changes = []
    for fact in _FACTS:
        old, new = getattr(before, fact), getattr(after, fact)
        if old != new:
            changes.append(Change(field=fact, before=_plain(old), after=_plain(new), reason=why))
    for category in sorted(set(before.tolls) | set(after.tolls)):
        old, new = _toll_view(before.tolls.get(category)), _toll_view(after.tolls.get(category))
        if old != new:
            basis = after.tolls[category].basis if category in after.tolls else why
            changes.append(Change(field=f"tolls.{category}", before=old, after=new, reason=basis))
    # A new independent report is news to a monitor even when it changes no figure ("4 reports, 6 outlets").
    for field in ("articles", "copies"):
        old_list, new_list = getattr(before, field), getattr(after, field)
        if any(a not in old_list for a in new_list):
            changes.append(Change(field=field, before=len(old_list), after=len(new_list), reason=why))
    return changes
