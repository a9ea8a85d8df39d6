"""Event resolution: does a claim describe an event we already know?

A claim joins an event when they agree on incident date (within a tolerance
that grows with how vague each date is), place (same, or one contains the
other), perpetrator and incident type where both are known. Among several
matching events the nearest in time wins, then the most specific place.
"""

from datetime import date

from schemas.claim import Claim, Place
from schemas.state import EventState
from tollstream.core import perpetrators, places

# Natural disasters are out of scope and never merge with violence.
_DISJOINT_TYPES = frozenset({"disaster"})


def incident_date(claim: Claim) -> tuple[date | None, int]:
    """The claim's incident date and tolerance; the publication date stands in when none was read."""
    if claim.incident_date is not None:
        return claim.incident_date, claim.date_tolerance_days
    if claim.published_at is not None:
        # Reports usually follow the incident by a day or two.
        return claim.published_at, 3
    return None, 0


def dates_agree(a: date | None, tol_a: int, b: date | None, tol_b: int) -> bool:
    if a is None or b is None:
        return True
    # Two days at least: reports often date an incident by the day of a statement,
    # and attacks that run overnight or over a weekend carry two dates.
    return abs((a - b).days) <= max(2, tol_a + tol_b)


def _types_agree(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    return (a in _DISJOINT_TYPES) == (b in _DISJOINT_TYPES)


def places_agree(a: Place | None, b: Place | None, same_group: bool) -> bool:
    """Same or nested places; or, for one named group's operation, one report's place among the other's sites.

    Coordinated attacks on many sites are told from different places: one report
    leads with Quetta, the next with Gwadar, and each names the other sites too.
    Without a named perpetrator on both sides, two towns stay two incidents.
    """
    if places.compatible(a, b):
        return True
    if not same_group or a is None or b is None or a.country != b.country:
        return False
    return a.name in b.mentions or b.name in a.mentions


def matches(claim: Claim, event: EventState) -> bool:
    day, tol = incident_date(claim)
    return (
        dates_agree(day, tol, event.anchor, event.date_tolerance_days)
        and perpetrators.related(claim.perpetrator, event.perpetrator)
        and places_agree(claim.place, event.place, same_group=bool(claim.perpetrator and event.perpetrator))
        and _types_agree(claim.incident_type, event.incident_type)
    )


def _place_depth(place: Place | None) -> int:
    """0 unknown, 1 country, 2 province, 3 anything inside a province."""
    if place is None:
        return 0
    if place.admin1 is None:
        return 1
    return 2 if place.name == place.admin1 else 3


def best_match(claim: Claim, candidates: list[EventState]) -> EventState | None:
    """The event the claim belongs to, or None when it describes a new incident."""
    day, _ = incident_date(claim)
    matching = [e for e in candidates if matches(claim, e)]
    if not matching:
        return None

    def rank(event: EventState) -> tuple[int, int, str]:
        distance = abs((day - event.anchor).days) if day and event.anchor else 0
        same_place = 0 if claim.place and event.place and claim.place.name == event.place.name else 1
        return (distance, same_place - _place_depth(event.place), event.event_id)

    return min(matching, key=rank)
