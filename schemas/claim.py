"""Parsed claims: what one article says about one incident."""

from datetime import date
from typing import Literal

from pydantic import Field

from schemas.base import Message

Kind = Literal["killed", "injured", "abducted", "missing"]
Group = Literal["civilians", "security", "militants", "total"]
Qualifier = Literal["exact", "at_least", "more_than", "about", "up_to", "range"]
Authority = Literal["official", "perpetrator", "medical", "media", "unknown"]
# How firm a figure is: the report's current count, an earlier count it recalls ("rose from 55"),
# a fear or possibility ("are feared dead"), or a count from no official or confirmed source.
Standing = Literal["current", "earlier", "feared", "unofficial"]


class Span(Message):
    """Where a figure came from: character offsets into the cleaned article text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Figure(Message):
    """One casualty figure: a count of one kind of harm to one group."""

    kind: Kind
    group: Group
    value: int | None = Field(default=None, ge=0, description="The number as written: 'more than 60' -> 60.")
    low: int = Field(ge=0, description="Smallest count the wording allows ('more than 60' -> 61).")
    best: int = Field(ge=0, description="The count to publish.")
    high: int | None = Field(default=None, ge=0, description="Largest count the wording allows; null if open.")
    qualifier: Qualifier = "exact"
    attribution: str | None = Field(default=None, description="Who gave the figure: 'police', 'chief minister'.")
    authority: Authority = "unknown"
    partial: bool = Field(default=False, description="A sub-count (one site, one day) that must not add to the whole.")
    implicit: bool = Field(
        default=False, description="One victim named by a singular noun ('a policeman was killed'), not a number."
    )
    standing: Standing = Field(
        default="current",
        description="current; or earlier, feared, unofficial (those drive a toll only without a current one).",
    )
    excludes_attackers: bool = Field(
        default=False, description="A total stated without the attackers ('not including the two gunmen')."
    )
    correction: bool = Field(
        default=False, description="Stated as a correction of earlier figures ('only 137', 'clarified', 'revised')."
    )
    span: Span

    @property
    def category(self) -> str:
        return f"{self.kind}_{self.group}"


class Place(Message):
    """Where an incident happened, resolved against the gazetteer."""

    name: str = Field(description="Canonical spelling, e.g. 'Duki'.")
    admin1: str | None = Field(default=None, description="Province or state, e.g. 'Balochistan'.")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 code.")
    mentions: list[str] = Field(default_factory=list, description="Other places named for the same incident.")


class TextPrint(Message):
    """The article's text as the copy check compares it, computed once where the article is read.

    Claims carry it because the copy check runs where claims meet: the merge stage
    of the claims partition, which never sees the text itself.
    """

    digest: str = Field(description="SHA-1 of the normalised words: equal for exact copies.")
    signature: list[int] = Field(description="MinHash of word 3-gram shingles.")
    shingles: int = Field(ge=0, description="How many distinct shingles the text has.")


class Claim(Message):
    """What one article says about one incident: its facts and its figures."""

    claim_id: str = Field(description="'{article_id}#{n}': stable, so a re-delivered article yields the same claims.")
    article_id: str
    source: str | None = None
    published_at: date | None = None
    produced_at: float | None = None
    incident_date: date | None = Field(default=None, description="Best estimate of when the incident happened.")
    date_tolerance_days: int = Field(
        default=1,
        ge=0,
        description="How vague the date is, in days either side: 'on Friday' 0, 'in August' 15 (its middle day).",
    )
    place: Place | None = None
    perpetrator: str | None = Field(default=None, description="Canonical group name, e.g. 'Baloch Liberation Army'.")
    responsibility_claimed: bool = False
    incident_type: str | None = Field(default=None, description="attack, bombing, shooting, ambush, kidnapping, ...")
    background: bool = Field(default=False, description="About an older or other incident mentioned in passing.")
    names: list[str] = Field(
        default_factory=list,
        description="Distinctive names the report gives (a victim's, a street's), lower-cased: they tie follow-ups.",
    )
    copy_of: str | None = Field(
        default=None, description="The article this one republishes: it adds an outlet to the event, not figures."
    )
    figures: list[Figure] = Field(default_factory=list)
    text_print: TextPrint | None = Field(
        default=None, description="The article's text print, for the copy check; absent, no copy check is made."
    )

    @property
    def main(self) -> bool:
        return not self.background
