"""Stream time that bad dates cannot poison, read through the whole topology (replay)."""

from datetime import date

import orjson

from schemas.event import EventUpdate
from tollstream.core.clock import advance, is_future
from tollstream.datasets import EXAMPLES
from tollstream.replay import replay

DAY = 86400.0
UNDATED_ELSEWHERE = orjson.dumps(
    {
        "id": "undated-1",
        "text": "Gunmen killed four farm workers in Kurram district of Khyber Pakhtunkhwa, police said.",
    }
)


def comparable(finals: dict[str, EventUpdate]) -> dict:
    return {k: v.model_dump(mode="json") for k, v in finals.items()}


def far_future_copy(line: bytes) -> bytes:
    article = orjson.loads(line)
    return orjson.dumps({**article, "id": "future-1", "published_at": "2999-01-01"})


def test_a_report_dated_2999_and_an_undated_one_change_no_event() -> None:
    """One bad date must not make the worker drop or close anything: both leave every event as it was."""
    lines = [line for line in EXAMPLES.read_bytes().splitlines() if line.strip()]
    alone = replay(lines)
    mixed = replay([*lines[:3], far_future_copy(lines[0]), UNDATED_ELSEWHERE, *lines[3:]])
    finals = mixed.final_events()
    undated = {eid for eid, u in finals.items() if "undated-1" in u.articles}
    assert len(undated) == 1
    assert comparable({k: v for k, v in finals.items() if k not in undated}) == comparable(alone.final_events())
    assert [(d.stage, d.reason) for d in mixed.dead_letters] == [("intake", "future_date")]


def test_a_date_within_a_day_of_arrival_is_a_time_zone_not_an_error() -> None:
    """A report published 'tomorrow' in a time zone ahead of UTC is still on time."""
    assert not is_future(date(2026, 3, 2), received_at=1772409600.0 - 3600, allowance=DAY)
    assert is_future(date(2026, 3, 4), received_at=1772409600.0, allowance=DAY)


def test_one_outlier_moves_the_clock_only_once_confirmed() -> None:
    """A lone jump beyond a horizon waits for a second report before it closes anything."""
    recent, clock = advance([], 0.0, 100 * DAY, jump=14 * DAY)
    recent, clock = advance(recent, clock, 500 * DAY, jump=14 * DAY)
    assert clock == 100 * DAY
    recent, clock = advance(recent, clock, 501 * DAY, jump=14 * DAY)
    assert clock == 501 * DAY
