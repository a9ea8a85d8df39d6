"""The subscriber view behind the HTTP API: latest state, history, filters, live listeners."""

from datetime import date

from schemas.claim import Place
from schemas.event import EventUpdate
from tollstream.view import EventFilter, EventView


def update(
    event_id: str,
    revision: int,
    day: date,
    country: str = "PK",
    name: str = "Duki",
    admin1: str = "Balochistan",
    status: str = "open",
) -> EventUpdate:
    return EventUpdate(
        event_id=event_id,
        revision=revision,
        title="Attack",
        incident_date=day,
        status=status,
        place=Place(name=name, admin1=admin1, country=country),
    )


def test_latest_is_the_highest_revision_and_history_keeps_all() -> None:
    view = EventView()
    view.add(update("e1", 1, date(2024, 10, 11)))
    view.add(update("e1", 2, date(2024, 10, 11)))
    assert view.latest("e1").revision == 2
    assert [r.revision for r in view.revisions("e1")] == [1, 2]


def test_a_revision_published_twice_is_kept_once() -> None:
    view = EventView()
    view.add(update("e1", 1, date(2024, 10, 11)))
    view.add(update("e1", 1, date(2024, 10, 11)))
    assert len(view.revisions("e1")) == 1


def test_list_is_newest_incident_first_and_paginated() -> None:
    view = EventView()
    for i, day in enumerate([date(2024, 8, 26), date(2026, 1, 31), date(2024, 10, 11)]):
        view.add(update(f"e{i}", 1, day))
    total, page = view.list(EventFilter(), offset=0, limit=2)
    assert total == 3 and [u.event_id for u in page] == ["e1", "e2"]
    assert [u.event_id for u in view.list(EventFilter(), offset=2, limit=2)[1]] == ["e0"]


def test_filters_by_country_place_status_and_dates() -> None:
    view = EventView()
    view.add(update("pk", 1, date(2024, 10, 11)))
    view.add(update("ng", 1, date(2022, 6, 5), country="NG", name="Owo", admin1="Ondo", status="final"))
    assert [u.event_id for u in view.list(EventFilter(country="ng"))[1]] == ["ng"]
    assert [u.event_id for u in view.list(EventFilter(place="balochistan"))[1]] == ["pk"]
    assert [u.event_id for u in view.list(EventFilter(status="final"))[1]] == ["ng"]
    assert [u.event_id for u in view.list(EventFilter(since=date(2023, 1, 1)))[1]] == ["pk"]
    assert [u.event_id for u in view.list(EventFilter(until=date(2023, 1, 1)))[1]] == ["ng"]


def test_listeners_receive_each_new_revision() -> None:
    view = EventView()
    queue = view.subscribe()
    view.add(update("e1", 1, date(2024, 10, 11)))
    assert queue.get_nowait().event_id == "e1"
    view.unsubscribe(queue)
    view.add(update("e1", 2, date(2024, 10, 11)))
    assert queue.empty()


def test_oldest_events_are_forgotten_beyond_the_bound() -> None:
    view = EventView(max_events=2)
    for i in range(3):
        view.add(update(f"e{i}", 1, date(2024, 1, 1 + i)))
    assert view.latest("e0") is None and view.latest("e2") is not None
