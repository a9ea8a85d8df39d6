"""The subscriber view behind the HTTP API: latest state, history, filters, live listeners."""

from datetime import date

import pytest

from schemas.claim import Place
from schemas.event import EventUpdate
from tollstream.view import EventFilter, EventView, FellBehind, QueryError, event_filter, page, parameters


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
    listener = view.subscribe()
    view.add(update("e1", 1, date(2024, 10, 11)))
    assert [r.event_id for r in listener.pending] == ["e1"]
    view.unsubscribe(listener)
    view.add(update("e1", 2, date(2024, 10, 11)))
    assert len(listener.pending) == 1


async def test_a_listener_that_falls_behind_is_told_instead_of_silently_starved() -> None:
    """A client more revisions behind than its backlog learns it, so it can resync; it is never left hanging."""
    view = EventView()
    listener = view.subscribe(backlog=3)
    for revision in range(1, 6):
        view.add(update("e1", revision, date(2024, 10, 11)))
    with pytest.raises(FellBehind):
        await listener.next(timeout=1)


async def test_a_listener_waits_for_the_next_revision_and_times_out_quietly() -> None:
    """Without news the stream sends keep-alives: ``next`` gives None after its timeout."""
    view = EventView()
    listener = view.subscribe()
    assert await listener.next(timeout=0.01) is None
    view.add(update("e1", 1, date(2024, 10, 11)))
    assert (await listener.next(timeout=1)).event_id == "e1"


def test_oldest_events_are_forgotten_beyond_the_bound() -> None:
    view = EventView(max_events=2)
    for i in range(3):
        view.add(update(f"e{i}", 1, date(2024, 1, 1 + i)))
    assert view.latest("e0") is None and view.latest("e2") is not None


def test_an_event_over_its_revision_bound_keeps_its_first_and_latest_revisions() -> None:
    """History is bounded per event; the opening revision stays, so a chart still starts where the event did."""
    view = EventView(max_revisions=3)
    for revision in range(1, 6):
        view.add(update("e1", revision, date(2024, 1, 1)))
    assert [r.revision for r in view.revisions("e1")] == [1, 4, 5]
    assert view.forgotten("e1") == 2


def test_the_view_stays_within_its_byte_budget_whatever_is_written_to_the_topic() -> None:
    """Anyone who can write the event topic decides what the view is fed: memory must not follow them."""
    view = EventView(max_bytes=50_000)
    for i in range(2_000):
        view.add(update(f"e{i}", 1, date(2024, 1, 1)))
    assert view.size <= 50_000
    assert sum(len(r.body) for e in view.events for r in view.history(e)) == view.size
    assert view.latest("e1999") is not None and view.latest("e0") is None


def test_text_filter_matches_title_place_and_perpetrator_words() -> None:
    view = EventView()
    view.add(update("pk", 1, date(2024, 10, 11)))
    view.add(update("ng", 1, date(2022, 6, 5), country="NG", name="Owo", admin1="Ondo"))
    assert [u.event_id for u in view.list(EventFilter(text="OWO"))[1]] == ["ng"]


def test_query_parameters_become_a_filter_and_a_page() -> None:
    query = parameters([("country", "pk"), ("since", "2024-01-01"), ("limit", "10")], ("country", "since", "limit"))
    assert event_filter(query) == EventFilter(country="pk", since=date(2024, 1, 1))
    assert page(query) == (0, 10)


@pytest.mark.parametrize(
    ("pairs", "field"),
    [
        ([("since", "2024-13-01")], "since"),
        ([("since", "yesterday")], "since"),
        ([("country", "Pakistan")], "country"),
        ([("status", "closed")], "status"),
        ([("limit", "0")], "limit"),
        ([("limit", "100000")], "limit"),
        ([("offset", "-1")], "offset"),
        ([("offset", "1e3")], "offset"),
        ([("q", "x" * 201)], "q"),
    ],
)
def test_a_bad_parameter_is_refused_with_a_reason_in_words(pairs: list[tuple[str, str]], field: str) -> None:
    """Errors name the parameter and the rule; they never carry a Python exception's text or the input back."""
    with pytest.raises(QueryError) as refused:
        query = parameters(pairs, ("country", "status", "since", "q", "offset", "limit"))
        event_filter(query)
        page(query)
    assert set(refused.value.problems) == {field}
    reason = refused.value.problems[field]
    assert "Invalid" not in reason and "isoformat" not in reason and repr(pairs[0][1]) not in reason


def test_unknown_and_repeated_parameters_are_refused() -> None:
    """A misspelt filter must not silently return everything."""
    with pytest.raises(QueryError) as refused:
        parameters([("contry", "PK"), ("status", "open"), ("status", "final")], ("country", "status"))
    assert set(refused.value.problems) == {"contry", "status"}
