"""Event resolution: which known event, if any, does a claim describe?

Each candidate event is weighed against the claim on what they share, and the
claim joins the best-scoring event that shares enough; a claim that shares
nothing (no date, no place, no name) never joins anything. Evidence, in the
weights of ``tollstream/data/resolution.toml``:

- **date**: both dated and within the sum of their tolerances (plus a day: reports
  date overnight attacks by either day); an undated report is about an incident
  on or before its publication, within ``undated_days``: one-sided;
- **place**: the same place, one inside the other (Duki in Balochistan), or two
  places inside one parent (sibling towns of one district, neighbourhoods of one
  city) for the same incident told from two sites; a place apart rules the event
  out, unless one named group's multi-site operation names both;
- **names**: distinctive names both reports give (a victim's, a street's, a
  school's) tie a follow-up to its incident;
- **figures**: the same count of the same people (at least a few: "1 killed" tells little)
  adds a little;
- **perpetrator** and **incident type**: agreement adds a little; only two
  different groups each *claiming* the attack rule the event out; a group blamed
  by one outlet and claimed in another is no conflict.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from schemas.claim import Claim, Place
from schemas.state import EventState
from tollstream.core import perpetrators, places
from tollstream.core.rules import load_rules

_RULES = load_rules("resolution")
_W = _RULES["weights"]
UNDATED_DAYS: int = _RULES["undated_days"]
_THRESHOLD: float = _RULES["threshold"]
_DATE_SLACK: int = _RULES["date_slack_days"]
_MAX_NAMES: int = _RULES["max_shared_names"]
_GENERIC_TYPES = frozenset(_RULES["generic_types"])
_DISTINCTIVE_COUNT: int = _RULES["distinctive_count"]
_FAR_DAYS: int = _RULES["far_days"]


@dataclass(frozen=True, slots=True)
class DateSpan:
    """When an incident may have happened: a day with a tolerance, or a one-sided window before a publication."""

    day: date | None
    tolerance: int
    before: date | None = None  # undated: on or before this day, by at most UNDATED_DAYS

    @property
    def known(self) -> bool:
        return self.day is not None


def date_span(claim: Claim) -> DateSpan:
    """The claim's incident date; undated claims are about an incident on or before publication."""
    if claim.incident_date is not None:
        return DateSpan(claim.incident_date, claim.date_tolerance_days)
    return DateSpan(None, 0, claim.published_at)


def incident_date(claim: Claim) -> tuple[date | None, int]:
    """The claim's stated incident date and tolerance, (None, 0) when it states none."""
    return claim.incident_date, claim.date_tolerance_days if claim.incident_date else 0


def _date_evidence(claim: DateSpan, event: EventState) -> float | None:
    """Weight of the dates' agreement; None when they rule each other out."""
    if claim.day is not None and event.anchor is not None:
        gap = abs((claim.day - event.anchor).days)
        if gap > claim.tolerance + event.date_tolerance_days + _DATE_SLACK:
            # A follow-up may date the incident by a later day (a victim's death, a funeral):
            # within ``far_days`` the dates weigh against, and only strong evidence joins them.
            return float(_W["far_day"]) if gap <= _FAR_DAYS else None
        return float(
            _W["same_day"] if gap <= max(1, min(claim.tolerance, event.date_tolerance_days)) else _W["near_day"]
        )
    # One side undated: the dated side must fall in the undated side's window before publication.
    day = claim.day or event.anchor
    before = claim.before if claim.day is None else event.first_published
    if day is None or before is None:
        return (
            float(_W["no_date"]) if claim.day is None and event.anchor is None and _windows_meet(claim, event) else None
        )
    tolerance = claim.tolerance if claim.day is not None else event.date_tolerance_days
    if day - timedelta(days=tolerance) > before + timedelta(days=1):
        return None
    if day + timedelta(days=tolerance) < before - timedelta(days=UNDATED_DAYS):
        return None
    return float(_W["undated"])


def _windows_meet(claim: DateSpan, event: EventState) -> bool:
    """Two undated sides: their publication windows overlap."""
    if claim.before is None or event.first_published is None:
        return False
    return abs((claim.before - event.first_published).days) <= UNDATED_DAYS


def _place_evidence(claim: Claim, event: EventState) -> float | None:
    a, b = claim.place, event.place
    if a is None or b is None:
        return float(_W["no_place"])
    relation = places.relation(a, b)
    # One incident told from two places that each report names (a convoy ambushed "between Djibo and
    # Arbinda", a group's attack on many sites): the places are siblings of one incident.
    named = a.country == b.country and (a.name in b.mentions or b.name in a.mentions)
    if relation in ("apart", "region") and named:
        return float(_W["named_site"])
    if relation == "apart":
        return None
    return float(_W[relation])


