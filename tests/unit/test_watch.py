"""The terminal view: one revision as an analyst reads it."""

from schemas.event import Change, EventUpdate, Toll
from schemas.location import Location
from tollstream.watch import render


def revision() -> EventUpdate:
    return EventUpdate(
        event_id="ev-1",
        revision=2,
        title="Attack in Quetta",
        caused_by="r2",
        tolls={
            "killed_militants": Toll(low=145, best=145, high=145, basis="latest"),
            "injured_total": Toll(low=7, best=7, high=None, basis="latest"),
        },
        changes=[
            Change(
                field="tolls.killed_militants",
                before={"low": 67, "best": 67, "high": 67},
                after={"low": 145, "best": 145, "high": 145},
                reason="chief minister",
            )
        ],
    )


def test_changed_tolls_are_marked_and_unchanged_ones_are_not() -> None:
    lines = render(revision()).splitlines()
    assert any(line.startswith(" *killed_militants") for line in lines)
    assert any(line.startswith("  injured_total") for line in lines)


def test_each_change_shows_before_after_and_reason() -> None:
    assert "67 [67..67] -> 145 [145..145]" in render(revision())


def test_open_upper_bound_is_written_as_open() -> None:
    assert "(low 7, high open)" in render(revision())


def test_the_place_is_given_with_its_coordinates_and_their_precision() -> None:
    """An analyst reading the terminal knows where the event is and how precisely that is known."""
    located = revision().model_copy(
        update={"location": Location(latitude=30.18414, longitude=67.00141, precision="district", basis="test")}
    )
    assert "at 30.184N 67.001E (district)" in render(located)
