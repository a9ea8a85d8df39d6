"""Raw articles: what users produce to the input topic."""

from datetime import date, datetime

from pydantic import ConfigDict, Field

from schemas.base import Message


class Article(Message):
    """One news report. Only ``text`` is required.

    A message whose value is not JSON is taken as the text of an article, so
    ``kcat -P`` of a plain text file works. Without ``id`` the article is named
    by a hash of its text, so producing the same text twice names it twice alike.
    """

    # Producers may send more metadata than we read; keep the contract open for them.
    model_config = ConfigDict(extra="ignore")

    text: str = Field(min_length=1, description="Body of the report; headline lines may be included.")
    id: str | None = Field(default=None, description="Producer's id; derived from the text when absent.")
    url: str | None = None
    source: str | None = Field(default=None, description="Outlet, e.g. 'Reuters' or a host name.")
    published_at: date | datetime | None = Field(
        default=None, description="Publication date or time (ISO 8601); relative dates are resolved against it."
    )
    title: str | None = None
    lang: str | None = Field(default=None, description="ISO 639-1 language code; English is assumed.")
    duplicate_of: str | None = Field(
        default=None,
        description="Set by the dedupe stage on the reports topic: this article republishes that one.",
    )
    produced_at: float | None = Field(
        default=None,
        description="Epoch seconds when the article entered the input topic (the Kafka timestamp), for latency.",
    )
