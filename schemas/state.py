"""State kept in changelog-backed tables: internal topics, but a contract all the same."""

from datetime import date

from pydantic import Field

from schemas.base import Message
from schemas.claim import Place
from schemas.event import EventUpdate, Observation


class Fingerprint(Message):
    """What the dedupe stage remembers of one original article."""

    article_id: str
    digest: str = Field(description="SHA-1 of the normalised words: equal for exact copies.")
    signature: list[int] = Field(description="MinHash of word 3-gram shingles.")
    shingles: int = Field(ge=0, description="How many distinct shingles the text has.")
    source: str | None = None
    seen_at: float = Field(description="Stream time (epoch seconds) when the original arrived.")
    copies: list[str] = Field(default_factory=list, description="Outlets that republished it.")
    claims: list[str] = Field(
        default_factory=list, description="Claims met on this partition under this text: its own and its copies'."
    )


class EventState(Message):
    """One incident as the merge stage knows it: its facts and every observation."""

    event_id: str
    window: tuple[float, float] = Field(description="Incident-day window in the event table (epoch seconds).")
    closes_at: float = Field(description="Stream time at which the event is published as final.")
    revision: int = 0
    status: str = "open"
    anchor: date | None = None
    date_tolerance_days: int = 1
    first_published: date | None = Field(default=None, description="Publication day of the earliest report.")
    place: Place | None = None
    reported_places: list[Place] = Field(default_factory=list, description="Each report's place, for the agreed level.")
    names: list[str] = Field(default_factory=list, description="Distinctive names its reports give.")
    perpetrator: str | None = None
    responsibility_claimed: bool = False
    incident_type: str | None = None
    observations: dict[str, list[Observation]] = Field(default_factory=dict)
    articles: list[str] = Field(default_factory=list)
    claims: list[str] = Field(default_factory=list, description="Claim ids folded in: one per article.")
    copies: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    last: EventUpdate | None = Field(default=None, description="The last revision published.")


class OpenEvent(Message):
    """An entry of the partition index: where to find an event and when it closes."""

    event_id: str
    window: tuple[float, float]
    closes_at: float
    final: bool = False


class PartitionState(Message):
    """Per claims-partition state of the merge stage: stream time and the events it may still touch."""

    watermark: float = Field(
        0.0, description="Stream time: the newest dated claim, a lone jump of more than a horizon held back."
    )
    recent: list[float] = Field(default_factory=list, description="Publication times of the last three dated claims.")
    events: list[OpenEvent] = Field(default_factory=list)