def _perpetrator_evidence(claim: Claim, event: EventState) -> float | None:
    if not claim.perpetrator or not event.perpetrator:
        return 0.0
    if perpetrators.related(claim.perpetrator, event.perpetrator):
        return float(_W["same_perpetrator"])
    if claim.responsibility_claimed and event.responsibility_claimed:
        return None  # two groups each claiming the attack: two attacks
    return 0.0


def _type_evidence(claim: Claim, event: EventState) -> float:
    a, b = claim.incident_type, event.incident_type
    if a and b and a == b and a not in _GENERIC_TYPES:
        return float(_W["same_type"])
    return 0.0


def _figure_evidence(claim: Claim, event: EventState) -> float:
    """Reports giving the same distinctive count ("14 soldiers") of the same day likely tell one incident."""
    tolls = event.last.tolls if event.last else {}
    same = any(
        f.category in tolls and tolls[f.category].best == f.best >= _DISTINCTIVE_COUNT
        for f in claim.figures
        if not f.partial and f.standing == "current"
    )
    return float(_W["same_count"]) if same else 0.0


def _name_evidence(claim: Claim, event: EventState) -> float:
    shared = len(set(claim.names) & set(event.names))
    return float(_W["shared_name"]) * min(shared, _MAX_NAMES)


def score(claim: Claim, event: EventState) -> float | None:
    """How strongly the claim and the event describe one incident; None when something rules it out.

    An article tells each of its incidents once: a second incident it reports never joins
    the event its first one is in (a re-delivered claim is the same claim, and joins again).
    """
    if claim.article_id in event.articles and claim.claim_id not in event.claims:
        return None
    parts = (
        _date_evidence(date_span(claim), event),
        _place_evidence(claim, event),
        _perpetrator_evidence(claim, event),
    )
    if any(part is None for part in parts):
        return None
    soft = _type_evidence(claim, event) + _name_evidence(claim, event) + _figure_evidence(claim, event)
    return sum(p for p in parts if p is not None) + soft


def dates_meet(claim: Claim, event: EventState) -> bool:
    """Whether their dates leave the claim and the event possibly one incident.

    A cheap sieve for the merge stage's candidates: ``score`` rules out exactly these
    pairs too, but only after weighing places, its costliest part.
    """
    return _date_evidence(date_span(claim), event) is not None


def reach_days(claim: Claim, event_tolerance: int) -> int | None:
    """How far apart, at most, the claim's day and the day of an event it could match may be, in days.

    The claim's day is its incident date, else its publication; an event's is its anchor,
    else its first publication; ``event_tolerance`` bounds the events' tolerances. The merge
    stage reads only the events within this reach (plus undated ones), so every date rule in
    ``_date_evidence`` must keep ``dates_meet`` inside it. None: the claim has no day to go by.
    """
    if (claim.incident_date or claim.published_at) is None:
        return None
    return claim.date_tolerance_days + event_tolerance + max(_DATE_SLACK, UNDATED_DAYS) + 1


def country_of(place: Place | None) -> str | None:
    """The country a place binds its reports to: a claim and an event placed in two countries are
    apart (``_place_evidence``), so the merge stage reads only events of the claim's country or of none.
    None: no place or no country, which rules nothing out."""
    return place.country if place is not None and place.country else None


def matches(claim: Claim, event: EventState) -> bool:
    found = score(claim, event)
    return found is not None and found >= _THRESHOLD


def best_match(claim: Claim, candidates: list[EventState]) -> EventState | None:
    """The event the claim belongs to, or None when it describes a new incident.

    The best score wins; ties go to the nearest date, then the earliest event id.
    """
    scored = [(s, e) for e in candidates if (s := score(claim, e)) is not None and s >= _THRESHOLD]
    if not scored:
        return None
    day = claim.incident_date or claim.published_at

    def rank(item: tuple[float, EventState]) -> tuple[float, int, str]:
        value, event = item
        distance = abs((day - event.anchor).days) if day and event.anchor else 0
        return (-value, distance, event.event_id)

    return min(scored, key=rank)[1]


def agreed_place(reported: list[Place]) -> Place | None:
    """The most specific place every report agrees with: the deepest one all others contain or lie in.

    Reports of Duki and of Balochistan agree on Duki; reports of two towns of one
    district agree on the district; an event keeps the level its reports share.
    """
    known = [p for p in reported if p is not None]
    if not known:
        return None
    candidates = {p.name: p for p in known}
    for p in known:
        for parent in places.lineage(p):
            candidates.setdefault(parent.name, parent)
    fitting = [c for c in candidates.values() if all(places.relation(c, p) in ("same", "nested") for p in known)]
    if not fitting:
        return known[0]
    deepest = max(fitting, key=lambda c: (places.depth(c), -list(candidates).index(c.name)))
    mentions = sorted({n for p in known for n in (p.name, *p.mentions)} - {deepest.name})
    return deepest.model_copy(update={"mentions": mentions})
