"""The merge stage's in-memory index of one claims partition's events: by day, and by when they fall due.

The partition state lists every event the partition still remembers, open or
closed: months of them on a busy stream. Scanning that list for every claim
costs a table read and a date check per event, so the merger keeps this index
beside it. Events are bucketed by their country and by the day that places them
in time (their anchor, else their first publication), so a claim reads only the
events of its country (or of none) within reach of its own date
(``resolve.reach_days``, ``resolve.country_of``); the index also counts the open
events and knows the earliest stream time at which one falls due.

The index is memory only: it is rebuilt from the partition state and the event
table whenever the state is not the one it last saw (a restart, or a partition
that another worker changed in between), so it never holds anything the tables
do not.
"""

from dataclasses import dataclass
from datetime import date

from schemas.state import EventState, OpenEvent, PartitionState
from tollstream.core.resolve import country_of

Key = tuple[str, tuple[float, float]]
_COPY = "copy:"  # prefix of a copy's article id among an event's members, apart from claim ids


def key_of(entry: OpenEvent | EventState) -> Key:
    return (entry.event_id, (entry.window[0], entry.window[1]))


@dataclass(frozen=True)
class Seal:
    """What identifies the partition state the index was last in step with."""

    watermark: float
    entries: int
    last: Key | None

    @classmethod
    def of(cls, part: PartitionState) -> "Seal":
        return cls(part.watermark, len(part.events), key_of(part.events[-1]) if part.events else None)


class DayIndex:
    """Events of one partition by day, the widest date tolerance among them, the open count and the next due time."""

    def __init__(self, seal: Seal) -> None:
        self.seal = seal
        # Day ordinal -> country ("" for none) -> events; events with no day, by country.
        self._days: dict[int, dict[str, set[Key]]] = {}
        self._undated: dict[str, set[Key]] = {}
        self._slot: dict[Key, tuple[int | None, str]] = {}
        # Claim ids and copies' article ids -> the event that folded them in, to tell a re-delivery.
        self._holders: dict[str, Key] = {}
        self._members: dict[Key, set[str]] = {}
        self.tolerance = 0  # never lowered: a bound, not an exact maximum
        self.open = 0
        self.next_due = float("inf")

    def place(self, state: EventState) -> None:
        """Put the event in the bucket of its current day and country (an absorbed report may have moved it)."""
        key = key_of(state)
        members = {*state.claims, *(_COPY + article for article in state.copies)}
        if members != self._members.get(key):
            self._members[key] = members
            self._holders.update(dict.fromkeys(members, key))
        day = state.anchor or state.first_published
        slot = (day.toordinal() if day is not None else None, country_of(state.place) or "")
        self.tolerance = max(self.tolerance, state.date_tolerance_days)
        if self._slot.get(key) == slot:
            return
        self.forget(key)
        self._slot[key] = slot
        ordinal, country = slot
        countries = self._days.setdefault(ordinal, {}) if ordinal is not None else self._undated
        countries.setdefault(country, set()).add(key)

    def holder(self, claim_id: str, article_id: str) -> Key | None:
        """The event that already folded in this claim, or this copy: a re-delivered message's."""
        return self._holders.get(claim_id) or self._holders.get(_COPY + article_id)

    def drop(self, key: Key) -> None:
        """Forget an event for good: its place in time and what it folded in."""
        self.forget(key)
        for member in self._members.pop(key, set()):
            if self._holders.get(member) == key:
                del self._holders[member]

    def forget(self, key: Key) -> None:
        slot = self._slot.pop(key, None)
        if slot is None:
            return
        ordinal, country = slot
        countries = self._days[ordinal] if ordinal is not None else self._undated
        countries[country].discard(key)
        if not countries[country]:
            del countries[country]
            if ordinal is not None and not countries:
                del self._days[ordinal]

    def near(self, day: date, reach: int, country: str | None) -> list[Key]:
        """Events within ``reach`` days of ``day`` or with no day, of ``country`` or of none, in key order.

        ``country`` None: a claim that names no country may match events of any.
        """
        centre = day.toordinal()
        if 2 * reach + 1 <= len(self._days):
            days = [by for d in range(centre - reach, centre + reach + 1) if (by := self._days.get(d))]
        else:
            days = [by for d, by in self._days.items() if abs(d - centre) <= reach]
        found: set[Key] = set()
        for countries in (*days, self._undated):
            if country is None:
                for keys in countries.values():
                    found |= keys
            else:
                found |= countries.get(country, set()) | countries.get("", set())
        return sorted(found)
