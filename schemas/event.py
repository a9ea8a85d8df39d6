"""Event updates: one revision of one incident's facts and tolls."""

from datetime import date
from typing import Any, Literal

from pydantic import Field

from schemas.base import Message
from schemas.claim import Authority, Place, Qualifier, Standing
from schemas.location import Location


class Observation(Message):
    """One figure one article gave for one category of an event."""

    article_id: str
    source: str | None = None
    published_at: date | None = None
    low: int
    best: int
    high: int | None = None
    qualifier: Qualifier
    attribution: str | None = None
    authority: Authority = "unknown"
    partial: bool = False
    correction: bool = False
    standing: Standing = "current"
    excludes_attackers: bool = False
    quote: str


class Toll(Message):
    """The current count of one category ('killed_civilians') with its uncertainty and sources."""

    low: int
    best: int
    high: int | None = None
    basis: str = Field(description="Which rule gave the best value, in words.")
    observations: list[Observation] = Field(default_factory=list)
    perpetrator_claim: int | None = Field(default=None, description="The perpetrator's own figure, kept apart.")


class Change(Message):
    """One thing that changed in a revision, from what to what, and why."""

    field: str = Field(description="'tolls.killed_total', 'place', 'status', 'articles' ...")
    before: Any = None
    after: Any = None
    reason: str


class EventUpdate(Message):
    """One revision of an event, published each time something an analyst cares about changes."""

    event_id: str
    revision: int = Field(ge=1, description="1, 2, 3 ... in order; a repeated revision is identical.")
    status: Literal["open", "final"] = "open"
    title: str
    incident_date: date | None = None
    date_tolerance_days: int = 1
    place: Place | None = None
    location: Location | None = Field(default=None, description="The place's coordinates and their precision.")
    perpetrator: str | None = None
    responsibility_claimed: bool = False
    incident_type: str | None = None
    tolls: dict[str, Toll] = Field(
        default_factory=dict, description="Keyed by category: killed_total, injured_total ..."
    )
    articles: list[str] = Field(
        default_factory=list, description="Independent reports (article ids), in arrival order."
    )
    copies: list[str] = Field(default_factory=list, description="Articles that republished one of those reports.")
    sources: list[str] = Field(default_factory=list, description="Outlets that reported it, copies included.")
    caused_by: str | None = Field(default=None, description="Article whose arrival made this revision.")
    changes: list[Change] = Field(default_factory=list)
    late: bool = Field(default=False, description="Revision made by a report that arrived after the event closed.")
    stream_time: float | None = Field(default=None, description="Epoch seconds of the stream when revised.")
    produced_at: float | None = Field(default=None, description="When the causing article entered the input topic.")
