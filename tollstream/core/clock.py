"""Stream time: the one clock every stage reads, and how a claims partition's clock advances.

A report's time is its publication date. A report without one carries no time:
the moment it entered Kafka says when it was sent, not when its news happened,
and letting it move the clock would close open events months early. A date
later than the moment the report was received (beyond a small allowance for
time zones) is an error in the report; intake sets such a report aside.

A partition's clock advances to the newest dated claim it merged and never goes
back, with one exception: a claim dated more than a horizon after the newest of
the two before it moves the clock only to that one, until a second claim confirms
the jump. A single outlier, far in the future or far in the past, so closes no
event early; the partition's very first dated claim sets its clock alone.
"""

from datetime import UTC, date, datetime

DAY = 86400.0
RECENT = 3


def epoch(day: date) -> float:
    """Midnight UTC of a day, in epoch seconds."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def publication_time(published: date | datetime | None) -> float | None:
    """Epoch seconds of a publication date or time; naive times are UTC; None when undated."""
    if isinstance(published, datetime):
        moment = published if published.tzinfo else published.replace(tzinfo=UTC)
        return moment.timestamp()
    if isinstance(published, date):
        return epoch(published)
    return None


def is_future(published: date | datetime | None, received_at: float, allowance: float) -> bool:
    """A publication later than the report's arrival plus the allowance: a date no outlet could give."""
    moment = publication_time(published)
    return moment is not None and moment > received_at + allowance


def advance(recent: list[float], watermark: float, moment: float | None, jump: float) -> tuple[list[float], float]:
    """The partition's recent dated times and clock after one claim; an undated claim changes neither."""
    if moment is None:
        return recent, watermark
    recent = [*recent, moment][-RECENT:]
    if len(recent) == 1:
        return recent, max(watermark, moment)
    *_, second, newest = sorted(recent)
    return recent, max(watermark, newest if newest - second <= jump else second)
