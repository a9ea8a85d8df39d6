"""Coordinates of places: the place's own point when there is one, else the centre of the area that holds it."""

import math
from datetime import date

import pytest

from schemas.claim import Place
from tests.unit.test_events import claim, figure
from tollstream.core.events import MemoryEventStore, Merger
from tollstream.core.geo import locate
from tollstream.datasets import EXAMPLES
from tollstream.replay import replay_file


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def test_a_city_gets_its_own_point() -> None:
    """A town with a point of its own is placed there, precisely."""
    location = locate(Place(name="Owo", admin1="Ondo", country="NG"))
    assert location is not None and location.precision == "place"
    assert km_between((location.latitude, location.longitude), (7.196, 5.587)) < 5


def test_a_district_named_like_its_chief_town_gets_the_towns_point_as_a_district() -> None:
    """Duki is a district in the gazetteer: the point is its chief town's, and the precision says district."""
    location = locate(Place(name="Duki", admin1="Balochistan", country="PK"))
    assert location is not None and location.precision == "district"
    assert km_between((location.latitude, location.longitude), (30.15, 68.57)) < 5


def test_a_province_is_the_centre_of_its_places() -> None:
    """A province has no point of its own; the centroid of the gazetteer's places there stands for it."""
    location = locate(Place(name="Balochistan", admin1="Balochistan", country="PK"))
    assert location is not None and location.precision == "province"
    assert "Balochistan" in location.basis
    # Inside the province's bounding box (lat 24.9-32.1, lon 60.9-70.3).
    assert 24.9 < location.latitude < 32.1 and 60.9 < location.longitude < 70.3


def test_a_place_without_a_point_falls_back_to_its_province() -> None:
    """Musakhail has no point in the data: the event is shown at its province, and says so."""
    location = locate(Place(name="Musakhail", admin1="Balochistan", country="PK"))
    province = locate(Place(name="Balochistan", admin1="Balochistan", country="PK"))
    assert location == province


def test_a_country_is_the_centre_of_its_places() -> None:
    """A report that names only the country is placed at the country's centre, precision country."""
    location = locate(Place(name="Pakistan", country="PK"))
    assert location is not None and location.precision == "country"
    assert 24 < location.latitude < 37 and 61 < location.longitude < 77


def test_a_country_across_the_antimeridian_is_centred_on_its_side_of_the_globe() -> None:
    """Averaging longitudes would put Fiji near Greenwich; the spherical mean keeps it in the Pacific."""
    location = locate(Place(name="Fiji", country="FJ"))
    assert location is not None and abs(location.longitude) > 170


def test_a_place_named_like_its_province_is_not_given_more_precision_than_it_has() -> None:
    """When a name is both a province and its capital, the point is the province's unless the gazetteer says city."""
    location = locate(Place(name="Balochistan", admin1="Balochistan", country="PK"))
    assert location is not None and location.precision != "place"


def test_a_town_of_the_same_name_in_another_province_is_not_taken() -> None:
    """A name that exists in the country but not in the event's province must not move the event there."""
    location = locate(Place(name="Hyderabad", admin1="Balochistan", country="PK"))
    assert location is not None and location.precision == "province"


@pytest.mark.parametrize("place", [None, Place(name="Somewhere"), Place(name="Atlantis", country="QQ")])
def test_no_location_without_a_known_country(place: Place | None) -> None:
    """Without a country the data knows, no point is invented."""
    assert locate(place) is None


def test_every_revision_carries_the_location_of_its_place() -> None:
    """Each event update says where its place is, so maps and exports need no gazetteer of their own."""
    result = replay_file(EXAMPLES)
    assert result.events and all(u.location == locate(u.place) for u in result.events)
    assert {u.location.precision for u in result.events if u.location} <= {"place", "district", "province"}


def test_merge_attaches_the_location_when_an_event_opens() -> None:
    """The merge stage itself, not a later step, gives the first revision its coordinates."""
    owo = Place(name="Owo", admin1="Ondo", country="NG")
    merged = Merger(MemoryEventStore()).apply(claim("a1", date(2022, 6, 5), figure("civilians", 40), place=owo), 0)
    assert merged.updates[0].location is not None and merged.updates[0].location.precision == "place"
